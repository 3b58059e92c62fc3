//! DONCHIAN (pandas-ta `donchian`, lower and upper length 20): the lowest low, the midpoint and
//! the highest high over the window. Columns DCL, DCM, DCU. TA-Lib has no Donchian channel.

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Donchian channels.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Donchian {
    /// Window of the lowest low.
    pub lower_length: usize,
    /// Window of the highest high.
    pub upper_length: usize,
}

impl Indicator for Donchian {
    fn family(&self) -> Family {
        Family::Volatility
    }

    fn columns(&self) -> Vec<String> {
        let s = format!("{}_{}", self.lower_length, self.upper_length);
        vec![format!("DCL_{s}"), format!("DCM_{s}"), format!("DCU_{s}")]
    }

    fn params(&self) -> String {
        format!("lower_length={} upper_length={}", self.lower_length, self.upper_length)
    }

    fn warm_up(&self) -> usize {
        self.lower_length.max(self.upper_length) - 1
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let lower = kernels::rolling_min(x.low, self.lower_length);
        let upper = kernels::rolling_max(x.high, self.upper_length);
        let mid = lower.iter().zip(&upper).map(|(l, u)| 0.5 * (l + u)).collect();
        vec![lower, mid, upper]
    }
}
