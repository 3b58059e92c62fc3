//! KC (pandas-ta `kc`, length 20, scalar 2, mamode ema, true range): Keltner channels, the
//! close's EMA plus and minus scalar x the EMA of the true range (the true range at bar 0 is
//! high - low, as pandas-ta's default `prenan=False`). Columns lower, basis, upper. TA-Lib has no
//! KC.

use crate::features::indicators::{talib, Convention, Family, Indicator, Memory, Ohlcv};

/// Keltner channels.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Kc {
    /// EMA span.
    pub length: usize,
    /// Band width in units of the true range's EMA.
    pub scalar: f64,
    /// Whose values: pandas-ta's pure-pandas path (default) or with TA-Lib's building blocks
    /// (`"talib"`).
    #[serde(default)]
    pub convention: Convention,
}

impl Indicator for Kc {
    fn family(&self) -> Family {
        Family::Volatility
    }

    fn columns(&self) -> Vec<String> {
        let s = format!("e_{}_{}", self.length, self.scalar);
        vec![format!("KCL{s}"), format!("KCB{s}"), format!("KCU{s}")]
    }

    fn params(&self) -> String {
        let params = { format!("length={} scalar={}", self.length, self.scalar) };
        self.convention.named(params)
    }

    fn warm_up(&self) -> usize {
        if self.convention == Convention::Talib {
            return self.length;
        }
        self.length - 1
    }

    fn memory(&self) -> Memory {
        Memory::ema(self.length, 1)
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let basis = talib::ema_as(self.convention, x.close, self.length);
        let band = talib::ema_as(
            self.convention,
            &match self.convention {
                Convention::PandasTa => super::true_range::true_range(x),
                Convention::Talib => talib::true_range(x.high, x.low, x.close),
            },
            self.length,
        );
        let lower = basis.iter().zip(&band).map(|(b, w)| b - self.scalar * w).collect();
        let upper = basis.iter().zip(&band).map(|(b, w)| b + self.scalar * w).collect();
        vec![lower, basis, upper]
    }
}
