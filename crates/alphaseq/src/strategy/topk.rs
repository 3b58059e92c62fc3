//! `rule = "topk_dropout"`: Qlib's `TopkDropoutStrategy` (qlib/contrib/strategy/signal_strategy.py,
//! `method_sell = "bottom"`, `method_buy = "top"`, `hold_thresh = 1`, `only_tradable = False`),
//! long only, on the held book:
//!
//! 1. `last`: the held names by today's prediction, best first (names without one last).
//! 2. `today`: the best `n_drop + topk - len(last)` names not held.
//! 3. `comb`: `last` and `today` together by prediction; `sell`: the held names among the worst
//!    `n_drop` of `comb`.
//! 4. `buy`: the first `len(sell) + topk - len(last)` of `today`.
//! 5. Sells free their weight as cash; each buy gets `cash * risk_degree / len(buy)`.
//!
//! Positions keep their weight between trades (the ledger does not model drift). Qlib's
//! `get_last_n(comb, 0)` is the whole list, so `n_drop = 0` would sell the entire book every
//! day; alphaseq asks for `n_drop >= 1` instead.

use serde::{Deserialize, Serialize};

/// `[strategy.topk_dropout]`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopkDropoutSpec {
    /// Names held.
    pub topk: usize,
    /// Names replaced at most per rebalance.
    pub n_drop: usize,
    /// The share of cash spent on buys (Qlib's default 0.95).
    #[serde(default = "default_risk_degree")]
    pub risk_degree: f64,
}

fn default_risk_degree() -> f64 {
    0.95
}

/// The book per date from `(ticker, t, prediction)`; it trades on the dates `trades_at` says.
pub(super) fn weights(
    spec: &TopkDropoutSpec,
    predictions: &[(usize, usize, f64)],
    n_dates: usize,
    n_tickers: usize,
    trades_at: impl Fn(usize) -> bool,
) -> Vec<Vec<f64>> {
    let mut score: Vec<Vec<(usize, f64)>> = vec![vec![]; n_dates];
    for &(i, t, x) in predictions {
        if x.is_finite() {
            score[t].push((i, x));
        }
    }
    let mut held = vec![0.0; n_tickers];
    let mut cash = 1.0;
    let mut out = vec![vec![0.0; n_tickers]; n_dates];
    let mut today_score = vec![f64::NAN; n_tickers];
    for t in 0..n_dates {
        if score[t].is_empty() || !trades_at(t) {
            out[t].clone_from(&held);
            continue;
        }
        today_score.iter_mut().for_each(|v| *v = f64::NAN);
        for &(i, x) in &score[t] {
            today_score[i] = x;
        }
        // best first, names without a prediction last (pandas sort_values puts NaN last), ties
        // by ticker
        let by_score = |a: &usize, b: &usize| {
            let (x, y) = (today_score[*a], today_score[*b]);
            match (x.is_nan(), y.is_nan()) {
                (false, false) => y.total_cmp(&x).then(a.cmp(b)),
                (nx, ny) => nx.cmp(&ny).then(a.cmp(b)),
            }
        };
        let mut last: Vec<usize> = (0..n_tickers).filter(|&i| held[i] != 0.0).collect();
        last.sort_by(by_score);
        let mut candidates: Vec<usize> =
            score[t].iter().map(|&(i, _)| i).filter(|&i| held[i] == 0.0).collect();
        candidates.sort_by(by_score);
        let wanted = (spec.n_drop + spec.topk).saturating_sub(last.len());
        let today: Vec<usize> = candidates.into_iter().take(wanted).collect();
        let mut comb: Vec<usize> = last.iter().chain(&today).copied().collect();
        comb.sort_by(by_score);
        let worst = &comb[comb.len().saturating_sub(spec.n_drop)..];
        let sell: Vec<usize> = last.iter().copied().filter(|i| worst.contains(i)).collect();
        let n_buy = (sell.len() + spec.topk).saturating_sub(last.len()).min(today.len());
        for &i in &sell {
            cash += held[i];
            held[i] = 0.0;
        }
        if n_buy > 0 {
            let value = cash * spec.risk_degree / n_buy as f64;
            for &i in &today[..n_buy] {
                held[i] = value;
            }
            cash -= value * n_buy as f64;
        }
        out[t].clone_from(&held);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_the_top_k_and_replaces_at_most_n_drop() {
        let spec = TopkDropoutSpec { topk: 2, n_drop: 1, risk_degree: 1.0 };
        // day 0: 0 > 1 > 2 > 3; day 1: 3 > 2 > 1 > 0; day 2: name 1 has no prediction
        let mut preds = vec![];
        for (t, order) in [[4.0, 3.0, 2.0, 1.0], [1.0, 2.0, 3.0, 4.0]].iter().enumerate() {
            for (i, x) in order.iter().enumerate() {
                preds.push((i, t, *x));
            }
        }
        preds.extend([(0, 2, 1.0), (2, 2, 0.5), (3, 2, 4.0)]);
        let w = weights(&spec, &preds, 3, 4, |_| true);
        assert_eq!(w[0], vec![0.5, 0.5, 0.0, 0.0], "the top 2, each half the cash");
        // day 1: last = [1, 0], today = [3] (n_drop + topk - 2 = 1 name), comb = [3, 1, 0],
        // the worst 1 of comb is 0: sell 0, buy 3 with the half it frees
        assert_eq!(w[1], vec![0.0, 0.5, 0.0, 0.5]);
        // day 2: last = [3, 1 (no prediction)], today = [0], comb = [3, 0, 1]: sell 1, buy 0
        assert_eq!(w[2], vec![0.5, 0.0, 0.0, 0.5]);
    }

    #[test]
    fn keeps_a_cash_buffer_as_qlib_does() {
        let spec = TopkDropoutSpec { topk: 2, n_drop: 1, risk_degree: 0.95 };
        let preds = [(0, 0, 2.0), (1, 0, 1.0), (2, 0, 0.0), (0, 1, 0.0), (1, 1, 1.0), (2, 1, 2.0)];
        let w = weights(&spec, &preds, 2, 3, |_| true);
        assert_eq!(w[0], vec![0.475, 0.475, 0.0]);
        // sell 0 (0.475): cash 0.05 + 0.475, 95% of it into name 2
        assert!((w[1][2] - 0.525 * 0.95).abs() < 1e-15 && w[1][0] == 0.0 && w[1][1] == 0.475);
    }
}
