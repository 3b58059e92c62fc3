//! INERTIA (pandas-ta `inertia`, length 20, rvi_length 14): the relative volatility index
//! ([`rvi`](crate::features::indicators::volatility::rvi)) over `rvi_length` bars, smoothed by a
//! `length`-bar linear regression's value at its last bar. Column `INERTIA_20_14`.

use crate::features::indicators::overlap::linreg::linreg;
use crate::features::indicators::volatility::rvi::rvi;
use crate::features::indicators::{talib, Convention, Family, Indicator, Memory, Ohlcv};

/// Inertia.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inertia {
    /// Regression window.
    pub length: usize,
    /// RVI window.
    pub rvi_length: usize,
    /// Whose values: pandas-ta's pure-pandas path (default) or TA-Lib's (`"talib"`).
    #[serde(default)]
    pub convention: Convention,
}

impl Indicator for Inertia {
    fn family(&self) -> Family {
        Family::Momentum
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("INERTIA_{}_{}", self.length, self.rvi_length)]
    }

    fn params(&self) -> String {
        self.convention.named(format!("length={} rvi_length={}", self.length, self.rvi_length))
    }

    fn warm_up(&self) -> usize {
        if self.convention == Convention::Talib {
            return 2 * (self.rvi_length - 1) + self.length - 1;
        }
        self.rvi_length + self.length - 2
    }

    fn memory(&self) -> Memory {
        Memory::ema(self.rvi_length, 1)
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let rvi = rvi(x.close, self.rvi_length, 100.0, self.convention);
        match self.convention {
            Convention::PandasTa => vec![linreg(&rvi, self.length, self.length as f64)],
            Convention::Talib => vec![talib::linearreg(&rvi, self.length, 0)],
        }
    }
}
