//! HWC (pandas-ta `hwc`, scalar 1, na 0.2, nb 0.1, nc 0.1, nd 0.1), the Holt-Winters channel: the
//! Holt-Winters moving average (as [`hwma`](crate::features::indicators::overlap::hwma)), bands at
//! `scalar` times the square root of an exponentially weighted variance (rate nd) of the previous
//! bars' forecast errors, the band width and the close's position in the band. Columns `HWM_1`,
//! `HWL_1`, `HWU_1`, `HWW_1`, `HWPCT_1`.
//!
//! Follows pandas-ta's loop: the bands use the variance as of the previous bar, so the first bar's
//! width is 0; the position adds machine epsilon to the width.

use crate::features::indicators::{Family, Indicator, Memory, Ohlcv};

/// Holt-Winters channel.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hwc {
    /// Band width in standard deviations.
    pub scalar: f64,
    /// Level smoothing.
    pub na: f64,
    /// Velocity smoothing.
    pub nb: f64,
    /// Acceleration smoothing.
    pub nc: f64,
    /// Variance smoothing.
    pub nd: f64,
}

impl Indicator for Hwc {
    fn family(&self) -> Family {
        Family::Volatility
    }

    fn columns(&self) -> Vec<String> {
        let s = self.scalar;
        ["HWM", "HWL", "HWU", "HWW", "HWPCT"].iter().map(|c| format!("{c}_{s}")).collect()
    }

    fn params(&self) -> String {
        format!(
            "scalar={} na={} nb={} nc={} nd={}",
            self.scalar, self.na, self.nb, self.nc, self.nd
        )
    }

    fn warm_up(&self) -> usize {
        0
    }

    fn memory(&self) -> Memory {
        Memory::Path
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let (na, nb, nc, nd) = (self.na, self.nb, self.nc, self.nd);
        let m = x.close.len();
        let first = x.close.first().copied().unwrap_or(f64::NAN);
        let (mut a, mut v, mut var) = (0.0, 0.0, 0.0);
        let (mut f, mut price, mut last) = (first, first, first);
        let mut out: Vec<Vec<f64>> = (0..5).map(|_| Vec::with_capacity(m)).collect();
        for &c in x.close {
            let f1 = (1.0 - na) * (f + v + 0.5 * a) + na * c;
            let v1 = (1.0 - nb) * (v + a) + nb * (f1 - f);
            let a1 = (1.0 - nc) * a + nc * (v1 - v);
            let result = f1 + v1 + 0.5 * a1;
            let var1 = (1.0 - nd) * var + nd * (price - last) * (price - last);
            let std = f64::sqrt(var);
            let (upper, lower) = (result + self.scalar * std, result - self.scalar * std);
            out[0].push(result);
            out[1].push(lower);
            out[2].push(upper);
            out[3].push(upper - lower);
            out[4].push((c - lower) / (upper - lower + f64::EPSILON));
            (price, a, f, v, var, last) = (c, a1, f1, v1, var1, result);
        }
        out
    }
}
