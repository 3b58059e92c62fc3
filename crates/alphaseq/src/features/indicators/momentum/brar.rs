//! BRAR (pandas-ta `brar`, length 26): AR = 100 sum(high - open) / sum(open - low) and BR = 100
//! sum(max(high - previous close, 0)) / sum(max(previous close - low, 0)) over `length` bars, the
//! differences with pandas-ta's `non_zero_range` (causal form). Columns `AR_26`, `BR_26`.

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Emotion (AR) and willingness (BR) indicators.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Brar {
    /// Window.
    pub length: usize,
}

impl Indicator for Brar {
    fn family(&self) -> Family {
        Family::Momentum
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("AR_{}", self.length), format!("BR_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={}", self.length)
    }

    fn warm_up(&self) -> usize {
        self.length
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let n = self.length;
        let ratio = |a: Vec<f64>, b: Vec<f64>| -> Vec<f64> {
            let (a, b) = (kernels::rolling_sum(&a, n), kernels::rolling_sum(&b, n));
            a.iter().zip(&b).map(|(a, b)| 100.0 * a / b).collect()
        };
        let floor = |v: Vec<f64>| -> Vec<f64> {
            v.into_iter().map(|d| if d < 0.0 { 0.0 } else { d }).collect()
        };
        let previous = kernels::shift(x.close, 1);
        let ar =
            ratio(kernels::non_zero_range(x.high, x.open), kernels::non_zero_range(x.open, x.low));
        let br = ratio(
            floor(kernels::non_zero_range(x.high, &previous)),
            floor(kernels::non_zero_range(&previous, x.low)),
        );
        vec![ar, br]
    }
}
