//! PVI (pandas-ta `pvi`, length 255, initial 100), the positive volume index, as pandas-ta 0.4
//! computes it, and its EMA(length). Columns `PVI`, `PVIe_255`.
//!
//! Follows pandas-ta knowingly although it is not the textbook index: its loop reads
//! `result[i - i]`, the first value, where the previous one is meant, so PVI is `initial x close /
//! previous close` on bars whose volume rose and `initial` otherwise (the textbook PVI compounds
//! those ratios). pandas-ta leaves `PVIe` out on series of `length + 1` bars or fewer.

use crate::features::indicators::{kernels, Family, Indicator, Memory, Ohlcv};

/// Positive volume index (pandas-ta's).
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pvi {
    /// EMA span.
    pub length: usize,
    /// The index's base value.
    pub initial: usize,
}

impl Indicator for Pvi {
    fn family(&self) -> Family {
        Family::Volume
    }

    fn columns(&self) -> Vec<String> {
        vec!["PVI".into(), format!("PVIe_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={} initial={}", self.length, self.initial)
    }

    fn warm_up(&self) -> usize {
        self.length - 1
    }

    fn memory(&self) -> Memory {
        Memory::ema(self.length, 1)
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let (c, v) = (x.close, x.volume);
        let base = self.initial as f64;
        let pvi: Vec<f64> = (0..c.len())
            .map(|i| if i > 0 && v[i] > v[i - 1] { base * (c[i] / c[i - 1]) } else { base })
            .collect();
        let ema = kernels::ema(&pvi, self.length);
        vec![pvi, ema]
    }
}
