//! MAMA (pandas-ta `mama`, fastlimit 0.5, slowlimit 0.05), Ehlers' MESA adaptive moving average
//! and its following average FAMA, as pandas-ta computes them: the Hilbert transform's phase sets
//! the rate between the two limits. Columns `MAMA_0.5_0.05`, `FAMA_0.5_0.05`; the first 3 rows NaN
//! (pandas-ta's `prenan`).
//!
//! Follows pandas-ta's loop knowingly although it departs from Ehlers: the period is `360 /
//! arctan(im / re)` with the arctangent in radians, the imaginary part adds where Ehlers
//! subtracts, the phase is in radians, both averages start from 0 at bar 2, and the filters read
//! earlier values that do not exist yet as 0 (numpy's negative indices land on the arrays' unfilled
//! ends; no later price is read, as the look-ahead test checks).

use crate::features::indicators::{talib, Convention, Family, Indicator, Memory, Ohlcv};

/// MESA adaptive moving average.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mama {
    /// Fastest rate.
    pub fastlimit: f64,
    /// Slowest rate.
    pub slowlimit: f64,
    /// Whose values: pandas-ta's pure-pandas path (default) or TA-Lib's (`"talib"`).
    #[serde(default)]
    pub convention: Convention,
}

/// Rows pandas-ta leaves NaN.
const PRENAN: usize = 3;

impl Indicator for Mama {
    fn family(&self) -> Family {
        Family::Overlap
    }

    fn columns(&self) -> Vec<String> {
        let s = format!("{:?}_{:?}", self.fastlimit, self.slowlimit);
        vec![format!("MAMA_{s}"), format!("FAMA_{s}")]
    }

    fn params(&self) -> String {
        self.convention.named(format!("fastlimit={} slowlimit={}", self.fastlimit, self.slowlimit))
    }

    fn warm_up(&self) -> usize {
        if self.convention == Convention::Talib {
            return 32;
        }
        PRENAN
    }

    fn memory(&self) -> Memory {
        Memory::Path
    }

    fn compute(&self, xs: &Ohlcv) -> Vec<Vec<f64>> {
        if self.convention == Convention::Talib {
            return talib::mama(xs.close, self.fastlimit, self.slowlimit).to_vec();
        }
        let x = xs.close;
        let m = x.len();
        let (a, b, p_w) = (0.0962, 0.5769, 0.2);
        let z = || vec![0.0; m];
        let (mut wma4, mut dt, mut i1, mut i2, mut ji) = (z(), z(), z(), z(), z());
        let (mut jq, mut q1, mut q2, mut re, mut im) = (z(), z(), z(), z(), z());
        let (mut period, mut phase, mut mama, mut fama) = (z(), z(), z(), z());
        // v[i - k], or 0 before the start (numpy reads the unfilled end of a zero array)
        let back = |v: &[f64], i: usize, k: usize| if i >= k { v[i - k] } else { 0.0 };
        let hilbert = |v: &[f64], i: usize, adj: f64| {
            adj * (a * v[i] + b * back(v, i, 2) - b * back(v, i, 4) - a * back(v, i, 6))
        };
        for i in 3..m {
            let adj = 0.075 * period[i - 1] + 0.54;
            wma4[i] = 0.4 * x[i] + 0.3 * x[i - 1] + 0.2 * x[i - 2] + 0.1 * x[i - 3];
            dt[i] = hilbert(&wma4, i, adj);
            q1[i] = hilbert(&dt, i, adj);
            i1[i] = dt[i - 3];
            ji[i] = hilbert(&i1, i, adj);
            jq[i] = hilbert(&q1, i, adj);
            i2[i] = i1[i] - jq[i];
            q2[i] = q1[i] + ji[i];
            i2[i] = p_w * i2[i] + (1.0 - p_w) * i2[i - 1];
            q2[i] = p_w * q2[i] + (1.0 - p_w) * q2[i - 1];
            re[i] = i2[i] * i2[i - 1] + q2[i] * q2[i - 1];
            im[i] = i2[i] * q2[i - 1] + q2[i] * i2[i - 1];
            re[i] = p_w * re[i] + (1.0 - p_w) * re[i - 1];
            im[i] = p_w * im[i] + (1.0 - p_w) * im[i - 1];
            period[i] =
                if im[i] != 0.0 && re[i] != 0.0 { 360.0 / (im[i] / re[i]).atan() } else { 0.0 };
            if period[i] > 1.5 * period[i - 1] {
                period[i] = 1.5 * period[i - 1];
            }
            if period[i] < 0.67 * period[i - 1] {
                period[i] = 0.67 * period[i - 1];
            }
            period[i] = period[i].clamp(6.0, 50.0);
            period[i] = p_w * period[i] + (1.0 - p_w) * period[i - 1];
            if i1[i] != 0.0 {
                phase[i] = (q1[i] / i1[i]).atan();
            }
            // pandas-ta's clamps, which leave a NaN as it is
            let mut dphase = phase[i - 1] - phase[i];
            if dphase < 1.0 {
                dphase = 1.0;
            }
            let mut alpha = self.fastlimit / dphase;
            if alpha > self.fastlimit {
                alpha = self.fastlimit;
            }
            if alpha < self.slowlimit {
                alpha = self.slowlimit;
            }
            mama[i] = alpha * x[i] + (1.0 - alpha) * mama[i - 1];
            fama[i] = 0.5 * alpha * mama[i] + (1.0 - 0.5 * alpha) * fama[i - 1];
        }
        for v in [&mut mama, &mut fama] {
            v.iter_mut().take(PRENAN).for_each(|v| *v = f64::NAN);
        }
        vec![mama, fama]
    }
}
