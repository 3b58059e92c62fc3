//! NVI (pandas-ta `nvi`, length 1, initial 1000), the negative volume index: 1000 at the first bar
//! plus the running sum of the `length`-bar rate of change (in percent) over the bars whose volume
//! fell. Column `NVI_1`.
//!
//! Follows pandas-ta knowingly: the index adds percentages where the textbook NVI compounds them,
//! and a missing rate of change (a missing close) adds 0.

use crate::features::indicators::volume::kvo::signed_series;
use crate::features::indicators::{Family, Indicator, Memory, Ohlcv};

/// Negative volume index.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Nvi {
    /// Rate-of-change window.
    pub length: usize,
    /// The index's first value.
    pub initial: usize,
}

impl Indicator for Nvi {
    fn family(&self) -> Family {
        Family::Volume
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("NVI_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={} initial={}", self.length, self.initial)
    }

    fn warm_up(&self) -> usize {
        0
    }

    fn memory(&self) -> Memory {
        Memory::Cumulative
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let (c, n) = (x.close, self.length);
        let sign = signed_series(x.volume);
        let mut total = 0.0;
        let out = (0..c.len())
            .map(|t| {
                let step = if t == 0 {
                    self.initial as f64
                } else if sign[t] < 0.0 && t >= n {
                    100.0 * (c[t] - c[t - n]) / c[t - n]
                } else {
                    0.0
                };
                if !step.is_nan() {
                    total += step;
                }
                total
            })
            .collect();
        vec![out]
    }
}
