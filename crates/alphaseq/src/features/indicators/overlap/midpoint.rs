//! MIDPOINT (pandas-ta `midpoint`, length 2): the middle of the close's range over `length` bars.
//! Agrees with TA-Lib `MIDPOINT`.

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Midpoint of the close.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Midpoint {
    /// Window.
    pub length: usize,
}

impl Indicator for Midpoint {
    fn family(&self) -> Family {
        Family::Overlap
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("MIDPOINT_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={}", self.length)
    }

    fn warm_up(&self) -> usize {
        self.length - 1
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        vec![kernels::rolling(x.close, self.length, |w| {
            0.5 * (w.iter().copied().fold(f64::INFINITY, f64::min)
                + w.iter().copied().fold(f64::NEG_INFINITY, f64::max))
        })]
    }
}
