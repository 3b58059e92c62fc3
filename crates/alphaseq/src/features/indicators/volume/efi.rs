//! EFI (pandas-ta `efi`, length 13), Elder's force index: the EMA of close change x volume (the
//! SMA seed averages the values present among the first `length`, as pandas-ta).

use crate::features::indicators::{kernels, Family, Indicator, Memory, Ohlcv};

/// Elder's force index.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Efi {
    /// Span.
    pub length: usize,
}

impl Indicator for Efi {
    fn family(&self) -> Family {
        Family::Volume
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("EFI_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={}", self.length)
    }

    fn warm_up(&self) -> usize {
        self.length - 1
    }

    fn memory(&self) -> Memory {
        Memory::ema(self.length, 1)
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let force: Vec<f64> =
            kernels::diff(x.close, 1).iter().zip(x.volume).map(|(d, v)| d * v).collect();
        vec![kernels::ema(&force, self.length)]
    }
}
