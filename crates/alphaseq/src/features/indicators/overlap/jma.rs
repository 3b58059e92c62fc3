//! JMA (pandas-ta `jma`, length 7, phase 0), Jurik's moving average as pandas-ta reconstructs it:
//! an adaptive two-stage filter whose rate follows the close's volatility relative to its recent
//! average (the 10-bar average of the distance to the Jurik bands, averaged over up to 66 bars).
//! Column `JMA_7_0.0`; the first `length - 1` rows NaN.

use crate::features::indicators::kernels::numpy_sum;
use crate::features::indicators::{Family, Indicator, Memory, Ohlcv};

/// Jurik moving average.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Jma {
    /// Period.
    pub length: usize,
    /// Phase, -100 to 100 (beyond: 0.5 or 2.5 as the ratio).
    pub phase: f64,
}

impl Indicator for Jma {
    fn family(&self) -> Family {
        Family::Overlap
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("JMA_{}_{:?}", self.length, self.phase)]
    }

    fn params(&self) -> String {
        format!("length={} phase={}", self.length, self.phase)
    }

    fn warm_up(&self) -> usize {
        self.length - 1
    }

    fn memory(&self) -> Memory {
        Memory::Path
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let c = x.close;
        let m = c.len();
        let mut jma = vec![0.0; m];
        if m == 0 {
            return vec![jma];
        }
        let (mut volty, mut v_sum) = (vec![0.0; m], vec![0.0; m]);
        let (mut det0, mut det1) = (0.0, 0.0);
        let (mut ma1, mut upper, mut lower) = (c[0], c[0], c[0]);
        jma[0] = c[0];
        let sum_length = 10;
        let half = 0.5 * (self.length as f64 - 1.0);
        let pr = if self.phase < -100.0 {
            0.5
        } else if self.phase > 100.0 {
            2.5
        } else {
            1.5 + self.phase * 0.01
        };
        let length1 = (half.sqrt().ln() / 2f64.ln() + 2.0).max(0.0);
        let pow1 = (length1 - 2.0).max(0.5);
        let length2 = length1 * half.sqrt();
        let bet = length2 / (length2 + 1.0);
        let beta = 0.45 * (self.length as f64 - 1.0) / (0.45 * (self.length as f64 - 1.0) + 2.0);
        for i in 1..m {
            let price = c[i];
            let (del1, del2) = (price - upper, price - lower);
            volty[i] = if del1.abs() != del2.abs() { py_max(del1.abs(), del2.abs()) } else { 0.0 };
            v_sum[i] =
                v_sum[i - 1] + (volty[i] - volty[i.saturating_sub(sum_length)]) / sum_length as f64;
            let window = &v_sum[i.saturating_sub(65)..=i];
            let avg_volty = numpy_sum(window) / window.len() as f64;
            let d_volty = if avg_volty == 0.0 { 0.0 } else { volty[i] / avg_volty };
            let r_volty = py_max(1.0, py_min(length1.powf(1.0 / pow1), d_volty));
            let pow2 = r_volty.powf(pow1);
            let kv = bet.powf(pow2.sqrt());
            upper = if del1 > 0.0 { price } else { price - kv * del1 };
            lower = if del2 < 0.0 { price } else { price - kv * del2 };
            let alpha = beta.powf(r_volty.powf(pow1));
            ma1 = (1.0 - alpha) * price + alpha * ma1;
            det0 = (1.0 - beta) * (price - ma1) + beta * det0;
            let ma2 = ma1 + pr * det0;
            det1 = (ma2 - jma[i - 1]) * (1.0 - alpha) * (1.0 - alpha) + alpha * alpha * det1;
            jma[i] = jma[i - 1] + det1;
        }
        jma.iter_mut().take(self.length - 1).for_each(|v| *v = f64::NAN);
        vec![jma]
    }
}

/// Python's `max(a, b)`: b only if b > a (a NaN b is passed over, a NaN a kept).
fn py_max(a: f64, b: f64) -> f64 {
    if b > a {
        b
    } else {
        a
    }
}

/// Python's `min(a, b)`: b only if b < a.
fn py_min(a: f64, b: f64) -> f64 {
    if b < a {
        b
    } else {
        a
    }
}
