//! ATR (pandas-ta `atr`, mamode rma, presma): the true range's mean over the first `length` bars
//! at bar length-1, then `ewm(alpha = 1 / length, adjust=False)`. Column `ATRr_14` (r for rma).
//! Converges to TA-Lib `ATR` but does not equal it: TA-Lib seeds from the true ranges of bars
//! 1..=length, pandas-ta from bars 0..length-1 (bar 0 is high - low), and the gap decays by
//! (length - 1) / length a bar (relative 1e-5 to 1e-4 after 100 bars; see
//! tools/oracles/talib_agreement.py).

use crate::features::indicators::{kernels, talib, Convention, Family, Indicator, Memory, Ohlcv};

/// Average true range: Wilder's moving average (RMA) of the true range, seeded with an SMA.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Atr {
    /// Window.
    pub length: usize,
    /// Whose values: pandas-ta's pure-pandas path (default) or TA-Lib's (`"talib"`).
    #[serde(default)]
    pub convention: Convention,
}

impl Atr {
    /// pandas-ta's ATR (Wilder's smoothing of the true range) over `length` bars.
    pub fn new(length: usize) -> Atr {
        Atr { length, convention: Convention::PandasTa }
    }
}

impl Indicator for Atr {
    fn family(&self) -> Family {
        Family::Volatility
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("ATRr_{}", self.length)]
    }

    fn params(&self) -> String {
        let params = { format!("length={}", self.length) };
        self.convention.named(params)
    }

    fn warm_up(&self) -> usize {
        if self.convention == Convention::Talib {
            return self.length;
        }
        self.length - 1
    }

    fn memory(&self) -> Memory {
        Memory::rma(self.length, 1)
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        if self.convention == Convention::Talib {
            return vec![talib::atr(x.high, x.low, x.close, self.length)];
        }
        let tr = super::true_range::true_range(x);
        vec![kernels::ewm_mean(&kernels::sma_seeded(&tr, self.length), 1.0 / self.length as f64)]
    }
}
