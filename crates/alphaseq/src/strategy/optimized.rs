//! `rule = "mean_variance"` with `[strategy.optimizer]`: the cost-aware program of
//! [`crate::portfolio::optimize`] solved date by date from the book actually held, so the
//! turnover control and the volatility target act inside the loop.
//!
//! At the close of t, on a rebalancing date: the names with a prediction and a full window of
//! returns; their covariance (factor form) over the trailing `cov_window` bars; expected returns
//! from the predictions (`alpha`); the held weights as `w0`; the linear cost `cost_weight *
//! rate / 1e4` per unit traded (each name's rate from [`Market::costs`]; buy and sell rates `b`
//! and `s` enter as the symmetric rate `(b + s) / 2` and `(b - s) / 2` off each name's expected
//! return, which is the same cost for any trade; a minimum cost per trade is not convex and is
//! left to the ledger); the neutrality, exposure and bound constraints; with
//! `vol_target`, the risk limit `vol_target / sqrt(periods per year)`, divided, with
//! `realised_vol_window`, by the book's own bias (its realised volatility over the window over
//! the mean ex-ante volatility of the books that earned those returns); `max_gross`, like
//! `gross`, limits `sum |w|`. The solution passes the no-trade band and the trade limit and
//! becomes the held book. A date whose program fails keeps the held book. Held names without a
//! prediction that date are closed.

use serde::{Deserialize, Serialize};

use super::control::realised_volatility;
use super::{Market, StrategySpec};
use crate::portfolio::covariance::{self, dot};
use crate::portfolio::optimize::{self, Constraints, Problem};
use crate::portfolio::{trailing_window, Neutrality};

/// How predictions become the program's expected returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Alpha {
    /// The predictions themselves, as expected returns per bar.
    #[default]
    Raw,
    /// Grinold's rule, `ic * sigma_i * z_i`: the cross-sectional z-score of the predictions
    /// (population standard deviation) times each name's volatility per bar (the covariance's
    /// diagonal) times the information coefficient `ic`.
    Score,
}

/// `[strategy.optimizer]`: the cost-aware program's settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OptimizerSpec {
    /// lambda, on returns per bar.
    pub risk_aversion: f64,
    /// kappa: the program's linear cost per unit traded is `kappa * rate / 1e4` (the ledger
    /// always charges the configured rate).
    pub cost_weight: f64,
    /// eta: the quadratic impact `(eta/2) sum (w - w0)^2`.
    pub impact: f64,
    /// Expected returns from the predictions.
    pub alpha: Alpha,
    /// The information coefficient of `alpha = "score"`.
    pub ic: f64,
    /// `sum |w| <= gross`.
    pub gross: Option<f64>,
    /// `[lo, hi]` on the net exposure `sum w`.
    pub net: Option<[f64; 2]>,
    /// `[lo, hi]` on every weight.
    pub bounds: Option<[f64; 2]>,
    /// `w >= 0`.
    pub long_only: bool,
    /// Zero beta to the equal-weighted mean return of the names over the covariance window.
    pub beta_neutral: bool,
}

impl Default for OptimizerSpec {
    fn default() -> Self {
        OptimizerSpec {
            risk_aversion: 1.0,
            cost_weight: 1.0,
            impact: 0.0,
            alpha: Alpha::Raw,
            ic: 0.02,
            gross: None,
            net: None,
            bounds: None,
            long_only: false,
            beta_neutral: false,
        }
    }
}

