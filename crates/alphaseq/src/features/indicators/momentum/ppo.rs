//! PPO (pandas-ta `ppo`, 12, 26 and 9, SMA): 100 (SMA(12) - SMA(26)) / SMA(26), its signal line
//! (pandas-ta's EMA of the PPO, whose SMA seed falls among the undefined values and so starts the
//! average at the PPO's first value) and the histogram.

use crate::features::indicators::{kernels, talib, Convention, Family, Indicator, Memory, Ohlcv};

/// Percentage price oscillator.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ppo {
    /// Fast window.
    pub fast: usize,
    /// Slow window.
    pub slow: usize,
    /// Signal span.
    pub signal: usize,
    /// Whose values: pandas-ta's pure-pandas path (default) or with TA-Lib's building blocks
    /// (`"talib"`).
    #[serde(default)]
    pub convention: Convention,
}

impl Indicator for Ppo {
    fn family(&self) -> Family {
        Family::Momentum
    }

    fn columns(&self) -> Vec<String> {
        let s = format!("{}_{}_{}", self.fast, self.slow, self.signal);
        vec![format!("PPO_{s}"), format!("PPOh_{s}"), format!("PPOs_{s}")]
    }

    fn params(&self) -> String {
        let params = { format!("fast={} slow={} signal={}", self.fast, self.slow, self.signal) };
        self.convention.named(params)
    }

    fn warm_up(&self) -> usize {
        if self.convention == Convention::Talib {
            return self.fast.max(self.slow) + self.signal - 2;
        }
        self.fast.max(self.slow) - 1
    }

    fn memory(&self) -> Memory {
        Memory::ema(self.signal, 1)
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let (f, s) =
            (kernels::rolling_mean(x.close, self.fast), kernels::rolling_mean(x.close, self.slow));
        let ppo: Vec<f64> = f.iter().zip(&s).map(|(a, b)| 100.0 * (a - b) / b).collect();
        let signal = talib::ema_as(self.convention, &ppo, self.signal);
        let hist = ppo.iter().zip(&signal).map(|(p, q)| p - q).collect();
        vec![ppo, hist, signal]
    }
}
