//! TRENDFLEX (pandas-ta `trendflex`, length 20, smooth 20, alpha 0.04), Ehlers' trendflex: the
//! close through a two-pole super smoother (period `smooth`, started from 0), the mean of its rise
//! over each of the last `length - 1` lags divided by `length`, normalised by the square root of
//! an EWM (rate alpha) of its square. Column `TRENDFLEX_20_20_0.04`; the first `length` rows NaN.
//!
//! Follows pandas-ta: pi and sqrt 2 are 3.14159 and 1.414, the cosine takes 180 x ratio as
//! radians (as its SSF), and the sum runs over lags 1 .. length - 1 but is divided by `length`.

use crate::features::indicators::{kernels, Family, Indicator, Memory, Ohlcv};

/// Ehlers' trendflex.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trendflex {
    /// Lags averaged.
    pub length: usize,
    /// Super smoother period.
    pub smooth: usize,
    /// Rate of the mean square's EWM.
    pub alpha: f64,
}

impl Indicator for Trendflex {
    fn family(&self) -> Family {
        Family::Trend
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("TRENDFLEX_{}_{}_{:?}", self.length, self.smooth, self.alpha)]
    }

    fn params(&self) -> String {
        format!("length={} smooth={} alpha={}", self.length, self.smooth, self.alpha)
    }

    fn warm_up(&self) -> usize {
        self.length
    }

    fn memory(&self) -> Memory {
        Memory::Path
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        vec![flex(x.close, self.length, self.smooth, self.alpha, false)]
    }
}

/// pandas-ta's trendflex (`reflex = false`) or reflex (`true`, each lag's rise corrected by the
/// straight line from `length` bars ago): the normalised mean rise, NaN for the first `length`.
pub fn flex(x: &[f64], n: usize, smooth: usize, alpha: f64, reflex: bool) -> Vec<f64> {
    let m = x.len();
    let ratio = 2.0 * kernels::PANDAS_TA_SQRT2 / smooth as f64;
    let a = (-kernels::PANDAS_TA_PI * ratio).exp();
    let b = 2.0 * a * (180.0 * ratio).cos();
    let c = a * a - b + 1.0;
    let mut f = vec![0.0; m];
    for i in 2..m {
        f[i] = 0.5 * c * (x[i] + x[i - 1]) + b * f[i - 1] - a * a * f[i - 2];
    }
    let mut ms = vec![0.0; m];
    let mut out = vec![0.0; m];
    for i in n..m {
        let slope = if reflex { (f[i - n] - f[i]) / n as f64 } else { 0.0 };
        let mut sum = 0.0;
        for j in 1..n {
            sum += if reflex { f[i] - f[i - j] + j as f64 * slope } else { f[i] - f[i - j] };
        }
        sum /= n as f64;
        ms[i] = alpha * sum * sum + (1.0 - alpha) * ms[i - 1];
        if ms[i] != 0.0 {
            out[i] = sum / ms[i].sqrt();
        }
    }
    out.iter_mut().take(n).for_each(|v| *v = f64::NAN);
    out
}
