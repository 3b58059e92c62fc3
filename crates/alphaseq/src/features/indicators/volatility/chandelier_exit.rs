//! CHANDELIER_EXIT (pandas-ta `chandelier_exit`, high_length 22, low_length 22, atr_length 14,
//! multiplier 2): the long exit `highest high - multiplier ATR` and the short exit `lowest low +
//! multiplier ATR` (the extremes over up to their lengths, `min_periods = 1`; Wilder's ATR), and
//! the direction: 1 once the close rises above the previous long exit, -1 once it falls below the
//! previous short exit, else the last direction (1 at the first bar). Columns
//! `CHDLREXTl_22_22_14_2.0`, `CHDLREXTs_22_22_14_2.0`, `CHDLREXTd_22_22_14_2.0`.
//!
//! Follows pandas-ta: the direction is defined from the first bar (1 until the exits exist).

use crate::features::indicators::volatility::atr::Atr;
use crate::features::indicators::{kernels, Convention, Family, Indicator, Memory, Ohlcv};

/// Chandelier exit.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChandelierExit {
    /// Window of the highest high.
    pub high_length: usize,
    /// Window of the lowest low.
    pub low_length: usize,
    /// ATR window.
    pub atr_length: usize,
    /// ATR multiple.
    pub multiplier: f64,
    /// Whose values: pandas-ta's pure-pandas path (default) or with TA-Lib's ATR (`"talib"`).
    #[serde(default)]
    pub convention: Convention,
}

impl Indicator for ChandelierExit {
    fn family(&self) -> Family {
        Family::Volatility
    }

    fn columns(&self) -> Vec<String> {
        let s = format!(
            "{}_{}_{}_{:?}",
            self.high_length, self.low_length, self.atr_length, self.multiplier
        );
        vec![format!("CHDLREXTl_{s}"), format!("CHDLREXTs_{s}"), format!("CHDLREXTd_{s}")]
    }

    fn params(&self) -> String {
        let params = {
            format!(
                "high_length={} low_length={} atr_length={} multiplier={}",
                self.high_length, self.low_length, self.atr_length, self.multiplier
            )
        };
        self.convention.named(params)
    }

    fn warm_up(&self) -> usize {
        Atr { length: self.atr_length, convention: self.convention }.warm_up()
    }

    fn memory(&self) -> Memory {
        Memory::Path
    }

    fn column_memory(&self) -> Vec<Memory> {
        let exits = super::super::volatility::atr::Atr {
            length: self.atr_length,
            convention: self.convention,
        }
        .memory();
        vec![exits, exits, Memory::Path]
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let atr = super::super::volatility::atr::Atr {
            length: self.atr_length,
            convention: self.convention,
        }
        .compute(x)
        .remove(0);
        let highest = kernels::rolling_partial(x.high, self.high_length, f64::max);
        let lowest = kernels::rolling_partial(x.low, self.low_length, f64::min);
        let long: Vec<f64> =
            (0..atr.len()).map(|t| highest[t] - atr[t] * self.multiplier).collect();
        let short: Vec<f64> =
            (0..atr.len()).map(|t| lowest[t] + atr[t] * self.multiplier).collect();
        let (long_before, short_before) = (kernels::shift(&long, 1), kernels::shift(&short, 1));
        let mut direction = vec![f64::NAN; atr.len()];
        let mut last = f64::NAN;
        for t in 0..atr.len() {
            let up = i32::from(x.close[t] > long_before[t]);
            let down = -i32::from(x.close[t] < short_before[t]);
            let d = up + down;
            if d != 0 {
                last = f64::from(d);
            } else if t == 0 {
                last = 1.0;
            }
            direction[t] = last;
        }
        vec![long, short, direction]
    }
}
