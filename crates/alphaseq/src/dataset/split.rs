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
}

impl Default for SplitSpec {
    fn default() -> Self {
        SplitSpec { train_end: None, valid_end: None, ratios: Some([0.6, 0.2, 0.2]) }
    }
}

/// A resolved split: date indices of the last training and the last validation date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split {
    /// Index of the last training date.
    pub train_end: usize,
    /// Index of the last validation date.
    pub valid_end: usize,
}

impl Split {
    /// "train .. 2014-12-31, valid .. 2017-12-29, test after".
    pub fn describe(&self, dates: &[NaiveDate]) -> String {
        format!(
            "train to {}, validation to {}, test after",
            dates[self.train_end], dates[self.valid_end]
        )
    }
}

impl SplitSpec {
    /// Resolves the split on `dates`, with ratios counted from date index `first`.
    ///
    /// # Errors
    /// [`Error::Invalid`] for a spec that mixes or misses forms, bad ratios, or dates out of order.
    pub fn resolve(&self, dates: &[NaiveDate], first: usize) -> Result<Split> {
        let last_le = |d: NaiveDate| dates.iter().rposition(|x| *x <= d);
        let split = match (self.train_end, self.valid_end, self.ratios) {
            (Some(a), Some(b), None) => {
                if a >= b {
                    return Err(Error::Invalid(format!("dataset.split: train_end {a} must be before valid_end {b}")));
                }
                let te = last_le(a).ok_or_else(|| Error::Invalid(format!("dataset.split: train_end {a} is before the first date")))?;
                let ve = last_le(b).unwrap_or(te);
                Split { train_end: te, valid_end: ve }
            }
            (None, None, Some(r)) => {
                if r.iter().any(|x| !(0.0..=1.0).contains(x) || x.is_nan()) || (r.iter().sum::<f64>() - 1.0).abs() > 1e-9 || r[0] == 0.0 {
                    return Err(Error::Invalid(format!("dataset.split.ratios {r:?} must be three fractions summing to 1 with a non-zero train part")));
                }
                let n = dates.len().saturating_sub(first);
                let te = first + ((n as f64 * r[0]).round() as usize).max(1) - 1;
                let ve = first + ((n as f64 * (r[0] + r[1])).round() as usize).max(1) - 1;
                Split { train_end: te.min(dates.len() - 1), valid_end: ve.min(dates.len() - 1) }
            }
            _ => {
                return Err(Error::Invalid(
                    "dataset.split: give either train_end and valid_end, or ratios = [train, valid, test]".into(),
                ))
            }
        };
        Ok(split)
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
        let spec = SplitSpec { train_end: Some(d[9]), valid_end: Some(d[19]), ratios: None };
        let s = spec.resolve(&d, 0).unwrap();
        assert_eq!((s.train_end, s.valid_end), (9, 19));
    }

    #[test]
    fn mixed_or_bad_specs_are_refused() {
        let d = dates(30);
        let mixed =
            SplitSpec { train_end: Some(d[9]), valid_end: None, ratios: Some([0.5, 0.25, 0.25]) };
        assert!(mixed.resolve(&d, 0).is_err());
        let bad = SplitSpec { ratios: Some([0.5, 0.5, 0.5]), ..SplitSpec::default() };
        assert!(bad.resolve(&d, 0).unwrap_err().to_string().contains("summing to 1"));
        let backwards = SplitSpec { train_end: Some(d[19]), valid_end: Some(d[9]), ratios: None };
        assert!(backwards.resolve(&d, 0).is_err());
    }
}
