//! Finite-difference gradient checks in f64: for small models of every layer kind, the
//! hand-written backward pass agrees with central differences of the loss, for every parameter
//! and every input value.

#![allow(clippy::unwrap_used)] // a panic is a failed test

use alphaseq_nn::{Activation, InitScheme, LayerSpec, Loss, ModelSpec, Rng, Sequential};

fn lstm(units: usize, return_sequences: bool, activation: Activation) -> LayerSpec {
    LayerSpec::lstm(units, return_sequences, activation)
}

fn dense(units: usize, activation: Activation) -> LayerSpec {
    LayerSpec::dense(units, activation)
}

fn loss(
    model: &mut Sequential<f64>,
    x: &[f64],
    y: &[f64],
    steps: usize,
    batch: usize,
    train: bool,
) -> f64 {
    let p = model.forward(x, steps, batch, train).unwrap().to_vec();
    Loss::Mse.value_and_grad(&p, y).0
}

/// Checks d loss / d theta and d loss / d x against central differences (training mode).
fn check(spec: ModelSpec, steps: usize, batch: usize, seed: u64) {
    check_mode(spec, steps, batch, seed, true)
}

/// As [`check`], in training or evaluation mode (evaluation after a few training passes, so that
/// batch normalisation has moving statistics of its own).
fn check_mode(spec: ModelSpec, steps: usize, batch: usize, seed: u64, train: bool) {
    let mut model = Sequential::<f64>::new(&spec, InitScheme::Torch, seed).unwrap();
    let mut rng = Rng::new(seed + 100);
    let x: Vec<f64> = (0..steps * batch * spec.features).map(|_| rng.normal()).collect();
    let out_len = model.forward(&x, steps, batch, true).unwrap().len();
    let y: Vec<f64> = (0..out_len).map(|_| rng.normal()).collect();

    if !train {
        for _ in 0..3 {
            model.forward(&x, steps, batch, true).unwrap();
        }
    }
    model.zero_grad();
    let p = model.forward(&x, steps, batch, train).unwrap().to_vec();
    let (_, dp) = Loss::Mse.value_and_grad(&p, &y);
    let dx = model.backward(&dp, true).unwrap();
    let analytic: Vec<Vec<f64>> = model.params().iter().map(|p| p.grad.to_vec()).collect();

    // Central differences with h = 1e-5 carry about 1e-10 of round-off on a loss of order 1,
    // hence the small absolute floor next to the relative tolerance.
    let h = 1e-5;
    let close = |a: f64, n: f64| (a - n).abs() <= 1e-6 * a.abs().max(n.abs()) + 2e-9;
    let mut checked = 0;
    for (k, grads) in analytic.iter().enumerate() {
        for i in 0..grads.len() {
            let original = model.params()[k].value[i];
            model.params()[k].value[i] = original + h;
            let up = loss(&mut model, &x, &y, steps, batch, train);
            model.params()[k].value[i] = original - h;
            let down = loss(&mut model, &x, &y, steps, batch, train);
            model.params()[k].value[i] = original;
            let numeric = (up - down) / (2.0 * h);
            assert!(
                close(grads[i], numeric),
                "{spec:?}\nparameter tensor {k} element {i}: analytic {} numeric {numeric}",
                grads[i]
            );
            checked += 1;
        }
    }
    assert_eq!(checked, model.trainable_parameters(), "every trained parameter checked");
    for i in 0..x.len() {
        let mut xp = x.clone();
        xp[i] += h;
        let up = loss(&mut model, &xp, &y, steps, batch, train);
        xp[i] -= 2.0 * h;
        let down = loss(&mut model, &xp, &y, steps, batch, train);
        let numeric = (up - down) / (2.0 * h);
        assert!(close(dx[i], numeric), "{spec:?}\ninput {i}: analytic {} numeric {numeric}", dx[i]);
    }
}

/// Central differences (h = 1e-5) of `value`, the loss of `model` on an input, against the
/// analytic gradients of every parameter (`params`, in `Sequential::params` order) and every
/// input value (`dx`). Returns how many input gradients are exactly zero.
fn assert_central_differences(
    model: &mut Sequential<f64>,
    x: &[f64],
    (params, dx): (&[Vec<f64>], &[f64]),
    value: &dyn Fn(&mut Sequential<f64>, &[f64]) -> f64,
    what: &str,
) -> usize {
    let h = 1e-5;
    let close = |a: f64, n: f64| (a - n).abs() <= 1e-6 * a.abs().max(n.abs()) + 2e-9;
    for (k, grads) in params.iter().enumerate() {
        for i in 0..grads.len() {
            let original = model.params()[k].value[i];
            model.params()[k].value[i] = original + h;
            let up = value(model, x);
            model.params()[k].value[i] = original - h;
            let down = value(model, x);
            model.params()[k].value[i] = original;
            let numeric = (up - down) / (2.0 * h);
            assert!(
                close(grads[i], numeric),
                "{what}: tensor {k} element {i}: analytic {} numeric {numeric}",
                grads[i]
            );
        }
    }
    let mut zeros = 0;
    for i in 0..x.len() {
        let (mut up, mut down) = (x.to_vec(), x.to_vec());
        up[i] += h;
        down[i] -= h;
        let numeric = (value(model, &up) - value(model, &down)) / (2.0 * h);
        assert!(close(dx[i], numeric), "{what}: input {i}: analytic {} numeric {numeric}", dx[i]);
        zeros += usize::from(dx[i] == 0.0);
    }
    zeros
}

