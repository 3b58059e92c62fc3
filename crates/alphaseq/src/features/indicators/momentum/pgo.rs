//! PGO (pandas-ta `pgo`, length 14), the pretty good oscillator: (close - SMA(close, length)) /
//! EMA(ATR(length), length). TA-Lib has no PGO.

use crate::features::indicators::{kernels, talib, Convention, Family, Indicator, Memory, Ohlcv};

/// Pretty good oscillator.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pgo {
    /// Window.
    pub length: usize,
    /// Whose values: pandas-ta's pure-pandas path (default) or with TA-Lib's building blocks
    /// (`"talib"`).
    #[serde(default)]
    pub convention: Convention,
}

impl Indicator for Pgo {
    fn family(&self) -> Family {
        Family::Momentum
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("PGO_{}", self.length)]
    }

    fn params(&self) -> String {
        let params = { format!("length={}", self.length) };
        self.convention.named(params)
    }

    fn warm_up(&self) -> usize {
        if self.convention == Convention::Talib {
            return 2 * self.length - 1;
        }
        self.length - 1
    }

    fn memory(&self) -> Memory {
        Memory::rma(self.length, 2)
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let sma = kernels::rolling_mean(x.close, self.length);
        let atr = crate::features::indicators::volatility::atr::Atr {
            length: self.length,
            convention: self.convention,
        }
        .compute(x)
        .remove(0);
        let scale = talib::ema_as(self.convention, &atr, self.length);
        vec![(0..sma.len()).map(|t| (x.close[t] - sma[t]) / scale[t]).collect()]
    }
}
