//! QSTICK (pandas-ta `qstick`, length 10, mamode sma): the mean of close - open over the window
//! (pandas-ta's `non_zero_range`, machine epsilon added from the first bar whose close equals its
//! open on, the causal form of pandas-ta's rule; see [`kernels::non_zero_range`]). Column `QS_10`. TA-Lib has no QSTICK.

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Chande's Q-stick.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Qstick {
    /// Window.
    pub length: usize,
}

impl Indicator for Qstick {
    fn family(&self) -> Family {
        Family::Trend
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("QS_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={}", self.length)
    }

    fn warm_up(&self) -> usize {
        self.length - 1
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        vec![kernels::rolling_mean(&kernels::non_zero_range(x.close, x.open), self.length)]
    }
}
