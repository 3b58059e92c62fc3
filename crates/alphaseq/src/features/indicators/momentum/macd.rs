//! MACD (pandas-ta `macd`): EMA(fast) - EMA(slow) of the close (both SMA-seeded), its signal line
//! EMA(signal) started at the MACD's first value, and the histogram MACD - signal. Columns
//! `MACD_12_26_9`, `MACDh_12_26_9`, `MACDs_12_26_9`. Converges to TA-Lib `MACD`
//! (which starts its fast EMA later): relative 1e-6 after 100 bars, not equal.

use crate::features::indicators::{kernels, talib, Convention, Family, Indicator, Memory, Ohlcv};

/// Moving-average convergence/divergence.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Macd {
    /// Fast span.
    pub fast: usize,
    /// Slow span.
    pub slow: usize,
    /// Signal span.
    pub signal: usize,
    /// Whose values: pandas-ta's pure-pandas path (default) or TA-Lib's (`"talib"`).
    #[serde(default)]
    pub convention: Convention,
}

impl Indicator for Macd {
    fn family(&self) -> Family {
        Family::Momentum
    }

    fn columns(&self) -> Vec<String> {
        let s = format!("{}_{}_{}", self.fast, self.slow, self.signal);
        vec![format!("MACD_{s}"), format!("MACDh_{s}"), format!("MACDs_{s}")]
    }

    fn params(&self) -> String {
        let params = { format!("fast={} slow={} signal={}", self.fast, self.slow, self.signal) };
        self.convention.named(params)
    }

    fn warm_up(&self) -> usize {
        if self.convention == Convention::Talib {
            return self.fast.max(self.slow) + self.signal - 2;
        }
        self.slow.max(self.fast) + self.signal - 2
    }

    fn memory(&self) -> Memory {
        Memory::ema(self.fast.max(self.slow).max(self.signal), 2)
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        if self.convention == Convention::Talib {
            return {
                let [line, signal, histogram] =
                    talib::macd(x.close, self.fast, self.slow, self.signal);
                vec![line, histogram, signal]
            };
        }
        let (fast, slow) = (kernels::ema(x.close, self.fast), kernels::ema(x.close, self.slow));
        let macd: Vec<f64> = fast.iter().zip(&slow).map(|(a, b)| a - b).collect();
        let signal = kernels::from_first_valid(&macd, |m| kernels::ema(m, self.signal));
        let hist = macd.iter().zip(&signal).map(|(m, s)| m - s).collect();
        vec![macd, hist, signal]
    }
}
