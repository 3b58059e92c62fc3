//! MOM (pandas-ta `mom`): the change of the close over `length` bars. Agrees with TA-Lib `MOM`.

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// close_t - close_{t-length}.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mom {
    /// Lag.
    pub length: usize,
}

impl Indicator for Mom {
    fn family(&self) -> Family {
        Family::Momentum
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("MOM_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={}", self.length)
    }

    fn warm_up(&self) -> usize {
        self.length
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        vec![kernels::diff(x.close, self.length)]
    }
}
