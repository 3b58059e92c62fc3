//! RSI (pandas-ta `rsi`, pure-pandas path): 100 * RMA(gains) / (RMA(gains) + |RMA(losses)|) with
//! RMA = `ewm(alpha = 1 / length, adjust=False)` started at the second bar. **Unlike TA-Lib's RSI
//! (which leaves `length` bars undefined and seeds with an SMA), pandas-ta's pure path is defined
//! from the second bar on**, so its first values rest on very few changes; they differ from TA-Lib
//! early on and converge later. alphaseq follows pandas-ta.

use crate::features::indicators::{kernels, Family, Indicator, Memory, Ohlcv};

/// Relative strength index over `length` bars.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rsi {
    /// Window.
    pub length: usize,
}

impl Indicator for Rsi {
    fn family(&self) -> Family {
        Family::Momentum
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("RSI_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={}", self.length)
    }

    fn warm_up(&self) -> usize {
        1
    }

    fn memory(&self) -> Memory {
        Memory::rma(self.length, 1)
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let d = kernels::diff(x.close, 1);
        let gains: Vec<f64> = d.iter().map(|v| if *v < 0.0 { 0.0 } else { *v }).collect();
        let losses: Vec<f64> = d.iter().map(|v| if *v > 0.0 { 0.0 } else { *v }).collect();
        let alpha = 1.0 / self.length as f64;
        let (up, down) = (kernels::ewm_mean(&gains, alpha), kernels::ewm_mean(&losses, alpha));
        vec![up.iter().zip(&down).map(|(u, d)| 100.0 * u / (u + d.abs())).collect()]
    }
}
