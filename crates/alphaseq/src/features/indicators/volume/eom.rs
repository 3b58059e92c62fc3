//! EOM (pandas-ta `eom`, length 14, divisor 1e8), ease of movement: the change of the bar's
//! midpoint over (volume / divisor / range), averaged over `length` bars. Undefined (inf or NaN,
//! as pandas-ta) on zero-volume bars. TA-Lib has no EOM.

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Ease of movement.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Eom {
    /// Window.
    pub length: usize,
}

impl Indicator for Eom {
    fn family(&self) -> Family {
        Family::Volume
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("EOM_{}_100000000", self.length)]
    }

    fn params(&self) -> String {
        format!("length={} divisor=1e8", self.length)
    }

    fn warm_up(&self) -> usize {
        self.length
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let range = kernels::non_zero_range(x.high, x.low);
        let mid: Vec<f64> = x.high.iter().zip(x.low).map(|(h, l)| 0.5 * (h + l)).collect();
        let distance = kernels::diff(&mid, 1);
        let eom: Vec<f64> = (0..mid.len())
            .map(|t| distance[t] / (x.volume[t] / 100_000_000.0 / range[t]))
            .collect();
        vec![kernels::rolling_mean(&eom, self.length)]
    }
}
