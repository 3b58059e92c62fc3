//! Annualised volatility, empyrical `annual_volatility`: `std(r, ddof=1) * sqrt(periods_per_year)`.

use super::mean_std;

/// Annualised standard deviation; `None` for fewer than 2 returns.
pub fn annual_volatility(returns: &[f64], periods_per_year: f64) -> Option<f64> {
    mean_std(returns).map(|(_, sd)| sd * periods_per_year.sqrt())
}
