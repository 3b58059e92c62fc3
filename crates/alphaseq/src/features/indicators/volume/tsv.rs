//! TSV (pandas-ta `tsv`, length 18, signal 10), the time segmented volume: the sum over `length`
//! bars of volume x the close's 1-bar change, its SMA(signal) and their ratio. Columns
//! `TSV_18_10`, `TSVs_18_10`, `TSVr_18_10`.
//!
//! Follows pandas-ta: the volume is signed by the close's direction and then made positive again,
//! so it only drops the volume of bars whose close did not change (which multiply a zero change
//! anyway).

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Time segmented volume.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tsv {
    /// Summing window.
    pub length: usize,
    /// Signal SMA.
    pub signal: usize,
}

impl Indicator for Tsv {
    fn family(&self) -> Family {
        Family::Volume
    }

    fn columns(&self) -> Vec<String> {
        let s = format!("{}_{}", self.length, self.signal);
        vec![format!("TSV_{s}"), format!("TSVs_{s}"), format!("TSVr_{s}")]
    }

    fn params(&self) -> String {
        format!("length={} signal={}", self.length, self.signal)
    }

    fn warm_up(&self) -> usize {
        self.length + self.signal - 1
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let diff = kernels::diff(x.close, 1);
        let cvd: Vec<f64> = diff.iter().zip(x.volume).map(|(d, v)| v.abs() * d).collect();
        let tsv = kernels::rolling_sum(&cvd, self.length);
        let signal = kernels::rolling_mean(&tsv, self.signal);
        let ratio = tsv.iter().zip(&signal).map(|(a, b)| a / b).collect();
        vec![tsv, signal, ratio]
    }
}