/// The held book per date (see the module comment).
pub(super) fn weights(
    spec: &StrategySpec,
    opt: &OptimizerSpec,
    predictions: &[(usize, usize, f64)],
    market: &Market,
    n_dates: usize,
) -> Vec<Vec<f64>> {
    let p_all = market.returns.len();
    let mut by_date: Vec<Vec<(usize, f64)>> = vec![vec![]; n_dates];
    for &(i, t, x) in predictions {
        if x.is_finite() {
            by_date[t].push((i, x));
        }
    }
    let control = spec.turnover_control();
    let ppy = market.periods_per_year;
    let no_sector = market.sectors.iter().flatten().max().map_or(0, |m| m + 1);
    let mut out = vec![vec![0.0; p_all]; n_dates];
    let mut held = vec![0.0; p_all];
    // the annualised ex-ante volatility of the book decided at t, and the return booked at t of
    // the book decided at t - 1
    let mut ex_ante = vec![f64::NAN; n_dates];
    let mut booked = vec![f64::NAN; n_dates];
    for t in 0..n_dates {
        if t > 0 && held.iter().any(|v| *v != 0.0) {
            booked[t] = (0..p_all)
                .filter(|&i| held[i] != 0.0 && market.returns[i][t].is_finite())
                .map(|i| held[i] * market.returns[i][t])
                .sum();
        }
        if !control.rebalance.trades_at(market.dates, t) {
            out[t].clone_from(&held);
            ex_ante[t] = if t > 0 { ex_ante[t - 1] } else { f64::NAN };
            continue;
        }
        let mut ids = vec![];
        let mut preds = vec![];
        let mut series = vec![];
        for &(i, x) in &by_date[t] {
            if let Some(s) = trailing_window(&market.returns[i], t, spec.cov_window) {
                ids.push(i);
                preds.push(x);
                series.push(s.to_vec());
            }
        }
        let cov = (ids.len() >= 2).then(|| covariance::factor_form(&series, spec.covariance));
        let mut target = vec![0.0; p_all];
        if let Some(Some(cov)) = &cov {
            let p = ids.len();
            let variances: Vec<f64> = cov.dense_diagonal();
            let mut mu = expected_returns(opt, &preds, &variances);
            let previous: Vec<f64> = ids.iter().map(|&i| held[i]).collect();
            let mut cost = vec![0.0; p];
            for (k, &i) in ids.iter().enumerate() {
                let (buy, sell) = market.costs.rates(i);
                cost[k] = opt.cost_weight * ((buy + sell) / 2.0) / 1e4;
                if buy != sell {
                    // b (w - w0)^+ + s (w - w0)^- = (b + s)/2 |w - w0| + (b - s)/2 (w - w0)
                    mu[k] -= opt.cost_weight * ((buy - sell) / 2.0) / 1e4;
                }
            }
            let groups = match spec.neutral {
                Neutrality::None => None,
                Neutrality::Dollar => Some(vec![0; p]),
                Neutrality::Sector => {
                    Some(ids.iter().map(|&i| market.sectors[i].unwrap_or(no_sector)).collect())
                }
            };
            let max_risk = spec.vol_target.map(|target| {
                let factor = spec
                    .realised_vol_window
                    .and_then(|w| bias(&booked, &ex_ante, t, w, ppy))
                    .map_or(1.0, |b| (1.0 / b).clamp(0.25, 4.0));
                target * factor / ppy.sqrt()
            });
            let constraints = Constraints {
                groups,
                beta: opt.beta_neutral.then(|| betas(&series)),
                // `strategy.max_gross` caps the book here too
                gross: match (opt.gross, spec.max_gross) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                },
                net: opt.net.map(|[lo, hi]| (lo, hi)),
                bounds: opt.bounds.map(|[lo, hi]| (lo, hi)),
                long_only: opt.long_only,
                max_risk,
            };
            let problem = Problem {
                mu: &mu,
                cov,
                previous: &previous,
                risk_aversion: opt.risk_aversion,
                cost: &cost,
                impact: opt.impact,
                constraints: &constraints,
            };
            match optimize::solve(&problem) {
                Ok(s) => {
                    for (k, &i) in ids.iter().enumerate() {
                        target[i] = s.weights[k];
                    }
                }
                Err(_) => target.clone_from(&held),
            }
        }
        held = control.trade(&target, &held);
        out[t].clone_from(&held);
        if let Some(Some(cov)) = &cov {
            let w: Vec<f64> = ids.iter().map(|&i| held[i]).collect();
            ex_ante[t] = (cov.variance(&w) * ppy).sqrt();
        }
    }
    out
}

/// The program's expected returns from the predictions.
fn expected_returns(opt: &OptimizerSpec, preds: &[f64], variances: &[f64]) -> Vec<f64> {
    match opt.alpha {
        Alpha::Raw => preds.to_vec(),
        Alpha::Score => {
            let n = preds.len() as f64;
            let mean = preds.iter().sum::<f64>() / n;
            let sd = (preds.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n).sqrt();
            if sd == 0.0 || !sd.is_finite() {
                return vec![0.0; preds.len()];
            }
            preds.iter().zip(variances).map(|(x, v)| opt.ic * v.sqrt() * (x - mean) / sd).collect()
        }
    }
}

/// Each series' beta to the equal-weighted mean of all (sample covariance over sample variance).
fn betas(series: &[Vec<f64>]) -> Vec<f64> {
    let n = series.first().map_or(0, Vec::len);
    let market: Vec<f64> =
        (0..n).map(|k| series.iter().map(|s| s[k]).sum::<f64>() / series.len() as f64).collect();
    let centre = |v: &[f64]| {
        let m = v.iter().sum::<f64>() / v.len() as f64;
        v.iter().map(|x| x - m).collect::<Vec<f64>>()
    };
    let m = centre(&market);
    let var = dot(&m, &m);
    series.iter().map(|s| if var > 0.0 { dot(&centre(s), &m) / var } else { 0.0 }).collect()
}

/// The book's bias at t: the realised annualised volatility (ddof 1) of the returns booked over
/// the trailing `window` bars over the mean ex-ante volatility of the books that earned them;
/// `None` with fewer than `max(window / 3, 2)` such returns.
fn bias(booked: &[f64], ex_ante: &[f64], t: usize, window: usize, ppy: f64) -> Option<f64> {
    let from = (t + 1).saturating_sub(window).max(1);
    let pairs: Vec<(f64, f64)> = (from..=t)
        .map(|u| (booked[u], ex_ante[u - 1]))
        .filter(|(r, e)| r.is_finite() && e.is_finite() && *e > 0.0)
        .collect();
    if pairs.len() < (window / 3).max(2) {
        return None;
    }
    let returns: Vec<f64> = pairs.iter().map(|p| p.0).collect();
    let expected = pairs.iter().map(|p| p.1).sum::<f64>() / pairs.len() as f64;
    realised_volatility(&returns, ppy).map(|realised| realised / expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_scale_by_ic_and_volatility() {
        let opt = OptimizerSpec { alpha: Alpha::Score, ic: 0.1, ..OptimizerSpec::default() };
        let mu = expected_returns(&opt, &[1.0, 2.0, 3.0], &[0.04, 0.01, 0.0001]);
        let sd = (2.0f64 / 3.0).sqrt();
        assert!((mu[0] - 0.1 * 0.2 * (-1.0 / sd)).abs() < 1e-15);
        assert_eq!(mu[1], 0.0);
        assert!((mu[2] - 0.1 * 0.01 * (1.0 / sd)).abs() < 1e-15);
    }

    #[test]
    fn betas_to_the_mean_return() {
        let s = vec![vec![0.01, -0.01, 0.02], vec![0.03, -0.03, 0.06]];
        let b = betas(&s);
        // the mean is 2 x the first series: betas 0.5 and 1.5
        assert!((b[0] - 0.5).abs() < 1e-12 && (b[1] - 1.5).abs() < 1e-12, "{b:?}");
    }
}
