//! AO (pandas-ta `ao`, 5 and 34), the awesome oscillator: SMA(5) - SMA(34) of the bar midpoint.

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Awesome oscillator.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ao {
    /// Fast window.
    pub fast: usize,
    /// Slow window.
    pub slow: usize,
}

impl Indicator for Ao {
    fn family(&self) -> Family {
        Family::Momentum
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("AO_{}_{}", self.fast, self.slow)]
    }

    fn params(&self) -> String {
        format!("fast={} slow={}", self.fast, self.slow)
    }

    fn warm_up(&self) -> usize {
        self.fast.max(self.slow) - 1
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let mid: Vec<f64> = (0..x.close.len()).map(|t| 0.5 * (x.high[t] + x.low[t])).collect();
        let (f, s) =
            (kernels::rolling_mean(&mid, self.fast), kernels::rolling_mean(&mid, self.slow));
        vec![f.iter().zip(&s).map(|(a, b)| a - b).collect()]
    }
}
