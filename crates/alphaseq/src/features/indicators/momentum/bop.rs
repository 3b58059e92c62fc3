//! BOP (pandas-ta `bop`), balance of power: (close - open) / (high - low), each difference with
//! pandas-ta's `non_zero_range` epsilon. Agrees with TA-Lib `BOP` except on flat bars.

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Balance of power.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bop;

impl Indicator for Bop {
    fn family(&self) -> Family {
        Family::Momentum
    }

    fn columns(&self) -> Vec<String> {
        vec!["BOP".into()]
    }

    fn params(&self) -> String {
        String::new()
    }

    fn warm_up(&self) -> usize {
        0
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let co = kernels::non_zero_range(x.close, x.open);
        let hl = kernels::non_zero_range(x.high, x.low);
        vec![co.iter().zip(&hl).map(|(a, b)| a / b).collect()]
    }
}
