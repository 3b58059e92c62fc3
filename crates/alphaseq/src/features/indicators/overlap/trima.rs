//! TRIMA (pandas-ta `trima`, length 10): the SMA of the SMA, both over round((length + 1) / 2)
//! bars (Python's round: halves to even). TA-Lib's TRIMA weights differently for even lengths.

use crate::features::indicators::{kernels, talib, Convention, Family, Indicator, Ohlcv};

/// Triangular moving average.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trima {
    /// Window.
    pub length: usize,
    /// Whose values: pandas-ta's pure-pandas path (default) or TA-Lib's (`"talib"`).
    #[serde(default)]
    pub convention: Convention,
}

impl Indicator for Trima {
    fn family(&self) -> Family {
        Family::Overlap
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("TRIMA_{}", self.length)]
    }

    fn params(&self) -> String {
        let params = { format!("length={}", self.length) };
        self.convention.named(params)
    }

    fn warm_up(&self) -> usize {
        if self.convention == Convention::Talib {
            return self.length - 1;
        }
        2 * self.half() - 2
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        if self.convention == Convention::Talib {
            return vec![talib::trima(x.close, self.length)];
        }
        let h = self.half();
        vec![kernels::rolling_mean(&kernels::rolling_mean(x.close, h), h)]
    }
}

impl Trima {
    /// round((length + 1) / 2), rounding halves to even as Python does.
    fn half(&self) -> usize {
        let v = 0.5 * (self.length as f64 + 1.0);
        let r = v.round_ties_even();
        r as usize
    }
}
