//! CKSP (pandas-ta `cksp`, p 10, x 3, q 20), the Chande Kroll stop: the long stop is the highest
//! over q bars of `highest high over p - x ATR(p)`, the short stop the lowest over q bars of
//! `lowest low over p + x ATR(p)`, with Wilder's ATR (pandas-ta's default `tvmode`). Columns
//! `CKSPl_10_3_20`, `CKSPs_10_3_20`.
//!
//! pandas-ta picks x = 3 and q = 20 (the book's) unless `tvmode = True` is passed, but Wilder's ATR
//! (TradingView's) because its `tvmode` defaults to True: that mix is what `study("All")` writes,
//! followed.

use crate::features::indicators::volatility::atr::Atr;
use crate::features::indicators::{kernels, Convention, Family, Indicator, Memory, Ohlcv};

/// Chande Kroll stop.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cksp {
    /// ATR and extreme window.
    pub p: usize,
    /// ATR multiple.
    pub x: f64,
    /// Window of the stops' extremes.
    pub q: usize,
    /// Whose values: pandas-ta's pure-pandas path (default) or with TA-Lib's ATR (`"talib"`).
    #[serde(default)]
    pub convention: Convention,
}

impl Indicator for Cksp {
    fn family(&self) -> Family {
        Family::Trend
    }

    fn columns(&self) -> Vec<String> {
        let s = format!("{}_{}_{}", self.p, self.x, self.q);
        vec![format!("CKSPl_{s}"), format!("CKSPs_{s}")]
    }

    fn params(&self) -> String {
        let params = { format!("p={} x={} q={}", self.p, self.x, self.q) };
        self.convention.named(params)
    }

    fn warm_up(&self) -> usize {
        Atr { length: self.p, convention: self.convention }.warm_up().max(self.p - 1) + self.q - 1
    }

    fn memory(&self) -> Memory {
        Atr { length: self.p, convention: self.convention }.memory()
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let atr = Atr { length: self.p, convention: self.convention }.compute(x).remove(0);
        let high = kernels::rolling_max(x.high, self.p);
        let low = kernels::rolling_min(x.low, self.p);
        let long: Vec<f64> = (0..atr.len()).map(|t| high[t] - self.x * atr[t]).collect();
        let short: Vec<f64> = (0..atr.len()).map(|t| low[t] + self.x * atr[t]).collect();
        vec![kernels::rolling_max(&long, self.q), kernels::rolling_min(&short, self.q)]
    }
}
