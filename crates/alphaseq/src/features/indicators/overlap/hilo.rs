//! HILO (pandas-ta `hilo`, Gann high-low activator, SMA of the high over 13 and of the low over 21):
//! when the close rises above the previous high average the activator is the low average (long),
//! when it falls below the previous low average it is the high average (short), otherwise it keeps
//! its last value. Columns `HILO_13_21`, `HILOl_13_21`, `HILOs_13_21`. When the activator starts
//! depends on the prices (it waits for a first crossing, so its warm-up is a path's); from then on
//! `HILO` is always defined, and the long and short columns are each NaN on the other side's bars
//! (intermittent: 0 there in the feature matrix).

use crate::features::indicators::{kernels, Family, Indicator, Memory, Ohlcv};

/// Gann high-low activator.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hilo {
    /// SMA window of the high.
    pub high_length: usize,
    /// SMA window of the low.
    pub low_length: usize,
}

impl Indicator for Hilo {
    fn family(&self) -> Family {
        Family::Overlap
    }

    fn columns(&self) -> Vec<String> {
        let s = format!("{}_{}", self.high_length, self.low_length);
        vec![format!("HILO_{s}"), format!("HILOl_{s}"), format!("HILOs_{s}")]
    }

    fn params(&self) -> String {
        format!("high_length={} low_length={}", self.high_length, self.low_length)
    }

    fn warm_up(&self) -> usize {
        self.high_length.max(self.low_length) - 1
    }

    fn intermittent(&self) -> Vec<bool> {
        vec![false, true, true]
    }

    fn starts_on_the_prices(&self) -> bool {
        true
    }

    fn memory(&self) -> Memory {
        Memory::Path
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let m = x.close.len();
        let (hi, lo) = (
            kernels::rolling_mean(x.high, self.high_length),
            kernels::rolling_mean(x.low, self.low_length),
        );
        let (mut hilo, mut long, mut short) =
            (vec![f64::NAN; m], vec![f64::NAN; m], vec![f64::NAN; m]);
        for i in 1..m {
            if x.close[i] > hi[i - 1] {
                hilo[i] = lo[i];
                long[i] = lo[i];
            } else if x.close[i] < lo[i - 1] {
                hilo[i] = hi[i];
                short[i] = hi[i];
            } else {
                hilo[i] = hilo[i - 1];
                long[i] = hilo[i - 1];
                short[i] = hilo[i - 1];
            }
        }
        vec![hilo, long, short]
    }
}
