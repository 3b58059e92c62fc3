//! OBV (pandas-ta `obv`): the running sum of volume signed by the close's change (0 when the close
//! is unchanged). **pandas-ta 0.4.71b0's `signed_series` discards its `initial` argument**, so the
//! first bar's sign is NaN: OBV is undefined on the first bar and the first bar's volume never
//! enters the sum (pandas' `cumsum` skips the NaN). TA-Lib's `OBV` starts from the first volume, so
//! the two differ by that constant. alphaseq follows pandas-ta.

use crate::features::indicators::{talib, Convention, Family, Indicator, Memory, Ohlcv};

/// On-balance volume.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Obv {
    /// Whose values: pandas-ta's pure-pandas path (default) or TA-Lib's (`"talib"`).
    #[serde(default)]
    pub convention: Convention,
}

impl Indicator for Obv {
    fn family(&self) -> Family {
        Family::Volume
    }

    fn columns(&self) -> Vec<String> {
        vec!["OBV".into()]
    }

    fn params(&self) -> String {
        let params = { String::new() };
        self.convention.named(params)
    }

    fn warm_up(&self) -> usize {
        if self.convention == Convention::Talib {
            return 0;
        }
        1
    }

    fn memory(&self) -> Memory {
        Memory::Cumulative
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        if self.convention == Convention::Talib {
            return vec![talib::obv(x.close, x.volume)];
        }
        let mut total = 0.0;
        let out = (0..x.close.len())
            .map(|t| {
                let d = if t == 0 { f64::NAN } else { x.close[t] - x.close[t - 1] };
                let sign = if d > 0.0 {
                    1.0
                } else if d < 0.0 {
                    -1.0
                } else if d == 0.0 {
                    0.0
                } else {
                    return f64::NAN; // pandas' cumsum skips it and carries on
                };
                total += sign * x.volume[t];
                total
            })
            .collect();
        vec![out]
    }
}
