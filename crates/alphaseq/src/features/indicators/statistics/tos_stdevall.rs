//! TOS_STDEVALL (pandas-ta `tos_stdevall`, ThinkOrSwim's "standard deviation all"): the least
//! squares line through the whole series' closes against the bar number, and bands at 1, 2, ..
//! `stds` sample standard deviations (ddof 1) of the closes about their mean. Columns
//! `TOS_STDEVALL_LR`, `TOS_STDEVALL_L_1`, `TOS_STDEVALL_U_1`, .. `TOS_STDEVALL_U_3`.
//!
//! **It reads the future**: every value comes from a fit over the whole series, later prices
//! included. Refused as an input unless `features.look_ahead = "allow"`. pandas-ta's `length`
//! (fit the last `length` bars only) is not offered; with a missing close numpy's fit fails, and
//! alphaseq's columns are NaN.

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Whole-series regression line with standard-deviation bands (reads the future).
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TosStdevall {
    /// Bands at 1, 2, .. `stds` standard deviations (pandas-ta's `stds = [1, 2, 3]`).
    pub stds: usize,
    /// Delta degrees of freedom of the standard deviation.
    pub ddof: usize,
}

impl Indicator for TosStdevall {
    fn family(&self) -> Family {
        Family::Statistics
    }

    fn columns(&self) -> Vec<String> {
        let mut columns = vec!["TOS_STDEVALL_LR".to_string()];
        for k in 1..=self.stds {
            columns.push(format!("TOS_STDEVALL_L_{k}"));
            columns.push(format!("TOS_STDEVALL_U_{k}"));
        }
        columns
    }

    fn params(&self) -> String {
        format!("stds={} ddof={}", self.stds, self.ddof)
    }

    fn warm_up(&self) -> usize {
        0
    }

    fn look_ahead(&self) -> Option<String> {
        Some(
            "every value comes from a line fitted to the whole series, later closes included"
                .into(),
        )
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let y = x.close;
        let n = y.len();
        let columns = 1 + 2 * self.stds;
        if n < 2 || n <= self.ddof || y.iter().any(|v| v.is_nan()) {
            return vec![vec![f64::NAN; n]; columns];
        }
        let (x_mean, y_mean) = ((n - 1) as f64 / 2.0, kernels::numpy_sum(y) / n as f64);
        let (sxy, sxx, syy) = crate::numeric::sums_against_row(y, y_mean);
        let slope = sxy / sxx;
        let intercept = y_mean - slope * x_mean;
        let stdev = (syy / (n - self.ddof) as f64).sqrt();
        let line: Vec<f64> = (0..n).map(|i| slope * i as f64 + intercept).collect();
        let mut out = vec![line.clone()];
        for k in 1..=self.stds {
            let width = k as f64 * stdev;
            out.push(line.iter().map(|v| v - width).collect());
            out.push(line.iter().map(|v| v + width).collect());
        }
        out
    }
}
