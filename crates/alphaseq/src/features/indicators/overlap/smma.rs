//! SMMA (pandas-ta `smma`, length 7), the smoothed moving average: the mean of the first `length`
//! values, then `((length - 1) previous + value) / length` (Wilder's smoothing seeded with an SMA).
//! Column `SMMA_7`.

use crate::features::indicators::{Family, Indicator, Memory, Ohlcv};

/// Smoothed moving average.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Smma {
    /// Window.
    pub length: usize,
}

impl Indicator for Smma {
    fn family(&self) -> Family {
        Family::Overlap
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("SMMA_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={}", self.length)
    }

    fn warm_up(&self) -> usize {
        self.length - 1
    }

    fn memory(&self) -> Memory {
        Memory::rma(self.length, 1)
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let n = self.length;
        let mut out = vec![f64::NAN; x.close.len()];
        if x.close.len() < n {
            return vec![out];
        }
        // the seed is an SMA: NaN when a value of the first window is missing
        out[n - 1] = x.close[..n].iter().sum::<f64>() / n as f64;
        for t in n..x.close.len() {
            out[t] = ((n - 1) as f64 * out[t - 1] + x.close[t]) / n as f64;
        }
        vec![out]
    }
}
