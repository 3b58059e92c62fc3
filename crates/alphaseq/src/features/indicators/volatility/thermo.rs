//! THERMO (pandas-ta `thermo`, length 20, long 2, short 0.5), Elder's market thermometer: the
//! larger of |high - previous high| and |previous low - low| (the high's move when they tie), its
//! EMA(length), and whether it is below `long` times the EMA or above `short` times it, as 1 or
//! 0. Columns `THERMO_20_2_0.5`, `THERMOma_20_2_0.5`, `THERMOl_20_2_0.5`, `THERMOs_20_2_0.5`.
//!
//! Follows pandas-ta: the two flags are 0 (not undefined) before the EMA exists.

use crate::features::indicators::{kernels, talib, Convention, Family, Indicator, Memory, Ohlcv};

/// Elder's thermometer.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thermo {
    /// EMA span.
    pub length: usize,
    /// Multiple of the EMA under which the long flag is set.
    pub long: f64,
    /// Multiple of the EMA over which the short flag is set.
    pub short: f64,
    /// Whose values: pandas-ta's pure-pandas path (default) or with TA-Lib's building blocks
    /// (`"talib"`).
    #[serde(default)]
    pub convention: Convention,
}

impl Indicator for Thermo {
    fn family(&self) -> Family {
        Family::Volatility
    }

    fn columns(&self) -> Vec<String> {
        let s = format!("{}_{}_{}", self.length, self.long, self.short);
        ["THERMO", "THERMOma", "THERMOl", "THERMOs"].iter().map(|c| format!("{c}_{s}")).collect()
    }

    fn params(&self) -> String {
        let params = { format!("length={} long={} short={}", self.length, self.long, self.short) };
        self.convention.named(params)
    }

    fn warm_up(&self) -> usize {
        if self.convention == Convention::Talib {
            return self.length;
        }
        self.length - 1
    }

    fn memory(&self) -> Memory {
        Memory::ema(self.length, 1)
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let low_move = kernels::diff(x.low, 1);
        let high_move = kernels::diff(x.high, 1);
        let thermo: Vec<f64> = (0..low_move.len())
            .map(|t| {
                let (l, h) = (low_move[t].abs(), high_move[t].abs());
                if h < l {
                    l
                } else {
                    h
                }
            })
            .collect();
        let ma = talib::ema_as(self.convention, &thermo, self.length);
        let flag = |b: bool| if b { 1.0 } else { 0.0 };
        let long = (0..ma.len()).map(|t| flag(thermo[t] < ma[t] * self.long)).collect();
        let short = (0..ma.len()).map(|t| flag(thermo[t] > ma[t] * self.short)).collect();
        vec![thermo, ma, long, short]
    }
}
