//! Covariance estimators over a trailing window of returns, one series per asset (all of the
//! same length, no missing values).
//!
//! - [`sample`]: the unbiased sample covariance (divides by n - 1), as `numpy.cov` and pandas'
//!   `DataFrame.cov` compute it.
//! - [`ledoit_wolf`]: scikit-learn's `LedoitWolf().fit(X)` (`assume_centered=False`): the
//!   biased empirical covariance S (divides by n) shrunk towards `mu I` with `mu = trace(S) / p`,
//!   `(1 - s) S + s mu I`, with scikit-learn's shrinkage `s` (`ledoit_wolf_shrinkage`).
//! - [`ewm`]: pandas' `DataFrame.ewm(halflife=h).cov()` at the window's last bar (adjust=True,
//!   bias=False): weights `(1 - alpha)^age` with `alpha = 1 - exp(-ln 2 / h)`, the weighted
//!   means, and pandas' bias correction `(sum w)^2 / ((sum w)^2 - sum w^2)`.
//! - [`pca`]: a statistical factor model, the `k` principal components of the sample covariance
//!   S (`numpy.linalg.eigh`), `V = U_k sqrt(Lambda_k)`, plus each name's specific variance, the
//!   diagonal of `S - V V'`: `V V' + diag(S - V V')` keeps every name's variance and the `k`
//!   strongest common directions, and drops the noise of the others.

use serde::{Deserialize, Serialize};

use super::optimize::FactorCovariance;

/// Which covariance estimator the portfolio uses: `"sample"`, `"ledoit_wolf"`,
/// `{ ewm = { halflife = 21 } }` or `{ pca = { factors = 5 } }`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Estimator {
    /// The unbiased sample covariance (numpy `cov`).
    Sample,
    /// Ledoit-Wolf shrinkage towards a scaled identity (scikit-learn `LedoitWolf`).
    LedoitWolf,
    /// The exponentially weighted covariance (pandas `ewm(halflife).cov()`).
    Ewm {
        /// Half-life in bars.
        halflife: f64,
    },
    /// Principal components of the sample covariance plus specific variances.
    Pca {
        /// Number of factors.
        factors: usize,
    },
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

/// pandas' exponentially weighted covariance (row-major p x p) at the last of `n` bars;
/// `None` with fewer than two observations or a half-life that is not positive.
pub fn ewm(series: &[Vec<f64>], halflife: f64) -> Option<Vec<f64>> {
    ewm_factor_form(series, halflife).map(|f| f.dense())
}

/// [`ewm`] as `V V'`: `V_ij = sqrt(c w_j / sum w) (x_ij - m_i)` with the bias correction `c`.
fn ewm_factor_form(series: &[Vec<f64>], halflife: f64) -> Option<FactorCovariance> {
    let n = series.first()?.len();
    if n < 2 || halflife.is_nan() || halflife <= 0.0 {
        return None;
    }
    let decay = (-std::f64::consts::LN_2 / halflife).exp();
    // weight of bar j: decay^(n - 1 - j)
    let mut weights = vec![0.0; n];
    let mut w = 1.0;
    for j in (0..n).rev() {
        weights[j] = w;
        w *= decay;
    }
    let sum: f64 = weights.iter().sum();
    let sum2: f64 = weights.iter().map(|w| w * w).sum();
    let correction = sum * sum / (sum * sum - sum2);
    let scale: Vec<f64> = weights.iter().map(|w| (correction * w / sum).sqrt()).collect();
    let p = series.len();
    let mut loadings = Vec::with_capacity(p * n);
    for s in series {
        let mean = s.iter().zip(&weights).map(|(x, w)| x * w).sum::<f64>() / sum;
        loadings.extend(s.iter().zip(&scale).map(|(x, c)| (x - mean) * c));
    }
    Some(FactorCovariance { p, k: n, loadings, specific: vec![0.0; p] })
}

