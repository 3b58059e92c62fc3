//! ZSCORE (pandas-ta `zscore`, default length 30): the close's distance from its rolling mean in
//! rolling sample standard deviations (ddof = 1).

use crate::features::indicators::{kernels, talib, Convention, Family, Indicator, Ohlcv};

/// (close - SMA) / rolling sample standard deviation, over `length` bars.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZScore {
    /// Window.
    pub length: usize,
    /// Whose values: pandas-ta's pure-pandas path (default) or with TA-Lib's building blocks
    /// (`"talib"`: the population standard deviation).
    #[serde(default)]
    pub convention: Convention,
}

impl Indicator for ZScore {
    fn family(&self) -> Family {
        Family::Statistics
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("ZS_{}", self.length)]
    }

    fn params(&self) -> String {
        let params = { format!("length={}", self.length) };
        self.convention.named(params)
    }

    fn warm_up(&self) -> usize {
        self.length - 1
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let mean = kernels::rolling_mean(x.close, self.length);
        let sd = talib::std_as(self.convention, x.close, self.length);
        vec![(0..x.close.len()).map(|t| (x.close[t] - mean[t]) / sd[t]).collect()]
    }
}
