//! SINWMA (pandas-ta `sinwma`, length 14): the last `length` values weighted by
//! `sin((i + 1) pi / (length + 1))`, i = 0 for the oldest (heaviest in the middle), normalised.
//! Column `SINWMA_14`.

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Sine-weighted moving average.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sinwma {
    /// Window.
    pub length: usize,
}

impl Indicator for Sinwma {
    fn family(&self) -> Family {
        Family::Overlap
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("SINWMA_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={}", self.length)
    }

    fn warm_up(&self) -> usize {
        self.length - 1
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let step = std::f64::consts::PI / (self.length as f64 + 1.0);
        let sines: Vec<f64> = (0..self.length).map(|i| ((i + 1) as f64 * step).sin()).collect();
        let total: f64 = sines.iter().sum();
        let w: Vec<f64> = sines.iter().map(|v| v / total).collect();
        vec![kernels::weighted_window(x.close, &w)]
    }
}
