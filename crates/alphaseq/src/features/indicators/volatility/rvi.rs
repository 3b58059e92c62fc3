//! RVI (pandas-ta `rvi`, length 14), Dorsey's relative volatility index: the rolling standard
//! deviation (ddof 1) of the close on up bars and on down bars (a bar with no change is neither),
//! each averaged by pandas-ta's SMA-seeded EMA(length), and `100 up / (up + down)`. Column
//! `RVI_14`.

use crate::features::indicators::{kernels, talib, Convention, Family, Indicator, Memory, Ohlcv};

/// Relative volatility index.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rvi {
    /// Standard-deviation window and EMA span.
    pub length: usize,
    /// Whose values: pandas-ta's pure-pandas path (default) or TA-Lib's (`"talib"`).
    #[serde(default)]
    pub convention: Convention,
}

impl Indicator for Rvi {
    fn family(&self) -> Family {
        Family::Volatility
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("RVI_{}", self.length)]
    }

    fn params(&self) -> String {
        self.convention.named(format!("length={}", self.length))
    }

    fn warm_up(&self) -> usize {
        if self.convention == Convention::Talib {
            return 2 * (self.length - 1);
        }
        self.length - 1
    }

    fn memory(&self) -> Memory {
        Memory::ema(self.length, 1)
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        vec![rvi(x.close, self.length, 100.0, self.convention)]
    }
}

/// pandas-ta's `rvi(source, length, scalar)` (`_rvi`, EMA mode) under `convention` (TA-Lib's
/// STDDEV and EMA for pandas-ta's with TA-Lib installed).
pub fn rvi(source: &[f64], length: usize, scalar: f64, convention: Convention) -> Vec<f64> {
    let std = talib::std_as(convention, source, length);
    let diff = kernels::diff(source, 1);
    // pandas-ta's unsigned_differences: 1 on up (down) bars, 0 otherwise, a missing change 0
    let side = |up: bool| -> Vec<f64> {
        diff.iter()
            .zip(&std)
            .map(|(d, s)| if (up && *d > 0.0) || (!up && *d < 0.0) { *s } else { 0.0 * s })
            .collect()
    };
    let up = talib::ema_as(convention, &side(true), length);
    let down = talib::ema_as(convention, &side(false), length);
    up.iter().zip(&down).map(|(u, d)| scalar * u / (u + d)).collect()
}
