//! STOCH (pandas-ta `stoch`, k 14, d 3, smooth_k 3): raw %K = 100 (close - lowest low) / (highest
//! high - lowest low) over k bars; %K = its SMA(smooth_k), %D = SMA(d) of %K, each started at its
//! input's first value; the histogram %K - %D. Columns `STOCHk_14_3_3`, `STOCHd_14_3_3`,
//! `STOCHh_14_3_3`.

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// The stochastic oscillator.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stoch {
    /// Look-back of the raw %K.
    pub k: usize,
    /// Smoothing of %D.
    pub d: usize,
    /// Smoothing of %K.
    pub smooth_k: usize,
}

impl Indicator for Stoch {
    fn family(&self) -> Family {
        Family::Momentum
    }

    fn columns(&self) -> Vec<String> {
        let s = format!("{}_{}_{}", self.k, self.d, self.smooth_k);
        vec![format!("STOCHk_{s}"), format!("STOCHd_{s}"), format!("STOCHh_{s}")]
    }

    fn params(&self) -> String {
        format!("k={} d={} smooth_k={}", self.k, self.d, self.smooth_k)
    }

    fn warm_up(&self) -> usize {
        self.k + self.smooth_k + self.d - 3
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let ll = kernels::rolling_min(x.low, self.k);
        let hh = kernels::rolling_max(x.high, self.k);
        let range = kernels::non_zero_range(&hh, &ll);
        let raw: Vec<f64> =
            (0..x.close.len()).map(|t| 100.0 * (x.close[t] - ll[t]) / range[t]).collect();
        let k = if self.smooth_k == 1 {
            raw
        } else {
            kernels::from_first_valid(&raw, |r| kernels::rolling_mean(r, self.smooth_k))
        };
        let d = kernels::from_first_valid(&k, |r| kernels::rolling_mean(r, self.d));
        let h = k.iter().zip(&d).map(|(a, b)| a - b).collect();
        vec![k, d, h]
    }
}