#[test]
fn stacked_lstm_with_dense_head() {
    // The W1 shape in miniature: LSTM(seq) -> LSTM -> Dense(relu) -> Dense.
    let spec = ModelSpec {
        features: 2,
        layers: vec![
            lstm(4, true, Activation::Tanh),
            lstm(3, false, Activation::Tanh),
            dense(3, Activation::Relu),
            dense(1, Activation::Linear),
        ],
        ..ModelSpec::default()
    };
    check(spec, 5, 3, 1);
}

#[test]
fn lstm_weight_gradients_accumulated_over_chunks_of_steps() {
    // Backward accumulates weight gradients every CHUNK_COLUMNS / batch steps: with a batch of
    // 100 that is every 2 steps, so 5 steps make two full chunks and a partial one.
    assert_eq!(alphaseq_nn::recurrent::CHUNK_COLUMNS / 100, 2);
    let spec = ModelSpec {
        features: 2,
        layers: vec![
            lstm(3, true, Activation::Tanh),
            lstm(2, false, Activation::Tanh),
            dense(1, Activation::Linear),
        ],
        ..ModelSpec::default()
    };
    check(spec, 5, 100, 7);
}

#[test]
fn sequence_output_with_time_distributed_dense() {
    // The W2 shape in miniature: LSTM(seq) -> Dropout(0) -> time-distributed Dense(1).
    let spec = ModelSpec {
        features: 3,
        layers: vec![
            lstm(5, true, Activation::Tanh),
            LayerSpec::dropout(0.0),
            dense(1, Activation::Linear),
        ],
        ..ModelSpec::default()
    };
    check(spec, 4, 2, 2);
}

#[test]
fn elu_lstms_with_a_sigmoid_output() {
    let spec = ModelSpec {
        features: 2,
        layers: vec![
            lstm(3, true, Activation::Elu),
            lstm(2, false, Activation::Elu),
            dense(1, Activation::Sigmoid),
        ],
        ..ModelSpec::default()
    };
    check(spec, 6, 2, 3);
}

#[test]
fn relu_lstm_and_tanh_dense() {
    let spec = ModelSpec {
        features: 1,
        layers: vec![
            lstm(3, false, Activation::Relu),
            dense(2, Activation::Tanh),
            dense(1, Activation::Elu),
        ],
        ..ModelSpec::default()
    };
    check(spec, 4, 3, 4);
}

#[test]
fn a_single_step_sequence() {
    let spec = ModelSpec {
        features: 2,
        layers: vec![lstm(3, false, Activation::Tanh), dense(1, Activation::Linear)],
        ..ModelSpec::default()
    };
    check(spec, 1, 2, 5);
}

#[test]
fn dropout_scales_kept_values_and_routes_gradients_through_the_mask() {
    let spec =
        ModelSpec { features: 1, layers: vec![LayerSpec::dropout(0.5)], ..ModelSpec::default() };
    let mut model = Sequential::<f64>::new(&spec, InitScheme::Keras, 9).unwrap();
    let x = vec![1.0; 1000];
    let y = model.forward(&x, 1, 1000, true).unwrap().to_vec();
    let kept = y.iter().filter(|v| **v != 0.0).count();
    assert!(y.iter().all(|v| *v == 0.0 || *v == 2.0));
    assert!((400..600).contains(&kept), "about half kept: {kept}");
    let dx = model.backward(&vec![1.0; 1000], true).unwrap();
    assert_eq!(dx, y, "the gradient is the mask");
    assert_eq!(model.forward(&x, 1, 1000, false).unwrap(), &x[..], "identity in evaluation");
    // The drop probability is the rate (W2's 0.25; 100,000 draws: standard error 0.0014).
    let spec = ModelSpec { layers: vec![LayerSpec::dropout(0.25)], ..spec };
    let mut model = Sequential::<f64>::new(&spec, InitScheme::Keras, 10).unwrap();
    let y = model.forward(&vec![1.0; 100_001], 1, 100_001, true).unwrap().to_vec();
    let dropped = y.iter().filter(|v| **v == 0.0).count() as f64 / y.len() as f64;
    assert!((dropped - 0.25).abs() < 0.006, "dropped share {dropped}");
    assert!(y.iter().all(|v| *v == 0.0 || (*v - 1.0 / 0.75).abs() < 1e-12));
}

