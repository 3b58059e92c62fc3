//! ER (pandas-ta `er`, length 10), Kaufman's efficiency ratio: |close_t - close_{t-length}| over
//! the sum of the absolute one-bar changes in between.

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Efficiency ratio.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Er {
    /// Window.
    pub length: usize,
}

impl Indicator for Er {
    fn family(&self) -> Family {
        Family::Momentum
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("ER_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={}", self.length)
    }

    fn warm_up(&self) -> usize {
        self.length
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let change: Vec<f64> =
            kernels::diff(x.close, self.length).iter().map(|d| d.abs()).collect();
        let path = kernels::rolling_sum(
            &kernels::diff(x.close, 1).iter().map(|d| d.abs()).collect::<Vec<f64>>(),
            self.length,
        );
        vec![change.iter().zip(&path).map(|(a, b)| a / b).collect()]
    }
}
