//! STDEV (pandas-ta `stdev`, length 30): the rolling sample standard deviation (ddof 1). TA-Lib's
//! `STDDEV` uses ddof 0.

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Rolling sample standard deviation of the close.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stdev {
    /// Window.
    pub length: usize,
}

impl Indicator for Stdev {
    fn family(&self) -> Family {
        Family::Statistics
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("STDEV_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={}", self.length)
    }

    fn warm_up(&self) -> usize {
        self.length - 1
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        vec![kernels::rolling_std(x.close, self.length)]
    }
}
