//! The portfolio step against numpy and scikit-learn (fixture from
//! tools/oracles/sklearn_portfolio.py on the sample stocks): covariance estimators, mean-variance
//! weights under each neutrality, and volatility targeting.

#![allow(clippy::unwrap_used)] // test helpers may panic: a panic is a failed test

use alphaseq::portfolio::{
    covariance, mean_variance, mean_variance_weights, target_volatility, Estimator,
    MeanVarianceSpec, Neutrality,
};
use serde::Deserialize;

#[derive(Deserialize)]
struct Case {
    #[serde(flatten)]
    at: common::SampleDate,
    sample_cov: Vec<f64>,
    lw_cov: Vec<f64>,
    lw_shrinkage: f64,
    w_none: Vec<f64>,
    w_dollar: Vec<f64>,
    w_sector: Vec<f64>,
    vol_sector: f64,
}

mod common;

fn cases() -> Vec<Case> {
    common::fixture_cases("sklearn_portfolio.json", 5)
}

/// Largest absolute difference, relative to the largest reference magnitude.
fn assert_all_close(actual: &[f64], expected: &[f64], tol: f64, what: &str) {
    assert_eq!(actual.len(), expected.len(), "{what}: lengths");
    let scale = expected.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    for (k, (a, e)) in actual.iter().zip(expected).enumerate() {
        let err = (a - e).abs() / scale;
        assert!(err <= tol, "{what}[{k}]: alphaseq {a:e}, reference {e:e}, error {err:e}");
    }
}

#[test]
fn covariances_equal_numpy_and_scikit_learn() {
    for c in cases() {
        assert_all_close(
            &covariance::sample(&c.at.series).unwrap(),
            &c.sample_cov,
            1e-12,
            &format!("{} sample", c.at.date),
        );
        let (lw, s) = covariance::ledoit_wolf(&c.at.series).unwrap();
        assert!((s - c.lw_shrinkage).abs() <= 1e-10 * c.lw_shrinkage, "{}: shrinkage", c.at.date);
        assert_all_close(&lw, &c.lw_cov, 1e-12, &format!("{} ledoit-wolf", c.at.date));
    }
}

#[test]
fn mean_variance_weights_equal_the_kkt_solution() {
    for c in cases() {
        let p = c.at.mu.len();
        let sample = covariance::sample(&c.at.series).unwrap();
        let lw = covariance::ledoit_wolf(&c.at.series).unwrap().0;
        let none = mean_variance(&c.at.mu, &sample, None).unwrap();
        assert_all_close(&none, &c.w_none, 1e-9, &format!("{} unconstrained", c.at.date));
        let dollar = mean_variance(&c.at.mu, &sample, Some(&vec![0; p])).unwrap();
        assert_all_close(&dollar, &c.w_dollar, 1e-9, &format!("{} dollar neutral", c.at.date));
        let sector = mean_variance(&c.at.mu, &lw, Some(&c.at.sectors)).unwrap();
        assert_all_close(&sector, &c.w_sector, 1e-9, &format!("{} sector neutral", c.at.date));
    }
}

#[test]
fn calendar_weights_use_the_trailing_window_and_target_volatility() {
    for c in cases() {
        let n = c.at.series[0].len();
        // A calendar of n + 5 dates: the window ends at t = n - 1; later returns are noise
        // that must not matter.
        let returns: Vec<Vec<f64>> =
            c.at.series
                .iter()
                .map(|s| s.iter().copied().chain([0.5, -0.4, 0.3, 9.0, -0.9]).collect())
                .collect();
        let t = n - 1;
        let preds: Vec<(usize, usize, f64)> =
            c.at.mu.iter().enumerate().map(|(i, m)| (i, t, *m)).collect();
        let sectors: Vec<Option<usize>> = c.at.sectors.iter().map(|s| Some(*s)).collect();
        let spec = MeanVarianceSpec {
            estimator: Estimator::LedoitWolf,
            window: n,
            neutral: Neutrality::Sector,
        };
        let mut w = mean_variance_weights(&preds, &returns, &sectors, &spec, n + 5);
        assert_all_close(&w[t], &c.w_sector, 1e-9, &format!("{} calendar", c.at.date));
        assert!(w.iter().enumerate().all(|(d, row)| d == t || row.iter().all(|v| *v == 0.0)));
        target_volatility(&mut w, &returns, 0.15, n, Estimator::LedoitWolf, 252.0, None);
        let scaled: Vec<f64> = c.w_sector.iter().map(|v| v * 0.15 / c.vol_sector).collect();
        assert_all_close(&w[t], &scaled, 1e-9, &format!("{} vol target", c.at.date));
        let mut capped = mean_variance_weights(&preds, &returns, &sectors, &spec, n + 5);
        target_volatility(&mut capped, &returns, 0.15, n, Estimator::LedoitWolf, 252.0, Some(0.5));
        let gross: f64 = capped[t].iter().map(|v| v.abs()).sum();
        assert!(gross <= 0.5 + 1e-12, "{}: gross {gross} above the cap", c.at.date);
    }
}

#[derive(Deserialize)]
struct RiskModelCase {
    #[serde(flatten)]
    at: common::SampleDate,
    ewm_cov: Vec<f64>,
    pca_eigenvalues: Vec<f64>,
    pca_specific: Vec<f64>,
    pca_cov: Vec<f64>,
}

/// The EWM covariance against pandas and the PCA factor model against numpy's `eigh`
/// (tools/oracles/risk_models.py: half-life 21, 5 factors).
#[test]
fn risk_models_equal_pandas_and_numpy() {
    let cases: Vec<RiskModelCase> = common::fixture_cases("risk_models.json", 5);
    for c in cases {
        let ewm = covariance::estimate(&c.at.series, Estimator::Ewm { halflife: 21.0 }).unwrap();
        assert_all_close(&ewm, &c.ewm_cov, 1e-12, &format!("{} ewm", c.at.date));
        let model = covariance::pca(&c.at.series, 5).unwrap();
        assert_eq!(model.k, 5);
        // the factors' variances are the eigenvalues: the columns of V are orthogonal
        for f in 0..5 {
            let l: f64 = (0..model.p).map(|i| model.loadings[i * 5 + f].powi(2)).sum();
            let e = c.pca_eigenvalues[f];
            assert!((l - e).abs() <= 1e-10 * c.pca_eigenvalues[0], "{} eigenvalue {f}", c.at.date);
        }
        assert_all_close(
            &model.specific,
            &c.pca_specific,
            1e-9,
            &format!("{} specific", c.at.date),
        );
        assert_all_close(&model.dense(), &c.pca_cov, 1e-9, &format!("{} pca", c.at.date));
        let dense = covariance::estimate(&c.at.series, Estimator::Pca { factors: 5 }).unwrap();
        assert_all_close(&dense, &c.pca_cov, 1e-9, &format!("{} pca estimate", c.at.date));
    }
}
