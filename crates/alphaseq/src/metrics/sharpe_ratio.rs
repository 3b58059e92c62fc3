//! Sharpe ratio, empyrical `sharpe_ratio`:
//! `mean(r - rf) / std(r - rf, ddof=1) * sqrt(periods_per_year)`, with `rf` per period.
//! Qlib's `risk_analysis` reports the same quantity under the name `information_ratio`.

use super::mean_std;

/// Annualised Sharpe ratio; `None` for fewer than 2 returns or zero volatility.
pub fn sharpe_ratio(returns: &[f64], risk_free: f64, periods_per_year: f64) -> Option<f64> {
    let excess: Vec<f64> = returns.iter().map(|r| r - risk_free).collect();
    let (mean, sd) = mean_std(&excess)?;
    (sd > 0.0).then(|| mean / sd * periods_per_year.sqrt())
}
