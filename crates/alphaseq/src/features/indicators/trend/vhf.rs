//! VHF (pandas-ta `vhf`, length 28), the vertical horizontal filter: |highest close - lowest
//! close| over the window divided by the window's sum of absolute close changes (infinite values
//! reported as NaN). TA-Lib has no VHF.

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Vertical horizontal filter.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vhf {
    /// Window.
    pub length: usize,
}

impl Indicator for Vhf {
    fn family(&self) -> Family {
        Family::Trend
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("VHF_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={}", self.length)
    }

    fn warm_up(&self) -> usize {
        self.length
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let span = kernels::non_zero_range(
            &kernels::rolling_max(x.close, self.length),
            &kernels::rolling_min(x.close, self.length),
        );
        let moves: Vec<f64> = kernels::diff(x.close, 1).iter().map(|d| d.abs()).collect();
        let path = kernels::rolling_sum(&moves, self.length);
        vec![span
            .iter()
            .zip(&path)
            .map(|(s, p)| {
                let v = s.abs() / p;
                if v.is_infinite() {
                    f64::NAN
                } else {
                    v
                }
            })
            .collect()]
    }
}
