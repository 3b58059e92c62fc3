//! Daily (or weekly) accounting of target weights. A weight vector decided at the close of t
//! (row t) earns the asset returns from t+k to t+k+1, where k is the execution lag (0 by default),
//! and the return is booked on date t+k+1. Costs are `cost_bps / 1e4` times the sum of absolute
//! weight changes, booked on the same date as the return of the new weights. Weights are
//! rebalanced to target every bar (drift between bars is not modelled).
//!
//! Ledger identity: `net = gross - cost` on every date, and `gross = sum_i w_i r_i`.
//!
//! Depends on [`crate::strategy`] (weights) and [`crate::data`] (returns).

use serde::Serialize;

/// A backtest's daily ledger.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ledger {
    /// Indices (into the calendar) of the dates the returns are booked on.
    pub dates: Vec<usize>,
    /// Portfolio return before costs.
    pub gross: Vec<f64>,
    /// Cost paid that date.
    pub cost: Vec<f64>,
    /// Portfolio return after costs.
    pub net: Vec<f64>,
    /// Sum of absolute weight changes at that rebalance.
    pub turnover: Vec<f64>,
    /// Number of held positions whose asset return was missing (counted as 0).
    pub missing_returns: usize,
}

/// Runs the ledger for decisions on date indices `from ..= to` (rows of `weights`), against
/// `returns[ticker][t]` (simple returns of bar t, i.e. from t-1 to t).
pub fn run(
    weights: &[Vec<f64>],
    returns: &[Vec<f64>],
    from: usize,
    to: usize,
    cost_bps: f64,
    lag: usize,
) -> Ledger {
    let n_dates = weights.len();
    let mut ledger = Ledger {
        dates: vec![],
        gross: vec![],
        cost: vec![],
        net: vec![],
        turnover: vec![],
        missing_returns: 0,
    };
    let n_tickers = returns.len();
    let mut previous = vec![0.0; n_tickers];
    for t in from..=to.min(n_dates.saturating_sub(1)) {
        let booked = t + lag + 1;
        if booked >= n_dates {
            break;
        }
        let w = &weights[t];
        let mut gross = 0.0;
        for (i, &wi) in w.iter().enumerate() {
            if wi == 0.0 {
                continue;
            }
            let r = returns[i][booked];
            if r.is_finite() {
                gross += wi * r;
            } else {
                ledger.missing_returns += 1;
            }
        }
        let turnover: f64 = w.iter().zip(&previous).map(|(a, b)| (a - b).abs()).sum();
        let cost = cost_bps / 1e4 * turnover;
        previous.clone_from(w);
        ledger.dates.push(booked);
        ledger.gross.push(gross);
        ledger.cost.push(cost);
        ledger.net.push(gross - cost);
        ledger.turnover.push(turnover);
    }
    ledger
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_earn_the_next_bar_and_pay_costs_on_changes() {
        let weights = vec![vec![1.0, 0.0], vec![0.5, -0.5], vec![0.0, 0.0], vec![0.0, 0.0]];
        let returns = vec![vec![f64::NAN, 0.01, 0.02, 0.03], vec![f64::NAN, -0.01, 0.04, -0.02]];
        let l = run(&weights, &returns, 0, 3, 10.0, 0);
        assert_eq!(l.dates, vec![1, 2, 3]);
        assert!((l.gross[0] - 0.01).abs() < 1e-15);
        assert!((l.gross[1] - (0.5 * 0.02 - 0.5 * 0.04)).abs() < 1e-15);
        assert_eq!(l.turnover, vec![1.0, 1.0, 1.0]);
        for i in 0..3 {
            assert!(
                (l.net[i] - (l.gross[i] - 0.001 * l.turnover[i])).abs() < 1e-15,
                "ledger identity"
            );
        }
        let lagged = run(&weights, &returns, 0, 3, 0.0, 1);
        assert_eq!(lagged.dates, vec![2, 3]);
        assert!((lagged.gross[0] - 0.02).abs() < 1e-15);
    }
}
