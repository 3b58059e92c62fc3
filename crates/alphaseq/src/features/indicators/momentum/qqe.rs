//! QQE (pandas-ta `qqe`, length 14, smooth 5, factor 4.236), the quantitative qualitative
//! estimation: the RSI smoothed by an EMA(smooth), with bands at factor x a double EMA(2 length - 1)
//! of its absolute change, and a trailing line that follows the lower band in an up-trend and the
//! upper band in a down-trend. Columns: the trailing line, the smoothed RSI, and the line split into
//! its long and short stretches (each NaN on the other's bars, so both are intermittent).
//!
//! Follows pandas-ta's loop exactly, including its quirks: the trailing bands start at 0, the
//! "two bars back" values at the first bar are those zeros (pandas-ta reads index -1 of a zero
//! series), and NaN bands propagate through `numpy.maximum`/`minimum`. TA-Lib has no QQE.

use crate::features::indicators::momentum::rsi::Rsi;
use crate::features::indicators::{kernels, talib, Convention, Family, Indicator, Memory, Ohlcv};

/// Quantitative qualitative estimation.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Qqe {
    /// RSI window.
    pub length: usize,
    /// EMA span smoothing the RSI.
    pub smooth: usize,
    /// Band width in units of the smoothed RSI's average move.
    pub factor: f64,
    /// Whose values: pandas-ta's pure-pandas path (default) or with TA-Lib's building blocks
    /// (`"talib"`).
    #[serde(default)]
    pub convention: Convention,
}

impl Indicator for Qqe {
    fn family(&self) -> Family {
        Family::Momentum
    }

    fn columns(&self) -> Vec<String> {
        let s = format!("{}_{}_{}", self.length, self.smooth, self.factor);
        vec![format!("QQE_{s}"), format!("QQE_{s}_RSIMA"), format!("QQEl_{s}"), format!("QQEs_{s}")]
    }

    fn params(&self) -> String {
        let params =
            { format!("length={} smooth={} factor={}", self.length, self.smooth, self.factor) };
        self.convention.named(params)
    }

    fn warm_up(&self) -> usize {
        if self.convention == Convention::Talib {
            return self.length + self.smooth + 2 * (2 * self.length - 2);
        }
        2 * self.length - 2
    }

    fn intermittent(&self) -> Vec<bool> {
        vec![false, false, true, true]
    }

    fn memory(&self) -> Memory {
        Memory::Path
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let m = x.close.len();
        let wilders = 2 * self.length - 1;
        let rsi = Rsi::under(self.length, self.convention).compute(x).remove(0);
        let rsi_ma = talib::ema_as(self.convention, &rsi, self.smooth);
        let tr: Vec<f64> = kernels::diff(&rsi_ma, 1).iter().map(|v| v.abs()).collect();
        let dar: Vec<f64> =
            talib::ema_as(self.convention, &talib::ema_as(self.convention, &tr, wilders), wilders)
                .iter()
                .map(|v| self.factor * v)
                .collect();
        let upper: Vec<f64> = (0..m).map(|i| rsi_ma[i] + dar[i]).collect();
        let lower: Vec<f64> = (0..m).map(|i| rsi_ma[i] - dar[i]).collect();

        let (mut long, mut short) = (vec![0.0; m], vec![0.0; m]);
        let mut trend = 1.0;
        let mut qqe = vec![rsi_ma.first().copied().unwrap_or(f64::NAN); m];
        let (mut qqe_long, mut qqe_short) = (vec![f64::NAN; m], vec![f64::NAN; m]);
        for i in 1..m {
            let (c_rsi, p_rsi) = (rsi_ma[i], rsi_ma[i - 1]);
            let (c_long, c_short) = (long[i - 1], short[i - 1]);
            let (p_long, p_short) = if i >= 2 { (long[i - 2], short[i - 2]) } else { (0.0, 0.0) };

            long[i] = if p_rsi > c_long && c_rsi > c_long {
                kernels::nan_max(c_long, lower[i])
            } else {
                lower[i]
            };
            short[i] = if p_rsi < c_short && c_rsi < c_short {
                kernels::nan_min(c_short, upper[i])
            } else {
                upper[i]
            };

            if (c_rsi > c_short && p_rsi < p_short) || (c_rsi <= c_short && p_rsi >= p_short) {
                trend = 1.0;
            } else if (c_rsi > c_long && p_rsi < p_long) || (c_rsi <= c_long && p_rsi >= p_long) {
                trend = -1.0;
            }
            if trend == 1.0 {
                qqe[i] = long[i];
                qqe_long[i] = long[i];
            } else {
                qqe[i] = short[i];
                qqe_short[i] = short[i];
            }
        }
        vec![qqe, rsi_ma, qqe_long, qqe_short]
    }
}