/// The statistical factor model with `factors` principal components of the sample covariance
/// (fewer if the window has fewer non-zero ones); `None` with fewer than two observations.
pub fn pca(series: &[Vec<f64>], factors: usize) -> Option<FactorCovariance> {
    let n = series.first()?.len();
    if n < 2 {
        return None;
    }
    let p = series.len();
    // X: p x n centred, scaled so that S = X X'
    let scale = 1.0 / ((n - 1) as f64).sqrt();
    let x: Vec<Vec<f64>> =
        centred(series).into_iter().map(|s| s.into_iter().map(|v| v * scale).collect()).collect();
    // the eigenvectors of S from the smaller of S = X X' (p x p) and G = X'X (n x n): S's
    // eigenvector of a non-zero eigenvalue l is X v / sqrt(l) for G's v
    let small = p.min(n);
    let gram = nalgebra::DMatrix::from_fn(small, small, |a, b| {
        if p <= n {
            dot(&x[a], &x[b])
        } else {
            x.iter().map(|s| s[a] * s[b]).sum()
        }
    });
    let eigen = gram.symmetric_eigen();
    let mut order: Vec<usize> = (0..small).collect();
    order.sort_by(|&a, &b| eigen.eigenvalues[b].total_cmp(&eigen.eigenvalues[a]).then(a.cmp(&b)));
    let largest = eigen.eigenvalues.iter().fold(0.0f64, |m, v| m.max(*v));
    let kept: Vec<usize> = order
        .into_iter()
        .filter(|&j| eigen.eigenvalues[j] > largest * 1e-12)
        .take(factors)
        .collect();
    let k = kept.len();
    let mut loadings = vec![0.0; p * k];
    for (f, &j) in kept.iter().enumerate() {
        let l = eigen.eigenvalues[j];
        let v = eigen.eigenvectors.column(j);
        for i in 0..p {
            // V_if = sqrt(l) u_if; u = v itself (p <= n) or X v / sqrt(l)
            loadings[i * k + f] =
                if p <= n { l.sqrt() * v[i] } else { (0..n).map(|m| x[i][m] * v[m]).sum::<f64>() };
        }
    }
    let specific = (0..p)
        .map(|i| {
            let common: f64 = loadings[i * k..i * k + k].iter().map(|v| v * v).sum();
            (dot(&x[i], &x[i]) - common).max(0.0)
        })
        .collect();
    Some(FactorCovariance { p, k, loadings, specific })
}

/// The covariance by `estimator`.
pub fn estimate(series: &[Vec<f64>], estimator: Estimator) -> Option<Vec<f64>> {
    match estimator {
        Estimator::Sample => sample(series),
        Estimator::LedoitWolf => ledoit_wolf(series).map(|(c, _)| c),
        Estimator::Ewm { halflife } => ewm(series, halflife),
        Estimator::Pca { factors } => pca(series, factors).map(|f| f.dense()),
    }
}

/// The covariance by `estimator` in factor form `V V' + diag(d)` (for the optimiser): the
/// centred returns scaled as the estimator scales them, `V = X' / sqrt(n - 1)` and `d = 0` for
/// the sample covariance, `V = sqrt((1 - s) / n) X'` and `d = s trace(S) / p` for Ledoit-Wolf
/// with shrinkage `s`, the weighted returns for EWM and the model itself for PCA; `V V' +
/// diag(d)` equals [`estimate`]. `None` as [`estimate`].
pub fn factor_form(series: &[Vec<f64>], estimator: Estimator) -> Option<FactorCovariance> {
    let n = series.first()?.len();
    // V = scale * X' and a common specific variance
    let scaled = |x: Vec<Vec<f64>>, scale: f64, specific: f64| {
        let p = x.len();
        let loadings = x.iter().flat_map(|v| v.iter().map(move |r| r * scale)).collect();
        FactorCovariance { p, k: n, loadings, specific: vec![specific; p] }
    };
    match estimator {
        Estimator::Ewm { halflife } => ewm_factor_form(series, halflife),
        Estimator::Pca { factors } => pca(series, factors),
        Estimator::Sample => {
            (n >= 2).then(|| scaled(centred(series), 1.0 / ((n - 1) as f64).sqrt(), 0.0))
        }
        Estimator::LedoitWolf => {
            if n == 0 {
                return None;
            }
            let x = centred(series);
            // ||X'X||_F = ||X X'||_F: the n x n Gram matrix is cheaper than p x p for n < p
            let mut frobenius = 0.0;
            for k in 0..n {
                for l in k..n {
                    let g: f64 = x.iter().map(|s| s[k] * s[l]).sum();
                    frobenius += if l == k { g * g } else { 2.0 * g * g };
                }
            }
            let (s, mu) = shrinkage(&x, frobenius);
            Some(scaled(x, ((1.0 - s) / n as f64).sqrt(), s * mu))
        }
    }
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

    #[test]
    fn every_principal_component_is_the_sample_covariance() {
        // 6 names, 4 bars (rank 3: Gram route) and 3 names, 8 bars (S route)
        for (p, n) in [(6, 4), (3, 8)] {
            let series: Vec<Vec<f64>> = (0..p)
                .map(|i| {
                    (0..n).map(|t| (((i * n + t) as f64).powi(2) * 0.61).cos() * 0.02).collect()
                })
                .collect();
            let full = pca(&series, 10).unwrap();
            assert_eq!(full.k, p.min(n - 1), "only the non-zero components");
            let s = sample(&series).unwrap();
            let scale = s.iter().fold(0.0f64, |m, v| m.max(v.abs()));
            for (a, b) in full.dense().iter().zip(&s) {
                assert!((a - b).abs() < 1e-12 * scale, "{p}x{n}: {a} vs {b}");
            }
            assert!(full.specific.iter().all(|d| *d < 1e-12 * scale), "nothing left over");
            // one factor: the variances stay, the specific part takes the rest
            let one = pca(&series, 1).unwrap();
            for (i, v) in one.dense_diagonal().iter().enumerate() {
                assert!((v - s[i * p + i]).abs() < 1e-12 * scale);
            }
        }
    }
}
