//! QUANTILE (pandas-ta `quantile`, length 30, q 0.5): the rolling q-quantile of the close over
//! `length` bars, linearly interpolated between order statistics (pandas' default). Column
//! `QTL_30_0.5`.

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Rolling quantile.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quantile {
    /// Window.
    pub length: usize,
    /// The quantile, in (0, 1) (pandas-ta takes others as 0.5).
    pub q: f64,
}

impl Quantile {
    fn q(&self) -> f64 {
        if self.q > 0.0 && self.q < 1.0 {
            self.q
        } else {
            0.5
        }
    }
}

impl Indicator for Quantile {
    fn family(&self) -> Family {
        Family::Statistics
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("QTL_{}_{:?}", self.length, self.q())]
    }

    fn params(&self) -> String {
        format!("length={} q={}", self.length, self.q)
    }

    fn warm_up(&self) -> usize {
        self.length - 1
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let q = self.q();
        vec![kernels::rolling_sorted(x.close, self.length, |sorted| {
            let at = q * (sorted.len() - 1) as f64;
            let (lo, hi) = (at.floor() as usize, at.ceil() as usize);
            sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo as f64)
        })]
    }
}
