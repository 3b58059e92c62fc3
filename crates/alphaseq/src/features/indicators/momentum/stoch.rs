//! STOCH (pandas-ta `stoch`, k 14, d 3, smooth_k 3): raw %K = 100 (close - lowest low) / (highest
//! high - lowest low) over k bars; %K = its SMA(smooth_k), %D = SMA(d) of %K, each started at its
//! input's first value; the histogram %K - %D. Columns `STOCHk_14_3_3`, `STOCHd_14_3_3`,
//! `STOCHh_14_3_3`. Under the TA-Lib convention (pandas-ta with TA-Lib, when smooth_k > 2)
//! %K and %D are TA-Lib's `STOCH(k, d, SMA, d, SMA)`: both smoothed over `d` bars (pandas-ta
//! passes `d` for TA-Lib's slow %K period, so `smooth_k` only names the columns), both defined
//! from row k + 2 d - 3.

use crate::features::indicators::{kernels, talib, Convention, Family, Indicator, Ohlcv};

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
    /// Whose values: pandas-ta's pure-pandas path (default) or TA-Lib's (`"talib"`).
    #[serde(default)]
    pub convention: Convention,
}

impl Stoch {
    /// pandas-ta with TA-Lib calls TA-Lib's STOCH only when smooth_k > 2.
    fn talib(&self) -> bool {
        self.convention == Convention::Talib && self.smooth_k > 2
    }
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
        self.convention.named(format!("k={} d={} smooth_k={}", self.k, self.d, self.smooth_k))
    }

    fn warm_up(&self) -> usize {
        if self.talib() {
            return self.k + 2 * self.d - 3;
        }
        self.k + self.smooth_k + self.d - 3
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        if self.talib() {
            let [k, d] = talib::stoch(x.high, x.low, x.close, self.k, self.d, self.d);
            let h = k.iter().zip(&d).map(|(a, b)| a - b).collect();
            return vec![k, d, h];
        }
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
