//! STOCHF (pandas-ta `stochf`, k 14, d 3), the fast stochastic: %K = 100 (close - lowest low) /
//! (highest high - lowest low) over k bars, unsmoothed, and %D its SMA(d). Columns
//! `STOCHFk_14_3`, `STOCHFd_14_3`.

use crate::features::indicators::momentum::stoch::Stoch;
use crate::features::indicators::{Family, Indicator, Ohlcv};

/// Fast stochastic oscillator.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stochf {
    /// Look-back of %K.
    pub k: usize,
    /// Smoothing of %D.
    pub d: usize,
}

impl Indicator for Stochf {
    fn family(&self) -> Family {
        Family::Momentum
    }

    fn columns(&self) -> Vec<String> {
        let s = format!("{}_{}", self.k, self.d);
        vec![format!("STOCHFk_{s}"), format!("STOCHFd_{s}")]
    }

    fn params(&self) -> String {
        format!("k={} d={}", self.k, self.d)
    }

    fn warm_up(&self) -> usize {
        self.k + self.d - 2
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        // the slow stochastic with %K unsmoothed
        let mut cols = Stoch { k: self.k, d: self.d, smooth_k: 1 }.compute(x);
        cols.truncate(2);
        cols
    }
}
