//! ZLMA (pandas-ta `zlma`, EMA mode, length 10), the zero-lag EMA: the SMA-seeded EMA of
//! 2 close_t - close_{t-lag} with lag = (length - 1) / 2. As pandas-ta, the seed is the mean of the
//! values present among the first `length` (the first `lag` are undefined). Column `ZL_EMA_10`.

use crate::features::indicators::{talib, Convention, Family, Indicator, Memory, Ohlcv};

/// Zero-lag exponential moving average.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Zlma {
    /// Span.
    pub length: usize,
    /// Whose values: pandas-ta's pure-pandas path (default) or with TA-Lib's building blocks
    /// (`"talib"`).
    #[serde(default)]
    pub convention: Convention,
}

impl Indicator for Zlma {
    fn family(&self) -> Family {
        Family::Overlap
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("ZL_EMA_{}", self.length)]
    }

    fn params(&self) -> String {
        let params = { format!("length={} mamode=ema", self.length) };
        self.convention.named(params)
    }

    fn warm_up(&self) -> usize {
        if self.convention == Convention::Talib {
            return (self.length - 1) / 2 + self.length - 1;
        }
        self.length - 1
    }

    fn memory(&self) -> Memory {
        Memory::ema(self.length, 1)
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let lag = (self.length - 1) / 2;
        let c = x.close;
        let adjusted: Vec<f64> = (0..c.len())
            .map(|t| if t < lag { f64::NAN } else { 2.0 * c[t] - c[t - lag] })
            .collect();
        vec![talib::ema_as(self.convention, &adjusted, self.length)]
    }
}
