//! KVO (pandas-ta `kvo`, fast 34, slow 55, signal 13), the Klinger volume oscillator: volume
//! signed by the direction of hlc3, EMA(fast) - EMA(slow) of it from its first value, and the
//! EMA(signal) of that. Columns `KVO_34_55_13`, `KVOs_34_55_13`.

use crate::features::indicators::{kernels, Family, Indicator, Memory, Ohlcv};

/// Klinger volume oscillator.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Kvo {
    /// Fast EMA span.
    pub fast: usize,
    /// Slow EMA span.
    pub slow: usize,
    /// Signal EMA span.
    pub signal: usize,
}

impl Indicator for Kvo {
    fn family(&self) -> Family {
        Family::Volume
    }

    fn columns(&self) -> Vec<String> {
        let s = format!("{}_{}_{}", self.fast, self.slow, self.signal);
        vec![format!("KVO_{s}"), format!("KVOs_{s}")]
    }

    fn params(&self) -> String {
        format!("fast={} slow={} signal={}", self.fast, self.slow, self.signal)
    }

    fn warm_up(&self) -> usize {
        // the signed volume starts at the second bar
        self.fast.max(self.slow) + self.signal - 1
    }

    fn memory(&self) -> Memory {
        Memory::ema(self.fast.max(self.slow).max(self.signal), 2)
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let hlc3: Vec<f64> =
            (0..x.close.len()).map(|t| (x.high[t] + x.low[t] + x.close[t]) / 3.0).collect();
        let sign = signed_series(&hlc3);
        let sv: Vec<f64> = sign.iter().zip(x.volume).map(|(s, v)| v * s).collect();
        let ema = |v: &[f64], n: usize| kernels::from_first_valid(v, |r| kernels::ema(r, n));
        let (f, s) = (ema(&sv, self.fast), ema(&sv, self.slow));
        let kvo: Vec<f64> = f.iter().zip(&s).map(|(a, b)| a - b).collect();
        let signal = ema(&kvo, self.signal);
        vec![kvo, signal]
    }
}

/// pandas-ta's `signed_series(x, initial)`: the sign of each 1-bar change (1, -1, 0; NaN where
/// the change is missing). pandas-ta 0.4 sets its `initial` argument to None before writing it
/// to the first bar, so the first bar is NaN whatever the caller passes; followed.
pub fn signed_series(x: &[f64]) -> Vec<f64> {
    kernels::diff(x, 1)
        .into_iter()
        .map(|d| {
            if d > 0.0 {
                1.0
            } else if d < 0.0 {
                -1.0
            } else {
                d
            }
        })
        .collect()
}
