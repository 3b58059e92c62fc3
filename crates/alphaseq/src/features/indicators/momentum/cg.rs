//! CG (pandas-ta `cg`, length 10), Ehlers' center of gravity: `-sum(i x[i]) / sum(x[i])` over the
//! last `length` closes, i = 1 for the oldest. Column `CG_10`.

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Center of gravity.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cg {
    /// Window.
    pub length: usize,
}

impl Indicator for Cg {
    fn family(&self) -> Family {
        Family::Momentum
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("CG_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={}", self.length)
    }

    fn warm_up(&self) -> usize {
        self.length - 1
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let w: Vec<f64> = (1..=self.length).map(|i| i as f64).collect();
        let numerator = kernels::weighted_window(x.close, &w);
        let sum = kernels::rolling_sum(x.close, self.length);
        vec![numerator.iter().zip(&sum).map(|(n, s)| -n / s).collect()]
    }
}
