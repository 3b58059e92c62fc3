//! Covariance estimators over a trailing window of returns, one series per asset (all of the
//! same length, no missing values).
//!
//! - [`sample`]: the unbiased sample covariance (divides by n - 1), as `numpy.cov` and pandas'
//!   `DataFrame.cov` compute it.
//! - [`ledoit_wolf`]: scikit-learn's `LedoitWolf().fit(X)` (`assume_centered=False`): the
//!   biased empirical covariance S (divides by n) shrunk towards `mu I` with `mu = trace(S) / p`,
//!   `(1 - s) S + s mu I`, with scikit-learn's shrinkage `s` (`ledoit_wolf_shrinkage`).

use serde::{Deserialize, Serialize};

use super::optimize::FactorCovariance;

/// Which covariance estimator the portfolio uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Estimator {
    /// The unbiased sample covariance (numpy `cov`).
    Sample,
    /// Ledoit-Wolf shrinkage towards a scaled identity (scikit-learn `LedoitWolf`).
    LedoitWolf,
}

/// Each series minus its mean.
fn centred(series: &[Vec<f64>]) -> Vec<Vec<f64>> {
    series
        .iter()
        .map(|s| {
            let m = s.iter().sum::<f64>() / s.len() as f64;
            s.iter().map(|x| x - m).collect()
        })
        .collect()
}

/// A dot product with four independent accumulators (vectorisable, fixed order).
pub fn dot(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().min(b.len());
    let mut acc = [0.0; 4];
    let chunks = n / 4;
    for c in 0..chunks {
        for k in 0..4 {
            acc[k] += a[4 * c + k] * b[4 * c + k];
        }
    }
    let mut s = (acc[0] + acc[1]) + (acc[2] + acc[3]);
    for i in chunks * 4..n {
        s += a[i] * b[i];
    }
    s
}

/// `X'X` of centred series (row-major p x p), each entry one fixed-order dot product.
fn cross_products(x: &[Vec<f64>]) -> Vec<f64> {
    let p = x.len();
    let mut c = vec![0.0; p * p];
    for i in 0..p {
        for j in 0..=i {
            let v = dot(&x[i], &x[j]);
            c[i * p + j] = v;
            c[j * p + i] = v;
        }
    }
    c
}

/// The unbiased sample covariance (row-major p x p) of `series`; `None` with fewer than two
/// observations.
pub fn sample(series: &[Vec<f64>]) -> Option<Vec<f64>> {
    let n = series.first()?.len();
    if n < 2 {
        return None;
    }
    let mut c = cross_products(&centred(series));
    c.iter_mut().for_each(|v| *v /= (n - 1) as f64);
    Some(c)
}

/// scikit-learn's Ledoit-Wolf covariance (row-major p x p) and its shrinkage; `None` with no
/// observations.
pub fn ledoit_wolf(series: &[Vec<f64>]) -> Option<(Vec<f64>, f64)> {
    let n = series.first()?.len();
    let p = series.len();
    if n == 0 {
        return None;
    }
    let x = centred(series);
    let xtx = cross_products(&x);
    let frobenius = xtx.iter().map(|v| v * v).sum::<f64>();
    let (shrinkage, mu) = shrinkage(&x, frobenius);
    let nf = n as f64;
    let mut cov: Vec<f64> = xtx.iter().map(|v| (1.0 - shrinkage) * v / nf).collect();
    for j in 0..p {
        cov[j * p + j] += shrinkage * mu;
    }
    Some((cov, shrinkage))
}

/// scikit-learn's Ledoit-Wolf shrinkage and target scale `mu` from the centred series `x` (p
/// series of n) and the squared Frobenius norm of `X'X`.
fn shrinkage(x: &[Vec<f64>], frobenius: f64) -> (f64, f64) {
    let p = x.len();
    let n = x.first().map_or(0, Vec::len);
    let nf = n as f64;
    let pf = p as f64;
    // scikit-learn, ledoit_wolf_shrinkage (single block):
    // emp_cov_trace = sum(X**2, axis=0) / n; mu = sum(emp_cov_trace) / p
    // beta_ = sum((X**2).T @ X**2); delta_ = sum((X.T @ X)**2) / n**2
    let trace_sum: f64 = x.iter().map(|s| dot(s, s) / nf).sum();
    let mu = trace_sum / pf;
    let beta_: f64 = (0..n)
        .map(|k| {
            let row: f64 = x.iter().map(|s| s[k] * s[k]).sum();
            row * row
        })
        .sum();
    let delta_ = frobenius / (nf * nf);
    let beta = 1.0 / (pf * nf) * (beta_ / nf - delta_);
    let delta = (delta_ - 2.0 * mu * trace_sum + pf * mu * mu) / pf;
    let beta = beta.min(delta);
    (if beta == 0.0 { 0.0 } else { beta / delta }, mu)
}

/// The covariance by `estimator`.
pub fn estimate(series: &[Vec<f64>], estimator: Estimator) -> Option<Vec<f64>> {
    match estimator {
        Estimator::Sample => sample(series),
        Estimator::LedoitWolf => ledoit_wolf(series).map(|(c, _)| c),
    }
}

/// The covariance by `estimator` in factor form `V V' + diag(d)` (for the optimiser): the
/// centred returns scaled as the estimator scales them, `V = X' / sqrt(n - 1)` and `d = 0` for
/// the sample covariance, `V = sqrt((1 - s) / n) X'` and `d = s trace(S) / p` for Ledoit-Wolf
/// with shrinkage `s`; `V V' + diag(d)` equals [`estimate`]. `None` as [`estimate`].
pub fn factor_form(series: &[Vec<f64>], estimator: Estimator) -> Option<FactorCovariance> {
    let n = series.first()?.len();
    let p = series.len();
    let x = centred(series);
    let (scale, specific) = match estimator {
        Estimator::Sample => {
            if n < 2 {
                return None;
            }
            (1.0 / ((n - 1) as f64).sqrt(), 0.0)
        }
        Estimator::LedoitWolf => {
            if n == 0 {
                return None;
            }
            // ||X'X||_F = ||X X'||_F: the n x n Gram matrix is cheaper than p x p for n < p
            let mut frobenius = 0.0;
            for k in 0..n {
                for l in k..n {
                    let g: f64 = x.iter().map(|s| s[k] * s[l]).sum();
                    frobenius += if l == k { g * g } else { 2.0 * g * g };
                }
            }
            let (s, mu) = shrinkage(&x, frobenius);
            (((1.0 - s) / n as f64).sqrt(), s * mu)
        }
    };
    let loadings = x.iter().flat_map(|v| v.iter().map(move |r| r * scale)).collect();
    Some(FactorCovariance { p, k: n, loadings, specific: vec![specific; p] })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_factor_form_is_the_same_covariance() {
        let series: Vec<Vec<f64>> = (0..4)
            .map(|i| (0..7).map(|t| ((i * 7 + t) as f64 * 0.37).sin() * 0.01).collect())
            .collect();
        for est in [Estimator::Sample, Estimator::LedoitWolf] {
            let dense = estimate(&series, est).unwrap();
            let f = factor_form(&series, est).unwrap();
            for (a, b) in f.dense().iter().zip(&dense) {
                assert!((a - b).abs() < 1e-18, "{est:?}: {a} vs {b}");
            }
        }
    }
}
