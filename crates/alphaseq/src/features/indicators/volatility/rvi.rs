//! RVI (pandas-ta `rvi`, length 14), Dorsey's relative volatility index: the rolling standard
//! deviation (ddof 1) of the close on up bars and on down bars (a bar with no change is neither),
//! each averaged by pandas-ta's SMA-seeded EMA(length), and `100 up / (up + down)`. Column
//! `RVI_14`.

use crate::features::indicators::{kernels, Family, Indicator, Memory, Ohlcv};

/// Relative volatility index.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rvi {
    /// Standard-deviation window and EMA span.
    pub length: usize,
}

impl Indicator for Rvi {
    fn family(&self) -> Family {
        Family::Volatility
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("RVI_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={}", self.length)
    }

    fn warm_up(&self) -> usize {
        self.length - 1
    }

    fn memory(&self) -> Memory {
        Memory::ema(self.length, 1)
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        vec![rvi(x.close, self.length, 100.0)]
    }
}

/// pandas-ta's `rvi(source, length, scalar)` (`_rvi`, EMA mode).
pub fn rvi(source: &[f64], length: usize, scalar: f64) -> Vec<f64> {
    let std = kernels::rolling_std(source, length);
    let diff = kernels::diff(source, 1);
    // pandas-ta's unsigned_differences: 1 on up (down) bars, 0 otherwise, a missing change 0
    let side = |up: bool| -> Vec<f64> {
        diff.iter()
            .zip(&std)
            .map(|(d, s)| if (up && *d > 0.0) || (!up && *d < 0.0) { *s } else { 0.0 * s })
            .collect()
    };
    let up = kernels::ema(&side(true), length);
    let down = kernels::ema(&side(false), length);
    up.iter().zip(&down).map(|(u, d)| scalar * u / (u + d)).collect()
}
