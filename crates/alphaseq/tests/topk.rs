//! `rule = "topk_dropout"` against Qlib's TopkDropoutStrategy selection code (fixture from
//! tools/oracles/qlib_topk.py: 250 days of the sample stocks' 21-day returns as scores, some
//! missing): the same book, name by name, every day.

#![allow(clippy::unwrap_used)] // test helpers may panic: a panic is a failed test

use alphaseq::backtest::Costs;
use alphaseq::strategy::{self, Market, Rule, StrategySpec, TopkDropoutSpec};
use serde::Deserialize;

#[derive(Deserialize)]
struct Fixture {
    topk: usize,
    n_drop: usize,
    risk_degree: f64,
    tickers: Vec<String>,
    scores: Vec<Vec<Option<f64>>>,
    weights: Vec<Vec<f64>>,
}

#[test]
fn the_book_equals_qlibs_topk_dropout() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/qlib_topk.json");
    let f: Fixture = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let (days, names) = (f.scores.len(), f.tickers.len());
    let predictions: Vec<(usize, usize, f64)> = f
        .scores
        .iter()
        .enumerate()
        .flat_map(|(t, row)| row.iter().enumerate().filter_map(move |(i, s)| s.map(|s| (i, t, s))))
        .collect();
    let spec = StrategySpec {
        rule: Rule::TopkDropout,
        topk_dropout: Some(TopkDropoutSpec {
            topk: f.topk,
            n_drop: f.n_drop,
            risk_degree: f.risk_degree,
        }),
        ..StrategySpec::default()
    };
    let returns = vec![vec![0.0; days]; names];
    let sectors = vec![None; names];
    let costs = Costs::flat(0.0);
    let market = Market {
        dates: &[],
        returns: &returns,
        sectors: &sectors,
        periods_per_year: 252.0,
        costs: &costs,
        own: None,
    };
    let w = strategy::weights(&spec, &predictions, &market, days);
    let mut changes = 0;
    for t in 0..days {
        for i in 0..names {
            let (a, e) = (w[t][i], f.weights[t][i]);
            assert!((a - e).abs() <= 1e-15, "day {t}, {}: alphaseq {a}, qlib {e}", f.tickers[i]);
        }
        changes += usize::from(t > 0 && w[t] != w[t - 1]);
    }
    assert!(changes > 100, "the book turns over on most days ({changes})");
    assert!(w.iter().all(|row| row.iter().filter(|v| **v > 0.0).count() == f.topk));
}
