//! BBANDS (pandas-ta `bbands`, length 5, 2 standard deviations each side, ddof 1): lower, middle
//! (SMA), upper band, bandwidth 100 (upper - lower) / middle, and %B (close - lower) / (upper -
//! lower). pandas-ta 0.4.71b0 names the columns with both deviations (`BBL_5_2.0_2.0`, ...) and
//! applies its `non_zero_range` epsilon to both differences. TA-Lib's `BBANDS` uses the population
//! standard deviation (ddof 0), so its bands are narrower.

use crate::features::indicators::{kernels, talib, Convention, Family, Indicator, Ohlcv};

/// Bollinger bands.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bbands {
    /// Window.
    pub length: usize,
    /// Standard deviations below and above.
    pub std: f64,
    /// Whose values: pandas-ta's pure-pandas path (default) or TA-Lib's (`"talib"`: TA-Lib's
    /// BBANDS with an SMA, whose deviation is the population one).
    #[serde(default)]
    pub convention: Convention,
}

impl Indicator for Bbands {
    fn family(&self) -> Family {
        Family::Volatility
    }

    fn columns(&self) -> Vec<String> {
        let s = format!("{}_{:.1}_{:.1}", self.length, self.std, self.std);
        ["BBL", "BBM", "BBU", "BBB", "BBP"].iter().map(|p| format!("{p}_{s}")).collect()
    }

    fn params(&self) -> String {
        self.convention.named(format!("length={} std={}", self.length, self.std))
    }

    fn warm_up(&self) -> usize {
        self.length - 1
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let (lower, mid, upper) = if self.convention == Convention::Talib {
            let [upper, mid, lower] = talib::bbands(x.close, self.length, self.std, self.std);
            (lower, mid, upper)
        } else {
            let mid = kernels::rolling_mean(x.close, self.length);
            let sd = kernels::rolling_std(x.close, self.length);
            let lower: Vec<f64> = mid.iter().zip(&sd).map(|(m, s)| m - self.std * s).collect();
            let upper: Vec<f64> = mid.iter().zip(&sd).map(|(m, s)| m + self.std * s).collect();
            (lower, mid, upper)
        };
        let width = kernels::non_zero_range(&upper, &lower);
        let bandwidth = width.iter().zip(&mid).map(|(w, m)| 100.0 * w / m).collect();
        let percent = kernels::non_zero_range(x.close, &lower)
            .iter()
            .zip(&width)
            .map(|(a, w)| a / w)
            .collect();
        vec![lower, mid, upper, bandwidth, percent]
    }
}
