//! ACCBANDS (pandas-ta `accbands`, length 20, c 4), Headley's acceleration bands: the SMAs of
//! `low (1 - c (high - low) / (high + low))`, of the close and of `high (1 + c (high - low) /
//! (high + low))`, the range with pandas-ta's `non_zero_range` (causal form). Columns `ACCBL_20`,
//! `ACCBM_20`, `ACCBU_20`.

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Acceleration bands.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Accbands {
    /// SMA window.
    pub length: usize,
    /// Width factor.
    pub c: f64,
}

impl Indicator for Accbands {
    fn family(&self) -> Family {
        Family::Volatility
    }

    fn columns(&self) -> Vec<String> {
        let n = self.length;
        vec![format!("ACCBL_{n}"), format!("ACCBM_{n}"), format!("ACCBU_{n}")]
    }

    fn params(&self) -> String {
        format!("length={} c={}", self.length, self.c)
    }

    fn warm_up(&self) -> usize {
        self.length - 1
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let range = kernels::non_zero_range(x.high, x.low);
        let ratio: Vec<f64> =
            (0..range.len()).map(|t| range[t] / (x.high[t] + x.low[t]) * self.c).collect();
        let lower: Vec<f64> = (0..range.len()).map(|t| x.low[t] * (1.0 - ratio[t])).collect();
        let upper: Vec<f64> = (0..range.len()).map(|t| x.high[t] * (1.0 + ratio[t])).collect();
        let sma = |v: &[f64]| kernels::rolling_mean(v, self.length);
        vec![sma(&lower), sma(x.close), sma(&upper)]
    }
}
