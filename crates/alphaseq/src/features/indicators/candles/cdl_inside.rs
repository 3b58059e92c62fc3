//! CDL_INSIDE (pandas-ta `cdl_inside`): 100 on an inside bar (a high below the previous high and a
//! low above the previous low), else 0. Column `CDL_INSIDE`.
//!
//! Departs from pandas-ta knowingly on the first bar: pandas-ta compares it with the last bar of
//! the series (`numpy.roll` wraps round), a look-ahead; alphaseq's first bar, with no previous
//! bar, is 0 (a placeholder).

use crate::features::indicators::{Family, Indicator, Ohlcv};

/// Inside bar.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CdlInside;

impl Indicator for CdlInside {
    fn family(&self) -> Family {
        Family::Candles
    }

    fn columns(&self) -> Vec<String> {
        vec!["CDL_INSIDE".into()]
    }

    fn params(&self) -> String {
        String::new()
    }

    fn warm_up(&self) -> usize {
        0
    }

    fn placeholder_rows(&self) -> usize {
        1
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let inside = (0..x.high.len())
            .map(|t| {
                let yes = t > 0 && x.high[t] - x.high[t - 1] < 0.0 && x.low[t] - x.low[t - 1] > 0.0;
                if yes {
                    100.0
                } else {
                    0.0
                }
            })
            .collect();
        vec![inside]
    }
}
