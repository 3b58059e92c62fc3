//! RSX (pandas-ta `rsx`, length 14), Jurik's smoothed RSI: the 1-bar change of 100 x close and
//! its absolute value, each through three cascades of two EMA-like filters (rate 3 / (length +
//! 2), combined `1.5 a - 0.5 b`), and `50 (smoothed change / smoothed absolute change + 1)`
//! clipped to [0, 100]; 50 while the filters fill (the first `max(length - 1, 5)` bars after the
//! start, or while the absolute change is below 1e-10). Column `RSX_14`.
//!
//! Follows pandas-ta's loop exactly: it starts at bar `length` (the closes before it are not
//! read), writes 50 at bar `length - 1`, and restarts its counter when the close has not changed
//! over the filling bars.

use crate::features::indicators::{Family, Indicator, Memory, Ohlcv};

/// Jurik's relative strength quality index.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rsx {
    /// Period.
    pub length: usize,
}

impl Indicator for Rsx {
    fn family(&self) -> Family {
        Family::Momentum
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("RSX_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={}", self.length)
    }

    fn warm_up(&self) -> usize {
        self.length - 1
    }

    fn memory(&self) -> Memory {
        Memory::Path
    }

    #[allow(clippy::float_cmp)] // pandas-ta's counters are whole numbers held in floats
    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let (c, n) = (x.close, self.length);
        let len = n as f64;
        let mut out = vec![f64::NAN; c.len()];
        if c.len() < n {
            return vec![out];
        }
        out[n - 1] = 50.0;
        // pandas-ta's state, by its names
        let (mut f0, mut f8, mut f18, mut f20, mut f88, mut f90) = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
        let mut f = [0.0f64; 12]; // f28 f30 f38 f40 f48 f50 f58 f60 f68 f70 f78 f80
        let (mut v14, mut v20) = (0.0, 0.0);
        for i in n..c.len() {
            if f90 == 0.0 {
                f90 = 1.0;
                f0 = 0.0;
                f88 = if len - 1.0 >= 5.0 { len - 1.0 } else { 5.0 };
                f8 = 100.0 * c[i];
                f18 = 3.0 / (len + 2.0);
                f20 = 1.0 - f18;
            } else {
                f90 = if f88 <= f90 { f88 + 1.0 } else { f90 + 1.0 };
                let f10 = f8;
                f8 = 100.0 * c[i];
                let v8 = f8 - f10;
                // two filters and their combination, three times over for the change and for
                // its absolute value
                let mut stage = |k: usize, input: f64| -> f64 {
                    f[k] = f20 * f[k] + f18 * input;
                    f[k + 1] = f18 * f[k] + f20 * f[k + 1];
                    1.5 * f[k] - 0.5 * f[k + 1]
                };
                let vc = stage(0, v8);
                let v10 = stage(2, vc);
                v14 = stage(4, v10);
                let v18 = stage(6, v8.abs());
                let v1c = stage(8, v18);
                v20 = stage(10, v1c);
                if f88 >= f90 && f8 != f10 {
                    f0 = 1.0;
                }
                if f88 == f90 && f0 == 0.0 {
                    f90 = 0.0;
                }
            }
            out[i] = if f88 < f90 && v20 > 1e-10 {
                ((v14 / v20 + 1.0) * 50.0).clamp(0.0, 100.0)
            } else {
                50.0
            };
        }
        vec![out]
    }
}
