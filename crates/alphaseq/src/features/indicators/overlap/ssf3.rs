//! SSF3 (pandas-ta `ssf3`, length 20), Ehlers' three-pole super smoother filter:
//! `y[t] = d1 x[t] + d2 y[t-1] + d3 y[t-2] + d4 y[t-3]` from the fourth bar, the first three the
//! close itself, with `a = exp(-pi / length)`, `b = 2 a cos(-pi sqrt3 / length)`, `c = a^2`,
//! `d4 = c^2`, `d3 = -c (1 + b)`, `d2 = b + c`, `d1 = 1 - d2 - d3 - d4`. Column `SSF3_20`.
//! pi and sqrt 3 are pandas-ta's 3.14159 and 1.732.

use crate::features::indicators::{kernels, Family, Indicator, Memory, Ohlcv};

/// Three-pole super smoother filter.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ssf3 {
    /// Period.
    pub length: usize,
}

impl Indicator for Ssf3 {
    fn family(&self) -> Family {
        Family::Overlap
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("SSF3_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={}", self.length)
    }

    fn warm_up(&self) -> usize {
        0
    }

    fn memory(&self) -> Memory {
        // poles of modulus a (and a^2): the start's effect decays like a^k times a polynomial
        Memory::Recursive { decay: (-kernels::PANDAS_TA_PI / self.length as f64).exp(), depth: 3 }
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let n = self.length as f64;
        let a = (-kernels::PANDAS_TA_PI / n).exp();
        let b = 2.0 * a * (-kernels::PANDAS_TA_PI * kernels::PANDAS_TA_SQRT3 / n).cos();
        let c = a * a;
        let d4 = c * c;
        let d3 = -c * (1.0 + b);
        let d2 = b + c;
        let d1 = 1.0 - d2 - d3 - d4;
        let mut y = x.close.to_vec();
        for i in 3..y.len() {
            y[i] = d1 * x.close[i] + d2 * y[i - 1] + d3 * y[i - 2] + d4 * y[i - 3];
        }
        vec![y]
    }
}
