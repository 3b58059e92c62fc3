//! PVT (pandas-ta `pvt`), price-volume trend: the running sum of ROC(1) (in percent) x volume.

use crate::features::indicators::{kernels, Family, Indicator, Memory, Ohlcv};

/// Price-volume trend.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pvt;

impl Indicator for Pvt {
    fn family(&self) -> Family {
        Family::Volume
    }

    fn columns(&self) -> Vec<String> {
        vec!["PVT".into()]
    }

    fn params(&self) -> String {
        String::new()
    }

    fn warm_up(&self) -> usize {
        1
    }

    fn memory(&self) -> Memory {
        Memory::Cumulative
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let c = x.close;
        let pv: Vec<f64> =
            (0..c.len())
                .map(|t| {
                    if t == 0 {
                        f64::NAN
                    } else {
                        100.0 * (c[t] - c[t - 1]) / c[t - 1] * x.volume[t]
                    }
                })
                .collect();
        vec![kernels::cumsum(&pv)]
    }
}
