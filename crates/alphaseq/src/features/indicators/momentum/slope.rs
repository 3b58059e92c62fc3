//! SLOPE (pandas-ta `slope`, length 1): (close_t - close_{t-length}) / length.

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Slope of the close.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Slope {
    /// Lag.
    pub length: usize,
}

impl Indicator for Slope {
    fn family(&self) -> Family {
        Family::Momentum
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("SLOPE_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={}", self.length)
    }

    fn warm_up(&self) -> usize {
        self.length
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        vec![kernels::diff(x.close, self.length).iter().map(|d| d / self.length as f64).collect()]
    }
}
