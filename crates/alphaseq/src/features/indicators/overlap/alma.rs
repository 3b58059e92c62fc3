//! ALMA (pandas-ta `alma`, length 9, sigma 6, distribution_offset 0.85), the Arnaud Legoux moving
//! average: a Gaussian-weighted mean of the last `length` values, the weights
//! `exp(-(sigma / length (i - k))^2 / 2)` centred at `k = floor(offset (length - 1))` (towards the
//! newest value) and normalised. Column `ALMA_9_6.0_0.85`.

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Arnaud Legoux moving average.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Alma {
    /// Window.
    pub length: usize,
    /// Sharpness of the Gaussian (larger: narrower).
    pub sigma: f64,
    /// Where in the window the Gaussian peaks, 0 (oldest) to 1 (newest).
    pub distribution_offset: f64,
}

impl Indicator for Alma {
    fn family(&self) -> Family {
        Family::Overlap
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("ALMA_{}_{:?}_{:?}", self.length, self.sigma, self.distribution_offset)]
    }

    fn params(&self) -> String {
        format!(
            "length={} sigma={} distribution_offset={}",
            self.length, self.sigma, self.distribution_offset
        )
    }

    fn warm_up(&self) -> usize {
        self.length - 1
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let n = self.length as f64;
        // pandas-ta takes offsets outside [0, 1] as its default 0.85
        let offset = if (0.0..=1.0).contains(&self.distribution_offset) {
            self.distribution_offset
        } else {
            0.85
        };
        let k = (offset * (n - 1.0)).floor();
        let w: Vec<f64> = (0..self.length)
            .map(|i| (-0.5 * (self.sigma / n * (i as f64 - k)).powi(2)).exp())
            .collect();
        let total: f64 = w.iter().sum();
        let w: Vec<f64> = w.iter().map(|v| v / total).collect();
        vec![kernels::weighted_window(x.close, &w)]
    }
}
