//! WMA (pandas-ta `wma`): weights 1..=length on the last `length` closes (newest heaviest),
//! divided by length (length + 1) / 2. Agrees with TA-Lib `WMA`.

use crate::features::indicators::{Family, Indicator, Ohlcv};

/// Linearly weighted moving average of the close over `length` bars.
#[derive(Debug, Clone, Copy)]
pub struct Wma {
    /// Window.
    pub length: usize,
}

impl Indicator for Wma {
    fn family(&self) -> Family {
        Family::Overlap
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("WMA_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={}", self.length)
    }

    fn warm_up(&self) -> usize {
        self.length - 1
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let n = self.length;
        let c = x.close;
        let scale = 2.0 / (n * n + n) as f64;
        let mut out = vec![f64::NAN; c.len()];
        for t in n.saturating_sub(1)..c.len() {
            let s: f64 = (0..n).map(|k| (k + 1) as f64 * c[t + 1 - n + k]).sum();
            out[t] = s * scale;
        }
        vec![out]
    }
}
