//! HA (pandas-ta `ha`), Heikin-Ashi candles: close = OHLC4, open = the mean of the previous HA open
//! and close (the first bar's (open + close) / 2), high and low the extremes of the bar's high/low
//! and the HA open and close. The HA open is a recursion over the whole history, as pandas-ta's
//! (a missing bar leaves every later HA open missing).

use crate::features::indicators::{kernels, Family, Indicator, Memory, Ohlcv};

/// Heikin-Ashi candles.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ha;

impl Indicator for Ha {
    fn family(&self) -> Family {
        Family::Candles
    }

    fn columns(&self) -> Vec<String> {
        ["HA_open", "HA_high", "HA_low", "HA_close"].map(String::from).to_vec()
    }

    fn params(&self) -> String {
        String::new()
    }

    fn warm_up(&self) -> usize {
        0
    }

    fn memory(&self) -> Memory {
        Memory::Recursive { decay: 0.5, depth: 1 }
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let m = x.close.len();
        let close: Vec<f64> =
            (0..m).map(|t| 0.25 * (x.open[t] + x.high[t] + x.low[t] + x.close[t])).collect();
        let mut open = vec![f64::NAN; m];
        for t in 0..m {
            open[t] = if t == 0 {
                0.5 * (x.open[0] + x.close[0])
            } else {
                0.5 * (open[t - 1] + close[t - 1])
            };
        }
        let high = (0..m)
            .map(|t| kernels::nan_max(kernels::nan_max(open[t], close[t]), x.high[t]))
            .collect();
        let low = (0..m)
            .map(|t| kernels::nan_min(kernels::nan_min(open[t], close[t]), x.low[t]))
            .collect();
        vec![open, high, low, close]
    }
}
