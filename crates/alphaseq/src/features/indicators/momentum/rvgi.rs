//! RVGI (pandas-ta `rvgi`, length 14, swma_length 4), the relative vigor index: the symmetric
//! weighted average (SWMA, weights 1 2 2 1) of close - open summed over `length` bars, over the
//! same of high - low, and its SWMA as the signal; the ranges with pandas-ta's `non_zero_range`
//! (causal form). Columns `RVGI_14_4`, `RVGIs_14_4`.

use crate::features::indicators::overlap::swma::Swma;
use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Relative vigor index.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rvgi {
    /// Summing window.
    pub length: usize,
    /// SWMA window.
    pub swma_length: usize,
}

impl Indicator for Rvgi {
    fn family(&self) -> Family {
        Family::Momentum
    }

    fn columns(&self) -> Vec<String> {
        let s = format!("{}_{}", self.length, self.swma_length);
        vec![format!("RVGI_{s}"), format!("RVGIs_{s}")]
    }

    fn params(&self) -> String {
        format!("length={} swma_length={}", self.length, self.swma_length)
    }

    fn warm_up(&self) -> usize {
        self.length + 2 * self.swma_length - 3
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let swma = |v: &[f64]| Swma { length: self.swma_length }.smooth(v);
        let numerator =
            kernels::rolling_sum(&swma(&kernels::non_zero_range(x.close, x.open)), self.length);
        let denominator =
            kernels::rolling_sum(&swma(&kernels::non_zero_range(x.high, x.low)), self.length);
        let rvgi: Vec<f64> = numerator.iter().zip(&denominator).map(|(a, b)| a / b).collect();
        let signal = swma(&rvgi);
        vec![rvgi, signal]
    }
}
