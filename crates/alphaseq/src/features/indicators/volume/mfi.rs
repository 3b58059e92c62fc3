//! MFI (pandas-ta `mfi`, length 14): with typical price tp and raw flow tp * volume counted as
//! positive when tp rises and negative otherwise (an unchanged tp counts as negative, as pandas-ta),
//! 100 * positive / (positive + negative + machine epsilon) over the last `length` bars.

use crate::features::indicators::{talib, Convention, Family, Indicator, Ohlcv};

/// Money flow index.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mfi {
    /// Window.
    pub length: usize,
    /// Whose values: pandas-ta's pure-pandas path (default) or TA-Lib's (`"talib"`).
    #[serde(default)]
    pub convention: Convention,
}

impl Indicator for Mfi {
    fn family(&self) -> Family {
        Family::Volume
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("MFI_{}", self.length)]
    }

    fn params(&self) -> String {
        let params = { format!("length={}", self.length) };
        self.convention.named(params)
    }

    fn warm_up(&self) -> usize {
        if self.convention == Convention::Talib {
            return self.length;
        }
        self.length
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        if self.convention == Convention::Talib {
            return vec![talib::mfi(x.high, x.low, x.close, x.volume, self.length)];
        }
        let m = x.close.len();
        let tp: Vec<f64> = (0..m).map(|t| (x.high[t] + x.low[t] + x.close[t]) / 3.0).collect();
        // The first bar has no previous tp; its flow never enters a window that is reported.
        let flow: Vec<f64> = (0..m)
            .map(|t| {
                if t == 0 {
                    f64::NAN
                } else {
                    tp[t] * x.volume[t] * if tp[t] > tp[t - 1] { 1.0 } else { -1.0 }
                }
            })
            .collect();
        let mut out = vec![f64::NAN; m];
        for t in self.length..m {
            let w = &flow[t + 1 - self.length..=t];
            let gain: f64 = w.iter().map(|f| f.max(0.0)).sum();
            let loss: f64 = w.iter().map(|f| (-f).max(0.0)).sum();
            out[t] = 100.0 * gain / (gain + loss + f64::EPSILON);
        }
        vec![out]
    }
}
