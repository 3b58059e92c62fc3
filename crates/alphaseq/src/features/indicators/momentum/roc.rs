//! ROC (pandas-ta `roc`): the rate of change in percent over `length` bars. Agrees with TA-Lib
//! `ROC`.

use crate::features::indicators::{Family, Indicator, Ohlcv};

/// 100 (close_t - close_{t-length}) / close_{t-length}.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Roc {
    /// Lag.
    pub length: usize,
}

impl Indicator for Roc {
    fn family(&self) -> Family {
        Family::Momentum
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("ROC_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={}", self.length)
    }

    fn warm_up(&self) -> usize {
        self.length
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let (c, n) = (x.close, self.length);
        vec![(0..c.len())
            .map(|t| if t < n { f64::NAN } else { 100.0 * (c[t] - c[t - n]) / c[t - n] })
            .collect()]
    }
}
