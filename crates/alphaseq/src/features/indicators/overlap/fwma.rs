//! FWMA (pandas-ta `fwma`, length 10): the last `length` values weighted by the Fibonacci numbers
//! 1, 1, 2, 3, 5, ... (the newest heaviest), normalised; pandas-ta's closed form
//! `(phi^k - psi^k) / sqrt 5`. Column `FWMA_10`.

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Fibonacci-weighted moving average.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fwma {
    /// Window.
    pub length: usize,
}

impl Indicator for Fwma {
    fn family(&self) -> Family {
        Family::Overlap
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("FWMA_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={}", self.length)
    }

    fn warm_up(&self) -> usize {
        self.length - 1
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let sqrt5 = 5f64.sqrt();
        let (phi, psi) = (0.5 * (1.0 + sqrt5), 0.5 * (1.0 - sqrt5));
        // pandas-ta makes at least two weights; a window of 1 uses the first
        let count = self.length.max(2);
        let fib: Vec<f64> =
            (1..=count as i32).map(|k| (phi.powi(k) - psi.powi(k)) / sqrt5).collect();
        let total: f64 = fib.iter().sum();
        let w: Vec<f64> = fib[..self.length].iter().map(|v| v / total).collect();
        vec![kernels::weighted_window(x.close, &w)]
    }
}
