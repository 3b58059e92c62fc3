//! BOP (pandas-ta `bop`), balance of power: (close - open) / (high - low), each difference with
//! pandas-ta's `non_zero_range` epsilon. Agrees with TA-Lib `BOP` except on flat bars.

use crate::features::indicators::{kernels, talib, Convention, Family, Indicator, Ohlcv};

/// Balance of power.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bop {
    /// Whose values: pandas-ta's pure-pandas path (default) or TA-Lib's (`"talib"`).
    #[serde(default)]
    pub convention: Convention,
}

impl Indicator for Bop {
    fn family(&self) -> Family {
        Family::Momentum
    }

    fn columns(&self) -> Vec<String> {
        vec!["BOP".into()]
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
            return vec![talib::bop(x.open, x.high, x.low, x.close)];
        }
        let co = kernels::non_zero_range(x.close, x.open);
        let hl = kernels::non_zero_range(x.high, x.low);
        vec![co.iter().zip(&hl).map(|(a, b)| a / b).collect()]
    }
}
