//! TRIX (pandas-ta `trix`, length 30, signal 9): the percent change of the triple SMA-seeded EMA
//! and its SMA(9) signal line.

use crate::features::indicators::{kernels, talib, Convention, Family, Indicator, Memory, Ohlcv};

/// Triple exponential average rate of change.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trix {
    /// Span of each EMA.
    pub length: usize,
    /// Window of the signal SMA.
    pub signal: usize,
    /// Whose values: pandas-ta's pure-pandas path (default) or with TA-Lib's building blocks
    /// (`"talib"`).
    #[serde(default)]
    pub convention: Convention,
}

impl Indicator for Trix {
    fn family(&self) -> Family {
        Family::Momentum
    }

    fn columns(&self) -> Vec<String> {
        vec![
            format!("TRIX_{}_{}", self.length, self.signal),
            format!("TRIXs_{}_{}", self.length, self.signal),
        ]
    }

    fn params(&self) -> String {
        let params = { format!("length={} signal={}", self.length, self.signal) };
        self.convention.named(params)
    }

    fn warm_up(&self) -> usize {
        if self.convention == Convention::Talib {
            return 3 * (self.length - 1) + self.signal;
        }
        self.length + self.signal - 1
    }

    fn memory(&self) -> Memory {
        Memory::ema(self.length, 3)
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let e3 = talib::ema_as(
            self.convention,
            &talib::ema_as(
                self.convention,
                &talib::ema_as(self.convention, x.close, self.length),
                self.length,
            ),
            self.length,
        );
        let trix: Vec<f64> = (0..e3.len())
            .map(|t| if t == 0 { f64::NAN } else { 100.0 * (e3[t] / e3[t - 1] - 1.0) })
            .collect();
        let signal = kernels::rolling_mean(&trix, self.signal);
        vec![trix, signal]
    }
}
