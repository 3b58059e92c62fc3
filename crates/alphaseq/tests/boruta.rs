//! Boruta's statistical rule against BorutaPy's own `_do_tests` (fixture from
//! tools/oracles/boruta_tests.py: 600 random states, hit counts and rounds, with and without the
//! two-step correction), and Boruta on a panel's training samples.

#![allow(clippy::unwrap_used)] // a panic is a failed test

use alphaseq::selection::boruta::decide;
use serde_json::Value;

#[test]
fn decisions_equal_borutapy() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/boruta_tests.json"
    ))
    .unwrap();
    let fx: Value = serde_json::from_str(&text).unwrap();
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
