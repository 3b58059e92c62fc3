//! PVO (pandas-ta `pvo`, 12/26/9), the percentage volume oscillator: 100 (EMA(volume, fast) -
//! EMA(volume, slow)) / EMA(volume, slow), its EMA(signal) and the difference. Columns PVO, PVOh
//! (histogram), PVOs (signal), in pandas-ta's order. TA-Lib has no PVO.

use crate::features::indicators::{talib, Convention, Family, Indicator, Memory, Ohlcv};

/// Percentage volume oscillator.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pvo {
    /// Fast EMA span.
    pub fast: usize,
    /// Slow EMA span.
    pub slow: usize,
    /// Signal EMA span.
    pub signal: usize,
    /// Whose values: pandas-ta's pure-pandas path (default) or with TA-Lib's building blocks
    /// (`"talib"`).
    #[serde(default)]
    pub convention: Convention,
}

impl Indicator for Pvo {
    fn family(&self) -> Family {
        Family::Volume
    }

    fn columns(&self) -> Vec<String> {
        let s = format!("{}_{}_{}", self.fast, self.slow, self.signal);
        vec![format!("PVO_{s}"), format!("PVOh_{s}"), format!("PVOs_{s}")]
    }

    fn params(&self) -> String {
        let params = { format!("fast={} slow={} signal={}", self.fast, self.slow, self.signal) };
        self.convention.named(params)
    }

    fn warm_up(&self) -> usize {
        if self.convention == Convention::Talib {
            return self.fast.max(self.slow) + self.signal - 2;
        }
        self.slow - 1
    }

    fn memory(&self) -> Memory {
        Memory::ema(self.fast.max(self.slow).max(self.signal), 2)
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let (fast, slow) = (
            talib::ema_as(self.convention, x.volume, self.fast),
            talib::ema_as(self.convention, x.volume, self.slow),
        );
        let pvo: Vec<f64> = fast.iter().zip(&slow).map(|(f, s)| 100.0 * (f - s) / s).collect();
        let signal = talib::ema_as(self.convention, &pvo, self.signal);
        let hist = pvo.iter().zip(&signal).map(|(p, s)| p - s).collect();
        vec![pvo, hist, signal]
    }
}
