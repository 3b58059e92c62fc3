//! SMA (pandas-ta `sma`): the mean of the last `length` closes. Agrees with TA-Lib `SMA`.

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Simple moving average of the close over `length` bars.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sma {
    /// Window.
    pub length: usize,
}

impl Indicator for Sma {
    fn family(&self) -> Family {
        Family::Overlap
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("SMA_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={}", self.length)
    }

    fn warm_up(&self) -> usize {
        self.length - 1
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        vec![kernels::rolling_mean(x.close, self.length)]
    }
}
