//! Maximum drawdown, empyrical `max_drawdown`: wealth starts at 1 *before* the first return, so a
//! loss on the first period counts; `min_t (W_t - max_{s<=t} W_s) / max_{s<=t} W_s`.

/// Drawdown after each period (0 at a new high, negative below it).
pub fn drawdown_series(returns: &[f64]) -> Vec<f64> {
    let mut wealth = 1.0f64;
    let mut peak = 1.0f64;
    returns
        .iter()
        .map(|r| {
            if !r.is_nan() {
                wealth *= 1.0 + r;
            }
            peak = peak.max(wealth);
            (wealth - peak) / peak
        })
        .collect()
}

/// The largest drawdown (a negative number, 0 if the series never falls); `None` when empty.
pub fn max_drawdown(returns: &[f64]) -> Option<f64> {
    if returns.is_empty() {
        return None;
    }
    Some(drawdown_series(returns).into_iter().fold(0.0, f64::min))
}
