//! Walk-forward folds: the calendar from `first_test` on cut into test periods (years, quarters
//! or months); each fold trains on the dates before its test period (all of them, expanding, or
//! the last `window_years` or `window_bars`, sliding), holds out the last `valid_fraction` of
//! those dates for validation (early stopping; none with 0), and tests on its period. Samples are
//! assigned to a fold's parts as in any [`Split`]: purged by the target's horizon and the
//! embargo.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::Split;
use crate::error::{Error, Result};

/// How often the model is refitted: the length of a test period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Refit {
    /// Calendar years.
    #[default]
    Yearly,
    /// Calendar quarters.
    Quarterly,
    /// Calendar months.
    Monthly,
}

impl Refit {
    /// The period a date falls in, as a comparable key.
    fn period(self, d: NaiveDate) -> (i32, u32) {
        match self {
            Refit::Yearly => (d.year(), 0),
            Refit::Quarterly => (d.year(), d.month0() / 3),
            Refit::Monthly => (d.year(), d.month0()),
        }
    }
}

/// Walk-forward retraining (`[dataset.walk_forward]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WalkForwardSpec {
    /// First date of the first test period (the period containing it starts the test).
    #[serde(with = "crate::data::date::serde_date")]
    pub first_test: NaiveDate,
    /// Length of each test period, and so how often the model is refitted.
    #[serde(default)]
    pub refit: Refit,
    /// Train on the last this many years before each test period (sliding); all earlier dates
    /// when absent (expanding).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window_years: Option<u32>,
    /// Train on the last this many bars before each test period, counted as a `History(N)` call
    /// counts them: every bar a training sample reads, its input window and its target, lies in
    /// them (the data set drops the samples whose window starts earlier; see
    /// [`WalkForwardSpec::window_start`]). QuantConnect's production algorithms train this way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window_bars: Option<usize>,
    /// Share of each training span's dates, at its end, held out for validation; 0 holds out
    /// none (early stopping must then watch the training loss).
    #[serde(default = "default_valid_fraction")]
    pub valid_fraction: f64,
    /// Bars dropped before each boundary beyond the purge (see [`Split::embargo`]).
    #[serde(default)]
    pub embargo: usize,
}

fn default_valid_fraction() -> f64 {
    0.2
}

impl WalkForwardSpec {
    /// The folds on `dates`, training never starting before date index `first` (the first date
    /// with a complete feature window).
    ///
    /// # Errors
    /// [`Error::Config`] for a validation share outside [0, 0.9], a window given both in years
    /// and in bars or of fewer than 2 bars, or when no test period has training dates before it.
    pub fn folds(&self, dates: &[NaiveDate], first: usize) -> Result<Vec<Split>> {
        if !(self.valid_fraction >= 0.0 && self.valid_fraction <= 0.9) {
            return Err(Error::config(
                "dataset.walk_forward.valid_fraction",
                format!("{} must be in [0, 0.9]", self.valid_fraction),
            ));
        }
        match (self.window_years, self.window_bars) {
            (Some(_), Some(_)) => return Err(Error::config(
                "dataset.walk_forward.window_bars",
                "give the sliding window in years or in bars, not both (window_years is set too)",
            )),
            (_, Some(n)) if n < 2 => {
                return Err(Error::config(
                    "dataset.walk_forward.window_bars",
                    format!("{n} bars leave nothing to train on; at least 2"),
                ))
            }
            _ => {}
        }
        let start = dates.iter().position(|d| *d >= self.first_test).ok_or_else(|| {
            Error::config(
                "dataset.walk_forward.first_test",
                format!("{} is after the last date", self.first_test),
            )
        })?;
        let mut folds = vec![];
        let mut test_start = start;
        while test_start < dates.len() {
            let period = self.refit.period(dates[test_start]);
            let test_end = test_start
                + dates[test_start..]
                    .iter()
                    .take_while(|d| self.refit.period(**d) == period)
                    .count()
                - 1;
            let train_start = match (self.window_years, self.window_bars) {
                (Some(y), _) => {
                    let from = shift_years(dates[test_start], y);
                    dates.iter().position(|d| *d >= from).unwrap_or(0).max(first)
                }
                (None, Some(n)) => test_start.saturating_sub(n).max(first),
                (None, None) => first,
            };
            let span = test_start.saturating_sub(train_start);
            let n_valid = (span as f64 * self.valid_fraction).round() as usize;
            let valid_ok = n_valid >= 1 || self.valid_fraction == 0.0;
            if span >= 2 && valid_ok && n_valid < span {
                folds.push(Split {
                    train_start,
                    train_end: test_start - 1 - n_valid,
                    valid_end: test_start - 1,
                    test_end,
                    embargo: self.embargo,
                });
            }
            test_start = test_end + 1;
        }
        if folds.is_empty() {
            return Err(Error::config(
                "dataset.walk_forward",
                format!("no test period from {} has training dates before it", self.first_test),
            ));
        }
        Ok(folds)
    }
}

impl WalkForwardSpec {
    /// With `window_bars`, the first bar the training samples of `split` may read: a sample
    /// dated t whose window covers `span` bars trains only when t + 1 - span is not earlier.
    pub fn window_start(&self, split: &Split) -> Option<usize> {
        self.window_bars.map(|n| (split.valid_end + 1).saturating_sub(n))
    }

