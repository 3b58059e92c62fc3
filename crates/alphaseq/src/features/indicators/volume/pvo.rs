//! PVO (pandas-ta `pvo`, 12/26/9), the percentage volume oscillator: 100 (EMA(volume, fast) -
//! EMA(volume, slow)) / EMA(volume, slow), its EMA(signal) and the difference. Columns PVO, PVOh
//! (histogram), PVOs (signal), in pandas-ta's order. TA-Lib has no PVO.

use crate::features::indicators::{kernels, Family, Indicator, Memory, Ohlcv};

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
        format!("fast={} slow={} signal={}", self.fast, self.slow, self.signal)
    }

    fn warm_up(&self) -> usize {
        self.slow - 1
    }

    fn memory(&self) -> Memory {
        Memory::ema(self.fast.max(self.slow).max(self.signal), 2)
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let (fast, slow) = (kernels::ema(x.volume, self.fast), kernels::ema(x.volume, self.slow));
        let pvo: Vec<f64> = fast.iter().zip(&slow).map(|(f, s)| 100.0 * (f - s) / s).collect();
        let signal = kernels::ema(&pvo, self.signal);
        let hist = pvo.iter().zip(&signal).map(|(p, s)| p - s).collect();
        vec![pvo, hist, signal]
    }
}
