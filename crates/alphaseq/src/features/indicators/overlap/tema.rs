//! TEMA (pandas-ta `tema`, length 10): 3 (EMA - EMA(EMA)) + EMA(EMA(EMA)), each SMA-seeded as
//! pandas-ta does.

use crate::features::indicators::{kernels, talib, Convention, Family, Indicator, Memory, Ohlcv};

/// Triple exponential moving average.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tema {
    /// Window.
    pub length: usize,
    /// Whose values: pandas-ta's pure-pandas path (default) or TA-Lib's (`"talib"`).
    #[serde(default)]
    pub convention: Convention,
}

impl Indicator for Tema {
    fn family(&self) -> Family {
        Family::Overlap
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("TEMA_{}", self.length)]
    }

    fn params(&self) -> String {
        let params = { format!("length={}", self.length) };
        self.convention.named(params)
    }

    fn warm_up(&self) -> usize {
        if self.convention == Convention::Talib {
            return 3 * (self.length - 1);
        }
        self.length - 1
    }

    fn memory(&self) -> Memory {
        Memory::ema(self.length, 3)
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        if self.convention == Convention::Talib {
            return vec![talib::tema(x.close, self.length)];
        }
        let e1 = kernels::ema(x.close, self.length);
        let e2 = kernels::ema(&e1, self.length);
        let e3 = kernels::ema(&e2, self.length);
        vec![(0..e1.len()).map(|t| 3.0 * (e1[t] - e2[t]) + e3[t]).collect()]
    }
}
