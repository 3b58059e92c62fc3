//! TRUERANGE (pandas-ta `true_range`, drift 1, prenan false): on the first bar, high - low.
//! pandas-ta adds machine epsilon to every high - low range when any bar has high == low
//! (`non_zero_range`), a look-ahead of 2.2e-16; alphaseq adds it from the first flat bar on
//! ([`kernels::non_zero_range`]), which agrees with pandas-ta unless a flat bar comes later.

use crate::features::indicators::{kernels, talib, Convention, Family, Indicator, Ohlcv};

/// max(high - low, |high - close_{t-1}|, |close_{t-1} - low|).
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrueRange {
    /// Whose values: pandas-ta's pure-pandas path (default) or TA-Lib's (`"talib"`).
    #[serde(default)]
    pub convention: Convention,
}

impl Indicator for TrueRange {
    fn family(&self) -> Family {
        Family::Volatility
    }

    fn columns(&self) -> Vec<String> {
        vec!["TRUERANGE_1".into()]
    }

    fn params(&self) -> String {
        let params = { "drift=1".to_string() };
        self.convention.named(params)
    }

    fn warm_up(&self) -> usize {
        if self.convention == Convention::Talib {
            return 1;
        }
        0
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        if self.convention == Convention::Talib {
            return vec![talib::true_range(x.high, x.low, x.close)];
        }
        vec![true_range(x)]
    }
}

/// The true range series (shared with ATR).
pub fn true_range(x: &Ohlcv) -> Vec<f64> {
    let (h, l, c) = (x.high, x.low, x.close);
    let eps = kernels::flat_since(h, l);
    (0..c.len())
        .map(|t| {
            let hl = h[t] - l[t] + eps[t];
            if t == 0 || c[t - 1].is_nan() {
                hl
            } else {
                hl.max((h[t] - c[t - 1]).abs()).max((c[t - 1] - l[t]).abs())
            }
        })
        .collect()
}