    /// Whether the folds hold out no validation dates.
    pub fn without_validation(&self) -> bool {
        self.valid_fraction == 0.0
    }
}

/// The same day `years` earlier (28 February for a 29 February that does not exist then).
fn shift_years(d: NaiveDate, years: u32) -> NaiveDate {
    let y = d.year() - years as i32;
    NaiveDate::from_ymd_opt(y, d.month(), d.day())
        .or_else(|| NaiveDate::from_ymd_opt(y, d.month(), 28))
        .unwrap_or(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Weekdays from 2000-01-03 to 2003-12-31.
    fn weekdays() -> Vec<NaiveDate> {
        let mut d = NaiveDate::from_ymd_opt(2000, 1, 3).unwrap();
        let mut out = vec![];
        while d.year() < 2004 {
            if d.weekday().num_days_from_monday() < 5 {
                out.push(d);
            }
            d = d.succ_opt().unwrap();
        }
        out
    }

    #[test]
    fn expanding_yearly_folds_tile_the_test_years() {
        let dates = weekdays();
        let spec = WalkForwardSpec {
            first_test: NaiveDate::from_ymd_opt(2001, 6, 1).unwrap(),
            refit: Refit::Yearly,
            window_years: None,
            window_bars: None,
            valid_fraction: 0.2,
            embargo: 0,
        };
        let folds = spec.folds(&dates, 10).unwrap();
        let year = |i: usize| dates[i].year();
        // the first test period starts at the first date on or after first_test and runs to the
        // end of that year; then whole years
        assert_eq!(folds.len(), 3);
        assert_eq!(dates[folds[0].valid_end + 1], NaiveDate::from_ymd_opt(2001, 6, 1).unwrap());
        assert_eq!((year(folds[0].test_end), year(folds[1].test_end)), (2001, 2002));
        assert_eq!(folds[2].test_end, dates.len() - 1);
        for (a, b) in folds.iter().zip(&folds[1..]) {
            assert_eq!(a.test_end + 1, b.valid_end + 1, "test periods are contiguous");
        }
        for f in &folds {
            assert_eq!(f.train_start, 10, "expanding: always from the first usable date");
            let span = f.valid_end + 1 - f.train_start;
            let valid = f.valid_end - f.train_end;
            assert_eq!(valid, (span as f64 * 0.2).round() as usize);
        }
    }

    #[test]
    fn sliding_quarterly_folds_keep_a_fixed_window() {
        let dates = weekdays();
        let spec = WalkForwardSpec {
            first_test: NaiveDate::from_ymd_opt(2002, 1, 1).unwrap(),
            refit: Refit::Quarterly,
            window_years: Some(1),
            window_bars: None,
            valid_fraction: 0.25,
            embargo: 2,
        };
        let folds = spec.folds(&dates, 0).unwrap();
        assert_eq!(folds.len(), 8);
        for f in &folds {
            let test_start = dates[f.valid_end + 1];
            assert_eq!(test_start.month0() % 3, 0, "quarters start the tests");
            let from = dates[f.train_start];
            assert!(
                from >= shift_years(test_start, 1)
                    && (from - shift_years(test_start, 1)).num_days() < 4
            );
            assert_eq!(f.embargo, 2);
        }
        assert!(WalkForwardSpec { valid_fraction: -0.1, ..spec.clone() }.folds(&dates, 0).is_err());
        let both = WalkForwardSpec { window_bars: Some(250), ..spec.clone() };
        assert!(both.folds(&dates, 0).is_err(), "years and bars at once");
        let late =
            WalkForwardSpec { first_test: NaiveDate::from_ymd_opt(2010, 1, 1).unwrap(), ..spec };
        assert!(late.folds(&dates, 0).is_err());
    }

    #[test]
    fn a_window_of_bars_without_validation_trains_on_exactly_the_last_bars() {
        // QuantConnect's study-4 algorithm: every month, the last 504 bars, no validation
        let dates = weekdays();
        let spec = WalkForwardSpec {
            first_test: NaiveDate::from_ymd_opt(2003, 1, 1).unwrap(),
            refit: Refit::Monthly,
            window_years: None,
            window_bars: Some(504),
            valid_fraction: 0.0,
            embargo: 0,
        };
        let folds = spec.folds(&dates, 0).unwrap();
        assert_eq!(folds.len(), 12);
        for f in &folds {
            assert_eq!(f.train_end, f.valid_end, "no validation dates");
            assert_eq!(f.valid_end + 1 - f.train_start, 504, "the last 504 bars");
            assert_eq!(spec.window_start(f), Some(f.train_start));
            assert_ne!(dates[f.valid_end].month(), dates[f.valid_end + 1].month(), "months");
        }
        // near the start of the data the window is what there is
        let early = WalkForwardSpec {
            first_test: NaiveDate::from_ymd_opt(2000, 6, 1).unwrap(),
            ..spec.clone()
        };
        let f = &early.folds(&dates, 5).unwrap()[0];
        assert_eq!((f.train_start, early.window_start(f)), (5, Some(0)));
        assert!(WalkForwardSpec { window_bars: Some(1), ..spec }.folds(&dates, 0).is_err());
    }
}
