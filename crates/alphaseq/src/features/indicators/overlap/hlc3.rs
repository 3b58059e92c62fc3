//! HLC3 (pandas-ta `hlc3`), the typical price. Agrees with TA-Lib `TYPPRICE`.

use crate::features::indicators::{Family, Indicator, Ohlcv};

/// (high + low + close) / 3.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hlc3;

impl Indicator for Hlc3 {
    fn family(&self) -> Family {
        Family::Overlap
    }

    fn columns(&self) -> Vec<String> {
        vec!["HLC3".into()]
    }

    fn params(&self) -> String {
        String::new()
    }

    fn warm_up(&self) -> usize {
        0
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        vec![(0..x.close.len()).map(|t| (x.high[t] + x.low[t] + x.close[t]) / 3.0).collect()]
    }
}
