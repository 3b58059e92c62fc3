//! STOCHRSI (pandas-ta `stochrsi`, length 14, rsi_length 14, k 3, d 3): the stochastic of the
//! RSI, `100 (rsi - lowest rsi) / (highest rsi - lowest rsi)` over `length` bars, %K its SMA(k)
//! and %D the SMA(d) of %K. Columns `STOCHRSIk_14_14_3_3`, `STOCHRSId_14_14_3_3`.

use crate::features::indicators::momentum::rsi::Rsi;
use crate::features::indicators::{kernels, Convention, Family, Indicator, Memory, Ohlcv};

/// Stochastic RSI.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stochrsi {
    /// Look-back of the stochastic.
    pub length: usize,
    /// RSI window.
    pub rsi_length: usize,
    /// Smoothing of %K.
    pub k: usize,
    /// Smoothing of %D.
    pub d: usize,
    /// Whose values: pandas-ta's pure-pandas path (default) or with TA-Lib's building blocks
    /// (`"talib"`).
    #[serde(default)]
    pub convention: Convention,
}

impl Indicator for Stochrsi {
    fn family(&self) -> Family {
        Family::Momentum
    }

    fn columns(&self) -> Vec<String> {
        let s = format!("{}_{}_{}_{}", self.length, self.rsi_length, self.k, self.d);
        vec![format!("STOCHRSIk_{s}"), format!("STOCHRSId_{s}")]
    }

    fn params(&self) -> String {
        let params = {
            format!(
                "length={} rsi_length={} k={} d={}",
                self.length, self.rsi_length, self.k, self.d
            )
        };
        self.convention.named(params)
    }

    fn warm_up(&self) -> usize {
        let rsi = Rsi::under(self.rsi_length, self.convention);
        rsi.warm_up() + self.length + self.k + self.d - 3
    }

    fn memory(&self) -> Memory {
        Memory::rma(self.rsi_length, 2)
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let rsi = Rsi::under(self.rsi_length, self.convention).compute(x).remove(0);
        let lowest = kernels::rolling_min(&rsi, self.length);
        let highest = kernels::rolling_max(&rsi, self.length);
        let range = kernels::non_zero_range(&highest, &lowest);
        let stoch: Vec<f64> =
            (0..rsi.len()).map(|t| 100.0 * (rsi[t] - lowest[t]) / range[t]).collect();
        let k = kernels::rolling_mean(&stoch, self.k);
        let d = kernels::rolling_mean(&k, self.d);
        vec![k, d]
    }
}
