//! TSI (pandas-ta `tsi`, fast 13, slow 25, signal 13), the true strength index: 100 x the double
//! EMA (slow, then fast) of the close's change over the same double EMA of its absolute change,
//! and the TSI's EMA(signal). TA-Lib has no TSI.

use crate::features::indicators::{kernels, talib, Convention, Family, Indicator, Memory, Ohlcv};

/// True strength index.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tsi {
    /// Second EMA span.
    pub fast: usize,
    /// First EMA span.
    pub slow: usize,
    /// Signal EMA span.
    pub signal: usize,
    /// Whose values: pandas-ta's pure-pandas path (default) or with TA-Lib's building blocks
    /// (`"talib"`).
    #[serde(default)]
    pub convention: Convention,
}

impl Indicator for Tsi {
    fn family(&self) -> Family {
        Family::Momentum
    }

    fn columns(&self) -> Vec<String> {
        let s = format!("{}_{}_{}", self.fast, self.slow, self.signal);
        vec![format!("TSI_{s}"), format!("TSIs_{s}")]
    }

    fn params(&self) -> String {
        let params = { format!("fast={} slow={} signal={}", self.fast, self.slow, self.signal) };
        self.convention.named(params)
    }

    fn warm_up(&self) -> usize {
        if self.convention == Convention::Talib {
            return self.slow + self.fast + self.signal - 2;
        }
        self.slow - 1
    }

    fn memory(&self) -> Memory {
        Memory::ema(self.fast.max(self.slow).max(self.signal), 3)
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let (tsi, signal) = tsi(x.close, self.fast, self.slow, self.signal, 100.0, self.convention);
        vec![tsi, signal]
    }
}

/// pandas-ta's `tsi(close, fast, slow, signal, scalar)`: the TSI and its signal EMA.
pub fn tsi(
    close: &[f64],
    fast: usize,
    slow: usize,
    signal: usize,
    scalar: f64,
    convention: Convention,
) -> (Vec<f64>, Vec<f64>) {
    let diff = kernels::diff(close, 1);
    let abs: Vec<f64> = diff.iter().map(|d| d.abs()).collect();
    let double = |v: &[f64]| talib::ema_as(convention, &talib::ema_as(convention, v, slow), fast);
    let tsi: Vec<f64> =
        double(&diff).iter().zip(double(&abs)).map(|(a, b)| scalar * a / b).collect();
    let signal = talib::ema_as(convention, &tsi, signal);
    (tsi, signal)
}
