//! MEDIAN (pandas-ta `median`, length 30): the rolling median of the close.

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Rolling median of the close.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Median {
    /// Window.
    pub length: usize,
}

impl Indicator for Median {
    fn family(&self) -> Family {
        Family::Statistics
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("MEDIAN_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={}", self.length)
    }

    fn warm_up(&self) -> usize {
        self.length - 1
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        vec![kernels::rolling_median(x.close, self.length)]
    }
}
