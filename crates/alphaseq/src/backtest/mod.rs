//! Daily (or weekly) accounting of target weights. A weight vector decided at the close of t
//! (row t) earns the asset returns from t+k to t+k+1, where k is the execution lag (0 by default),
//! and the return is booked on date t+k+1. Each weight change pays its [`Costs`] (a rate in basis
//! points of the traded weight, by side and optionally by name, at least a minimum per trade),
//! booked on the same date as the return of the new weights. Weights are rebalanced to target
//! every bar (drift between bars is not modelled).
//!
//! Ledger identity: `net = gross - cost` on every date, and `gross = sum_i w_i r_i`.
//!
//! [`Trading`] sums up what trading costs: exposure, turnover, holding period, cost drag and the
//! break-even cost (the cost at which the mean net return, hence the net Sharpe ratio, is 0).
//!
//! Depends on [`crate::strategy`] (weights) and [`crate::data`] (returns).

use serde::{Deserialize, Serialize};

/// What a trade costs, as a fraction of capital: `|dw| * rate / 1e4`, the rate `buy_bps` for a
/// weight increase and `sell_bps` for a decrease (a name's own rates where given), and at least
/// `min_cost` for any trade (Qlib's exchange model: `max(value * rate, min_cost)`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Costs {
    /// Basis points of the traded weight for a buy (the weight goes up).
    pub buy_bps: f64,
    /// Basis points for a sell (the weight goes down).
    pub sell_bps: f64,
    /// Per ticker index, its own `(buy, sell)` basis points; empty or none: the common rates.
    pub per_name: Vec<Option<(f64, f64)>>,
    /// The least any trade costs, as a fraction of capital (0: no minimum).
    pub min_cost: f64,
}

impl Costs {
    /// The same rate for every trade, no minimum.
    pub fn flat(bps: f64) -> Costs {
        Costs { buy_bps: bps, sell_bps: bps, per_name: vec![], min_cost: 0.0 }
    }

    /// The one rate of every trade, when there is one (no sides, names or minimum).
    pub fn flat_bps(&self) -> Option<f64> {
        let uniform = self.buy_bps == self.sell_bps && self.min_cost == 0.0;
        (uniform && self.per_name.iter().all(Option::is_none)).then_some(self.buy_bps)
    }

    /// Ticker `i`'s `(buy, sell)` basis points.
    pub fn rates(&self, i: usize) -> (f64, f64) {
        self.per_name.get(i).copied().flatten().unwrap_or((self.buy_bps, self.sell_bps))
    }

    /// What changing ticker `i`'s weight by `trade` costs.
    pub fn of_trade(&self, i: usize, trade: f64) -> f64 {
        if trade == 0.0 {
            return 0.0;
        }
        let (buy, sell) = self.rates(i);
        let rate = if trade > 0.0 { buy } else { sell };
        (trade.abs() * rate / 1e4).max(self.min_cost)
    }
}

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
    /// Gross exposure (sum of absolute weights) of the book earning that date's return.
    pub exposure: Vec<f64>,
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
    costs: &Costs,
    lag: usize,
) -> Ledger {
    let n_dates = weights.len();
    let mut ledger = Ledger {
        dates: vec![],
        gross: vec![],
        cost: vec![],
        net: vec![],
        turnover: vec![],
        exposure: vec![],
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
        let exposure: f64 = w.iter().map(|v| v.abs()).sum();
        let cost = match costs.flat_bps() {
            Some(bps) => bps / 1e4 * turnover,
            None => w
                .iter()
                .zip(&previous)
                .enumerate()
                .map(|(i, (a, b))| costs.of_trade(i, a - b))
                .sum(),
        };
        previous.clone_from(w);
        ledger.dates.push(booked);
        ledger.gross.push(gross);
        ledger.cost.push(cost);
        ledger.net.push(gross - cost);
        ledger.turnover.push(turnover);
        ledger.exposure.push(exposure);
    }
    ledger
}

/// What trading a ledger costs, over its dates.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trading {
    /// Mean gross exposure (sum of absolute weights) per bar.
    pub mean_exposure: f64,
    /// Mean turnover (sum of absolute weight changes) per bar.
    pub mean_turnover: f64,
    /// Average holding period in bars, `2 * mean_exposure / mean_turnover`: a book replaced
    /// entirely sells and buys its gross exposure, a turnover of twice the exposure (none
    /// without turnover).
    pub holding_period: Option<f64>,
    /// Costs paid per year, as a fraction of capital: the mean cost per bar times the periods
    /// per year (arithmetic, like the return it is subtracted from).
    pub cost_drag: f64,
    /// The cost in basis points of traded value at which the mean net return, hence the net
    /// Sharpe ratio, is 0: `1e4 * mean(gross) / mean(turnover)` for these weights. Negative when
    /// the weights lose before costs; none without turnover.
    pub break_even_bps: Option<f64>,
}

