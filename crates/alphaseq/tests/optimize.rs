//! The cost-aware mean-variance program against cvxpy (fixture from
//! tools/oracles/cvxpy_portfolio.py: five dates of the sample stocks' real Ledoit-Wolf
//! covariances, four programs each): the same weights to 1e-6 (or, where cvxpy's Clarabel and
//! SCS solutions differ by more than 2.5e-7, to four times that), the same objective, every
//! constraint satisfied to 1e-8, and the KKT stationarity of the cost-and-neutrality program.

#![allow(clippy::unwrap_used)] // test helpers may panic: a panic is a failed test

use alphaseq::portfolio::covariance::{self, Estimator};
use alphaseq::portfolio::optimize::{self, Constraints, FactorCovariance, Problem};
use serde::Deserialize;

#[derive(Deserialize)]
struct Case {
    #[serde(flatten)]
    at: common::SampleDate,
    beta: Vec<f64>,
    previous: Vec<f64>,
    cost_sector: Reference,
    long_only: Reference,
    risk_beta: Reference,
    net_bounds: Reference,
}

#[derive(Deserialize)]
struct Reference {
    lambda: f64,
    cost: Vec<f64>,
    impact: f64,
    weights: Vec<f64>,
    objective: f64,
    scs_max_difference: f64,
}

mod common;

fn cases() -> Vec<Case> {
    common::fixture_cases("cvxpy_portfolio.json", 5)
}

/// The program's objective at `w` (cvxpy's `prob.value`).
fn objective(c: &Case, cov: &FactorCovariance, r: &Reference, w: &[f64]) -> f64 {
    let lin: f64 = c.at.mu.iter().zip(w).map(|(m, x)| m * x).sum();
    let cost: f64 = (0..w.len()).map(|i| r.cost[i] * (w[i] - c.previous[i]).abs()).sum();
    let impact: f64 = (0..w.len()).map(|i| (w[i] - c.previous[i]).powi(2)).sum();
    lin - r.lambda / 2.0 * cov.variance(w) - cost - r.impact / 2.0 * impact
}

fn solve(c: &Case, cov: &FactorCovariance, r: &Reference, constraints: &Constraints) -> Vec<f64> {
    let pr = Problem {
        mu: &c.at.mu,
        cov,
        previous: &c.previous,
        risk_aversion: r.lambda,
        cost: &r.cost,
        impact: r.impact,
        constraints,
    };
    optimize::solve(&pr).unwrap().weights
}

