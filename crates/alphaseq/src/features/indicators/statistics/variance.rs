//! VARIANCE (pandas-ta `variance`, length 30): the rolling sample variance (ddof 1). TA-Lib's
//! `VAR` is the population variance (ddof 0).

use crate::features::indicators::{kernels, talib, Convention, Family, Indicator, Ohlcv};

/// Rolling sample variance of the close.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variance {
    /// Window.
    pub length: usize,
    /// Whose values: pandas-ta's pure-pandas path (default) or TA-Lib's (`"talib"`).
    #[serde(default)]
    pub convention: Convention,
}

impl Indicator for Variance {
    fn family(&self) -> Family {
        Family::Statistics
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("VAR_{}", self.length)]
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
            return vec![talib::var(x.close, self.length)];
        }
        let sd = kernels::rolling_std(x.close, self.length);
        vec![sd.iter().map(|s| s * s).collect()]
    }
}
