//! ICHIMOKU (pandas-ta `ichimoku`, tenkan 9, kijun 26, senkou 52), the causal lines of the
//! Ichimoku cloud: the conversion line (tenkan-sen, midprice over tenkan bars), the base line
//! (kijun-sen, over kijun), and the leading spans as of each date: span A, the mean of the two
//! lines, and span B, the midprice over senkou, each computed `kijun - 1` bars earlier (pandas-ta
//! shifts them forward, so the value at t is known at t). Columns `ISA_9`, `ISB_26`, `ITS_9`,
//! `IKS_26`.
//!
//! The lagging span (chikou, `ICS_26`) is the close `kijun - 1` bars later: it reads the future
//! and is not offered; pandas-ta's second frame, the spans projected past the last date, is not a
//! column of the matrix.

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Ichimoku cloud (causal lines).
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ichimoku {
    /// Conversion-line window.
    pub tenkan: usize,
    /// Base-line window, and the spans' lead + 1.
    pub kijun: usize,
    /// Span B's window.
    pub senkou: usize,
}

impl Indicator for Ichimoku {
    fn family(&self) -> Family {
        Family::Overlap
    }

    fn columns(&self) -> Vec<String> {
        vec![
            format!("ISA_{}", self.tenkan),
            format!("ISB_{}", self.kijun),
            format!("ITS_{}", self.tenkan),
            format!("IKS_{}", self.kijun),
        ]
    }

    fn params(&self) -> String {
        format!("tenkan={} kijun={} senkou={}", self.tenkan, self.kijun, self.senkou)
    }

    fn warm_up(&self) -> usize {
        self.tenkan.max(self.kijun).max(self.senkou) - 1 + self.kijun - 1
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let mid = |n: usize| -> Vec<f64> {
            let (hi, lo) = (kernels::rolling_max(x.high, n), kernels::rolling_min(x.low, n));
            hi.iter().zip(&lo).map(|(h, l)| 0.5 * (l + h)).collect()
        };
        let (tenkan, kijun) = (mid(self.tenkan), mid(self.kijun));
        let span_a: Vec<f64> = tenkan.iter().zip(&kijun).map(|(a, b)| 0.5 * (a + b)).collect();
        let lead = self.kijun - 1;
        vec![kernels::shift(&span_a, lead), kernels::shift(&mid(self.senkou), lead), tenkan, kijun]
    }
}
