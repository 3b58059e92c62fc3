//! VWMA (pandas-ta `vwma`, length 10): SMA(close * volume) / SMA(volume); undefined (NaN) where the
//! window's volume is zero.

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Volume-weighted moving average.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vwma {
    /// Window.
    pub length: usize,
}

impl Indicator for Vwma {
    fn family(&self) -> Family {
        Family::Overlap
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("VWMA_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={}", self.length)
    }

    fn warm_up(&self) -> usize {
        self.length - 1
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let pv: Vec<f64> = x.close.iter().zip(x.volume).map(|(c, v)| c * v).collect();
        let (num, den) =
            (kernels::rolling_mean(&pv, self.length), kernels::rolling_mean(x.volume, self.length));
        vec![num.iter().zip(&den).map(|(a, b)| a / b).collect()]
    }
}
