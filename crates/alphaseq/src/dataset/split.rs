//! Chronological train / validation / test splits, by dates or by ratios of the dates that have
//! samples.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// How to split the calendar. Either both dates, or ratios (train, valid, test) summing to 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SplitSpec {
    /// Last date of training (inclusive).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::data::date::serde_opt"
    )]
    pub train_end: Option<NaiveDate>,
    /// Last date of validation (inclusive); test is everything after.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::data::date::serde_opt"
    )]
    pub valid_end: Option<NaiveDate>,
    /// Fractions of the dates (from the first date with a sample) for train, valid and test.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ratios: Option<[f64; 3]>,
    /// Bars dropped, beyond the purge, before each boundary: a training (validation) sample needs
    /// its target realised `embargo` bars before the last training (validation) date.
    #[serde(default)]
    pub embargo: usize,
}

impl Default for SplitSpec {
    fn default() -> Self {
        SplitSpec { train_end: None, valid_end: None, ratios: Some([0.6, 0.2, 0.2]), embargo: 0 }
    }
}

/// A resolved split: date indices of its parts (all inclusive). Training runs from `train_start`
/// to `train_end`, validation to `valid_end`, test to `test_end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Split {
    /// Index of the first training date.
    pub train_start: usize,
    /// Index of the last training date.
    pub train_end: usize,
    /// Index of the last validation date.
    pub valid_end: usize,
    /// Index of the last test date.
    pub test_end: usize,
    /// Bars between a sample's realised target and the end of its part.
    pub embargo: usize,
}

impl Split {
    /// "train to 2014-12-31, validation to 2017-12-29, test after" (with the training start and
    /// the test end when they are not the calendar's).
    pub fn describe(&self, dates: &[NaiveDate]) -> String {
        let from = if self.train_start > 0 {
            format!("train from {} ", dates[self.train_start])
        } else {
            "train ".to_string()
        };
        let test = if self.test_end + 1 < dates.len() {
            format!("test to {}", dates[self.test_end])
        } else {
            "test after".to_string()
        };
        format!(
            "{from}to {}, validation to {}, {test}",
            dates[self.train_end], dates[self.valid_end]
        )
    }
}

impl SplitSpec {
    /// Checks what can be checked without the dates: one form, dates in order, ratios that
    /// sum to 1.
    ///
    /// # Errors
    /// [`Error::Config`] naming the key.
    pub fn check(&self) -> Result<()> {
        match (self.train_end, self.valid_end, self.ratios) {
            (Some(a), Some(b), None) if a >= b => Err(Error::config(
                "dataset.split.valid_end",
                format!("{b} must be after train_end {a}"),
            )),
            (Some(_), Some(_), None) => Ok(()),
            (None, None, Some(r)) => {
                if r.iter().any(|x| !(0.0..=1.0).contains(x) || x.is_nan())
                    || (r.iter().sum::<f64>() - 1.0).abs() > 1e-9
                    || r[0] == 0.0
                {
                    return Err(Error::config(
                        "dataset.split.ratios",
                        format!(
                            "{r:?} must be three fractions summing to 1 with a non-zero train part"
                        ),
                    ));
                }
                Ok(())
            }
            _ => Err(Error::config(
                "dataset.split",
                "give either train_end and valid_end, or ratios = [train, valid, test]",
            )),
        }
    }

    /// Resolves the split on `dates`, with ratios counted from date index `first`.
    ///
    /// # Errors
    /// [`Error::Invalid`] for a spec that mixes or misses forms, bad ratios, or dates out of order.
    pub fn resolve(&self, dates: &[NaiveDate], first: usize) -> Result<Split> {
        self.check()?;
        let last_le = |d: NaiveDate| dates.iter().rposition(|x| *x <= d);
        let (train_end, valid_end) = match (self.train_end, self.valid_end, self.ratios) {
            (Some(a), Some(b), None) => {
                let te = last_le(a).ok_or_else(|| {
                    Error::config(
                        "dataset.split",
                        format!("train_end {a} is before the first date"),
                    )
                })?;
                let ve = last_le(b).unwrap_or(te);
                (te, ve)
            }
            (None, None, Some(r)) => {
                let n = dates.len().saturating_sub(first);
                let te = first + ((n as f64 * r[0]).round() as usize).max(1) - 1;
                let ve = first + ((n as f64 * (r[0] + r[1])).round() as usize).max(1) - 1;
                (te.min(dates.len() - 1), ve.min(dates.len() - 1))
            }
            // the other forms are refused by `check`
            _ => return Err(Error::config("dataset.split", "give one form")),
        };
        Ok(Split {
            train_start: 0,
            train_end,
            valid_end,
            test_end: dates.len().saturating_sub(1),
            embargo: self.embargo,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(n: usize) -> Vec<NaiveDate> {
        let d0 = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        (0..n).map(|i| d0 + chrono::Duration::days(i as i64)).collect()
    }

    #[test]
    fn ratios_count_from_the_first_sample_date() {
        let s = SplitSpec::default().resolve(&dates(110), 10).unwrap();
        assert_eq!((s.train_end, s.valid_end), (69, 89));
    }

    #[test]
    fn dates_resolve_to_the_last_date_on_or_before() {
        let d = dates(30);
        let spec =
            SplitSpec { train_end: Some(d[9]), valid_end: Some(d[19]), ratios: None, embargo: 0 };
        let s = spec.resolve(&d, 0).unwrap();
        assert_eq!((s.train_end, s.valid_end), (9, 19));
    }

    #[test]
    fn mixed_or_bad_specs_are_refused() {
        let d = dates(30);
        let mixed = SplitSpec {
            train_end: Some(d[9]),
            valid_end: None,
            ratios: Some([0.5, 0.25, 0.25]),
            embargo: 0,
        };
        assert!(mixed.resolve(&d, 0).is_err());
        let bad = SplitSpec { ratios: Some([0.5, 0.5, 0.5]), ..SplitSpec::default() };
        assert!(bad.resolve(&d, 0).unwrap_err().to_string().contains("summing to 1"));
        let backwards =
            SplitSpec { train_end: Some(d[19]), valid_end: Some(d[9]), ratios: None, embargo: 0 };
        assert!(backwards.resolve(&d, 0).is_err());
    }
}
