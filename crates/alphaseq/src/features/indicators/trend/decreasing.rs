//! DEC (pandas-ta `decreasing`, length 1): 1 when the close fell over `length` bars, else 0. Column
//! `DEC_1`. Follows pandas-ta: the first `length` rows, without a change to compare, are 0
//! (placeholders), not undefined.

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Whether the close fell.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decreasing {
    /// Bars the change is measured over.
    pub length: usize,
}

impl Indicator for Decreasing {
    fn family(&self) -> Family {
        Family::Trend
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("DEC_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={}", self.length)
    }

    fn warm_up(&self) -> usize {
        0
    }

    fn placeholder_rows(&self) -> usize {
        self.length
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let change = kernels::diff(x.close, self.length);
        vec![change.iter().map(|d| if *d < 0.0 { 1.0 } else { 0.0 }).collect()]
    }
}
