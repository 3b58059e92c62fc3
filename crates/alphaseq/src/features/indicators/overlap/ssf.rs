//! SSF (pandas-ta `ssf`, length 20), Ehlers' two-pole super smoother filter:
//! `y[t] = c/2 (x[t] + x[t-1]) + b y[t-1] - a^2 y[t-2]` from the third bar, the first two bars
//! the close itself, with `a = exp(-pi sqrt2 / length)`, `b = 2 a cos(180 sqrt2 / length)`,
//! `c = a^2 - b + 1`. Column `SSF_20`.
//!
//! Follows pandas-ta knowingly where it departs from Ehlers: pi and sqrt 2 are pandas-ta's
//! 3.14159 and 1.414, and the cosine's argument is Ehlers' 180 degrees taken as radians.

use crate::features::indicators::{kernels, Family, Indicator, Memory, Ohlcv};

/// Super smoother filter.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ssf {
    /// Period.
    pub length: usize,
}

impl Indicator for Ssf {
    fn family(&self) -> Family {
        Family::Overlap
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("SSF_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={}", self.length)
    }

    fn warm_up(&self) -> usize {
        0
    }

    fn memory(&self) -> Memory {
        // poles of modulus a (and a^2): the start's effect decays like a^k times a polynomial
        Memory::Recursive {
            decay: (-kernels::PANDAS_TA_PI * kernels::PANDAS_TA_SQRT2 / self.length as f64).exp(),
            depth: 2,
        }
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let ratio = kernels::PANDAS_TA_SQRT2 / self.length as f64;
        let a = (-kernels::PANDAS_TA_PI * ratio).exp();
        let b = 2.0 * a * (180.0 * ratio).cos();
        let c = a * a - b + 1.0;
        let mut y = x.close.to_vec();
        for i in 2..y.len() {
            y[i] = 0.5 * c * (x.close[i] + x.close[i - 1]) + b * y[i - 1] - a * a * y[i - 2];
        }
        vec![y]
    }
}
