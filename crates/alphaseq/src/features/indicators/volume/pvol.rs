//! PVOL (pandas-ta `pvol`), price-volume: close x volume. Column `PVOL`.

use crate::features::indicators::{Family, Indicator, Ohlcv};

/// Price-volume.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pvol;

impl Indicator for Pvol {
    fn family(&self) -> Family {
        Family::Volume
    }

    fn columns(&self) -> Vec<String> {
        vec!["PVOL".into()]
    }

    fn params(&self) -> String {
        String::new()
    }

    fn warm_up(&self) -> usize {
        0
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        vec![x.close.iter().zip(x.volume).map(|(c, v)| c * v).collect()]
    }
}
