//! The backtest ledger's identities on random weights and returns: every booked date earns the
//! weights decided `lag + 1` bars earlier, `gross = sum_i w_i r_i` over the held names, `net =
//! gross - cost`, and `cost = cost_bps / 1e4 x sum_i |w_i(t) - w_i(t-1)|`.

#![allow(clippy::unwrap_used)] // test helpers may panic: a panic is a failed test

use alphaseq::backtest;
use proptest::prelude::*;

mod common;

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn ledger_identities_hold(seed in any::<u64>(), lag in 0usize..4, cost_bps in 0.0f64..20.0, from in 0usize..10) {
        let mut rng = common::Rng(seed);
        let (n_dates, n_tickers) = (40, 4);
        let weights: Vec<Vec<f64>> = (0..n_dates)
            .map(|_| (0..n_tickers).map(|_| if rng.uniform() < 0.3 { 0.0 } else { rng.normal() * 0.3 }).collect())
            .collect();
        let returns: Vec<Vec<f64>> = (0..n_tickers)
            .map(|_| (0..n_dates).map(|t| if t == 0 || rng.uniform() < 0.05 { f64::NAN } else { rng.normal() * 0.02 }).collect())
            .collect();
        let l = backtest::run(&weights, &returns, from, n_dates - 1, &backtest::Costs::flat(cost_bps), lag);
        prop_assert_eq!(l.dates.len(), n_dates - from - lag - 1);
        let mut previous = vec![0.0; n_tickers];
        let mut missing = 0;
        for (k, &booked) in l.dates.iter().enumerate() {
            let t = from + k;
            prop_assert_eq!(booked, t + lag + 1, "decided at {} books at {}", t, booked);
            let mut gross = 0.0;
            for i in 0..n_tickers {
                let (w, r) = (weights[t][i], returns[i][booked]);
                if w != 0.0 {
                    if r.is_finite() { gross += w * r } else { missing += 1 }
                }
            }
            let turnover: f64 = (0..n_tickers).map(|i| (weights[t][i] - previous[i]).abs()).sum();
            previous.clone_from(&weights[t]);
            prop_assert!((l.gross[k] - gross).abs() <= 1e-15, "gross at {}", k);
            prop_assert!((l.turnover[k] - turnover).abs() <= 1e-15, "turnover at {}", k);
            prop_assert!((l.cost[k] - cost_bps / 1e4 * turnover).abs() <= 1e-15, "cost at {}", k);
            prop_assert_eq!(l.net[k].to_bits(), (l.gross[k] - l.cost[k]).to_bits(), "net = gross - cost at {}", k);
        }
        prop_assert_eq!(l.missing_returns, missing);
    }
}
