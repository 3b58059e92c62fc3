//! PGO (pandas-ta `pgo`, length 14), the pretty good oscillator: (close - SMA(close, length)) /
//! EMA(ATR(length), length). TA-Lib has no PGO.

use crate::features::indicators::{kernels, Family, Indicator, Memory, Ohlcv};

/// Pretty good oscillator.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pgo {
    /// Window.
    pub length: usize,
}

impl Indicator for Pgo {
    fn family(&self) -> Family {
        Family::Momentum
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("PGO_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={}", self.length)
    }

    fn warm_up(&self) -> usize {
        self.length - 1
    }

    fn memory(&self) -> Memory {
        Memory::rma(self.length, 2)
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let sma = kernels::rolling_mean(x.close, self.length);
        let atr = super::super::volatility::atr::Atr::new(self.length).compute(x).remove(0);
        let scale = kernels::ema(&atr, self.length);
        vec![(0..sma.len()).map(|t| (x.close[t] - sma[t]) / scale[t]).collect()]
    }
}
