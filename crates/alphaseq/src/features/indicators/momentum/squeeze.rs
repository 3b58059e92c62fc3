//! SQUEEZE (pandas-ta `squeeze`, bb_length 20, bb_std 2, kc_length 20, kc_scalar 1.5, mom_length
//! 12, mom_smooth 6), the TTM squeeze: the SMA(mom_smooth) of the `mom_length`-bar momentum, and
//! whether the Bollinger Bands (SMA, sample standard deviation) lie inside the Keltner Channels
//! (SMA of the close and of the true range) (on), outside (off) or neither (no), as 1 or 0.
//! Columns `SQZ_20_2.0_20_1.5`, `SQZ_ON`, `SQZ_OFF`, `SQZ_NO`.
//!
//! Follows pandas-ta: the three flags are written from the first bar (on and off 0, no 1 until the
//! bands exist: placeholder rows). Departs from it knowingly in one place: pandas-ta passes
//! `bb_std` to its Bollinger Bands under a keyword they do not read, so its bands are 2 standard
//! deviations whatever `bb_std` says; alphaseq's use `bb_std` (equal at the default).

use crate::features::indicators::volatility::true_range::true_range;
use crate::features::indicators::{kernels, talib, Convention, Family, Indicator, Ohlcv};

/// TTM squeeze.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Squeeze {
    /// Bollinger Bands window.
    pub bb_length: usize,
    /// Bollinger Bands width in standard deviations.
    pub bb_std: f64,
    /// Keltner Channel window.
    pub kc_length: usize,
    /// Keltner Channel width in average true ranges.
    pub kc_scalar: f64,
    /// Momentum look-back.
    pub mom_length: usize,
    /// Momentum SMA.
    pub mom_smooth: usize,
    /// Whose values: pandas-ta's pure-pandas path (default) or TA-Lib's (`"talib"`).
    #[serde(default)]
    pub convention: Convention,
}

impl Indicator for Squeeze {
    fn family(&self) -> Family {
        Family::Momentum
    }

    fn columns(&self) -> Vec<String> {
        let s =
            format!("{}_{:?}_{}_{:?}", self.bb_length, self.bb_std, self.kc_length, self.kc_scalar);
        vec![format!("SQZ_{s}"), "SQZ_ON".into(), "SQZ_OFF".into(), "SQZ_NO".into()]
    }

    fn params(&self) -> String {
        self.convention.named(format!(
            "bb_length={} bb_std={} kc_length={} kc_scalar={} mom_length={} mom_smooth={}",
            self.bb_length,
            self.bb_std,
            self.kc_length,
            self.kc_scalar,
            self.mom_length,
            self.mom_smooth
        ))
    }

    fn warm_up(&self) -> usize {
        self.mom_length + self.mom_smooth - 1
    }

    fn placeholder_rows(&self) -> usize {
        match self.convention {
            Convention::PandasTa => self.bb_length.max(self.kc_length) - 1,
            // TA-Lib's true range starts on the second bar, its SMA a bar later
            Convention::Talib => (self.bb_length - 1).max(self.kc_length),
        }
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let bands = Bands::new(x, self.bb_length, self.bb_std, self.kc_length, self.convention);
        let (on, off) = (bands.on(self.kc_scalar), bands.off(self.kc_scalar));
        let no = on.iter().zip(&off).map(|(a, b)| flag(*a == 0.0 && *b == 0.0)).collect();
        vec![momentum(x.close, self.mom_length, self.mom_smooth, self.convention), on, off, no]
    }
}

/// The squeeze's momentum: the SMA(smooth) of the close's `length`-bar change.
pub fn momentum(close: &[f64], length: usize, smooth: usize, convention: Convention) -> Vec<f64> {
    match convention {
        Convention::PandasTa => kernels::rolling_mean(&kernels::diff(close, length), smooth),
        Convention::Talib => talib::sma(&kernels::diff(close, length), smooth),
    }
}

/// 1.0 or 0.0.
pub fn flag(b: bool) -> f64 {
    if b {
        1.0
    } else {
        0.0
    }
}

/// Bollinger Bands and the Keltner Channels' basis and band, each SMA-based.
pub struct Bands {
    bb_lower: Vec<f64>,
    bb_upper: Vec<f64>,
    basis: Vec<f64>,
    band: Vec<f64>,
}

impl Bands {
    /// The bands of `x`.
    pub fn new(
        x: &Ohlcv,
        bb_length: usize,
        bb_std: f64,
        kc_length: usize,
        convention: Convention,
    ) -> Bands {
        if convention == Convention::Talib {
            let [bb_upper, _, bb_lower] = talib::bbands(x.close, bb_length, bb_std, bb_std);
            let range = talib::true_range(x.high, x.low, x.close);
            return Bands {
                bb_lower,
                bb_upper,
                basis: talib::sma(x.close, kc_length),
                band: talib::sma(&range, kc_length),
            };
        }
        let mid = kernels::rolling_mean(x.close, bb_length);
        let sd = kernels::rolling_std(x.close, bb_length);
        Bands {
            bb_lower: mid.iter().zip(&sd).map(|(m, s)| m - bb_std * s).collect(),
            bb_upper: mid.iter().zip(&sd).map(|(m, s)| m + bb_std * s).collect(),
            basis: kernels::rolling_mean(x.close, kc_length),
            band: kernels::rolling_mean(&true_range(x), kc_length),
        }
    }

    /// 1 where the Bollinger Bands lie inside the Keltner Channel of width `scalar`.
    pub fn on(&self, scalar: f64) -> Vec<f64> {
        (0..self.basis.len())
            .map(|t| {
                let (kl, ku) =
                    (self.basis[t] - scalar * self.band[t], self.basis[t] + scalar * self.band[t]);
                flag(self.bb_lower[t] > kl && self.bb_upper[t] < ku)
            })
            .collect()
    }

    /// 1 where the Bollinger Bands lie outside the Keltner Channel of width `scalar`.
    pub fn off(&self, scalar: f64) -> Vec<f64> {
        (0..self.basis.len())
            .map(|t| {
                let (kl, ku) =
                    (self.basis[t] - scalar * self.band[t], self.basis[t] + scalar * self.band[t]);
                flag(self.bb_lower[t] < kl && self.bb_upper[t] > ku)
            })
            .collect()
    }
}
