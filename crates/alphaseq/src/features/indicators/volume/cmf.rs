//! CMF (pandas-ta `cmf`, length 20), Chaikin money flow: the sum of the bars' money flow over the
//! sum of volume, over `length` bars.

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Chaikin money flow.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cmf {
    /// Window.
    pub length: usize,
}

impl Indicator for Cmf {
    fn family(&self) -> Family {
        Family::Volume
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("CMF_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={}", self.length)
    }

    fn warm_up(&self) -> usize {
        self.length - 1
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let flow = kernels::rolling_sum(&kernels::money_flow(x), self.length);
        let vol = kernels::rolling_sum(x.volume, self.length);
        vec![flow.iter().zip(&vol).map(|(a, b)| a / b).collect()]
    }
}
