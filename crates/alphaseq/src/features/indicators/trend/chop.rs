//! CHOP (pandas-ta `chop`, length 14, atr_length 1, scalar 100), the choppiness index:
//! 100 log10(sum of ATR(1) over `length` / (highest high - lowest low)) / log10(length). TA-Lib has
//! no CHOP.

use crate::features::indicators::{kernels, Family, Indicator, Memory, Ohlcv};

/// Choppiness index.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Chop {
    /// Window.
    pub length: usize,
    /// ATR window.
    pub atr_length: usize,
}

impl Indicator for Chop {
    fn family(&self) -> Family {
        Family::Trend
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("CHOP_{}_{}_100.0", self.length, self.atr_length)]
    }

    fn params(&self) -> String {
        format!("length={} atr_length={}", self.length, self.atr_length)
    }

    fn warm_up(&self) -> usize {
        self.length - 1 + self.atr_length.saturating_sub(1)
    }

    fn memory(&self) -> Memory {
        Memory::rma(self.atr_length, 1)
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let range: Vec<f64> = kernels::rolling_max(x.high, self.length)
            .iter()
            .zip(kernels::rolling_min(x.low, self.length))
            .map(|(h, l)| h - l)
            .collect();
        let atr = super::super::volatility::atr::Atr::new(self.atr_length).compute(x).remove(0);
        let atr_sum = kernels::rolling_sum(&atr, self.length);
        let log_n = (self.length as f64).log10();
        vec![(0..range.len())
            .map(|t| 100.0 * (atr_sum[t].log10() - range[t].log10()) / log_n)
            .collect()]
    }
}
