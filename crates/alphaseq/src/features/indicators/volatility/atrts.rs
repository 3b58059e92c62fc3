//! ATRTS (pandas-ta `atrts`, length 14, ma_length 20, k 3), the ATR trailing stop: while the close
//! is above its EMA(ma_length) the stop is `close - k ATR` and never falls, while below it is
//! `close + k ATR` and never rises; undefined before bar `max(length, ma_length)`. The ATR is
//! pandas-ta's with `mamode = "ema"` (the SMA-seeded true range smoothed by an EMA, not Wilder's
//! RMA). Column `ATRTSe_14_20_3.0`.

use crate::features::indicators::volatility::true_range::true_range;
use crate::features::indicators::{kernels, talib, Convention, Family, Indicator, Memory, Ohlcv};

/// ATR trailing stop.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Atrts {
    /// ATR window.
    pub length: usize,
    /// EMA span of the close the side is read from.
    pub ma_length: usize,
    /// ATR multiple.
    pub k: f64,
    /// Whose values: pandas-ta's pure-pandas path (default) or TA-Lib's (`"talib"`).
    #[serde(default)]
    pub convention: Convention,
}

impl Indicator for Atrts {
    fn family(&self) -> Family {
        Family::Volatility
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("ATRTSe_{}_{}_{:?}", self.length, self.ma_length, self.k)]
    }

    fn params(&self) -> String {
        self.convention
            .named(format!("length={} ma_length={} k={}", self.length, self.ma_length, self.k))
    }

    fn warm_up(&self) -> usize {
        self.length.max(self.ma_length)
    }

    fn memory(&self) -> Memory {
        Memory::Path
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let c = x.close;
        let (atr, ma) = match self.convention {
            Convention::PandasTa => {
                let tr = kernels::sma_seeded(&true_range(x), self.length);
                (kernels::ema(&tr, self.length), kernels::ema(c, self.ma_length))
            }
            Convention::Talib => {
                (talib::atr(x.high, x.low, c, self.length), talib::ema(c, self.ma_length))
            }
        };
        let atr: Vec<f64> = atr.iter().map(|a| a * self.k).collect();
        let start = self.warm_up().min(c.len());
        let mut out = vec![f64::NAN; c.len()];
        for i in start..c.len() {
            let previous = out[i - 1];
            out[i] = if c[i] > ma[i] {
                let stop = c[i] - atr[i];
                if stop < previous {
                    previous
                } else {
                    stop
                }
            } else {
                let stop = c[i] + atr[i];
                if stop > previous {
                    previous
                } else {
                    stop
                }
            };
        }
        vec![out]
    }
}
