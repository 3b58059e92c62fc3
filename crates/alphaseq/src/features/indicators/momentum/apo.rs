//! APO (pandas-ta `apo`, 12 and 26, SMA), the absolute price oscillator SMA(12) - SMA(26).

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Absolute price oscillator.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Apo {
    /// Fast window.
    pub fast: usize,
    /// Slow window.
    pub slow: usize,
}

impl Indicator for Apo {
    fn family(&self) -> Family {
        Family::Momentum
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("APO_{}_{}", self.fast, self.slow)]
    }

    fn params(&self) -> String {
        format!("fast={} slow={}", self.fast, self.slow)
    }

    fn warm_up(&self) -> usize {
        self.fast.max(self.slow) - 1
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let (f, s) =
            (kernels::rolling_mean(x.close, self.fast), kernels::rolling_mean(x.close, self.slow));
        vec![f.iter().zip(&s).map(|(a, b)| a - b).collect()]
    }
}
