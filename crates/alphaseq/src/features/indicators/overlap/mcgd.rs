//! MCGD (pandas-ta `mcgd`, length 10, c 1), the McGinley dynamic: starting from the first close,
//! `md += (close - md) / (c length (close / md)^4)`. Column `MCGD_10`. The first row is NaN as in
//! pandas-ta (its rolling pair starts at the second bar); after a missing close it restarts from
//! the next close, as pandas-ta's in-place rolling apply does.

use crate::features::indicators::{Family, Indicator, Memory, Ohlcv};

/// McGinley dynamic.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mcgd {
    /// Period.
    pub length: usize,
    /// Speed constant in (0, 1] (pandas-ta takes others as 1).
    pub c: f64,
}

impl Indicator for Mcgd {
    fn family(&self) -> Family {
        Family::Overlap
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("MCGD_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={} c={}", self.length, self.c)
    }

    fn warm_up(&self) -> usize {
        1
    }

    fn memory(&self) -> Memory {
        Memory::Path
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let k = if self.c > 0.0 && self.c <= 1.0 { self.c } else { 1.0 };
        let mut state = x.close.to_vec();
        let mut out = vec![f64::NAN; state.len()];
        for i in 1..state.len() {
            let (prev, now) = (state[i - 1], state[i]);
            if prev.is_nan() || now.is_nan() {
                continue;
            }
            let d = k * self.length as f64 * (now / prev).powi(4);
            state[i] = prev + (now - prev) / d;
            out[i] = state[i];
        }
        vec![out]
    }
}
