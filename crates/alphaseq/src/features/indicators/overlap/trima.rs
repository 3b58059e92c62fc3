//! TRIMA (pandas-ta `trima`, length 10): the SMA of the SMA, both over round((length + 1) / 2)
//! bars (Python's round: halves to even). TA-Lib's TRIMA weights differently for even lengths.

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Triangular moving average.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trima {
    /// Window.
    pub length: usize,
}

impl Indicator for Trima {
    fn family(&self) -> Family {
        Family::Overlap
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("TRIMA_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={}", self.length)
    }

    fn warm_up(&self) -> usize {
        2 * self.half() - 2
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let h = self.half();
        vec![kernels::rolling_mean(&kernels::rolling_mean(x.close, h), h)]
    }
}

impl Trima {
    /// round((length + 1) / 2), rounding halves to even as Python does.
    fn half(&self) -> usize {
        let v = 0.5 * (self.length as f64 + 1.0);
        let r = v.round_ties_even();
        r as usize
    }
}
