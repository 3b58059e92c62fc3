//! The PyTorch export loads into torch.nn modules and reproduces alphaseq's outputs. Fixture flow:
//! `cargo test -p alphaseq-nn --test torch_export -- --ignored` writes the export of a fixed model
//! and an input to tests/fixtures/export/; `tools/oracles/torch_load_export.py` (the loader
//! docs/checkpoints.md shows) runs them in PyTorch and writes expected.json. This test loads the
//! committed export back and compares outputs with PyTorch's, to 1e-5 of their scale.

#![allow(clippy::unwrap_used)] // a panic is a failed test

use std::path::PathBuf;

use alphaseq_nn::checkpoint::{decode_torch_into, encode_torch};
use alphaseq_nn::{Activation, InitScheme, LayerSpec, ModelSpec, Rng, Sequential};
use serde_json::Value;

mod common;
use common::to_feature_major;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/export")
}

fn spec() -> ModelSpec {
    let t = Activation::Tanh;
    ModelSpec {
        features: 3,
        layers: vec![
            LayerSpec::lstm(6, true, t),
            LayerSpec::rnn(5, true, Activation::Relu),
            LayerSpec::gru(4, false, t),
            LayerSpec::batch_norm(0.99, 1e-3),
            LayerSpec::dense(3, Activation::Relu),
            LayerSpec::dropout(0.2),
            LayerSpec::dense(1, Activation::Sigmoid),
        ],
        ..ModelSpec::default()
    }
}

#[test]
#[ignore = "writes the fixture; run by hand, then tools/oracles/torch_load_export.py"]
fn write_export_fixture() {
    let mut model = Sequential::<f32>::new(&spec(), InitScheme::Keras, 11).unwrap();
    let mut rng = Rng::new(5);
    let (batch, steps) = (4, 7);
    let x: Vec<f32> = (0..batch * steps * 3).map(|_| rng.normal() as f32).collect();
    for _ in 0..20 {
        model.forward(&to_feature_major(&x, batch, steps, 3), steps, batch, true).unwrap();
        // moving statistics
    }
    std::fs::create_dir_all(dir()).unwrap();
    std::fs::write(dir().join("model.torch.safetensors"), encode_torch(&mut model)).unwrap();
    std::fs::write(dir().join("model.json"), serde_json::to_string_pretty(&spec()).unwrap())
        .unwrap();
    std::fs::write(
        dir().join("input.json"),
        serde_json::json!({ "shape": [batch, steps, 3], "x": x }).to_string(),
    )
    .unwrap();
}

#[test]
fn the_pytorch_export_reproduces_alphaseq_outputs_in_pytorch() {
    let bytes = std::fs::read(dir().join("model.torch.safetensors")).unwrap();
    let described: ModelSpec =
        serde_json::from_str(&std::fs::read_to_string(dir().join("model.json")).unwrap()).unwrap();
    assert_eq!(described, spec());
    let mut model = Sequential::<f32>::new(&described, InitScheme::Keras, 0).unwrap();
    decode_torch_into(&mut model, &bytes).unwrap();
    assert_eq!(encode_torch(&mut model), bytes, "export -> import -> export is the identity");

    let input: Value =
        serde_json::from_str(&std::fs::read_to_string(dir().join("input.json")).unwrap()).unwrap();
    let shape: Vec<usize> =
        input["shape"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap() as usize).collect();
    let x: Vec<f32> =
        input["x"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap() as f32).collect();
    let ours = model
        .forward(&to_feature_major(&x, shape[0], shape[1], shape[2]), shape[1], shape[0], false)
        .unwrap()
        .to_vec();

    let expected: Value =
        serde_json::from_str(&std::fs::read_to_string(dir().join("expected.json")).unwrap())
            .unwrap();
    let torch: Vec<f32> =
        expected["output"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap() as f32).collect();
    assert_eq!(ours.len(), torch.len());
    let scale = torch.iter().fold(0.0f32, |m, v| m.max(v.abs()));
    let err = ours.iter().zip(&torch).fold(0.0f32, |m, (a, b)| m.max((a - b).abs()));
    assert!(err <= 1e-5 * scale, "max abs error {err:e} against max |torch| {scale:e}");
}
