//! MIDPRICE (pandas-ta `midprice`, length 2): the middle of the highest high and lowest low over
//! `length` bars. Agrees with TA-Lib `MIDPRICE`.

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Midpoint of the bar range.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Midprice {
    /// Window.
    pub length: usize,
}

impl Indicator for Midprice {
    fn family(&self) -> Family {
        Family::Overlap
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("MIDPRICE_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={}", self.length)
    }

    fn warm_up(&self) -> usize {
        self.length - 1
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let hi = kernels::rolling_max(x.high, self.length);
        let lo = kernels::rolling_min(x.low, self.length);
        vec![hi.iter().zip(&lo).map(|(h, l)| 0.5 * (l + h)).collect()]
    }
}
