//! Cross-sectional portfolio construction: mean-variance weights with linear equality
//! constraints, trailing covariance estimates and ex-ante volatility targeting.
//!
//! Mean-variance (the closed form of the cross-sectional momentum study's appendix): maximise
//! `w'mu - w'Cw / (2 gamma)` subject to `B w = d`. The Lagrangian gives
//! `w = gamma C^-1 (mu - B' lambda)` with `lambda = (B C^-1 B')^-1 (B C^-1 mu - d / gamma)`.
//! alphaseq's constraints are neutralities (`d = 0`): one row of ones (dollar neutral) or one
//! indicator row per sector (sector neutral, which implies dollar neutral), so gamma cancels
//! once the gross exposure `sum |w|` is normalised to 1.
//!
//! Causality: weights decided at the close of t use predictions made at t and the returns of
//! bars `t - window + 1 ..= t` (the return of bar t is known at its close).
//!
//! Dense solves (Cholesky) are nalgebra's. Depends on nothing else in the crate.

pub mod covariance;
pub mod optimize;

use serde::{Deserialize, Serialize};

pub use covariance::Estimator;
use nalgebra::{DMatrix, DVector};

/// Which neutrality the mean-variance weights satisfy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Neutrality {
    /// No constraint (`w = C^-1 mu`, gross-normalised).
    None,
    /// Weights sum to zero.
    Dollar,
    /// Weights sum to zero within every sector (tickers without a sector form one group).
    Sector,
}

/// Mean-variance weights for expected returns `mu` and covariance `cov` (row-major p x p),
/// with the weights of each group in `groups` (one group id per name) summing to zero, or no
/// constraint when `groups` is `None`. Normalised to gross exposure 1. `None` when the
/// covariance is not positive definite or every weight is zero (e.g. one name per group).
pub fn mean_variance(mu: &[f64], cov: &[f64], groups: Option<&[usize]>) -> Option<Vec<f64>> {
    let p = mu.len();
    if !cov.iter().chain(mu).all(|v| v.is_finite()) {
        return None;
    }
    let c = DMatrix::from_row_slice(p, p, cov).cholesky()?;
    let mut w = c.solve(&DVector::from_column_slice(mu));
    if let Some(groups) = groups {
        let mut ids: Vec<usize> = groups.to_vec();
        ids.sort_unstable();
        ids.dedup();
        let k = ids.len();
        let row = |g: usize| ids.binary_search(&g).unwrap_or(0);
        // B' (p x k, one indicator column per group), Y = C^-1 B', M = B Y, rhs = B C^-1 mu.
        let bt = DMatrix::from_fn(p, k, |i, h| if row(groups[i]) == h { 1.0 } else { 0.0 });
        let y = c.solve(&bt);
        let m = bt.tr_mul(&y);
        // Symmetrise against rounding before factorising.
        let m = (&m + m.transpose()) * 0.5;
        let lambda = m.cholesky()?.solve(&bt.tr_mul(&w));
        w -= y * lambda;
    }
    let gross: f64 = w.iter().map(|v| v.abs()).sum();
    let negligible = 1e-12 * mu.iter().map(|v| v.abs()).sum::<f64>();
    if gross.is_nan() || gross <= negligible || !gross.is_finite() {
        return None;
    }
    Some(w.iter().map(|v| v / gross).collect())
}

/// The trailing window `t + 1 - window ..= t` of `returns`, or `None` if it starts before the
/// calendar or holds a missing value.
pub fn trailing_window(returns: &[f64], t: usize, window: usize) -> Option<&[f64]> {
    let from = (t + 1).checked_sub(window)?;
    let w = &returns[from..=t];
    w.iter().all(|r| r.is_finite()).then_some(w)
}

/// How the mean-variance portfolio is built.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MeanVarianceSpec {
    /// Covariance estimator.
    pub estimator: Estimator,
    /// Trailing bars of returns for the covariance.
    pub window: usize,
    /// Neutrality constraint.
    pub neutral: Neutrality,
}

/// Mean-variance weights `[date][ticker]` from predictions `(ticker, t, predicted return)`,
/// simple `returns[ticker][t]` and a sector id per ticker (`None`: no sector). Each date uses
/// the names with a prediction and a full window of returns; dates with fewer than two such
/// names, or where the solve fails, hold no position.
pub fn mean_variance_weights(
    predictions: &[(usize, usize, f64)],
    returns: &[Vec<f64>],
    sectors: &[Option<usize>],
    spec: &MeanVarianceSpec,
    n_dates: usize,
) -> Vec<Vec<f64>> {
    let n_tickers = returns.len();
    let mut w = vec![vec![0.0; n_tickers]; n_dates];
    let mut by_date: Vec<Vec<(usize, f64)>> = vec![vec![]; n_dates];
    for &(i, t, p) in predictions {
        if p.is_finite() {
            by_date[t].push((i, p));
        }
    }
    let no_sector = sectors.iter().flatten().max().map_or(0, |m| m + 1);
    for (t, names) in by_date.iter().enumerate() {
        let mut ids = vec![];
        let mut mu = vec![];
        let mut series = vec![];
        for &(i, p) in names {
            if let Some(s) = trailing_window(&returns[i], t, spec.window) {
                ids.push(i);
                mu.push(p);
                series.push(s.to_vec());
            }
        }
        if ids.len() < 2 {
            continue;
        }
        let Some(cov) = covariance::estimate(&series, spec.estimator) else { continue };
        let groups: Vec<usize> = match spec.neutral {
            Neutrality::None | Neutrality::Dollar => vec![0; ids.len()],
            Neutrality::Sector => ids.iter().map(|&i| sectors[i].unwrap_or(no_sector)).collect(),
        };
        let constraint = (spec.neutral != Neutrality::None).then_some(groups.as_slice());
        if let Some(x) = mean_variance(&mu, &cov, constraint) {
            for (k, &i) in ids.iter().enumerate() {
                w[t][i] = x[k];
            }
        }
    }
    w
}

