//! The deep-momentum paper's cross-sectional loss as alphaseq-nn composes it, against TensorFlow
//! (fixtures from tools/oracles/xs_sharpe.py, float64): the `cross_sectional_norm` layer on raw
//! positions laid out by date, then the `cross_sectional_sharpe` loss over the dates' portfolio
//! returns; the weights, the loss and its gradient with respect to the raw positions.

#![allow(clippy::unwrap_used)] // a panic is a failed test

use alphaseq_nn::{CrossSectionalNormSpec, InitScheme, LayerSpec, Loss, ModelSpec, Sequential};
use serde_json::Value;

fn floats(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect()
}

#[track_caller]
fn assert_close(ours: &[f64], theirs: &[f64], what: &str) {
    assert_eq!(ours.len(), theirs.len(), "{what}: length");
    let scale = theirs.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    for (i, (a, b)) in ours.iter().zip(theirs).enumerate() {
        assert!((a - b).abs() <= 1e-9 * scale, "{what}[{i}]: {a} vs {b}");
    }
}

#[test]
fn normalised_positions_and_the_daily_portfolios_sharpe_match_tensorflow() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/xs_sharpe.json"
    ))
    .unwrap();
    let all: Value = serde_json::from_str(&text).unwrap();
    for c in all["cases"].as_array().unwrap() {
        let (steps, stocks) =
            (c["steps"].as_u64().unwrap() as usize, c["stocks"].as_u64().unwrap() as usize);
        let what = format!("{steps} dates x {stocks} stocks");
        let spec = ModelSpec {
            features: 1,
            layers: vec![LayerSpec::CrossSectionalNorm(CrossSectionalNormSpec::default())],
            ..ModelSpec::default()
        };
        let mut model = Sequential::<f64>::new(&spec, InitScheme::Keras, 0).unwrap();
        // [step][stock] row-major is the engine's feature-major [1][T*B] (column t*B + b)
        let raw = floats(&c["raw"]);
        let weights = model.forward(&raw, steps, stocks, true).unwrap().to_vec();
        assert_close(&weights, &floats(&c["weights"]), &format!("{what} weights"));
        let (value, dw) = Loss::CrossSectionalSharpe.value_and_grad_grouped(
            &weights,
            &floats(&c["returns"]),
            None,
            stocks,
        );
        let expected = c["loss"].as_f64().unwrap();
        assert!(
            (value - expected).abs() <= 1e-9 * expected.abs(),
            "{what} loss {value} vs {expected}"
        );
        let dx = model.backward(&dw, true).unwrap();
        assert_close(&dx, &floats(&c["grad"]), &format!("{what} gradient"));
    }
}
