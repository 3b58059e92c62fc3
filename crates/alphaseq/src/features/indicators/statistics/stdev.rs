//! STDEV (pandas-ta `stdev`, length 30): the rolling sample standard deviation (ddof 1). TA-Lib's
//! `STDDEV` uses ddof 0.

use crate::features::indicators::{kernels, talib, Convention, Family, Indicator, Ohlcv};

/// Rolling sample standard deviation of the close.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stdev {
    /// Window.
    pub length: usize,
    /// Whose values: pandas-ta's pure-pandas path (default) or TA-Lib's (`"talib"`).
    #[serde(default)]
    pub convention: Convention,
}

impl Indicator for Stdev {
    fn family(&self) -> Family {
        Family::Statistics
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("STDEV_{}", self.length)]
    }

    fn params(&self) -> String {
        let params = { format!("length={}", self.length) };
        self.convention.named(params)
    }

    fn warm_up(&self) -> usize {
        if self.convention == Convention::Talib {
            return self.length - 1;
        }
        self.length - 1
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        if self.convention == Convention::Talib {
            return vec![talib::stddev(x.close, self.length, 1.0)];
        }
        vec![kernels::rolling_std(x.close, self.length)]
    }
}
