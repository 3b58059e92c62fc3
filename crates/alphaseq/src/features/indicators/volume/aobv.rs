//! AOBV (pandas-ta `aobv`, fast 4, slow 12, min_lookback 2, max_lookback 2, run_length 2), the
//! archer on-balance volume: OBV's rolling minimum and maximum, its EMAs (fast and slow), and
//! whether the fast EMA is in a long run (rising over `run_length` bars while the slow one rises
//! or falls) or a short run (falling likewise), as 1 or 0. Columns `OBV_min_2`, `OBV_max_2`,
//! `OBVe_4`, `OBVe_12`, `AOBV_LR_2`, `AOBV_SR_2`; pandas-ta's AOBV also repeats `OBV`, which is
//! the `obv` indicator's column here (select both for both).
//!
//! Follows pandas-ta: a run is 0 (not undefined) while its EMAs are still warming up
//! (placeholder rows).

use crate::features::indicators::trend::amat::runs;
use crate::features::indicators::volume::obv::Obv;
use crate::features::indicators::{kernels, talib, Convention, Family, Indicator, Memory, Ohlcv};

/// Archer on-balance volume.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Aobv {
    /// Fast EMA span.
    pub fast: usize,
    /// Slow EMA span.
    pub slow: usize,
    /// Rolling-minimum window.
    pub min_lookback: usize,
    /// Rolling-maximum window.
    pub max_lookback: usize,
    /// Bars a run is measured over.
    pub run_length: usize,
    /// Whose values: pandas-ta's pure-pandas path (default) or with TA-Lib's building blocks
    /// (`"talib"`).
    #[serde(default)]
    pub convention: Convention,
}

impl Aobv {
    /// pandas-ta swaps the spans when slow < fast.
    fn spans(&self) -> (usize, usize) {
        (self.fast.min(self.slow), self.fast.max(self.slow))
    }
}

impl Indicator for Aobv {
    fn family(&self) -> Family {
        Family::Volume
    }

    fn columns(&self) -> Vec<String> {
        let (fast, slow) = self.spans();
        vec![
            format!("OBV_min_{}", self.min_lookback),
            format!("OBV_max_{}", self.max_lookback),
            format!("OBVe_{fast}"),
            format!("OBVe_{slow}"),
            format!("AOBV_LR_{}", self.run_length),
            format!("AOBV_SR_{}", self.run_length),
        ]
    }

    fn params(&self) -> String {
        let params = {
            format!(
                "fast={} slow={} min_lookback={} max_lookback={} run_length={}",
                self.fast, self.slow, self.min_lookback, self.max_lookback, self.run_length
            )
        };
        self.convention.named(params)
    }

    fn warm_up(&self) -> usize {
        // OBV starts at the second bar; its EMA's seed is the mean of the values present
        (self.spans().1 - 1).max(self.min_lookback).max(self.max_lookback)
    }

    fn memory(&self) -> Memory {
        Memory::Cumulative
    }

    fn placeholder_rows(&self) -> usize {
        self.spans().1 - 1 + self.run_length
    }

    fn column_memory(&self) -> Vec<Memory> {
        // the run flags compare EMAs of OBV: a later start offsets both by the same total
        let runs = Memory::ema(self.spans().1, 1);
        let mut out = vec![Memory::Cumulative; 4];
        out.extend([runs, runs]);
        out
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let (fast, slow) = self.spans();
        let obv = Obv { convention: self.convention }.compute(x).remove(0);
        let maf = talib::ema_as(self.convention, &obv, fast);
        let mas = talib::ema_as(self.convention, &obv, slow);
        let (long, short) = runs(&maf, &mas, self.run_length);
        vec![
            kernels::rolling_min(&obv, self.min_lookback),
            kernels::rolling_max(&obv, self.max_lookback),
            maf,
            mas,
            long,
            short,
        ]
    }
}
