//! TMO (pandas-ta `tmo`, tmo_length 14, calc_length 5, smooth_length 3), the true momentum
//! oscillator: the sum over the previous `tmo_length` opens of the sign of (close - open), an EMA
//! of it (calc_length), the main line its EMA (smooth_length) and the signal the main line's EMA
//! (smooth_length). Columns `TMO_14_5_3`, `TMOs_14_5_3`, `TMOM_14_5_3`, `TMOMs_14_5_3`.
//!
//! Follows pandas-ta's defaults (`momentum = False`): the two momentum columns are 0 throughout.
//! A missing open in the window counts 0 (numpy's `nansum`).

use crate::features::indicators::{talib, Convention, Family, Indicator, Memory, Ohlcv};

/// True momentum oscillator.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tmo {
    /// Opens the close is compared with.
    pub tmo_length: usize,
    /// First EMA span.
    pub calc_length: usize,
    /// Main and signal EMA span.
    pub smooth_length: usize,
    /// Whose values: pandas-ta's pure-pandas path (default) or with TA-Lib's building blocks
    /// (`"talib"`).
    #[serde(default)]
    pub convention: Convention,
}

impl Indicator for Tmo {
    fn family(&self) -> Family {
        Family::Momentum
    }

    fn columns(&self) -> Vec<String> {
        let s = format!("{}_{}_{}", self.tmo_length, self.calc_length, self.smooth_length);
        ["TMO", "TMOs", "TMOM", "TMOMs"].iter().map(|c| format!("{c}_{s}")).collect()
    }

    fn params(&self) -> String {
        let params = {
            format!(
                "tmo_length={} calc_length={} smooth_length={}",
                self.tmo_length, self.calc_length, self.smooth_length
            )
        };
        self.convention.named(params)
    }

    fn warm_up(&self) -> usize {
        if self.convention == Convention::Talib {
            return self.tmo_length + self.calc_length - 1 + 2 * (self.smooth_length - 1);
        }
        // the EMAs of a series that starts after their seed windows start at its first value
        let n = self.tmo_length;
        if self.calc_length <= n + 1 && self.smooth_length <= n + 1 {
            n
        } else {
            n.max(self.calc_length - 1).max(self.smooth_length - 1) + self.smooth_length - 1
        }
    }

    fn memory(&self) -> Memory {
        Memory::ema(self.calc_length.max(self.smooth_length), 3)
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let n = self.tmo_length;
        let m = x.close.len();
        let sums: Vec<f64> = (0..m)
            .map(|t| {
                if t < n {
                    return f64::NAN;
                }
                x.open[t - n..t]
                    .iter()
                    .map(|o| x.close[t] - o)
                    .filter(|d| !d.is_nan())
                    .map(|d| {
                        if d > 0.0 {
                            1.0
                        } else if d < 0.0 {
                            -1.0
                        } else {
                            0.0
                        }
                    })
                    .sum()
            })
            .collect();
        let initial = talib::ema_as(self.convention, &sums, self.calc_length);
        let main = talib::ema_as(self.convention, &initial, self.smooth_length);
        let smooth = talib::ema_as(self.convention, &main, self.smooth_length);
        vec![main, smooth, vec![0.0; m], vec![0.0; m]]
    }
}
