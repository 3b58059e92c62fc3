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
        vec![self.smooth(x.close)]
    }
}

impl Smma {
    /// The SMMA of any series.
    pub fn smooth(&self, x: &[f64]) -> Vec<f64> {
        let n = self.length;
        let mut out = vec![f64::NAN; x.len()];
        if x.len() < n {
            return out;
        }
        // the seed is an SMA: NaN when a value of the first window is missing
        out[n - 1] = x[..n].iter().sum::<f64>() / n as f64;
        for t in n..x.len() {
            out[t] = ((n - 1) as f64 * out[t - 1] + x[t]) / n as f64;
        }
        out
    }
}