impl Trading {
    /// The statistics of `ledger`; `None` without dates.
    pub fn of(ledger: &Ledger, periods_per_year: f64) -> Option<Trading> {
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
        if ledger.dates.is_empty() {
            return None;
        }
        let (exposure, turnover) = (mean(&ledger.exposure), mean(&ledger.turnover));
        let traded = turnover > 0.0;
        Some(Trading {
            mean_exposure: exposure,
            mean_turnover: turnover,
            holding_period: traded.then(|| 2.0 * exposure / turnover),
            cost_drag: mean(&ledger.cost) * periods_per_year,
            break_even_bps: traded.then(|| 1e4 * mean(&ledger.gross) / turnover),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_earn_the_next_bar_and_pay_costs_on_changes() {
        let weights = vec![vec![1.0, 0.0], vec![0.5, -0.5], vec![0.0, 0.0], vec![0.0, 0.0]];
        let returns = vec![vec![f64::NAN, 0.01, 0.02, 0.03], vec![f64::NAN, -0.01, 0.04, -0.02]];
        let l = run(&weights, &returns, 0, 3, &Costs::flat(10.0), 0);
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
        assert_eq!(l.exposure, vec![1.0, 1.0, 0.0]);
        let lagged = run(&weights, &returns, 0, 3, &Costs::flat(0.0), 1);
        assert_eq!(lagged.dates, vec![2, 3]);
        assert!((lagged.gross[0] - 0.02).abs() < 1e-15);
    }

    #[test]
    fn break_even_cost_zeroes_the_mean_net_return() {
        // a book of gross 1 that turns over 0.5 a bar and earns 2 bps a bar before costs
        let n = 40;
        let weights: Vec<Vec<f64>> =
            (0..n).map(|t| if t % 2 == 0 { vec![0.5, -0.5] } else { vec![0.25, -0.75] }).collect();
        let returns: Vec<Vec<f64>> = vec![vec![0.0004; n], vec![0.0; n]];
        let l = run(&weights, &returns, 1, n - 1, &Costs::flat(3.0), 0);
        let tr = Trading::of(&l, 252.0).unwrap();
        // 38 bars: the first buys the book (turnover 1), the others move a quarter of it
        let turnover = (1.0 + 37.0 * 0.5) / 38.0;
        assert!((tr.mean_exposure - 1.0).abs() < 1e-15);
        assert!((tr.mean_turnover - turnover).abs() < 1e-15);
        assert!((tr.holding_period.unwrap() - 2.0 / turnover).abs() < 1e-12);
        let be = tr.break_even_bps.unwrap();
        let mean_gross = l.gross.iter().sum::<f64>() / l.gross.len() as f64;
        assert!((be - 1e4 * mean_gross / turnover).abs() < 1e-9);
        let at_be = run(&weights, &returns, 1, n - 1, &Costs::flat(be), 0);
        let mean_net = at_be.net.iter().sum::<f64>() / at_be.net.len() as f64;
        assert!(mean_net.abs() < 1e-15, "net mean at the break-even cost: {mean_net}");
        assert!((tr.cost_drag - 3e-4 * turnover * 252.0).abs() < 1e-12);
        let idle = run(&vec![vec![0.0, 0.0]; n], &returns, 0, n - 1, &Costs::flat(5.0), 0);
        let idle = Trading::of(&idle, 252.0).unwrap();
        assert_eq!((idle.holding_period, idle.break_even_bps), (None, None));
    }

    #[test]
    fn costs_by_side_name_and_minimum() {
        let costs = Costs {
            buy_bps: 5.0,
            sell_bps: 15.0,
            per_name: vec![None, Some((1.0, 2.0))],
            min_cost: 2e-5,
        };
        assert!((costs.of_trade(0, 0.1) - 0.1 * 5e-4).abs() < 1e-18);
        assert!((costs.of_trade(0, -0.1) - 0.1 * 15e-4).abs() < 1e-18);
        assert!((costs.of_trade(1, -0.5) - 0.5 * 2e-4).abs() < 1e-18);
        assert_eq!(costs.of_trade(1, 0.01), 2e-5, "1 bp of 0.01 is below the minimum");
        assert_eq!(costs.of_trade(0, 0.0), 0.0, "no trade, no minimum");
        let weights = vec![vec![0.5, 0.5], vec![0.6, 0.4], vec![0.6, 0.4]];
        let returns = vec![vec![0.0; 3]; 2];
        let l = run(&weights, &returns, 0, 2, &costs, 0);
        assert_eq!(l.cost.len(), 2);
        let first = 0.5 * 5e-4 + 0.5 * 1e-4;
        let second = 0.1 * 5e-4 + 2e-5;
        assert!((l.cost[0] - first).abs() < 1e-18 && (l.cost[1] - second).abs() < 1e-18);
    }
}
