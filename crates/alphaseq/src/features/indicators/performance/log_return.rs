//! LOGRET (pandas-ta `log_return`): the log return over `length` bars.

use crate::features::indicators::{Family, Indicator, Ohlcv};

/// ln(close_t / close_{t-length}).
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogReturn {
    /// Lag.
    pub length: usize,
}

impl Indicator for LogReturn {
    fn family(&self) -> Family {
        Family::Performance
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("LOGRET_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={}", self.length)
    }

    fn warm_up(&self) -> usize {
        self.length
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let (c, n) = (x.close, self.length);
        vec![(0..c.len()).map(|t| if t < n { f64::NAN } else { (c[t] / c[t - n]).ln() }).collect()]
    }
}
