//! EFI (pandas-ta `efi`, length 13), Elder's force index: the EMA of close change x volume (the
//! SMA seed averages the values present among the first `length`, as pandas-ta).

use crate::features::indicators::{kernels, talib, Convention, Family, Indicator, Memory, Ohlcv};

/// Elder's force index.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Efi {
    /// Span.
    pub length: usize,
    /// Whose values: pandas-ta's pure-pandas path (default) or with TA-Lib's building blocks
    /// (`"talib"`).
    #[serde(default)]
    pub convention: Convention,
}

impl Indicator for Efi {
    fn family(&self) -> Family {
        Family::Volume
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("EFI_{}", self.length)]
    }

    fn params(&self) -> String {
        let params = { format!("length={}", self.length) };
        self.convention.named(params)
    }

    fn warm_up(&self) -> usize {
        if self.convention == Convention::Talib {
            return self.length;
        }
        self.length - 1
    }

    fn memory(&self) -> Memory {
        Memory::ema(self.length, 1)
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let force: Vec<f64> =
            kernels::diff(x.close, 1).iter().zip(x.volume).map(|(d, v)| d * v).collect();
        vec![talib::ema_as(self.convention, &force, self.length)]
    }
}
