//! ALPHATREND (pandas-ta `alphatrend`, length 14, multiplier 1, threshold 50, lag 2): a trailing
//! line that, while the momentum is at or above `threshold`, follows `low - multiplier ATR` and
//! never falls, and otherwise follows `high + multiplier ATR` and never rises; and the line `lag`
//! bars earlier. Columns `ALPHAT_14_1_50`, `ALPHATl_14_1_50_2`.
//!
//! As `study("All")` computes it, which passes no volume: the momentum is the RSI of the close
//! (pandas-ta uses MFI only when given a volume) with `mamode = "sma"`, i.e. simple means of the
//! gains and losses over `length` bars rather than Wilder's; the ATR too is pandas-ta's with
//! `mamode = "sma"`, the SMA of the SMA-seeded true range, so it starts at bar 2 length - 2.

use crate::features::indicators::momentum::rsi::{Rsi, RsiSmoothing};
use crate::features::indicators::volatility::true_range::true_range;
use crate::features::indicators::Convention;
use crate::features::indicators::{kernels, talib, Family, Indicator, Memory, Ohlcv};

/// Alpha trend.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Alphatrend {
    /// ATR and RSI window.
    pub length: usize,
    /// ATR multiple.
    pub multiplier: f64,
    /// RSI level at or above which the line follows the lows.
    pub threshold: f64,
    /// Lag of the second line.
    pub lag: usize,
    /// Whose values: pandas-ta's pure-pandas path (default) or TA-Lib's (`"talib"`).
    #[serde(default)]
    pub convention: Convention,
}

impl Indicator for Alphatrend {
    fn family(&self) -> Family {
        Family::Trend
    }

    fn columns(&self) -> Vec<String> {
        let s = format!("{}_{}_{}", self.length, self.multiplier, self.threshold);
        vec![format!("ALPHAT_{s}"), format!("ALPHATl_{s}_{}", self.lag)]
    }

    fn params(&self) -> String {
        self.convention.named(format!(
            "length={} multiplier={} threshold={} lag={}",
            self.length, self.multiplier, self.threshold, self.lag
        ))
    }

    fn warm_up(&self) -> usize {
        if self.convention == Convention::Talib {
            return self.length + self.lag;
        }
        (2 * self.length - 2).max(1) + self.lag
    }

    fn memory(&self) -> Memory {
        Memory::Path
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let n = self.length;
        let (atr, rsi) = match self.convention {
            Convention::PandasTa => {
                let tr = kernels::sma_seeded(&true_range(x), n);
                let rsi = Rsi { length: n, mamode: RsiSmoothing::Sma, convention: self.convention };
                (kernels::rolling_mean(&tr, n), rsi)
            }
            // pandas-ta with TA-Lib: ATR and RSI are TA-Lib's, whatever the mamode
            Convention::Talib => {
                (talib::atr(x.high, x.low, x.close, n), Rsi::under(n, self.convention))
            }
        };
        let momentum = rsi.compute(x).remove(0);
        let m = atr.len();
        let mut at = vec![0.0; m];
        for i in 1..m {
            let (low, high) =
                (x.low[i] - atr[i] * self.multiplier, x.high[i] + atr[i] * self.multiplier);
            let previous = at[i - 1];
            at[i] = if momentum[i] >= self.threshold {
                if low < previous {
                    previous
                } else {
                    low
                }
            } else if high > previous {
                previous
            } else {
                high
            };
        }
        if let Some(first) = at.first_mut() {
            *first = f64::NAN;
        }
        let lagged = kernels::shift(&at, self.lag);
        vec![at, lagged]
    }
}
