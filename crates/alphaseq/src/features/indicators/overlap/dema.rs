//! DEMA (pandas-ta `dema`, length 10): 2 EMA - EMA(EMA), each EMA SMA-seeded as pandas-ta does
//! (the second EMA's seed is the mean of the values present among its first `length`).

use crate::features::indicators::{kernels, talib, Convention, Family, Indicator, Memory, Ohlcv};

/// Double exponential moving average.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dema {
    /// Window.
    pub length: usize,
    /// Whose values: pandas-ta's pure-pandas path (default) or TA-Lib's (`"talib"`).
    #[serde(default)]
    pub convention: Convention,
}

impl Indicator for Dema {
    fn family(&self) -> Family {
        Family::Overlap
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("DEMA_{}", self.length)]
    }

    fn params(&self) -> String {
        let params = { format!("length={}", self.length) };
        self.convention.named(params)
    }

    fn warm_up(&self) -> usize {
        if self.convention == Convention::Talib {
            return 2 * (self.length - 1);
        }
        self.length - 1
    }

    fn memory(&self) -> Memory {
        Memory::ema(self.length, 2)
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        if self.convention == Convention::Talib {
            return vec![talib::dema(x.close, self.length)];
        }
        let e1 = kernels::ema(x.close, self.length);
        let e2 = kernels::ema(&e1, self.length);
        vec![e1.iter().zip(&e2).map(|(a, b)| 2.0 * a - b).collect()]
    }
}
