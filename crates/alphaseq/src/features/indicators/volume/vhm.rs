//! VHM (pandas-ta `vhm`, length 610), the volume heat map: `(volume - SMA(volume, length)) /
//! pstdev(volume, length)`. **It reads the future**: pandas-ta calls Python's
//! `statistics.pstdev(volume, std_length)`, whose second argument is the mean, so the divisor is
//! the population standard deviation of the *whole* series about the number 610 (the window
//! passed where the mean goes). alphaseq computes exactly that (the squares of the float
//! differences summed exactly, as `statistics` does, to round-off) and refuses it as an input
//! unless `features.look_ahead = "allow"`. pandas-ta writes no column for a series shorter than
//! `length`; alphaseq's is then NaN. Column `VHM_610`.

use crate::features::indicators::{kernels, Family, Indicator, Ohlcv};

/// Volume heat map (reads the future).
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vhm {
    /// The SMA's window, and the number pandas-ta passes as `pstdev`'s mean.
    pub length: usize,
}

impl Indicator for Vhm {
    fn family(&self) -> Family {
        Family::Volume
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("VHM_{}", self.length)]
    }

    fn params(&self) -> String {
        format!("length={}", self.length)
    }

    fn warm_up(&self) -> usize {
        self.length - 1
    }

    fn look_ahead(&self) -> Option<String> {
        Some(format!(
            "every value is divided by the root mean square of (volume - {}) over the whole \
             series, later volumes included (pandas-ta passes the window as pstdev's mean)",
            self.length
        ))
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let m = x.volume.len();
        if m < self.length {
            return vec![vec![f64::NAN; m]];
        }
        let mu = self.length as f64;
        let squares: Vec<f64> = x.volume.iter().map(|v| (v - mu) * (v - mu)).collect();
        let pstdev = (exact_sum(&squares) / m as f64).sqrt();
        let ma = kernels::rolling_mean(x.volume, self.length);
        vec![(0..m).map(|t| (x.volume[t] - ma[t]) / pstdev).collect()]
    }
}

/// The sum of `x` rounded once (Shewchuk's expansion, as Python's `math.fsum`): `statistics`
/// sums its squares exactly as fractions.
fn exact_sum(x: &[f64]) -> f64 {
    let mut partials: Vec<f64> = vec![];
    for &v in x {
        if !v.is_finite() {
            return f64::NAN;
        }
        let mut v = v;
        let mut kept = 0;
        for j in 0..partials.len() {
            let mut y = partials[j];
            if v.abs() < y.abs() {
                std::mem::swap(&mut v, &mut y);
            }
            let hi = v + y;
            let lo = y - (hi - v);
            if lo != 0.0 {
                partials[kept] = lo;
                kept += 1;
            }
            v = hi;
        }
        partials.truncate(kept);
        partials.push(v);
    }
    partials.iter().sum()
}