/// Ex-ante annualised volatility `sqrt(ppy * w'Cw)` of the weights `w` on names `ids` at date
/// t, with the covariance of the trailing `window` bars (missing returns count as 0).
fn ex_ante_volatility(
    w: &[f64],
    ids: &[usize],
    returns: &[Vec<f64>],
    t: usize,
    window: usize,
    estimator: Estimator,
    periods_per_year: f64,
) -> Option<f64> {
    let from = (t + 1).checked_sub(window)?;
    let series: Vec<Vec<f64>> = ids
        .iter()
        .map(|&i| {
            returns[i][from..=t].iter().map(|r| if r.is_finite() { *r } else { 0.0 }).collect()
        })
        .collect();
    let cov = covariance::estimate(&series, estimator)?;
    let p = ids.len();
    let mut var = 0.0;
    for a in 0..p {
        var += w[a] * covariance::dot(&cov[a * p..a * p + p], w);
    }
    (var > 0.0 && var.is_finite()).then(|| (var * periods_per_year).sqrt())
}

/// Scales every date's weights so the ex-ante annualised volatility is `target` (e.g. 0.15),
/// with the covariance of the trailing `window` bars by `estimator`, capping gross exposure
/// at `max_gross` when given. Dates without a full window, or with zero estimated risk, hold
/// no position.
pub fn target_volatility(
    weights: &mut [Vec<f64>],
    returns: &[Vec<f64>],
    target: f64,
    window: usize,
    estimator: Estimator,
    periods_per_year: f64,
    max_gross: Option<f64>,
) {
    for (t, row) in weights.iter_mut().enumerate() {
        let ids: Vec<usize> = (0..row.len()).filter(|&i| row[i] != 0.0).collect();
        if ids.is_empty() {
            continue;
        }
        let w: Vec<f64> = ids.iter().map(|&i| row[i]).collect();
        let vol = ex_ante_volatility(&w, &ids, returns, t, window, estimator, periods_per_year);
        let Some(vol) = vol else {
            row.iter_mut().for_each(|v| *v = 0.0);
            continue;
        };
        let mut scale = target / vol;
        if let Some(cap) = max_gross {
            let gross: f64 = w.iter().map(|v| v.abs()).sum();
            scale = scale.min(cap / gross);
        }
        row.iter_mut().for_each(|v| *v *= scale);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sector_neutral_weights_sum_to_zero_per_sector() {
        let cov = [
            0.04, 0.01, 0.0, 0.002, 0.01, 0.03, 0.001, 0.0, 0.0, 0.001, 0.05, 0.01, 0.002, 0.0,
            0.01, 0.02,
        ];
        let mu = [0.01, -0.02, 0.03, 0.005];
        let groups = [0, 0, 1, 1];
        let w = mean_variance(&mu, &cov, Some(&groups)).expect("solvable");
        assert!((w[0] + w[1]).abs() < 1e-12 && (w[2] + w[3]).abs() < 1e-12);
        assert!((w.iter().map(|v| v.abs()).sum::<f64>() - 1.0).abs() < 1e-12);
        assert!(w[0] > 0.0 && w[2] > 0.0, "long the higher expected return in each sector");
        let single = mean_variance(&mu[..2], &[0.04, 0.0, 0.0, 0.03], Some(&[0, 1]));
        assert!(single.is_none(), "one name per sector cannot hold anything");
    }

    #[test]
    fn covariances_that_are_not_positive_definite_give_no_weights() {
        let mu = [0.01, 0.02];
        assert!(mean_variance(&mu, &[1.0, 2.0, 2.0, 1.0], None).is_none(), "indefinite");
        assert!(mean_variance(&mu, &[1.0, f64::NAN, f64::NAN, 1.0], None).is_none(), "NaN");
        assert!(mean_variance(&mu, &[0.0, 0.0, 0.0, 0.0], Some(&[0, 0])).is_none(), "zero");
        // Diagonal: w is mu / sigma^2, gross-normalised (0.01 / 1 and 0.02 / 4).
        let w = mean_variance(&mu, &[1.0, 0.0, 0.0, 4.0], None).unwrap();
        assert!((w[0] - 2.0 / 3.0).abs() < 1e-15 && (w[1] - 1.0 / 3.0).abs() < 1e-15);
    }
}
