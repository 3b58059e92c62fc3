//! PDIST (pandas-ta `pdist`), the price distance: `2 (high - low) + |open - previous close| -
//! |close - open|`, each difference with pandas-ta's `non_zero_range` (causal form). Column
//! `PDIST`.

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Price distance.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pdist;

impl Indicator for Pdist {
    fn family(&self) -> Family {
        Family::Volatility
    }

    fn columns(&self) -> Vec<String> {
        vec!["PDIST".into()]
    }

    fn params(&self) -> String {
        String::new()
    }

    fn warm_up(&self) -> usize {
        1
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let range = kernels::non_zero_range(x.high, x.low);
        let gap = kernels::non_zero_range(x.open, &kernels::shift(x.close, 1));
        let body = kernels::non_zero_range(x.close, x.open);
        vec![(0..range.len()).map(|t| 2.0 * range[t] + gap[t].abs() - body[t].abs()).collect()]
    }
}
