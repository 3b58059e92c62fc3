//! STOCHF (pandas-ta `stochf`, k 14, d 3), the fast stochastic: %K = 100 (close - lowest low) /
//! (highest high - lowest low) over k bars, unsmoothed, and %D its SMA(d). Columns
//! `STOCHFk_14_3`, `STOCHFd_14_3`.

use crate::features::indicators::momentum::stoch::Stoch;
use crate::features::indicators::{talib, Convention, Family, Indicator, Ohlcv};

/// Fast stochastic oscillator.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stochf {
    /// Look-back of %K.
    pub k: usize,
    /// Smoothing of %D.
    pub d: usize,
    /// Whose values: pandas-ta's pure-pandas path (default) or TA-Lib's (`"talib"`).
    #[serde(default)]
    pub convention: Convention,
}

impl Indicator for Stochf {
    fn family(&self) -> Family {
        Family::Momentum
    }

    fn columns(&self) -> Vec<String> {
        let s = format!("{}_{}", self.k, self.d);
        vec![format!("STOCHFk_{s}"), format!("STOCHFd_{s}")]
    }

    fn params(&self) -> String {
        let params = { format!("k={} d={}", self.k, self.d) };
        self.convention.named(params)
    }

    fn warm_up(&self) -> usize {
        if self.convention == Convention::Talib {
            return self.k + self.d - 2;
        }
        self.k + self.d - 2
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        if self.convention == Convention::Talib {
            return {
                let [k, d] = talib::stochf(x.high, x.low, x.close, self.k, self.d);
                vec![k, d]
            };
        }
        // the slow stochastic with %K unsmoothed
        let mut cols =
            Stoch { k: self.k, d: self.d, smooth_k: 1, convention: Convention::PandasTa }
                .compute(x);
        cols.truncate(2);
        cols
    }
}
