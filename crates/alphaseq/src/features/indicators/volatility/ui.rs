//! UI (pandas-ta `ui`, length 14, scalar 100), the ulcer index: the root of the mean over
//! `length` bars of the squared percentage drawdown from the rolling `length`-bar highest close.
//! TA-Lib has no UI.

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Ulcer index.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ui {
    /// Window of the highest close and of the mean.
    pub length: usize,
}

impl Indicator for Ui {
    fn family(&self) -> Family {
        Family::Volatility
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("UI_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={}", self.length)
    }

    fn warm_up(&self) -> usize {
        2 * self.length - 2
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let highest = kernels::rolling_max(x.close, self.length);
        let d2: Vec<f64> = (0..x.close.len())
            .map(|t| (100.0 * (x.close[t] - highest[t]) / highest[t]).powi(2))
            .collect();
        let n = self.length as f64;
        vec![kernels::rolling_sum(&d2, self.length).iter().map(|s| (s / n).sqrt()).collect()]
    }
}
