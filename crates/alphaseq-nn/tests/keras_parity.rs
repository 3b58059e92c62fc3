//! Parity with Keras 3 on TensorFlow (fixtures from tools/oracles/keras_parity.py, float32), where
//! Keras' conventions differ from PyTorch's: one LSTM bias, elu LSTMs, BatchNormalization in
//! training (batch statistics, moving-average update) and inference (moving statistics), the GRU's
//! (z, r, h) gate order and two-row bias, SimpleRNN, Dense kernels stored [in][out], the weight
//! penalties, and the recurrent layers' `dropout` and `recurrent_dropout` with the masks Keras
//! was given (one per sample, used at every step; `Sequential::fix_dropout_masks`). Output, loss,
//! every weight gradient, the input gradient and the updated moving statistics match; tolerance per
//! tensor: max |ours - keras| <= 1e-5 * max |keras| (one documented exception, 3e-5, where Keras'
//! own float32 arithmetic is the less accurate side).

#![allow(clippy::unwrap_used)] // a panic is a failed test

use alphaseq_nn::{Activation, InitScheme, LayerSpec, Loss, ModelSpec, Penalty, Sequential, Shape};
use serde_json::Value;

mod common;
use common::{assert_close as assert_tensor_within, to_feature_major};

#[track_caller]
fn assert_tensor(ours: &[f32], keras: &[f32], what: &str) {
    assert_tensor_within(ours, keras, what, 1e-5)
}

fn floats(v: &Value) -> Vec<f32> {
    v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap() as f32).collect()
}

/// The one tensor where Keras' own float32 result is off: the bias gradient of the LSTM feeding
/// batch normalisation, whose backward pass subtracts means (cancellation). Run in f64, alphaseq's
/// exact value differs from Keras' by 1.36e-5 of the tensor's scale; its f32 value by 1.7e-5.
const CANCELLATION: &str = "elu_lstm_batchnorm_train gradient of l2.bias";

/// A Keras kernel `[rows][cols]` transposed to `[cols][rows]`, with its column blocks of `h`
/// reordered by `order` (ours block i = Keras block order[i]).
fn kernel_to_ours(k: &[f32], rows: usize, cols: usize, h: usize, order: &[usize]) -> Vec<f32> {
    let mut out = vec![0.0; k.len()];
    for (ours, &theirs) in order.iter().enumerate() {
        for j in 0..h {
            for r in 0..rows {
                out[(ours * h + j) * rows + r] = k[r * cols + theirs * h + j];
            }
        }
    }
    out
}

fn reorder(v: &[f32], h: usize, order: &[usize]) -> Vec<f32> {
    order.iter().flat_map(|&b| v[b * h..(b + 1) * h].to_vec()).collect()
}

/// Keras tensors in alphaseq's layout, in the order of `Sequential::state_mut`.
fn keras_state(c: &Value, source: &str, layers: &[Value]) -> Vec<(String, Vec<f32>)> {
    let find = |layer: &str, tensor: &str| -> (Vec<f32>, Vec<usize>) {
        let key = c["shapes"]
            .as_object()
            .unwrap()
            .keys()
            .find(|k| k.contains(&format!("/{layer}/")) && k.ends_with(&format!("/{tensor}")))
            .unwrap()
            .clone();
        let shape = c["shapes"][&key]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap() as usize)
            .collect();
        let values = if source == "grads" && c["grads"].get(&key).is_none() {
            vec![]
        } else {
            floats(&c[source][&key])
        };
        (values, shape)
    };
    let mut out = Vec::new();
    for l in layers {
        let (kind, name) = (l[0].as_str().unwrap(), l[1].as_str().unwrap());
        match kind {
            "lstm" | "rnn" | "gru" => {
                let (kernel, ks) = find(name, "kernel");
                let (rec, rs) = find(name, "recurrent_kernel");
                let (bias, _) = find(name, "bias");
                let h = rs[0];
                let order: Vec<usize> = match kind {
                    "lstm" => vec![0, 1, 2, 3],
                    "gru" => vec![1, 0, 2], // Keras z, r, h -> ours r, z, n
                    _ => vec![0],
                };
                out.push((
                    format!("{name}.w_ih"),
                    kernel_to_ours(&kernel, ks[0], ks[1], h, &order),
                ));
                out.push((format!("{name}.w_hh"), kernel_to_ours(&rec, rs[0], rs[1], h, &order)));
                if kind == "gru" {
                    let g = 3 * h;
                    out.push((format!("{name}.b_ih"), reorder(&bias[..g], h, &order)));
                    out.push((format!("{name}.b_hh"), reorder(&bias[g..], h, &order)));
                } else {
                    out.push((format!("{name}.bias"), reorder(&bias, h, &order)));
                }
            }
            "dense" => {
                let (kernel, ks) = find(name, "kernel");
                out.push((format!("{name}.w"), kernel_to_ours(&kernel, ks[0], ks[1], ks[1], &[0])));
                out.push((format!("{name}.b"), find(name, "bias").0));
            }
            _ => {
                for t in ["gamma", "beta", "moving_mean", "moving_variance"] {
                    out.push((format!("{name}.{t}"), find(name, t).0));
                }
            }
        }
    }
    out
}

