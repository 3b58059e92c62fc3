//! PVR (pandas-ta `pvr`), the price-volume rank: 1 when close and volume both rose or held, 2
//! when the close rose or held on falling volume, 3 when it fell on rising or equal volume, 4
//! when both fell; the first bar counts as no change (1, a placeholder). Column `PVR`. A missing close or volume
//! change counts as no change, as pandas-ta fills it with 0.

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Price-volume rank.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pvr;

impl Indicator for Pvr {
    fn family(&self) -> Family {
        Family::Volume
    }

    fn columns(&self) -> Vec<String> {
        vec!["PVR".into()]
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
        let filled = |v: Vec<f64>| -> Vec<f64> {
            v.into_iter().map(|d| if d.is_nan() { 0.0 } else { d }).collect()
        };
        let dc = filled(kernels::diff(x.close, 1));
        let dv = filled(kernels::diff(x.volume, 1));
        let rank = dc
            .iter()
            .zip(&dv)
            .map(|(c, v)| match (*c >= 0.0, *v >= 0.0) {
                (true, true) => 1.0,
                (true, false) => 2.0,
                (false, true) => 3.0,
                (false, false) => 4.0,
            })
            .collect();
        vec![rank]
    }
}
