//! BIAS (pandas-ta `bias`, length 26, SMA): close / SMA - 1.

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Bias of the close against its moving average.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bias {
    /// Window.
    pub length: usize,
}

impl Indicator for Bias {
    fn family(&self) -> Family {
        Family::Momentum
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("BIAS_SMA_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={}", self.length)
    }

    fn warm_up(&self) -> usize {
        self.length - 1
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let ma = kernels::rolling_mean(x.close, self.length);
        vec![x.close.iter().zip(&ma).map(|(c, m)| c / m - 1.0).collect()]
    }
}
