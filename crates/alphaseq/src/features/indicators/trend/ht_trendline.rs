//! HT_TRENDLINE (pandas-ta `ht_trendline`, prenan 63), Ehlers' Hilbert transform instantaneous
//! trendline: a 4-bar WMA detrended by the Hilbert transform's quadrature filters, the dominant
//! cycle's period smoothed, and the trendline a 4-bar WMA of the mean close over that period.
//! Column `HT_TL`; the first 63 rows are NaN (pandas-ta's `prenan`, as TA-Lib's lookback).
//!
//! Follows pandas-ta's loop, with its constants (0.0962, 0.5769) and period clamps. Its mean over
//! the period reads `x[i - k]` with numpy's negative indices wrapping round to the end of the
//! series on the first bars (the future); those means feed nothing past row 62, which is NaN, so
//! the written values are causal (checked by the look-ahead test).

use crate::features::indicators::{talib, Convention, Family, Indicator, Memory, Ohlcv};

/// Hilbert transform instantaneous trendline.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HtTrendline {
    /// Whose values: pandas-ta's pure-pandas path (default) or TA-Lib's (`"talib"`).
    #[serde(default)]
    pub convention: Convention,
}

/// Rows pandas-ta leaves NaN.
const PRENAN: usize = 63;

impl Indicator for HtTrendline {
    fn family(&self) -> Family {
        Family::Trend
    }

    fn columns(&self) -> Vec<String> {
        vec!["HT_TL".into()]
    }

    fn params(&self) -> String {
        self.convention.named(String::new())
    }

    fn warm_up(&self) -> usize {
        PRENAN
    }

    fn memory(&self) -> Memory {
        Memory::Path
    }

    fn compute(&self, xs: &Ohlcv) -> Vec<Vec<f64>> {
        if self.convention == Convention::Talib {
            return vec![talib::ht_trendline(xs.close)];
        }
        let x = xs.close;
        let m = x.len();
        let (a, b) = (0.0962, 0.5769);
        let z = || vec![0.0; m];
        let (mut wma4, mut dt, mut q1, mut q2, mut ji, mut jq) = (z(), z(), z(), z(), z(), z());
        let (mut i1, mut i2, mut re, mut im, mut period, mut smp) = (z(), z(), z(), z(), z(), z());
        let mut trend = z();
        let mut out: Vec<f64> =
            x.iter().take(13).copied().chain(std::iter::repeat(0.0)).take(m).collect();
        let hilbert = |v: &[f64], i: usize, adj: f64| {
            adj * (a * v[i] + b * v[i - 2] - b * v[i - 4] - a * v[i - 6])
        };
        for i in 6..m {
            let adj = 0.075 * period[i - 1] + 0.54;
            wma4[i] = 0.4 * x[i] + 0.3 * x[i - 1] + 0.2 * x[i - 2] + 0.1 * x[i - 3];
            dt[i] = hilbert(&wma4, i, adj);
            q1[i] = hilbert(&dt, i, adj);
            i1[i] = dt[i - 3];
            ji[i] = hilbert(&i1, i, adj);
            jq[i] = hilbert(&q1, i, adj);
            i2[i] = i1[i] - jq[i];
            q2[i] = q1[i] + ji[i];
            i2[i] = 0.2 * i2[i] + 0.8 * i2[i - 1];
            q2[i] = 0.2 * q2[i] + 0.8 * q2[i - 1];
            re[i] = i2[i] * i2[i - 1] + q2[i] * q2[i - 1];
            im[i] = i2[i] * q2[i - 1] - q2[i] * i2[i - 1];
            re[i] = 0.2 * re[i] + 0.8 * re[i - 1];
            im[i] = 0.2 * im[i] + 0.8 * im[i - 1];
            if re[i] != 0.0 && im[i] != 0.0 {
                period[i] = 360.0 / (im[i] / re[i]).atan().to_degrees();
            }
            if period[i] > 1.5 * period[i - 1] {
                period[i] = 1.5 * period[i - 1];
            }
            if period[i] < 0.67 * period[i - 1] {
                period[i] = 0.67 * period[i - 1];
            }
            period[i] = period[i].clamp(6.0, 50.0);
            period[i] = 0.2 * period[i] + 0.8 * period[i - 1];
            smp[i] = 0.33 * period[i] + 0.67 * smp[i - 1];
            let dc_period = (smp[i] + 0.5) as usize;
            // numpy would wrap a negative index round to the end; those rows are NaN below
            if dc_period > 0 && dc_period <= i + 1 {
                trend[i] = (0..dc_period).map(|k| x[i - k]).sum::<f64>() / dc_period as f64;
            }
            if i > 12 {
                out[i] =
                    0.4 * trend[i] + 0.3 * trend[i - 1] + 0.2 * trend[i - 2] + 0.1 * trend[i - 3];
            }
        }
        out.iter_mut().take(PRENAN).for_each(|v| *v = f64::NAN);
        vec![out]
    }
}
