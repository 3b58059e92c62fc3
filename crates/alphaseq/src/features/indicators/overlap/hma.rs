//! HMA (pandas-ta `hma`, length 10, mamode wma), Hull's moving average:
//! WMA(2 WMA(close, length / 2) - WMA(close, length), floor(sqrt(length))), integer halves and
//! roots as pandas-ta takes them. TA-Lib has no HMA.

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Hull moving average.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hma {
    /// Window.
    pub length: usize,
}

impl Hma {
    fn sqrt_length(&self) -> usize {
        (self.length as f64).sqrt() as usize
    }
}

impl Indicator for Hma {
    fn family(&self) -> Family {
        Family::Overlap
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("HMA_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={}", self.length)
    }

    fn warm_up(&self) -> usize {
        self.length + self.sqrt_length() - 2
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let (fast, slow) =
            (kernels::wma(x.close, self.length / 2), kernels::wma(x.close, self.length));
        let diff: Vec<f64> = fast.iter().zip(&slow).map(|(f, s)| 2.0 * f - s).collect();
        vec![kernels::wma(&diff, self.sqrt_length())]
    }
}
