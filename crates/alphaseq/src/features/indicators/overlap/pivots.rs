//! PIVOTS (pandas-ta `pivots`, method "traditional", anchor "D"), daily traditional pivot points:
//! at each bar, from the previous complete bar's high, low and close, the pivot `P = (high + low +
//! close) / 3`, supports `S1 = 2 P - high`, `S2 = P - range`, `S3 = S4 = P - 2 range` and
//! resistances `R1 = 2 P - low`, `R2 = P + range`, `R3 = R4 = P + 2 range`. Columns
//! `PIVOTS_TRAD_D_P`, `..._S1` .. `_S4`, `..._R1` .. `_R4`.
//!
//! Follows pandas-ta knowingly: its traditional S4 and R4 repeat S3 and R3 (the textbook's are 3
//! ranges out). Its range adds machine epsilon only when every bar of the series is flat (a
//! whole-series test); alphaseq's does not, a difference of 2e-16 at most. pandas-ta resamples to
//! calendar days and shifts each day's pivots to the next day, so the value at t is the previous
//! trading day's (a missing bar is skipped over); only the daily anchor is offered.

use crate::features::indicators::{Family, Indicator, Ohlcv};

/// Traditional daily pivot points.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pivots;

impl Indicator for Pivots {
    fn family(&self) -> Family {
        Family::Overlap
    }

    fn columns(&self) -> Vec<String> {
        ["P", "S1", "S2", "S3", "S4", "R1", "R2", "R3", "R4"]
            .iter()
            .map(|c| format!("PIVOTS_TRAD_D_{c}"))
            .collect()
    }

    fn params(&self) -> String {
        "method=traditional anchor=D".into()
    }

    fn warm_up(&self) -> usize {
        1
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let m = x.close.len();
        let mut out = vec![vec![f64::NAN; m]; 9];
        let mut last: Option<usize> = None;
        for t in 0..m {
            if let Some(d) = last {
                let (h, l, c) = (x.high[d], x.low[d], x.close[d]);
                let tp = (h + l + c) / 3.0;
                let range = h - l;
                let levels = [
                    tp,
                    2.0 * tp - h,
                    tp - range,
                    tp - 2.0 * range,
                    tp - 2.0 * range,
                    2.0 * tp - l,
                    tp + range,
                    tp + 2.0 * range,
                    tp + 2.0 * range,
                ];
                for (column, v) in out.iter_mut().zip(levels) {
                    column[t] = v;
                }
            }
            let complete = [x.open[t], x.high[t], x.low[t], x.close[t]].iter().all(|v| !v.is_nan());
            if complete {
                last = Some(t);
            }
        }
        out
    }
}
