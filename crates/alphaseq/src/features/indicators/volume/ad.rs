//! AD (pandas-ta `ad`, without an open), the accumulation/distribution line: the running sum of
//! (2 close - high - low) volume / (high - low). Agrees with TA-Lib `AD` except on flat bars.

use crate::features::indicators::{kernels, Family, Indicator, Memory, Ohlcv};

/// Accumulation/distribution line.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ad;

impl Indicator for Ad {
    fn family(&self) -> Family {
        Family::Volume
    }

    fn columns(&self) -> Vec<String> {
        vec!["AD".into()]
    }

    fn params(&self) -> String {
        String::new()
    }

    fn warm_up(&self) -> usize {
        0
    }

    fn memory(&self) -> Memory {
        Memory::Cumulative
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        vec![kernels::cumsum(&kernels::money_flow(x))]
    }
}
