//! Rolling statistics and calendar aggregation for the tear sheet, as empyrical computes them:
//! `roll_sharpe_ratio`, `roll_annual_volatility` and `roll_beta` apply the full statistic to
//! each trailing window (here aligned to the window's last period, NaN before the first full
//! window); `aggregate_returns(returns, "monthly" | "yearly")` compounds the returns of each
//! calendar month or year (missing returns count as 0, as in `cum_returns`).

use chrono::{Datelike, NaiveDate};

use super::{alpha_beta, annual_volatility, cum_returns_final, sharpe_ratio};

/// `f` over each trailing window of `len` periods, NaN where the window is incomplete or `f`
/// is undefined.
fn rolling(n: usize, len: usize, f: impl Fn(usize, usize) -> Option<f64>) -> Vec<f64> {
    (0..n)
        .map(|t| {
            if len == 0 || t + 1 < len {
                return f64::NAN;
            }
            f(t + 1 - len, t + 1).unwrap_or(f64::NAN)
        })
        .collect()
}

/// Rolling annualised Sharpe ratio (empyrical `roll_sharpe_ratio`).
pub fn rolling_sharpe(returns: &[f64], window: usize, periods_per_year: f64) -> Vec<f64> {
    rolling(returns.len(), window, |a, b| sharpe_ratio(&returns[a..b], 0.0, periods_per_year))
}

/// Rolling annualised volatility (empyrical `roll_annual_volatility`).
pub fn rolling_volatility(returns: &[f64], window: usize, periods_per_year: f64) -> Vec<f64> {
    rolling(returns.len(), window, |a, b| annual_volatility(&returns[a..b], periods_per_year))
}

/// Rolling beta against `benchmark` (empyrical `roll_beta`).
pub fn rolling_beta(returns: &[f64], benchmark: &[f64], window: usize) -> Vec<f64> {
    rolling(returns.len().min(benchmark.len()), window, |a, b| {
        alpha_beta(&returns[a..b], &benchmark[a..b], 252.0).map(|(_, beta)| beta)
    })
}

/// A calendar period to aggregate returns over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Calendar {
    /// Calendar months: keys (year, month).
    Month,
    /// Calendar years: keys (year, 0).
    Year,
}

/// Compounded returns per calendar period (empyrical `aggregate_returns`), in date order:
/// `((year, month or 0), return)`.
pub fn aggregate(dates: &[NaiveDate], returns: &[f64], by: Calendar) -> Vec<((i32, u32), f64)> {
    let key = |d: &NaiveDate| match by {
        Calendar::Month => (d.year(), d.month()),
        Calendar::Year => (d.year(), 0),
    };
    let mut out = vec![];
    let mut start = 0;
    for t in 1..=dates.len() {
        if t == dates.len() || key(&dates[t]) != key(&dates[start]) {
            let r = cum_returns_final(&returns[start..t]).unwrap_or(f64::NAN);
            out.push((key(&dates[start]), r));
            start = t;
        }
    }
    out
}
