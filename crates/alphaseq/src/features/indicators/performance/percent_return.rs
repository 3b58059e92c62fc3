//! PCTRET (pandas-ta `percent_return`): the simple return over `length` bars.

use crate::features::indicators::{Family, Indicator, Ohlcv};

/// close_t / close_{t-length} - 1.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PercentReturn {
    /// Lag.
    pub length: usize,
}

impl Indicator for PercentReturn {
    fn family(&self) -> Family {
        Family::Performance
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("PCTRET_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={}", self.length)
    }

    fn warm_up(&self) -> usize {
        self.length
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let (c, n) = (x.close, self.length);
        vec![(0..c.len()).map(|t| if t < n { f64::NAN } else { c[t] / c[t - n] - 1.0 }).collect()]
    }
}
