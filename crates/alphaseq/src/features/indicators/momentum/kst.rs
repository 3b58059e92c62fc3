//! KST (pandas-ta `kst`, roc 10/15/20/30, sma 10/10/10/15, signal 9), Pring's know sure thing:
//! `100 (m1 + 2 m2 + 3 m3 + 4 m4)`, each m the SMA of a rate of change (itself in percent, so
//! the scale is pandas-ta's), and its SMA(signal). Columns
//! `KST_10_15_20_30_10_10_10_15`, `KSTs_9`.

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Know sure thing.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Kst {
    /// First rate of change.
    pub roc1: usize,
    /// Second rate of change.
    pub roc2: usize,
    /// Third rate of change.
    pub roc3: usize,
    /// Fourth rate of change.
    pub roc4: usize,
    /// Smoothing of the first.
    pub sma1: usize,
    /// Smoothing of the second.
    pub sma2: usize,
    /// Smoothing of the third.
    pub sma3: usize,
    /// Smoothing of the fourth.
    pub sma4: usize,
    /// Signal SMA.
    pub signal: usize,
}

impl Kst {
    fn pairs(&self) -> [(usize, usize); 4] {
        [
            (self.roc1, self.sma1),
            (self.roc2, self.sma2),
            (self.roc3, self.sma3),
            (self.roc4, self.sma4),
        ]
    }
}

impl Indicator for Kst {
    fn family(&self) -> Family {
        Family::Momentum
    }

    fn columns(&self) -> Vec<String> {
        vec![
            format!(
                "KST_{}_{}_{}_{}_{}_{}_{}_{}",
                self.roc1,
                self.roc2,
                self.roc3,
                self.roc4,
                self.sma1,
                self.sma2,
                self.sma3,
                self.sma4
            ),
            format!("KSTs_{}", self.signal),
        ]
    }

    fn params(&self) -> String {
        format!(
            "roc1={} roc2={} roc3={} roc4={} sma1={} sma2={} sma3={} sma4={} signal={}",
            self.roc1,
            self.roc2,
            self.roc3,
            self.roc4,
            self.sma1,
            self.sma2,
            self.sma3,
            self.sma4,
            self.signal
        )
    }

    fn warm_up(&self) -> usize {
        self.pairs().iter().map(|(r, s)| r + s - 1).max().unwrap_or(0) + self.signal - 1
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let c = x.close;
        let mut kst = vec![0.0; c.len()];
        for (weight, (r, s)) in self.pairs().into_iter().enumerate() {
            let roc: Vec<f64> = (0..c.len())
                .map(|t| if t < r { f64::NAN } else { 100.0 * (c[t] - c[t - r]) / c[t - r] })
                .collect();
            let m = kernels::rolling_mean(&roc, s);
            kst.iter_mut().zip(m).for_each(|(k, v)| *k += (weight + 1) as f64 * v);
        }
        kst.iter_mut().for_each(|k| *k *= 100.0);
        let signal = kernels::rolling_mean(&kst, self.signal);
        vec![kst, signal]
    }
}
