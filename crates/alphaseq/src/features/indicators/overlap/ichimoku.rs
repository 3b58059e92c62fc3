//! ICHIMOKU (pandas-ta `ichimoku`, tenkan 9, kijun 26, senkou 52), the causal lines of the
//! Ichimoku cloud: the conversion line (tenkan-sen, midprice over tenkan bars), the base line
//! (kijun-sen, over kijun), and the leading spans as of each date: span A, the mean of the two
//! lines, and span B, the midprice over senkou, each computed `kijun - 1` bars earlier (pandas-ta
//! shifts them forward, so the value at t is known at t). Columns `ISA_9`, `ISB_26`, `ITS_9`,
//! `IKS_26`.
//!
//! The lagging span (chikou, `ICS_26`) is the close `kijun - 1` bars later: it reads the future.
//! pandas-ta includes it by default; alphaseq only with `include_chikou = true`, which is refused
//! as an input unless `features.look_ahead = "allow"`. pandas-ta's second frame, the spans projected past the last date, is not a
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
    /// Whether to write the chikou span `ICS_<kijun>` (reads the future).
    #[serde(default)]
    pub include_chikou: bool,
}

impl Indicator for Ichimoku {
    fn family(&self) -> Family {
        Family::Overlap
    }

    fn columns(&self) -> Vec<String> {
        let mut columns = vec![
            format!("ISA_{}", self.tenkan),
            format!("ISB_{}", self.kijun),
            format!("ITS_{}", self.tenkan),
            format!("IKS_{}", self.kijun),
        ];
        if self.include_chikou {
            columns.push(format!("ICS_{}", self.kijun));
        }
        columns
    }

    fn params(&self) -> String {
        format!(
            "tenkan={} kijun={} senkou={} include_chikou={}",
            self.tenkan, self.kijun, self.senkou, self.include_chikou
        )
    }

    fn look_ahead(&self) -> Option<String> {
        self.include_chikou.then(|| {
            format!(
                "ICS_{} at t is the close at t + {} (the chikou span)",
                self.kijun,
                self.kijun - 1
            )
        })
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
        let mut columns = vec![
            kernels::shift(&span_a, lead),
            kernels::shift(&mid(self.senkou), lead),
            tenkan,
            kijun,
        ];
        if self.include_chikou {
            let m = x.close.len();
            columns.push(
                (0..m).map(|t| if t + lead < m { x.close[t + lead] } else { f64::NAN }).collect(),
            );
        }
        columns
    }
}
