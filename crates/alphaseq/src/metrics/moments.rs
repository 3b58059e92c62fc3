//! Skewness and kurtosis as pyfolio's `perf_stats` reports them: scipy's `stats.skew` and
//! `stats.kurtosis` with their defaults (biased moments; kurtosis is Fisher's, 0 for a normal),
//! on the non-NaN returns. pandas' `Series.skew()`/`kurt()` are the bias-corrected versions and
//! differ on short series.

use super::finite;

/// Central moments m2, m3, m4 of the non-NaN values (means over n).
fn moments(x: &[f64]) -> Option<[f64; 3]> {
    let v: Vec<f64> = finite(x).collect();
    if v.is_empty() {
        return None;
    }
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    let m = |k: i32| v.iter().map(|x| (x - mean).powi(k)).sum::<f64>() / n;
    Some([m(2), m(3), m(4)])
}

/// scipy `stats.skew(x)`; `None` when empty or constant.
pub fn skew(x: &[f64]) -> Option<f64> {
    let [m2, m3, _] = moments(x)?;
    (m2 > 0.0).then(|| m3 / m2.powf(1.5))
}

/// scipy `stats.kurtosis(x)` (excess kurtosis); `None` when empty or constant.
pub fn kurtosis(x: &[f64]) -> Option<f64> {
    let [m2, _, m4] = moments(x)?;
    (m2 > 0.0).then(|| m4 / (m2 * m2) - 3.0)
}
