//! AROON (pandas-ta `aroon`, length 14): over the last length + 1 bars, up = 100 (1 - bars since
//! the most recent highest high / length), down likewise with the lowest low, and the oscillator
//! up - down. Columns `AROOND_14`, `AROONU_14`, `AROONOSC_14`. Agrees with TA-Lib `AROON`.

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Aroon up, down and oscillator.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Aroon {
    /// Window.
    pub length: usize,
}

/// Bars since the most recent extreme of the window (numpy's `argmax(w[::-1])`: scanning from the
/// newest value, only a strictly better value moves the extreme, so ties keep the most recent).
fn since_extreme(w: &[f64], better: impl Fn(f64, f64) -> bool) -> f64 {
    let newest = w.len() - 1;
    let mut idx = newest;
    for k in (0..newest).rev() {
        if better(w[k], w[idx]) {
            idx = k;
        }
    }
    (newest - idx) as f64
}

impl Indicator for Aroon {
    fn family(&self) -> Family {
        Family::Trend
    }

    fn columns(&self) -> Vec<String> {
        vec![
            format!("AROOND_{}", self.length),
            format!("AROONU_{}", self.length),
            format!("AROONOSC_{}", self.length),
        ]
    }

    fn params(&self) -> String {
        format!("length={}", self.length)
    }

    fn warm_up(&self) -> usize {
        self.length
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let n = self.length as f64;
        let up = kernels::rolling(x.high, self.length + 1, |w| {
            100.0 * (1.0 - since_extreme(w, |a, b| a > b) / n)
        });
        let down = kernels::rolling(x.low, self.length + 1, |w| {
            100.0 * (1.0 - since_extreme(w, |a, b| a < b) / n)
        });
        let osc = up.iter().zip(&down).map(|(u, d)| u - d).collect();
        vec![down, up, osc]
    }
}
