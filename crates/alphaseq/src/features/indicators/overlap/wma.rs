//! WMA (pandas-ta `wma`): weights 1..=length on the last `length` closes (newest heaviest),
//! divided by length (length + 1) / 2. Agrees with TA-Lib `WMA`.

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Linearly weighted moving average of the close over `length` bars.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Wma {
    /// Window.
    pub length: usize,
}

impl Indicator for Wma {
    fn family(&self) -> Family {
        Family::Overlap
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("WMA_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={}", self.length)
    }

    fn warm_up(&self) -> usize {
        self.length - 1
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        vec![kernels::wma(x.close, self.length)]
    }
}
