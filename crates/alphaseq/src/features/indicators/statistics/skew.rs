//! SKEW (pandas-ta `skew`, length 30): pandas' rolling skewness, the adjusted Fisher-Pearson
//! coefficient sqrt(n (n-1)) / (n-2) * m3 / m2^1.5 (NaN for a flat window).

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Rolling skewness of the close.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Skew {
    /// Window.
    pub length: usize,
}

impl Indicator for Skew {
    fn family(&self) -> Family {
        Family::Statistics
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("SKEW_{}", self.length)]
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
            let [m2, m3, _] = kernels::central_moments(w);
            if m2 <= 1e-14 {
                f64::NAN
            } else {
                (n * (n - 1.0)).sqrt() / (n - 2.0) * m3 / m2.powf(1.5)
            }
        })]
    }
}
