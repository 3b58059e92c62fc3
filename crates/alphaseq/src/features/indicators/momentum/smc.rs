//! SMC (pandas-ta `smc`, abr_length 14, close_length 50, vol_length 20, percent 5), smart money
//! concepts: the high-volatility flag (the bar's range above `vol_ratio` 1.5 times its
//! SMA(vol_length)), and the bottom and top imbalances (fair value gaps: low - high two bars back,
//! and low two bars back - high), each with a flag (positive and above 1% of the average bar
//! range), the gap and the gap in percent of the `abr_length`-bar range. Columns
//! `SMChv_14_50_20_5`, `SMCbf_..`, `SMCbi_..`, `SMCbp_..`, `SMCtf_..`, `SMCti_..`, `SMCtp_..`.
//!
//! Departs from pandas-ta knowingly where it reads the future: pandas-ta back-fills the whole
//! frame, so the gaps' first two rows and the percentages' first `abr_length - 1` rows carry a
//! later bar's value; alphaseq leaves them undefined (its warm-up), and equals pandas-ta from
//! there on (interior gaps are forward-filled as pandas-ta does). The flags are 0 before their
//! inputs exist (pandas-ta's placeholders); `close_length` names the columns but feeds nothing
//! (pandas-ta computes its average and does not use it).

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Smart money concepts.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Smc {
    /// Window of the average bar range.
    pub abr_length: usize,
    /// pandas-ta's body-average window (unused).
    pub close_length: usize,
    /// Window of the range's SMA for the volatility flag.
    pub vol_length: usize,
    /// Body percent (names the columns).
    pub percent: usize,
    /// Range multiple of the volatility flag.
    pub vol_ratio: f64,
}

impl Smc {
    fn lengths(&self) -> (usize, usize) {
        (self.abr_length.min(self.close_length), self.abr_length.max(self.close_length))
    }
}

impl Indicator for Smc {
    fn family(&self) -> Family {
        Family::Momentum
    }

    fn columns(&self) -> Vec<String> {
        let (abr, close) = self.lengths();
        let s = format!("{abr}_{close}_{}_{}", self.vol_length, self.percent);
        ["SMChv", "SMCbf", "SMCbi", "SMCbp", "SMCtf", "SMCti", "SMCtp"]
            .iter()
            .map(|c| format!("{c}_{s}"))
            .collect()
    }

    fn params(&self) -> String {
        format!(
            "abr_length={} close_length={} vol_length={} percent={} vol_ratio={}",
            self.abr_length, self.close_length, self.vol_length, self.percent, self.vol_ratio
        )
    }

    fn warm_up(&self) -> usize {
        (self.lengths().0 - 1).max(2)
    }

    fn placeholder_rows(&self) -> usize {
        (self.lengths().0 - 1).max(self.vol_length - 1).max(2)
    }

    fn pandas_ta_backfilled_rows(&self) -> usize {
        self.warm_up()
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let (abr_length, _) = self.lengths();
        let m = x.close.len();
        let abr: Vec<f64> = {
            let (hi, lo) =
                (kernels::rolling_max(x.high, abr_length), kernels::rolling_min(x.low, abr_length));
            hi.iter().zip(&lo).map(|(h, l)| h - l).collect()
        };
        let (low2, high2) = (kernels::shift(x.low, 2), kernels::shift(x.high, 2));
        let top: Vec<f64> = (0..m).map(|t| low2[t] - x.high[t]).collect();
        let bottom: Vec<f64> = (0..m).map(|t| x.low[t] - high2[t]).collect();
        let percent =
            |gap: &[f64]| -> Vec<f64> { (0..m).map(|t| 100.0 * gap[t] / abr[t]).collect() };
        let (top_pct, bottom_pct) = (percent(&top), percent(&bottom));
        let hld: Vec<f64> = (0..m).map(|t| x.high[t] - x.low[t] + f64::EPSILON).collect();
        let hld_ma = kernels::rolling_mean(&hld, self.vol_length);
        let flag = |b: bool| if b { 1.0 } else { 0.0 };
        let volatile = (0..m).map(|t| flag(hld[t] > self.vol_ratio * hld_ma[t])).collect();
        let gap_flag = |gap: &[f64], pct: &[f64]| -> Vec<f64> {
            (0..m).map(|t| flag(gap[t] > 0.0 && pct[t] > 1.0)).collect()
        };
        let (bottom_flag, top_flag) = (gap_flag(&bottom, &bottom_pct), gap_flag(&top, &top_pct));
        // pandas-ta's ffill: an interior missing value keeps the last one (leading NaN stays)
        let filled = |v: Vec<f64>| kernels::forward_filled(&v);
        vec![
            volatile,
            bottom_flag,
            filled(bottom),
            filled(bottom_pct),
            top_flag,
            filled(top),
            filled(top_pct),
        ]
    }
}
