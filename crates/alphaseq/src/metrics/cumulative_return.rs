//! Cumulative returns, empyrical `cum_returns` / `cum_returns_final` (starting value 0):
//! `prod(1 + r) - 1`, with NaN returns counted as 0.

/// The compounded return after each period.
pub fn cum_returns(returns: &[f64]) -> Vec<f64> {
    let mut wealth = 1.0;
    returns
        .iter()
        .map(|r| {
            if !r.is_nan() {
                wealth *= 1.0 + r;
            }
            wealth - 1.0
        })
        .collect()
}

/// The total compounded return; `None` for an empty series.
pub fn cum_returns_final(returns: &[f64]) -> Option<f64> {
    cum_returns(returns).last().copied()
}
