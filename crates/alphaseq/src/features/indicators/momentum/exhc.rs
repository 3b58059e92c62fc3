//! EXHC (pandas-ta `exhc`, length 4, cap 13, show_all), the exhaustion count (a TD-sequential-like
//! setup count): bars in a row whose close is below (down) or above (up) the close `length` bars
//! earlier, capped at `cap`. Columns `EXHC_DNa`, `EXHC_UPa`. The first `length` rows, with no
//! earlier close, are 0 (pandas-ta's placeholders).

use crate::features::indicators::{kernels, Family, Indicator, Memory, Ohlcv};

/// Exhaustion count.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exhc {
    /// Bars back the close is compared with.
    pub length: usize,
    /// Largest count written.
    pub cap: usize,
}

impl Indicator for Exhc {
    fn family(&self) -> Family {
        Family::Momentum
    }

    fn columns(&self) -> Vec<String> {
        vec!["EXHC_DNa".into(), "EXHC_UPa".into()]
    }

    fn params(&self) -> String {
        format!("length={} cap={}", self.length, self.cap)
    }

    fn warm_up(&self) -> usize {
        0
    }

    fn placeholder_rows(&self) -> usize {
        self.length
    }

    fn memory(&self) -> Memory {
        Memory::Path
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let diff = kernels::diff(x.close, self.length);
        let cap = self.cap as f64;
        let count = |hit: fn(f64) -> bool| -> Vec<f64> {
            let mut run = 0.0f64;
            diff.iter()
                .map(|d| {
                    run = if hit(*d) { run + 1.0 } else { 0.0 };
                    run.min(cap)
                })
                .collect()
        };
        vec![count(|d| d < 0.0), count(|d| d > 0.0)]
    }
}
