//! OHLC4 (pandas-ta `ohlc4`), the average of the bar's four prices.

use crate::features::indicators::{Family, Indicator, Ohlcv};

/// (open + high + low + close) / 4.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ohlc4;

impl Indicator for Ohlc4 {
    fn family(&self) -> Family {
        Family::Overlap
    }

    fn columns(&self) -> Vec<String> {
        vec!["OHLC4".into()]
    }

    fn params(&self) -> String {
        String::new()
    }

    fn warm_up(&self) -> usize {
        0
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        vec![(0..x.close.len())
            .map(|t| 0.25 * (x.open[t] + x.high[t] + x.low[t] + x.close[t]))
            .collect()]
    }
}
