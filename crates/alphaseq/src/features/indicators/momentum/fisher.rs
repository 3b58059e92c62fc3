//! FISHER (pandas-ta `fisher`, length 9, signal 1), Ehlers' Fisher transform: the position of
//! hl2 in its `length`-bar range (the range at least 0.001), smoothed as
//! `v = 0.66 (position - 0.5) + 0.67 v` and clipped to +-0.999 past +-0.99, transformed as
//! `0.5 (ln((1 + v) / (1 - v)) + previous)` from 0 at bar length - 1; the signal is the
//! transform `signal` bars earlier.
//! Columns `FISHERT_9_1`, `FISHERTs_9_1`.

use crate::features::indicators::{kernels, Family, Indicator, Memory, Ohlcv};

/// Fisher transform.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fisher {
    /// Range window.
    pub length: usize,
    /// Lag of the signal.
    pub signal: usize,
}

impl Indicator for Fisher {
    fn family(&self) -> Family {
        Family::Momentum
    }

    fn columns(&self) -> Vec<String> {
        let s = format!("{}_{}", self.length, self.signal);
        vec![format!("FISHERT_{s}"), format!("FISHERTs_{s}")]
    }

    fn params(&self) -> String {
        format!("length={} signal={}", self.length, self.signal)
    }

    fn warm_up(&self) -> usize {
        self.length - 1 + self.signal
    }

    fn memory(&self) -> Memory {
        Memory::Recursive { decay: 0.67, depth: 2 }
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let n = self.length;
        let hl2: Vec<f64> = x.high.iter().zip(x.low).map(|(h, l)| 0.5 * (h + l)).collect();
        let highest = kernels::rolling_max(&hl2, n);
        let lowest = kernels::rolling_min(&hl2, n);
        let range = kernels::non_zero_range(&highest, &lowest);
        let m = hl2.len();
        let mut out = vec![f64::NAN; m];
        if m >= n {
            out[n - 1] = 0.0;
        }
        let mut v = 0.0;
        for i in n..m {
            // pandas-ta floors the range at 0.001 (NaN stays NaN)
            let r = if range[i] < 0.001 { 0.001 } else { range[i] };
            let position = (hl2[i] - lowest[i]) / r - 0.5;
            v = 0.66 * position + 0.67 * v;
            if v < -0.99 {
                v = -0.999;
            }
            if v > 0.99 {
                v = 0.999;
            }
            out[i] = 0.5 * (((1.0 + v) / (1.0 - v)).ln() + out[i - 1]);
        }
        let signal = kernels::shift(&out, self.signal);
        vec![out, signal]
    }
}
