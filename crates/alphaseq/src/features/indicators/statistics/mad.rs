//! MAD (pandas-ta `mad`, length 30): the mean absolute deviation from the window's mean (not the
//! median absolute deviation).

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Rolling mean absolute deviation.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mad {
    /// Window.
    pub length: usize,
}

impl Indicator for Mad {
    fn family(&self) -> Family {
        Family::Statistics
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("MAD_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={}", self.length)
    }

    fn warm_up(&self) -> usize {
        self.length - 1
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        vec![kernels::rolling(x.close, self.length, |w| {
            let n = w.len() as f64;
            let mean = w.iter().sum::<f64>() / n;
            w.iter().map(|v| (v - mean).abs()).sum::<f64>() / n
        })]
    }
}
