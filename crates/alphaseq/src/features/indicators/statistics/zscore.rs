//! ZSCORE (pandas-ta `zscore`, default length 30): the close's distance from its rolling mean in
//! rolling sample standard deviations (ddof = 1).

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// (close - SMA) / rolling sample standard deviation, over `length` bars.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZScore {
    /// Window.
    pub length: usize,
}

impl Indicator for ZScore {
    fn family(&self) -> Family {
        Family::Statistics
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("ZS_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={}", self.length)
    }

    fn warm_up(&self) -> usize {
        self.length - 1
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let mean = kernels::rolling_mean(x.close, self.length);
        let sd = kernels::rolling_std(x.close, self.length);
        vec![(0..x.close.len()).map(|t| (x.close[t] - mean[t]) / sd[t]).collect()]
    }
}
