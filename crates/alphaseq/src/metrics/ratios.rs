//! Risk-adjusted ratios with empyrical's definitions (empyrical-reloaded 0.5.x; pyfolio's
//! `perf_stats` calls these). Returns are simple returns per period; NaN entries are skipped as
//! empyrical's `nanmean` does.
//!
//! - Calmar (`calmar_ratio`): `annual_return / |max_drawdown|`, undefined without a drawdown.
//!   quantstats' `calmar` divides its CAGR (calendar years) instead.
//! - Sortino (`sortino_ratio`, required return 0): `mean(r) * N / downside_risk`, with
//!   `downside_risk = sqrt(mean(min(r, 0)^2)) * sqrt(N)` over all periods (the zeros count).
//!   quantstats' `sortino` also divides by all periods but annualises the ratio by sqrt(N).
//! - Omega (`omega_ratio`, risk-free and required return 0): sum of gains over sum of losses.
//! - Tail ratio (`tail_ratio`): `|95th percentile| / |5th percentile|` (numpy's linear percentile).
//! - Value at risk (`value_at_risk`, cutoff 0.05): the 5th percentile of the returns. pyfolio's
//!   tear sheet "Daily value at risk" is instead `mean - 2 std` (ddof 1), see
//!   [`value_at_risk_gaussian`].
//! - Stability (`stability_of_timeseries`): R^2 of a straight-line fit of the cumulative log
//!   returns on time (scipy `linregress`).

use super::{annual_return, finite, max_drawdown};

/// numpy's `percentile(x, q)` (linear interpolation) of the non-NaN values.
pub fn percentile(x: &[f64], q: f64) -> Option<f64> {
    let mut v: Vec<f64> = finite(x).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let pos = q / 100.0 * (v.len() - 1) as f64;
    let (lo, frac) = (pos.floor() as usize, pos - pos.floor());
    let (a, b) = (v[lo], v[(lo + 1).min(v.len() - 1)]);
    // numpy's _lerp interpolates from the nearer end
    Some(if frac >= 0.5 { b - (b - a) * (1.0 - frac) } else { a + (b - a) * frac })
}

/// Calmar ratio; `None` without a drawdown.
pub fn calmar_ratio(returns: &[f64], periods_per_year: f64) -> Option<f64> {
    let dd = max_drawdown(returns)?;
    if dd >= 0.0 {
        return None;
    }
    let r = annual_return(returns, periods_per_year)? / dd.abs();
    r.is_finite().then_some(r)
}

/// Annualised downside deviation below 0 (empyrical `downside_risk`).
pub fn downside_risk(returns: &[f64], periods_per_year: f64) -> Option<f64> {
    let n = finite(returns).count();
    if n == 0 {
        return None;
    }
    let mean_sq = finite(returns).map(|r| r.min(0.0).powi(2)).sum::<f64>() / n as f64;
    Some(mean_sq.sqrt() * periods_per_year.sqrt())
}

/// Sortino ratio; `None` for fewer than 2 returns or no downside.
pub fn sortino_ratio(returns: &[f64], periods_per_year: f64) -> Option<f64> {
    let n = finite(returns).count();
    if n < 2 {
        return None;
    }
    let mean = finite(returns).sum::<f64>() / n as f64;
    let dr = downside_risk(returns, periods_per_year)?;
    (dr > 0.0).then(|| mean * periods_per_year / dr)
}

/// Omega ratio at a zero threshold; `None` for fewer than 2 returns or no losses.
pub fn omega_ratio(returns: &[f64]) -> Option<f64> {
    if finite(returns).count() < 2 {
        return None;
    }
    let gains: f64 = finite(returns).filter(|r| *r > 0.0).sum();
    let losses: f64 = -finite(returns).filter(|r| *r < 0.0).sum::<f64>();
    (losses > 0.0).then(|| gains / losses)
}

/// Tail ratio; `None` when empty or the 5th percentile is 0.
pub fn tail_ratio(returns: &[f64]) -> Option<f64> {
    let hi = percentile(returns, 95.0)?.abs();
    let lo = percentile(returns, 5.0)?.abs();
    (lo > 0.0).then(|| hi / lo)
}

/// Historical value at risk at `cutoff` (0.05: the 5th percentile).
pub fn value_at_risk(returns: &[f64], cutoff: f64) -> Option<f64> {
    percentile(returns, 100.0 * cutoff)
}

/// pyfolio's "Daily value at risk": `mean - 2 std` (ddof 1).
pub fn value_at_risk_gaussian(returns: &[f64]) -> Option<f64> {
    let (mean, sd) = super::mean_std(returns)?;
    Some(mean - 2.0 * sd)
}

/// Stability of the cumulative log returns; `None` for fewer than 2 returns.
pub fn stability(returns: &[f64]) -> Option<f64> {
    let v: Vec<f64> = finite(returns).collect();
    if v.len() < 2 {
        return None;
    }
    let mut total = 0.0;
    let y: Vec<f64> = v
        .iter()
        .map(|r| {
            total += r.ln_1p();
            total
        })
        .collect();
    let my = y.iter().sum::<f64>() / y.len() as f64;
    let (sxy, sxx, syy) = crate::numeric::sums_against_row(&y, my);
    if syy == 0.0 {
        return None;
    }
    let r = sxy / (sxx * syy).sqrt();
    Some(r * r)
}
