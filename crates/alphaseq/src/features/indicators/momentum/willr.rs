//! WILLR (pandas-ta `willr`): 100 ((close - lowest low) / (highest high - lowest low) - 1) over
//! `length` bars. Agrees with TA-Lib `WILLR`.

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Williams' %R.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Willr {
    /// Window.
    pub length: usize,
}

impl Indicator for Willr {
    fn family(&self) -> Family {
        Family::Momentum
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("WILLR_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={}", self.length)
    }

    fn warm_up(&self) -> usize {
        self.length - 1
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let ll = kernels::rolling_min(x.low, self.length);
        let hh = kernels::rolling_max(x.high, self.length);
        vec![(0..x.close.len())
            .map(|t| 100.0 * ((x.close[t] - ll[t]) / (hh[t] - ll[t]) - 1.0))
            .collect()]
    }
}