#[test]
fn weights_equal_cvxpys_and_satisfy_every_constraint() {
    for c in cases() {
        let cov = covariance::factor_form(&c.at.series, Estimator::LedoitWolf).unwrap();
        let p = c.at.mu.len();
        let programs: [(&str, &Reference, Constraints); 4] = [
            (
                "cost_sector",
                &c.cost_sector,
                Constraints { groups: Some(c.at.sectors.clone()), ..Default::default() },
            ),
            (
                "long_only",
                &c.long_only,
                Constraints {
                    long_only: true,
                    gross: Some(1.0),
                    bounds: Some((f64::NEG_INFINITY, 0.15)),
                    ..Default::default()
                },
            ),
            (
                "risk_beta",
                &c.risk_beta,
                Constraints {
                    groups: Some(vec![0; p]),
                    beta: Some(c.beta.clone()),
                    gross: Some(2.0),
                    max_risk: Some(0.01),
                    ..Default::default()
                },
            ),
            (
                "net_bounds",
                &c.net_bounds,
                Constraints {
                    net: Some((-0.1, 0.1)),
                    bounds: Some((-0.05, 0.05)),
                    ..Default::default()
                },
            ),
        ];
        for (name, r, constraints) in programs {
            let what = format!("{} {name}", c.at.date);
            let w = solve(&c, &cov, r, &constraints);
            // 1e-6, or where cvxpy's two solvers disagree by more than a quarter of that (the risk
            // and gross limits binding on a weakly curved objective: solutions within the
            // solvers' feasibility tolerance differ by a few 1e-6), four times their difference
            let tol = (4.0 * r.scs_max_difference).max(1e-6);
            for (k, (a, e)) in w.iter().zip(&r.weights).enumerate() {
                assert!((a - e).abs() < tol, "{what}[{k}]: alphaseq {a:e}, cvxpy {e:e}");
            }
            let (ours, theirs) = (objective(&c, &cov, r, &w), r.objective);
            // never worse than cvxpy's; at most as much better as the reference's own precision
            let slack = 1e-9 * theirs.abs().max(1e-6);
            assert!(ours >= theirs - slack, "{what}: objective {ours:e} below cvxpy's {theirs:e}");
            assert!(
                ours <= theirs + 1e-8 * theirs.abs().max(1e-6),
                "{what}: {ours:e} vs {theirs:e}"
            );
            let tol = 1e-8;
            if let Some(groups) = &constraints.groups {
                for g in 0..=*groups.iter().max().unwrap() {
                    let s: f64 = (0..p).filter(|&i| groups[i] == g).map(|i| w[i]).sum();
                    assert!(s.abs() < tol, "{what}: group {g} sums to {s}");
                }
            }
            if let Some(beta) = &constraints.beta {
                let s: f64 = beta.iter().zip(&w).map(|(b, x)| b * x).sum();
                assert!(s.abs() < tol, "{what}: beta exposure {s}");
            }
            if let Some(gross) = constraints.gross {
                assert!(w.iter().map(|x| x.abs()).sum::<f64>() <= gross + tol, "{what}: gross");
            }
            if let Some((lo, hi)) = constraints.net {
                let net: f64 = w.iter().sum();
                assert!(net >= lo - tol && net <= hi + tol, "{what}: net {net}");
            }
            if let Some((lo, hi)) = constraints.bounds {
                assert!(w.iter().all(|x| *x >= lo - tol && *x <= hi + tol), "{what}: bounds");
            }
            if constraints.long_only {
                assert!(w.iter().all(|x| *x >= -tol), "{what}: long only");
            }
            if let Some(risk) = constraints.max_risk {
                assert!(cov.variance(&w).sqrt() <= risk + tol, "{what}: risk");
            }
        }
    }
}

/// KKT stationarity of the cost-and-sector-neutrality program: `mu - lambda C w - nu_g - c z = 0`
/// for each name, with `z = sign(w - w0)` for a name that trades and `|z| <= 1` for one that does
/// not, `nu_g` the multiplier of its sector.
#[test]
fn the_cost_aware_weights_are_stationary() {
    for c in cases() {
        let cov = covariance::factor_form(&c.at.series, Estimator::LedoitWolf).unwrap();
        let r = &c.cost_sector;
        let constraints = Constraints { groups: Some(c.at.sectors.clone()), ..Default::default() };
        let w = solve(&c, &cov, r, &constraints);
        let p = w.len();
        let dense = cov.dense();
        let grad: Vec<f64> = (0..p)
            .map(|i| c.at.mu[i] - r.lambda * (0..p).map(|j| dense[i * p + j] * w[j]).sum::<f64>())
            .collect();
        let trades = |i: usize| (w[i] - c.previous[i]).abs() > 1e-7;
        for g in 0..=*c.at.sectors.iter().max().unwrap() {
            let names: Vec<usize> = (0..p).filter(|&i| c.at.sectors[i] == g).collect();
            let traded: Vec<usize> = names.iter().copied().filter(|&i| trades(i)).collect();
            if traded.is_empty() {
                continue;
            }
            let nu = traded
                .iter()
                .map(|&i| grad[i] - r.cost[i] * (w[i] - c.previous[i]).signum())
                .sum::<f64>()
                / traded.len() as f64;
            for &i in &names {
                let residual = grad[i] - nu;
                if trades(i) {
                    let z = (w[i] - c.previous[i]).signum();
                    assert!((residual - r.cost[i] * z).abs() < 1e-7, "{} name {i}", c.at.date);
                } else {
                    assert!(residual.abs() <= r.cost[i] + 1e-7, "{} name {i} holds", c.at.date);
                }
            }
        }
    }
}