fn gru(units: usize, return_sequences: bool, activation: Activation) -> LayerSpec {
    LayerSpec::gru(units, return_sequences, activation)
}

fn rnn(units: usize, return_sequences: bool, activation: Activation) -> LayerSpec {
    LayerSpec::rnn(units, return_sequences, activation)
}

#[test]
fn gru_and_rnn_weight_gradients_accumulated_over_chunks_of_steps() {
    // As for the LSTM: a batch of 100 gives chunks of 2 steps, so 5 steps make 2 full and 1 partial.
    let spec = ModelSpec {
        features: 2,
        layers: vec![
            gru(3, true, Activation::Tanh),
            rnn(2, true, Activation::Tanh),
            gru(2, false, Activation::Elu),
            dense(1, Activation::Linear),
        ],
        ..ModelSpec::default()
    };
    check(spec, 5, 100, 8);
}

#[test]
fn stacked_gru_with_dense_head() {
    let spec = ModelSpec {
        features: 2,
        layers: vec![
            gru(4, true, Activation::Tanh),
            gru(3, false, Activation::Tanh),
            dense(1, Activation::Linear),
        ],
        ..ModelSpec::default()
    };
    check(spec, 5, 3, 11);
}

#[test]
fn gru_sequence_output_with_elu_candidate() {
    let spec = ModelSpec {
        features: 3,
        layers: vec![gru(3, true, Activation::Elu), dense(2, Activation::Tanh)],
        ..ModelSpec::default()
    };
    check(spec, 4, 2, 12);
}

#[test]
fn stacked_simple_rnn_tanh_and_relu() {
    let spec = ModelSpec {
        features: 2,
        layers: vec![
            rnn(4, true, Activation::Tanh),
            rnn(3, false, Activation::Relu),
            dense(1, Activation::Linear),
        ],
        ..ModelSpec::default()
    };
    check(spec, 6, 3, 13);
}

#[test]
fn mixed_recurrent_stack() {
    let spec = ModelSpec {
        features: 2,
        layers: vec![
            rnn(3, true, Activation::Tanh),
            gru(3, true, Activation::Tanh),
            lstm(2, false, Activation::Tanh),
            dense(1, Activation::Sigmoid),
        ],
        ..ModelSpec::default()
    };
    check(spec, 4, 2, 14);
}

fn batch_norm(momentum: f64) -> LayerSpec {
    LayerSpec::batch_norm(momentum, 1e-3)
}

#[test]
fn batch_norm_in_training_on_sequences_and_rows() {
    // Cross-sectional RNN in miniature: RNN(seq) -> BatchNorm over (T, B) -> time-distributed Dense.
    let spec = ModelSpec {
        features: 2,
        layers: vec![
            rnn(4, true, Activation::Tanh),
            batch_norm(0.99),
            dense(1, Activation::Linear),
        ],
        ..ModelSpec::default()
    };
    check(spec, 5, 3, 21);
    // The embedding model's head: LSTM -> BatchNorm over the batch -> Dense(relu) -> Dense.
    let spec = ModelSpec {
        features: 1,
        layers: vec![
            lstm(4, false, Activation::Tanh),
            batch_norm(0.99),
            dense(3, Activation::Relu),
            dense(1, Activation::Linear),
        ],
        ..ModelSpec::default()
    };
    check(spec, 4, 6, 22);
}

#[test]
fn batch_norm_in_evaluation_uses_the_moving_statistics() {
    let spec = ModelSpec {
        features: 2,
        layers: vec![
            lstm(3, true, Activation::Tanh),
            batch_norm(0.5),
            dense(1, Activation::Linear),
        ],
        ..ModelSpec::default()
    };
    check_mode(spec, 4, 3, 23, false);
}

