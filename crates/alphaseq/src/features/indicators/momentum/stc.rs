//! STC (pandas-ta `stc`, tc_length 10, fast 12, slow 26, factor 0.5), the Schaff trend cycle: the
//! MACD line (EMA(fast) - EMA(slow)) through a stochastic over `tc_length` bars smoothed by
//! `factor`, and that through a second stochastic and smoothing. Columns `STC_10_12_26_0.5` (the
//! cycle), `STCmacd_10_12_26_0.5`, `STCstoch_10_12_26_0.5` (the first smoothed stochastic); the
//! first `max(tc_length, fast, slow) - 1` rows NaN.
//!
//! Follows pandas-ta's loop knowingly, quirks included: the first stochastic is updated only
//! while the lowest MACD of the window is positive (it holds its last value otherwise, 0 at the
//! start), the smoothed values are rounded to 8 decimals (numpy's `round`), and the second
//! stochastic's window is the whole history up to `tc_length` bars.

use crate::features::indicators::{kernels, Family, Indicator, Memory, Ohlcv};

/// Schaff trend cycle.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stc {
    /// Stochastic window.
    pub tc_length: usize,
    /// Fast EMA span.
    pub fast: usize,
    /// Slow EMA span.
    pub slow: usize,
    /// Smoothing factor of the stochastics.
    pub factor: f64,
}

impl Stc {
    fn spans(&self) -> (usize, usize) {
        (self.fast.min(self.slow), self.fast.max(self.slow))
    }
}

impl Indicator for Stc {
    fn family(&self) -> Family {
        Family::Momentum
    }

    fn columns(&self) -> Vec<String> {
        let (fast, slow) = self.spans();
        let s = format!("{}_{fast}_{slow}_{:?}", self.tc_length, self.factor);
        vec![format!("STC_{s}"), format!("STCmacd_{s}"), format!("STCstoch_{s}")]
    }

    fn params(&self) -> String {
        format!(
            "tc_length={} fast={} slow={} factor={}",
            self.tc_length, self.fast, self.slow, self.factor
        )
    }

    fn warm_up(&self) -> usize {
        self.tc_length.max(self.spans().1) - 1
    }

    fn memory(&self) -> Memory {
        Memory::Path
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let (fast, slow) = self.spans();
        let n = self.tc_length;
        let (ef, es) = (kernels::ema(x.close, fast), kernels::ema(x.close, slow));
        let seed: Vec<f64> = ef.iter().zip(&es).map(|(a, b)| a - b).collect();
        let lowest = kernels::rolling_min(&seed, n);
        let range = kernels::non_zero_range(&kernels::rolling_max(&seed, n), &lowest);
        let m = seed.len();
        let (mut stoch1, mut pf, mut stoch2, mut pff) =
            (vec![0.0; m], vec![0.0; m], vec![0.0; m], vec![0.0; m]);
        for i in 1..m {
            stoch1[i] = if lowest[i] > 0.0 {
                100.0 * ((seed[i] - lowest[i]) / range[i])
            } else {
                stoch1[i - 1]
            };
            pf[i] = round8(pf[i - 1] + self.factor * (stoch1[i] - pf[i - 1]));
            let window = &pf[(i + 1).saturating_sub(n)..=i];
            let low = window.iter().copied().fold(f64::INFINITY, f64::min);
            let high = window.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let pf_range = if high - low > 0.0 { high - low } else { 1.0 };
            stoch2[i] = 100.0 * ((pf[i] - low) / pf_range);
            pff[i] = round8(pff[i - 1] + self.factor * (stoch2[i] - pff[i - 1]));
        }
        let blank = self.warm_up().min(m);
        for v in [&mut pff, &mut pf] {
            v[..blank].iter_mut().for_each(|v| *v = f64::NAN);
        }
        vec![pff, seed, pf]
    }
}

/// `round(v, 8)` on the numpy floats of pandas-ta's loop, which is numpy's: `rint(v 1e8) / 1e8`
/// (ties to even on the scaled value, not the decimal nearest to v).
fn round8(v: f64) -> f64 {
    (v * 1e8).round_ties_even() / 1e8
}
