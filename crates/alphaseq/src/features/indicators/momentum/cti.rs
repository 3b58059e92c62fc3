//! CTI (pandas-ta `cti`, length 12), Ehlers' correlation trend indicator: the Pearson correlation of
//! the last `length` closes with time (pandas-ta `linreg(r=True)`, with machine epsilon for a zero
//! denominator).

use crate::features::indicators::{Family, Indicator, Ohlcv};

/// Correlation trend indicator.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
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

/// Sliding sums are recomputed from the window every this many bars, so rounding cannot drift.
const RESYNC: usize = 32;

impl Cti {
    /// The indicator of a close series: O(1) per bar, with the window's sums of y, y^2 and k y
    /// slid (k y loses one y per step) and recomputed exactly every few bars.
    pub fn compute_close(&self, close: &[f64]) -> Vec<f64> {
        let len = self.length;
        let n = len as f64;
        let x_sum = 0.5 * n * (n + 1.0);
        let x2_sum = x_sum * (2.0 * n + 1.0) / 3.0;
        let divisor = n * x2_sum - x_sum * x_sum;
        let mut out = vec![f64::NAN; close.len()];
        let (mut y_sum, mut y2_sum, mut xy_sum) = (0.0, 0.0, 0.0);
        let mut fresh = 0usize; // complete windows since the last exact recomputation
        let mut present = 0usize;
        for t in 0..close.len() {
            present = if close[t].is_nan() { 0 } else { present + 1 };
            if present < len {
                fresh = 0;
                continue;
            }
            let w = &close[t + 1 - len..=t];
            if fresh == 0 || fresh.is_multiple_of(RESYNC) {
                y_sum = w.iter().sum();
                xy_sum = w.iter().enumerate().map(|(k, y)| (k + 1) as f64 * y).sum();
                y2_sum = w.iter().map(|y| y * y).sum();
            } else {
                let (old, new) = (close[t - len], close[t]);
                xy_sum += n * new - y_sum;
                y_sum += new - old;
                y2_sum += new * new - old * old;
            }
            fresh += 1;
            let rn = n * xy_sum - x_sum * y_sum;
            let mut rd = (divisor * (n * y2_sum - y_sum * y_sum)).sqrt();
            if rd.abs() < f64::EPSILON {
                rd = f64::EPSILON;
            }
            out[t] = rn / rd;
        }
        out
    }
}
