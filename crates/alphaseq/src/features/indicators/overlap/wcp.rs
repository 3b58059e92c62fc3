//! WCP (pandas-ta `wcp`), the weighted close price. **pandas-ta 0.4.71b0's pure-pandas path
//! omits the division by 4** (`high + low + 2 * close`), so its values are 4x TA-Lib's
//! `WCLPRICE` and the usual definition; alphaseq follows pandas-ta, as a user of its columns
//! expects. As a model input the scale is irrelevant once features are scaled.

use crate::features::indicators::{talib, Convention, Family, Indicator, Ohlcv};

/// high + low + 2 close, as pandas-ta's pure-pandas path computes it.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Wcp {
    /// Whose values: pandas-ta's pure-pandas path (default) or TA-Lib's (`"talib"`).
    #[serde(default)]
    pub convention: Convention,
}

impl Indicator for Wcp {
    fn family(&self) -> Family {
        Family::Overlap
    }

    fn columns(&self) -> Vec<String> {
        vec!["WCP".into()]
    }

    fn params(&self) -> String {
        let params = { String::new() };
        self.convention.named(params)
    }

    fn warm_up(&self) -> usize {
        if self.convention == Convention::Talib {
            return 0;
        }
        0
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        if self.convention == Convention::Talib {
            return vec![talib::wclprice(x.high, x.low, x.close)];
        }
        vec![(0..x.close.len()).map(|t| x.high[t] + x.low[t] + 2.0 * x.close[t]).collect()]
    }
}