/// The penalties a layer description lists (`{"kernel": [l1, l2], ...}`), set on its spec.
fn with_penalties(spec: LayerSpec, desc: &Value) -> LayerSpec {
    let Some(table) = desc.as_array().unwrap().iter().find_map(Value::as_object) else {
        return spec;
    };
    let get = |role: &str| {
        table.get(role).map(|v| {
            let w = floats(v);
            Penalty { l1: f64::from(w[0]), l2: f64::from(w[1]) }
        })
    };
    match spec {
        LayerSpec::Lstm(mut s) => {
            (s.kernel_regularizer, s.recurrent_regularizer) = (get("kernel"), get("recurrent"));
            s.bias_regularizer = get("bias");
            LayerSpec::Lstm(s)
        }
        LayerSpec::Gru(mut s) => {
            (s.kernel_regularizer, s.recurrent_regularizer) = (get("kernel"), get("recurrent"));
            s.bias_regularizer = get("bias");
            LayerSpec::Gru(s)
        }
        LayerSpec::Dense(mut s) => {
            (s.kernel_regularizer, s.bias_regularizer) = (get("kernel"), get("bias"));
            LayerSpec::Dense(s)
        }
        other => other,
    }
}

fn check(case: &str) {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/keras_parity.json"
    ))
    .unwrap();
    let all: Value = serde_json::from_str(&text).unwrap();
    let c = all["cases"].as_array().unwrap().iter().find(|c| c["name"] == case).unwrap().clone();
    let layers_desc = c["layers"].as_array().unwrap().clone();
    let first = layers_desc[0][1].as_str().unwrap().to_string();
    let first = first.as_str();
    let rate = |on: bool| if on { 0.5 } else { 0.0 };
    let xs: Vec<usize> =
        c["x_shape"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap() as usize).collect();
    let (batch, steps, features) = (xs[0], xs[1], xs[2]);
    let weights = keras_state(&c, "weights", &layers_desc);
    let act = |v: &Value| match v.as_str().unwrap_or("linear") {
        "elu" => Activation::Elu,
        "tanh" => Activation::Tanh,
        "sigmoid" => Activation::Sigmoid,
        "relu" => Activation::Relu,
        _ => Activation::Linear,
    };
    let units = |name: &str| {
        weights
            .iter()
            .find(|(n, _)| n == &format!("{name}.w_hh"))
            .map(|(_, v)| (v.len() as f64).sqrt() as usize)
    };
    let specs: Vec<LayerSpec> = layers_desc
        .iter()
        .map(|l| {
            let name = l[1].as_str().unwrap();
            match l[0].as_str().unwrap() {
                "lstm" => {
                    LayerSpec::lstm(units(name).unwrap() / 2, l[2].as_bool().unwrap(), act(&l[3]))
                }
                "gru" => LayerSpec::gru(
                    (weights.iter().find(|(n, _)| n == &format!("{name}.b_hh")).unwrap().1.len())
                        / 3,
                    l[2].as_bool().unwrap(),
                    act(&l[3]),
                ),
                "rnn" => LayerSpec::rnn(units(name).unwrap(), l[2].as_bool().unwrap(), act(&l[3])),
                "dense" => LayerSpec::dense(
                    weights.iter().find(|(n, _)| n == &format!("{name}.b")).unwrap().1.len(),
                    act(&l[2]),
                ),
                _ => LayerSpec::batch_norm(0.99, 1e-3),
            }
        })
        .zip(&layers_desc)
        .map(|(spec, desc)| with_penalties(spec, desc))
        .collect();
    // a layer with dropout masks in the fixture drops (the rates only switch it on: the masks
    // themselves are Keras')
    let dropped = |key: &str| c.get(key).and_then(|m| m.get(first)).is_some();
    let rates = (rate(dropped("input_masks")), rate(dropped("recurrent_masks")));
    let mut specs = specs;
    match &mut specs[0] {
        LayerSpec::Lstm(s) => (s.dropout, s.recurrent_dropout) = rates,
        LayerSpec::Gru(s) => (s.dropout, s.recurrent_dropout) = rates,
        LayerSpec::Rnn(s) => (s.dropout, s.recurrent_dropout) = rates,
        _ => {}
    }
    let mut model = Sequential::<f32>::new(
        &ModelSpec { features, layers: specs, ..ModelSpec::default() },
        InitScheme::Keras,
        0,
    )
    .unwrap();
    {
        let mut state = model.state_mut();
        assert_eq!(state.len(), weights.len(), "tensor count");
        for (ours, (theirs, w)) in state.iter_mut().zip(&weights) {
            assert_eq!(ours.values.len(), w.len(), "{} vs {theirs}", ours.name);
            ours.values.copy_from_slice(w);
        }
    }
    let training = c["training"].as_bool().unwrap();
    // the first layer's dropout masks, if Keras was given them ([B][F] and [B][H]): our layer
    // takes the same ones, transposed to [F][B] and [H][B]
    let transposed = |key: &str| {
        let m = c.get(key).and_then(|m| m.get(first)).map(floats)?;
        let rows = m.len() / batch;
        Some(
            (0..rows)
                .flat_map(|r| (0..batch).map(move |b| (r, b)))
                .map(|(r, b)| m[b * rows + r])
                .collect::<Vec<f32>>(),
        )
    };
    let (input_mask, recurrent_mask) = (transposed("input_masks"), transposed("recurrent_masks"));
    if input_mask.is_some() || recurrent_mask.is_some() {
        model.fix_dropout_masks(
            0,
            input_mask.unwrap_or_default(),
            recurrent_mask.unwrap_or_default(),
        );
    }
    let x = to_feature_major(&floats(&c["x"]), batch, steps, features);
    let sequence_out = matches!(model.output_shape(), Shape::Sequence(_));
    let to_ours =
        |v: Vec<f32>| if sequence_out { to_feature_major(&v, batch, steps, 1) } else { v };
    model.zero_grad();
    let out = model.forward(&x, steps, batch, training).unwrap().to_vec();
    assert_tensor(&out, &to_ours(floats(&c["output"])), &format!("{case} output"));
    let loss = if case.contains("elu") { Loss::BinaryCrossentropy } else { Loss::Mse };
    let (value, dout) = loss.value_and_grad(&out, &to_ours(floats(&c["y"])));
    // the weight penalties join the loss and the gradients, as the training step adds them
    let penalty = model.penalty();
    let keras_penalty = c["penalty"].as_f64().unwrap_or(0.0);
    assert!(
        (penalty - keras_penalty).abs() <= 1e-6 * keras_penalty.abs(),
        "{case} penalty {penalty} vs {keras_penalty}"
    );
    let value = value + penalty;
    let expected = c["loss"].as_f64().unwrap();
    assert!((value - expected).abs() <= 1e-5 * expected.abs(), "{case} loss {value} vs {expected}");
    let dx = model.backward(&dout, true).unwrap();
    let penalties = model.penalties();
    for (p, pen) in model.params().iter_mut().zip(&penalties) {
        pen.add_gradient(p.value, p.grad);
    }
    assert_tensor(
        &dx,
        &to_feature_major(&floats(&c["x_grad"]), batch, steps, features),
        &format!("{case} input gradient"),
    );

    let grads = keras_state(&c, "grads", &layers_desc);
    let ours: Vec<Vec<f32>> = model.params().iter().map(|p| p.grad.to_vec()).collect();
    let trainable: Vec<&(String, Vec<f32>)> =
        grads.iter().filter(|(n, _)| !n.contains("moving")).collect();
    assert_eq!(ours.len(), trainable.len());
    for (g, (name, keras)) in ours.iter().zip(trainable) {
        let what = format!("{case} gradient of {name}");
        assert_tensor_within(g, keras, &what, if what == CANCELLATION { 3e-5 } else { 1e-5 });
    }
    if training {
        let after = c["weights_after"].as_object().unwrap();
        let state = model.state_mut();
        for s in state.iter().filter(|s| s.name.contains("moving")) {
            let suffix =
                if s.name.ends_with("moving_mean") { "moving_mean" } else { "moving_variance" };
            let key = after.keys().find(|k| k.ends_with(suffix)).unwrap();
            assert_tensor(
                s.values,
                &floats(&after[key]),
                &format!("{case} {} after one training step", s.name),
            );
        }
    }
}

#[test]
fn elu_lstms_with_batch_norm_in_training_match_keras() {
    check("elu_lstm_batchnorm_train");
}

#[test]
fn gru_with_keras_gate_order_matches_keras() {
    check("gru_sequence");
}

#[test]
fn simple_rnn_with_batch_norm_in_inference_matches_keras() {
    check("simple_rnn_batchnorm_inference");
}

#[test]
fn input_dropout_is_keras_one_mask_per_sample_and_feature() {
    check("lstm_input_dropout");
}

#[test]
fn simple_rnn_input_and_recurrent_dropout_match_keras_masks() {
    check("simple_rnn_input_and_recurrent_dropout");
}

#[test]
fn kernel_recurrent_and_bias_penalties_match_keras_regularizers() {
    check("penalised_lstm_gru_dense");
}
