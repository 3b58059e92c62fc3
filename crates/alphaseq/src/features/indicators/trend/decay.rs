//! DECAY (pandas-ta `decay`, length 1, mode "linear"): `max(0, close, previous - 1 / length)`
//! from the first close, a signal that decays linearly unless renewed. Column `LDECAY_1`. (On
//! prices this is mostly the close itself; pandas-ta meant it for signals.)

use crate::features::indicators::{Family, Indicator, Memory, Ohlcv};

/// Linear decay.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decay {
    /// Bars to decay by 1.
    pub length: usize,
}

impl Indicator for Decay {
    fn family(&self) -> Family {
        Family::Trend
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("LDECAY_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={}", self.length)
    }

    fn warm_up(&self) -> usize {
        0
    }

    fn memory(&self) -> Memory {
        Memory::Path
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let rate = 1.0 / self.length as f64;
        let mut out = x.close.to_vec();
        for i in 1..out.len() {
            // Python's max(0, a, b): each later argument replaces the best only if greater, so a
            // NaN argument is passed over
            let mut best = 0.0;
            for v in [x.close[i], out[i - 1] - rate] {
                if v > best {
                    best = v;
                }
            }
            out[i] = best;
        }
        vec![out]
    }
}
