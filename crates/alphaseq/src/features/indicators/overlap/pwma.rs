//! PWMA (pandas-ta `pwma`, length 10): the last `length` values weighted by row `length - 1` of
//! Pascal's triangle (binomial weights, heaviest in the middle), normalised. Column `PWMA_10`.

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Pascal-weighted moving average.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pwma {
    /// Window.
    pub length: usize,
}

impl Indicator for Pwma {
    fn family(&self) -> Family {
        Family::Overlap
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("PWMA_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={}", self.length)
    }

    fn warm_up(&self) -> usize {
        self.length - 1
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let n = self.length - 1;
        // C(n, i), exact in f64 for any window a price series allows
        let mut row = vec![1.0f64; n + 1];
        for i in 1..=n {
            row[i] = row[i - 1] * (n + 1 - i) as f64 / i as f64;
        }
        let total: f64 = row.iter().sum();
        let w: Vec<f64> = row.iter().map(|v| v / total).collect();
        vec![kernels::weighted_window(x.close, &w)]
    }
}
