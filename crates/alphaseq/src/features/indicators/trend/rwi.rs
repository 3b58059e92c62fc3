//! RWI (pandas-ta `rwi`, length 14), the random walk index: `(high - low length bars ago)` and
//! `(high length bars ago - low)`, each over `ATR(length) sqrt(length)` (Wilder's ATR). Columns
//! `RWIh_14`, `RWIl_14`.

use crate::features::indicators::volatility::atr::Atr;
use crate::features::indicators::{kernels, Convention, Family, Indicator, Memory, Ohlcv};

/// Random walk index.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rwi {
    /// Look-back.
    pub length: usize,
    /// Whose values: pandas-ta's pure-pandas path (default) or with TA-Lib's ATR (`"talib"`).
    #[serde(default)]
    pub convention: Convention,
}

impl Indicator for Rwi {
    fn family(&self) -> Family {
        Family::Trend
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("RWIh_{}", self.length), format!("RWIl_{}", self.length)]
    }

    fn params(&self) -> String {
        let params = { format!("length={}", self.length) };
        self.convention.named(params)
    }

    fn warm_up(&self) -> usize {
        self.length.max(Atr { length: self.length, convention: self.convention }.warm_up())
    }

    fn memory(&self) -> Memory {
        Atr { length: self.length, convention: self.convention }.memory()
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let n = self.length;
        let atr = Atr { length: n, convention: self.convention }.compute(x).remove(0);
        let denominator: Vec<f64> = atr.iter().map(|a| a * (n as f64).powf(0.5)).collect();
        let (low_then, high_then) = (kernels::shift(x.low, n), kernels::shift(x.high, n));
        let up = (0..atr.len()).map(|t| (x.high[t] - low_then[t]) / denominator[t]).collect();
        let down = (0..atr.len()).map(|t| (high_then[t] - x.low[t]) / denominator[t]).collect();
        vec![up, down]
    }
}