#[test]
fn embeddings_static_inputs_and_a_head_after_concatenation() {
    use alphaseq_nn::{EmbeddingSpec, Inputs};
    let spec = ModelSpec {
        features: 2,
        layers: vec![lstm(3, false, Activation::Tanh)],
        embeddings: vec![EmbeddingSpec { vocab: 4, dim: 2 }, EmbeddingSpec { vocab: 3, dim: 1 }],
        static_features: 2,
        head: vec![batch_norm(0.99), dense(3, Activation::Elu), dense(1, Activation::Linear)],
    };
    let (steps, batch) = (4, 5);
    let mut model = Sequential::<f64>::new(&spec, InitScheme::Torch, 31).unwrap();
    let mut rng = Rng::new(32);
    let x: Vec<f64> = (0..steps * batch * 2).map(|_| rng.normal()).collect();
    let cats = vec![vec![0u32, 3, 1, 3, 2], vec![2u32, 0, 0, 1, 2]];
    let statics: Vec<f64> = (0..2 * batch).map(|_| rng.normal()).collect();
    let y: Vec<f64> = (0..batch).map(|_| rng.normal()).collect();
    let run = |m: &mut Sequential<f64>, x: &[f64]| -> (f64, Vec<f64>) {
        let p = m
            .forward_inputs(
                Inputs { sequence: x, steps, batch, categorical: &cats, statics: &statics },
                true,
            )
            .unwrap()
            .to_vec();
        Loss::Mse.value_and_grad(&p, &y)
    };
    model.zero_grad();
    let (_, dp) = run(&mut model, &x);
    let dx = model.backward(&dp, true).unwrap();
    let analytic: Vec<Vec<f64>> = model.params().iter().map(|p| p.grad.to_vec()).collect();
    let table = &analytic[analytic.len() - 2];
    assert!(
        table[4..6].iter().all(|g| *g != 0.0) && table[..2].iter().all(|g| *g != 0.0),
        "used ids get gradient"
    );
    let value = |m: &mut Sequential<f64>, x: &[f64]| run(m, x).0;
    assert_central_differences(&mut model, &x, (&analytic, &dx), &value, "embeddings");
    let bad = model.forward_inputs(
        Inputs {
            sequence: &x,
            steps,
            batch,
            categorical: &[vec![0, 1, 2, 3, 4], vec![0; 5]],
            statics: &statics,
        },
        true,
    );
    assert!(bad.unwrap_err().to_string().contains("outside the vocabulary of 4"));
}

#[test]
fn cross_sectional_normalisation_of_a_sequence_and_of_rows() {
    // The deep-momentum shape: RNN(seq) -> time-distributed Dense(1, tanh) -> normalisation
    // across the batch at every step; and the same after a last-step output.
    let xs = LayerSpec::CrossSectionalNorm(alphaseq_nn::CrossSectionalNormSpec::default());
    let spec = ModelSpec {
        features: 2,
        layers: vec![rnn(4, true, Activation::Tanh), dense(1, Activation::Tanh), xs],
        ..ModelSpec::default()
    };
    check(spec, 3, 5, 11);
    let spec = ModelSpec {
        features: 2,
        layers: vec![lstm(3, false, Activation::Tanh), dense(2, Activation::Linear), xs],
        ..ModelSpec::default()
    };
    check(spec, 4, 6, 12);
}

#[test]
fn input_and_recurrent_dropout_inside_recurrent_layers() {
    // training mode with both masks drawn afresh from the same seed at every forward pass
    for kind in ["lstm", "gru", "rnn"] {
        let mut first = match kind {
            "lstm" => lstm(4, false, Activation::Tanh),
            "gru" => gru(4, false, Activation::Tanh),
            _ => rnn(4, false, Activation::Tanh),
        };
        match &mut first {
            LayerSpec::Lstm(s) => (s.dropout, s.recurrent_dropout) = (0.3, 0.4),
            LayerSpec::Gru(s) => (s.dropout, s.recurrent_dropout) = (0.3, 0.4),
            LayerSpec::Rnn(s) => (s.dropout, s.recurrent_dropout) = (0.3, 0.4),
            _ => unreachable!(),
        }
        let spec = ModelSpec {
            features: 3,
            layers: vec![first, dense(1, Activation::Linear)],
            ..ModelSpec::default()
        };
        let (steps, batch) = (5, 6);
        let mut model = Sequential::<f64>::new(&spec, InitScheme::Torch, 4).unwrap();
        let mut rng = Rng::new(8);
        let x: Vec<f64> = (0..steps * batch * 3).map(|_| rng.normal()).collect();
        let y: Vec<f64> = (0..batch).map(|_| rng.normal()).collect();
        let value = |m: &mut Sequential<f64>, x: &[f64]| {
            m.reseed_dropout(11);
            loss(m, x, &y, steps, batch, true)
        };
        model.zero_grad();
        model.reseed_dropout(11);
        let p = model.forward(&x, steps, batch, true).unwrap().to_vec();
        let (_, dp) = Loss::Mse.value_and_grad(&p, &y);
        let dx = model.backward(&dp, true).unwrap();
        let analytic: Vec<Vec<f64>> = model.params().iter().map(|p| p.grad.to_vec()).collect();
        let zeroed = assert_central_differences(&mut model, &x, (&analytic, &dx), &value, kind);
        // a dropped feature of a sample has no gradient at any of its steps
        assert!(
            zeroed > 0 && zeroed.is_multiple_of(steps),
            "{kind}: {zeroed} zero input gradients"
        );
    }
}
