//! CHOP (pandas-ta `chop`, length 14, atr_length 1, scalar 100), the choppiness index:
//! 100 log10(sum of ATR(1) over `length` / (highest high - lowest low)) / log10(length). TA-Lib has
//! no CHOP.

use crate::features::indicators::{kernels, Convention, Family, Indicator, Memory, Ohlcv};

/// Choppiness index.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Chop {
    /// Window.
    pub length: usize,
    /// ATR window.
    pub atr_length: usize,
    /// Whose values: pandas-ta's pure-pandas path (default) or with TA-Lib's ATR (`"talib"`).
    #[serde(default)]
    pub convention: Convention,
}

impl Indicator for Chop {
    fn family(&self) -> Family {
        Family::Trend
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("CHOP_{}_{}_100.0", self.length, self.atr_length)]
    }

    fn params(&self) -> String {
        let params = { format!("length={} atr_length={}", self.length, self.atr_length) };
        self.convention.named(params)
    }

    fn warm_up(&self) -> usize {
        let atr = crate::features::indicators::volatility::atr::Atr {
            length: self.atr_length,
            convention: self.convention,
        };
        self.length - 1 + atr.warm_up()
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
        let atr = super::super::volatility::atr::Atr {
            length: self.atr_length,
            convention: self.convention,
        }
        .compute(x)
        .remove(0);
        let atr_sum = kernels::rolling_sum(&atr, self.length);
        let log_n = (self.length as f64).log10();
        vec![(0..range.len())
            .map(|t| 100.0 * (atr_sum[t].log10() - range[t].log10()) / log_n)
            .collect()]
    }
}
