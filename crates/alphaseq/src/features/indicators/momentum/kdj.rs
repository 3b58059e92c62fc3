//! KDJ (pandas-ta `kdj`, length 9, signal 3): the raw stochastic %K over `length` bars smoothed
//! into K by pandas' `ewm(alpha = 1 / signal, min_periods = signal)` (adjusted weights), D the
//! same smoothing of K, and J = 3 K - 2 D. Columns `K_9_3`, `D_9_3`, `J_9_3`.

use crate::features::indicators::{kernels, Family, Indicator, Memory, Ohlcv};

/// KDJ oscillator.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Kdj {
    /// Look-back of the raw stochastic.
    pub length: usize,
    /// Smoothing of K and D.
    pub signal: usize,
}

impl Indicator for Kdj {
    fn family(&self) -> Family {
        Family::Momentum
    }

    fn columns(&self) -> Vec<String> {
        let s = format!("{}_{}", self.length, self.signal);
        vec![format!("K_{s}"), format!("D_{s}"), format!("J_{s}")]
    }

    fn params(&self) -> String {
        format!("length={} signal={}", self.length, self.signal)
    }

    fn warm_up(&self) -> usize {
        self.length + 2 * self.signal - 3
    }

    fn memory(&self) -> Memory {
        Memory::rma(self.signal, 2)
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let hh = kernels::rolling_max(x.high, self.length);
        let ll = kernels::rolling_min(x.low, self.length);
        let range = kernels::non_zero_range(&hh, &ll);
        let fast: Vec<f64> =
            (0..x.close.len()).map(|t| 100.0 * (x.close[t] - ll[t]) / range[t]).collect();
        let alpha = 1.0 / self.signal as f64;
        let k = kernels::ewm_mean_adjusted(&fast, alpha, self.signal);
        let d = kernels::ewm_mean_adjusted(&k, alpha, self.signal);
        let j = k.iter().zip(&d).map(|(k, d)| 3.0 * k - 2.0 * d).collect();
        vec![k, d, j]
    }
}
