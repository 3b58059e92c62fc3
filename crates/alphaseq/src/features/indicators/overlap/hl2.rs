//! HL2 (pandas-ta `hl2`): the midpoint of the bar.

use crate::features::indicators::{Family, Indicator, Ohlcv};

/// (high + low) / 2.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hl2;

impl Indicator for Hl2 {
    fn family(&self) -> Family {
        Family::Overlap
    }

    fn columns(&self) -> Vec<String> {
        vec!["HL2".into()]
    }

    fn params(&self) -> String {
        String::new()
    }

    fn warm_up(&self) -> usize {
        0
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        vec![x.high.iter().zip(x.low).map(|(h, l)| 0.5 * (h + l)).collect()]
    }
}
