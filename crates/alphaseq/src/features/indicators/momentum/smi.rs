//! SMI (pandas-ta `smi`, fast 5, slow 20, signal 5, scalar 1), the SMI ergodic indicator: the
//! TSI with spans slow then fast (in pandas-ta's order, the smaller span is `fast`) scaled by
//! `scalar` instead of 100, its EMA(signal) and their difference. Columns `SMI_5_20_5_1.0`,
//! `SMIs_5_20_5_1.0`, `SMIo_5_20_5_1.0`.

use crate::features::indicators::momentum::tsi::tsi;
use crate::features::indicators::{Convention, Family, Indicator, Memory, Ohlcv};

/// SMI ergodic indicator.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Smi {
    /// Second EMA span.
    pub fast: usize,
    /// First EMA span.
    pub slow: usize,
    /// Signal EMA span.
    pub signal: usize,
    /// Scale of the TSI.
    pub scalar: f64,
    /// Whose values: pandas-ta's pure-pandas path (default) or with TA-Lib's building blocks
    /// (`"talib"`: the population standard deviation).
    #[serde(default)]
    pub convention: Convention,
}

impl Smi {
    /// pandas-ta swaps the spans when slow < fast.
    fn spans(&self) -> (usize, usize) {
        (self.fast.min(self.slow), self.fast.max(self.slow))
    }
}

impl Indicator for Smi {
    fn family(&self) -> Family {
        Family::Momentum
    }

    fn columns(&self) -> Vec<String> {
        let (fast, slow) = self.spans();
        let s = format!("{fast}_{slow}_{}_{:?}", self.signal, self.scalar);
        vec![format!("SMI_{s}"), format!("SMIs_{s}"), format!("SMIo_{s}")]
    }

    fn params(&self) -> String {
        let params = {
            format!(
                "fast={} slow={} signal={} scalar={}",
                self.fast, self.slow, self.signal, self.scalar
            )
        };
        self.convention.named(params)
    }

    fn warm_up(&self) -> usize {
        if self.convention == Convention::Talib {
            // TA-Lib's EMAs start at the first present row: one after another
            let (fast, slow) = self.spans();
            return slow + fast + self.signal - 2;
        }
        self.spans().1 - 1
    }

    fn memory(&self) -> Memory {
        let (fast, slow) = self.spans();
        Memory::ema(slow.max(fast).max(self.signal), 3)
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let (fast, slow) = self.spans();
        let (smi, signal) = tsi(x.close, fast, slow, self.signal, self.scalar, self.convention);
        let osc = smi.iter().zip(&signal).map(|(a, b)| a - b).collect();
        vec![smi, signal, osc]
    }
}
