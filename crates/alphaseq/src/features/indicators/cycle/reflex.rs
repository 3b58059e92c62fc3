//! REFLEX (pandas-ta `reflex`, length 20, smooth 20, alpha 0.04), Ehlers' reflex: as
//! [`trendflex`](crate::features::indicators::trend::trendflex), each lag's rise of the smoothed
//! close corrected by the straight line from `length` bars ago. Column `REFLEX_20_20_0.04`; the
//! first `length` rows NaN.

use crate::features::indicators::trend::trendflex::flex;
use crate::features::indicators::{Family, Indicator, Memory, Ohlcv};

/// Ehlers' reflex.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reflex {
    /// Lags averaged.
    pub length: usize,
    /// Super smoother period.
    pub smooth: usize,
    /// Rate of the mean square's EWM.
    pub alpha: f64,
}

impl Indicator for Reflex {
    fn family(&self) -> Family {
        Family::Cycle
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("REFLEX_{}_{}_{:?}", self.length, self.smooth, self.alpha)]
    }

    fn params(&self) -> String {
        format!("length={} smooth={} alpha={}", self.length, self.smooth, self.alpha)
    }

    fn warm_up(&self) -> usize {
        self.length
    }

    fn memory(&self) -> Memory {
        Memory::Path
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        vec![flex(x.close, self.length, self.smooth, self.alpha, true)]
    }
}
