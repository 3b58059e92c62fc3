//! SWMA (pandas-ta `swma`, length 10): the last `length` values weighted by a symmetric triangle
//! (1, 2, ..., 2, 1; for 10: 1 2 3 4 5 5 4 3 2 1), normalised. Column `SWMA_10`.

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Symmetric-weighted moving average.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Swma {
    /// Window.
    pub length: usize,
}

impl Indicator for Swma {
    fn family(&self) -> Family {
        Family::Overlap
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("SWMA_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={}", self.length)
    }

    fn warm_up(&self) -> usize {
        self.length - 1
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        vec![self.smooth(x.close)]
    }
}

impl Swma {
    /// The SWMA of any series (pandas-ta `swma(x, length)`).
    pub fn smooth(&self, x: &[f64]) -> Vec<f64> {
        let n = self.length;
        // pandas-ta has no triangle for a window of 1 (it fails); alphaseq's is the value itself
        let triangle: Vec<f64> = (0..n).map(|i| (i.min(n - 1 - i) + 1) as f64).collect();
        let total: f64 = triangle.iter().sum();
        let w: Vec<f64> = triangle.iter().map(|v| v / total).collect();
        kernels::weighted_window(x, &w)
    }
}
