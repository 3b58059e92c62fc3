//! AMAT (pandas-ta `amat`, fast 8, slow 21, lookback 2), the archer moving averages trends:
//! whether the fast EMA is in a long run (rising over `lookback` bars while the slow EMA rises or
//! falls) or a short run (falling likewise), as 1 or 0. Columns `AMATe_LR_8_21_2`,
//! `AMATe_SR_8_21_2`.
//!
//! Follows pandas-ta: a run is 0 (not undefined) until both EMAs have `lookback` bars of history
//! (placeholder rows).

use crate::features::indicators::{kernels, Family, Indicator, Memory, Ohlcv};

/// Archer moving averages trends.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Amat {
    /// Fast EMA span.
    pub fast: usize,
    /// Slow EMA span.
    pub slow: usize,
    /// Bars a run is measured over.
    pub lookback: usize,
}

impl Indicator for Amat {
    fn family(&self) -> Family {
        Family::Trend
    }

    fn columns(&self) -> Vec<String> {
        let s = format!("{}_{}_{}", self.fast, self.slow, self.lookback);
        vec![format!("AMATe_LR_{s}"), format!("AMATe_SR_{s}")]
    }

    fn params(&self) -> String {
        format!("fast={} slow={} lookback={}", self.fast, self.slow, self.lookback)
    }

    fn warm_up(&self) -> usize {
        0
    }

    fn placeholder_rows(&self) -> usize {
        self.fast.max(self.slow) - 1 + self.lookback
    }

    fn memory(&self) -> Memory {
        Memory::ema(self.fast.max(self.slow), 1)
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let fast = kernels::ema(x.close, self.fast);
        let slow = kernels::ema(x.close, self.slow);
        let (long, short) = runs(&fast, &slow, self.lookback);
        vec![long, short]
    }
}

/// pandas-ta's `long_run(fast, slow, n)` and `short_run(fast, slow, n)` as 1 or 0: the fast
/// series rose (fell) over n bars while the slow one rose or fell; 0 where a change is missing.
pub fn runs(fast: &[f64], slow: &[f64], n: usize) -> (Vec<f64>, Vec<f64>) {
    let (df, ds) = (kernels::diff(fast, n), kernels::diff(slow, n));
    let flag = |b: bool| if b { 1.0 } else { 0.0 };
    let slow_moved = |t: usize| ds[t].abs() > 0.0; // false for a missing change
    let long = (0..df.len()).map(|t| flag(df[t] > 0.0 && slow_moved(t))).collect();
    let short = (0..df.len()).map(|t| flag(df[t] < 0.0 && slow_moved(t))).collect();
    (long, short)
}
