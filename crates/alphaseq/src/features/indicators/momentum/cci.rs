//! CCI (pandas-ta `cci`, length 14, c 0.015), with typical price tp = (high + low + close) / 3.
//! **pandas-ta 0.4.71b0 computes `tp - SMA(tp) / (c * MAD(tp))`** (an operator-precedence slip;
//! the usual CCI, and TA-Lib's, is `(tp - SMA(tp)) / (c * MAD(tp))`). alphaseq follows pandas-ta,
//! so `CCI_14_0.015` equals a pandas-ta user's column; it is nearly the typical price itself.

use crate::features::indicators::{kernels, talib, Convention, Family, Indicator, Ohlcv};

/// Commodity channel index, as pandas-ta computes it.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cci {
    /// Window.
    pub length: usize,
    /// Scaling constant.
    pub c: f64,
    /// Whose values: pandas-ta's pure-pandas path (default) or TA-Lib's (`"talib"`).
    #[serde(default)]
    pub convention: Convention,
}

impl Indicator for Cci {
    fn family(&self) -> Family {
        Family::Momentum
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("CCI_{}_{}", self.length, self.c)]
    }

    fn params(&self) -> String {
        let params = { format!("length={} c={}", self.length, self.c) };
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
            return vec![talib::cci(x.high, x.low, x.close, self.length)];
        }
        let tp: Vec<f64> =
            (0..x.close.len()).map(|t| (x.high[t] + x.low[t] + x.close[t]) / 3.0).collect();
        let mean = kernels::rolling_mean(&tp, self.length);
        let mad = kernels::rolling(&tp, self.length, |w| {
            let m = w.iter().sum::<f64>() / w.len() as f64;
            w.iter().map(|v| (v - m).abs()).sum::<f64>() / w.len() as f64
        });
        vec![(0..tp.len()).map(|t| tp[t] - mean[t] / (self.c * mad[t])).collect()]
    }
}
