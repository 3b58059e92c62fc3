//! KAMA (pandas-ta `kama`, length 10, fast 2, slow 30), Kaufman's adaptive moving average: the
//! efficiency ratio `er = |close - close[length ago]| / sum of |1-bar changes| over length` sets
//! the rate `sc = (er (2/(fast+1) - 2/(slow+1)) + 2/(slow+1))^2`; KAMA starts at the SMA of the
//! first `length` closes and moves `sc` of the way to each close. Column `KAMA_10_2_30`.
//! The differences use pandas-ta's `non_zero_range` in its causal form (see
//! [`kernels::non_zero_range`]).

use crate::features::indicators::{kernels, Family, Indicator, Memory, Ohlcv};

/// Kaufman's adaptive moving average.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Kama {
    /// Efficiency-ratio window.
    pub length: usize,
    /// Span of the fastest rate.
    pub fast: usize,
    /// Span of the slowest rate.
    pub slow: usize,
}

impl Indicator for Kama {
    fn family(&self) -> Family {
        Family::Overlap
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("KAMA_{}_{}_{}", self.length, self.fast, self.slow)]
    }

    fn params(&self) -> String {
        format!("length={} fast={} slow={}", self.length, self.fast, self.slow)
    }

    fn warm_up(&self) -> usize {
        self.length - 1
    }

    fn memory(&self) -> Memory {
        Memory::Path
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let (c, n) = (x.close, self.length);
        let m = c.len();
        let mut out = vec![f64::NAN; m];
        if m < n {
            return vec![out];
        }
        let abs_range = |lag: usize| -> Vec<f64> {
            kernels::non_zero_range(c, &kernels::shift(c, lag)).iter().map(|v| v.abs()).collect()
        };
        let change = abs_range(n);
        let path = kernels::rolling_sum(&abs_range(1), n);
        let fr = 2.0 / (self.fast as f64 + 1.0);
        let sr = 2.0 / (self.slow as f64 + 1.0);
        out[n - 1] = c[..n].iter().sum::<f64>() / n as f64;
        for t in n..m {
            let sc = (change[t] / path[t] * (fr - sr) + sr).powi(2);
            out[t] = sc * c[t] + (1.0 - sc) * out[t - 1];
        }
        vec![out]
    }
}
