//! VORTEX (pandas-ta `vortex`, length 14): VI+ = sum |high_t - low_{t-1}| / sum true range and VI-
//! = sum |low_t - high_{t-1}| / sum true range over `length` bars. Columns `VTXP_14`, `VTXM_14`.

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Vortex indicator.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vortex {
    /// Window.
    pub length: usize,
}

impl Indicator for Vortex {
    fn family(&self) -> Family {
        Family::Trend
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("VTXP_{}", self.length), format!("VTXM_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={}", self.length)
    }

    fn warm_up(&self) -> usize {
        self.length
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let n = self.length;
        let sum = |v: &[f64]| kernels::rolling(v, n, |w| w.iter().sum());
        let tr = sum(&super::super::volatility::true_range::true_range(x));
        let m = x.close.len();
        let plus: Vec<f64> = (0..m)
            .map(|t| if t == 0 { f64::NAN } else { (x.high[t] - x.low[t - 1]).abs() })
            .collect();
        let minus: Vec<f64> = (0..m)
            .map(|t| if t == 0 { f64::NAN } else { (x.low[t] - x.high[t - 1]).abs() })
            .collect();
        let (p, q) = (sum(&plus), sum(&minus));
        vec![
            p.iter().zip(&tr).map(|(a, b)| a / b).collect(),
            q.iter().zip(&tr).map(|(a, b)| a / b).collect(),
        ]
    }
}
