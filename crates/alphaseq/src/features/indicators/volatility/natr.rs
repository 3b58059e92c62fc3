//! NATR (pandas-ta `natr`): 100 / close * ATR, where pandas-ta's NATR smooths the true range with
//! an (SMA-seeded) EMA by default (`mamode="ema"`), not with the RMA its own ATR uses. TA-Lib's
//! `NATR` uses Wilder's smoothing, so the two differ; alphaseq follows pandas-ta.

use crate::features::indicators::{kernels, talib, Convention, Family, Indicator, Memory, Ohlcv};

/// Normalised average true range, in percent of the close.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Natr {
    /// Window.
    pub length: usize,
    /// Whose values: pandas-ta's pure-pandas path (default) or TA-Lib's (`"talib"`).
    #[serde(default)]
    pub convention: Convention,
}

impl Indicator for Natr {
    fn family(&self) -> Family {
        Family::Volatility
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("NATR_{}", self.length)]
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
        match self.convention {
            Convention::PandasTa => Memory::ema(self.length, 1),
            // TA-Lib's ATR is Wilder's
            Convention::Talib => Memory::rma(self.length, 1),
        }
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        if self.convention == Convention::Talib {
            return vec![talib::natr(x.high, x.low, x.close, self.length)];
        }
        let tr = super::true_range::true_range(x);
        let atr = kernels::ema(&kernels::sma_seeded(&tr, self.length), self.length);
        vec![atr.iter().zip(x.close).map(|(a, c)| 100.0 / c * a).collect()]
    }
}
