//! Boruta's statistical rule against BorutaPy's own `_do_tests` (fixture from
//! tools/oracles/boruta_tests.py: 600 random states, hit counts and rounds, with and without the
//! two-step correction), its `ranking_` against BorutaPy's own (tools/oracles/boruta_ranking.py:
//! BorutaPy fitted on 12 random sets, its importance history and decisions fed to ours), and
//! Boruta on a panel's training samples.

#![allow(clippy::unwrap_used)] // a panic is a failed test

use alphaseq::selection::boruta::{decide, ranking, Decision};
use serde_json::Value;

/// The fixture `tests/fixtures/NAME` as JSON.
fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn ranking_equals_borutapys() {
    let fx = fixture("boruta_ranking.json");
    let cases = fx["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 12);
    for (k, c) in cases.iter().enumerate() {
        // a feature's importances up to its rejection (BorutaPy writes NaN after)
        let history: Vec<Vec<f64>> = c["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| row.as_array().unwrap().iter().map_while(Value::as_f64).collect())
            .collect();
        let decisions: Vec<Decision> = serde_json::from_value(c["decisions"].clone()).unwrap();
        let want: Vec<usize> = serde_json::from_value(c["ranking"].clone()).unwrap();
        assert_eq!(ranking(&decisions, &history), want, "case {k}");
    }
}

#[test]
fn decisions_equal_borutapy() {
    let fx = fixture("boruta_tests.json");
    let alpha = fx["alpha"].as_f64().unwrap();
    let ints = |v: &Value| -> Vec<i64> {
        v.as_array().unwrap().iter().map(|x| x.as_i64().unwrap()).collect()
    };
    let cases = fx["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 600);
    for (k, c) in cases.iter().enumerate() {
        let mut state: Vec<i8> = ints(&c["state"]).iter().map(|v| *v as i8).collect();
        let hits: Vec<usize> = ints(&c["hits"]).iter().map(|v| *v as usize).collect();
        let round = c["round"].as_u64().unwrap() as usize;
        decide(&mut state, &hits, round, alpha, c["two_step"].as_bool().unwrap());
        let want: Vec<i8> = ints(&c["after"]).iter().map(|v| *v as i8).collect();
        assert_eq!(state, want, "case {k}: round {round}, hits {hits:?}");
    }
}
