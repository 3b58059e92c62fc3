//! CMO (pandas-ta `cmo`, length 14), Chande's momentum oscillator 100 (U - D) / (U + D) of the
//! close's gains U and losses D. **pandas-ta smooths U and D with Wilder's RMA when its `talib`
//! flag is left at its default (as a user without TA-Lib runs it), but sums them over `length` bars
//! (Chande's and TA-Lib's definition) when `talib=False` is passed.** alphaseq follows the default,
//! RMA, defined from the second bar.

use crate::features::indicators::{kernels, talib, Convention, Family, Indicator, Memory, Ohlcv};

/// Chande momentum oscillator.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cmo {
    /// Window.
    pub length: usize,
    /// Whose values: pandas-ta's pure-pandas path (default) or TA-Lib's (`"talib"`).
    #[serde(default)]
    pub convention: Convention,
}

impl Indicator for Cmo {
    fn family(&self) -> Family {
        Family::Momentum
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("CMO_{}", self.length)]
    }

    fn params(&self) -> String {
        let params = { format!("length={}", self.length) };
        self.convention.named(params)
    }

    fn warm_up(&self) -> usize {
        if self.convention == Convention::Talib {
            return self.length;
        }
        1
    }

    fn memory(&self) -> Memory {
        Memory::rma(self.length, 1)
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        if self.convention == Convention::Talib {
            return vec![talib::cmo(x.close, self.length)];
        }
        let d = kernels::diff(x.close, 1);
        let up: Vec<f64> =
            d.iter().map(|v| if v.is_nan() { f64::NAN } else { v.max(0.0) }).collect();
        let down: Vec<f64> =
            d.iter().map(|v| if v.is_nan() { f64::NAN } else { v.min(0.0).abs() }).collect();
        let alpha = 1.0 / self.length as f64;
        let (u, dn) = (kernels::ewm_mean(&up, alpha), kernels::ewm_mean(&down, alpha));
        vec![u.iter().zip(&dn).map(|(a, b)| 100.0 * (a - b) / (a + b)).collect()]
    }
}
