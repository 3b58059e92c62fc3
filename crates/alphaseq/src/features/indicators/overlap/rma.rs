//! RMA (pandas-ta `rma`, length 10), Wilder's moving average: `ewm(alpha = 1 / length,
//! adjust=False)` of the close from its first bar, with no SMA seed (unlike ATR's and TA-Lib's
//! Wilder smoothing), so it is defined from bar 0.

use crate::features::indicators::{kernels, Family, Indicator, Memory, Ohlcv};

/// Wilder's moving average of the close.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rma {
    /// Window (alpha = 1 / length).
    pub length: usize,
}

impl Indicator for Rma {
    fn family(&self) -> Family {
        Family::Overlap
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("RMA_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={}", self.length)
    }

    fn warm_up(&self) -> usize {
        0
    }

    fn memory(&self) -> Memory {
        Memory::rma(self.length, 1)
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        vec![kernels::ewm_mean(x.close, 1.0 / self.length as f64)]
    }
}
