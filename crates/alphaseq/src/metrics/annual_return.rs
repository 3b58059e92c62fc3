//! Compound annual growth rate, empyrical `annual_return`:
//! `(1 + cum_returns_final)^(1 / years) - 1` with `years = n / periods_per_year`.
//! Qlib's `risk_analysis` `annualized_return` is instead the arithmetic `mean(r) * periods_per_year`
//! (not compounded); quantstats `cagr` counts calendar years between the first and last date.

use super::cum_returns_final;

/// CAGR of `returns`; `None` for an empty series.
pub fn annual_return(returns: &[f64], periods_per_year: f64) -> Option<f64> {
    if returns.is_empty() {
        return None;
    }
    let years = returns.len() as f64 / periods_per_year;
    Some((1.0 + cum_returns_final(returns)?).powf(1.0 / years) - 1.0)
}
