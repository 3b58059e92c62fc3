//! PSL (pandas-ta `psl`, length 12, no open), the psychological line: the percentage of the last
//! `length` bars whose close rose. pandas-ta counts a bar without a change (the first bar, or one
//! next to a missing close) as not rising, so the line is defined from bar length-1.

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Psychological line.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Psl {
    /// Window.
    pub length: usize,
}

impl Indicator for Psl {
    fn family(&self) -> Family {
        Family::Momentum
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("PSL_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={}", self.length)
    }

    fn warm_up(&self) -> usize {
        self.length - 1
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let up: Vec<f64> =
            kernels::diff(x.close, 1).iter().map(|d| if *d > 0.0 { 1.0 } else { 0.0 }).collect();
        let n = self.length as f64;
        vec![kernels::rolling_sum(&up, self.length).iter().map(|s| 100.0 * s / n).collect()]
    }
}
