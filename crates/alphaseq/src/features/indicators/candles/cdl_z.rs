//! CDL_Z (pandas-ta `cdl_z`, length 30, ddof 1): the rolling z-scores of the open, high, low and
//! close over `length` bars (sample standard deviation). Columns `open_Z_30_1`, `high_Z_30_1`,
//! `low_Z_30_1`, `close_Z_30_1`. (pandas-ta's `full = True`, a z-score over the whole series
//! back-filled, reads the future and is not offered.)

use crate::features::indicators::{kernels, talib, Convention, Family, Indicator, Ohlcv};

/// Z-scored candles.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CdlZ {
    /// Window.
    pub length: usize,
    /// Whose values: pandas-ta's pure-pandas path (default) or with TA-Lib's building blocks
    /// (`"talib"`: the population standard deviation).
    #[serde(default)]
    pub convention: Convention,
}

impl Indicator for CdlZ {
    fn family(&self) -> Family {
        Family::Candles
    }

    fn columns(&self) -> Vec<String> {
        ["open", "high", "low", "close"]
            .iter()
            .map(|c| format!("{c}_Z_{}_1", self.length))
            .collect()
    }

    fn params(&self) -> String {
        let params = { format!("length={}", self.length) };
        self.convention.named(params)
    }

    fn warm_up(&self) -> usize {
        self.length - 1
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        [x.open, x.high, x.low, x.close]
            .iter()
            .map(|v| {
                let mean = kernels::rolling_mean(v, self.length);
                let sd = talib::std_as(self.convention, v, self.length);
                (0..v.len()).map(|t| (v[t] - mean[t]) / sd[t]).collect()
            })
            .collect()
    }
}
