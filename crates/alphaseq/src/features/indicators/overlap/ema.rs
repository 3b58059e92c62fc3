//! EMA (pandas-ta `ema`, `presma=True`): alpha = 2 / (length + 1), started at bar length-1 with
//! the mean of the first `length` closes, then `ewm(adjust=False)`. Agrees with TA-Lib `EMA`.

use crate::features::indicators::{kernels, Family, Indicator, Memory, Ohlcv};

/// Exponential moving average of the close, span `length`, seeded with an SMA.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ema {
    /// Span.
    pub length: usize,
}

impl Indicator for Ema {
    fn family(&self) -> Family {
        Family::Overlap
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("EMA_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={}", self.length)
    }

    fn warm_up(&self) -> usize {
        self.length - 1
    }

    fn memory(&self) -> Memory {
        Memory::ema(self.length, 1)
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        vec![kernels::ema(x.close, self.length)]
    }
}
