//! CTI (pandas-ta `cti`, length 12), Ehlers' correlation trend indicator: the Pearson correlation of
//! the last `length` closes with time (pandas-ta `linreg(r=True)`, with machine epsilon for a zero
//! denominator).

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Correlation trend indicator.
#[derive(Debug, Clone, Copy)]
pub struct Cti {
    /// Window.
    pub length: usize,
}

impl Indicator for Cti {
    fn family(&self) -> Family {
        Family::Momentum
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("CTI_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={}", self.length)
    }

    fn warm_up(&self) -> usize {
        self.length - 1
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        vec![self.compute_close(x.close)]
    }
}

impl Cti {
    /// The indicator of a close series.
    pub fn compute_close(&self, close: &[f64]) -> Vec<f64> {
        let n = self.length as f64;
        let x_sum = 0.5 * n * (n + 1.0);
        let x2_sum = x_sum * (2.0 * n + 1.0) / 3.0;
        let divisor = n * x2_sum - x_sum * x_sum;
        kernels::rolling(close, self.length, |w| {
            let y_sum: f64 = w.iter().sum();
            let xy_sum: f64 = w.iter().enumerate().map(|(k, y)| (k + 1) as f64 * y).sum();
            let y2_sum: f64 = w.iter().map(|y| y * y).sum();
            let rn = n * xy_sum - x_sum * y_sum;
            let mut rd = (divisor * (n * y2_sum - y_sum * y_sum)).sqrt();
            if rd.abs() < f64::EPSILON {
                rd = f64::EPSILON;
            }
            rn / rd
        })
    }
}
