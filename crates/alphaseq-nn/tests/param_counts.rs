//! Parameter counts of the source studies' architectures, as Keras reports them (the numbers are
//! the engine issue's, read off `model.summary()` of the original Keras models).

#![allow(clippy::unwrap_used)] // a panic is a failed test

use alphaseq_nn::{Activation, InitScheme, LayerSpec, ModelSpec, Sequential};

fn lstm(units: usize, return_sequences: bool, activation: Activation) -> LayerSpec {
    LayerSpec::lstm(units, return_sequences, activation)
}

fn dense(units: usize, activation: Activation) -> LayerSpec {
    LayerSpec::dense(units, activation)
}

fn count(features: usize, layers: Vec<LayerSpec>) -> (usize, Vec<usize>) {
    let m = Sequential::<f32>::new(
        &ModelSpec { features, layers, ..ModelSpec::default() },
        InitScheme::Keras,
        0,
    )
    .unwrap();
    (m.parameters(), m.summary(1).iter().map(|r| r.params).collect())
}

#[test]
fn direction_classifiers_on_30_by_5_with_elu_lstms() {
    use Activation::{Elu, Sigmoid};
    let (m1, per_layer) = count(
        5,
        vec![lstm(20, true, Elu), lstm(10, true, Elu), lstm(10, false, Elu), dense(1, Sigmoid)],
    );
    assert_eq!(m1, 4_171);
    assert_eq!(per_layer, vec![2_080, 1_240, 840, 11]);
    assert_eq!(count(5, vec![lstm(20, false, Elu), dense(1, Sigmoid)]).0, 2_101);
    let mut deep = vec![lstm(20, true, Elu)];
    deep.extend((0..5).map(|k| lstm(10, k < 4, Elu)));
    deep.push(dense(1, Sigmoid));
    assert_eq!(count(5, deep).0, 6_691);
}

#[test]
fn per_ticker_model_on_6_by_8() {
    let (total, _) = count(
        8,
        vec![
            lstm(64, false, Activation::Tanh),
            dense(8, Activation::Relu),
            dense(4, Activation::Linear),
        ],
    );
    assert_eq!(total, 19_244);
}

#[test]
fn three_stacked_lstm50_with_dropout_on_60_by_1() {
    let t = Activation::Tanh;
    let d = LayerSpec::dropout(0.2);
    let layers = vec![
        lstm(50, true, t),
        d,
        lstm(50, true, t),
        d,
        lstm(50, false, t),
        d,
        dense(5, Activation::Linear),
        dense(1, Activation::Linear),
    ];
    assert_eq!(count(1, layers).0, 51_061);
}

#[test]
fn stacked_lstm_branch_of_the_embedding_model() {
    // The sequence branch of the weekly-returns model: LSTM(25, seq) 2,700 -> LSTM(10) 1,440.
    let (_, per_layer) =
        count(1, vec![lstm(25, true, Activation::Tanh), lstm(10, false, Activation::Tanh)]);
    assert_eq!(per_layer, vec![2_700, 1_440]);
}

#[test]
fn deep_lstm_of_the_cross_sectional_study() {
    let (_, per_layer) = count(
        21,
        vec![
            lstm(120, true, Activation::Tanh),
            lstm(120, true, Activation::Tanh),
            dense(1, Activation::Linear),
        ],
    );
    assert_eq!(per_layer, vec![68_160, 115_680, 121]);
}

#[test]
fn summary_names_and_shapes_follow_keras() {
    let m = Sequential::<f32>::new(
        &ModelSpec {
            features: 1,
            layers: vec![
                lstm(25, true, Activation::Tanh),
                lstm(10, false, Activation::Tanh),
                dense(10, Activation::Relu),
                dense(1, Activation::Linear),
            ],
            ..ModelSpec::default()
        },
        InitScheme::Keras,
        0,
    )
    .unwrap();
    let rows = m.summary(52);
    let text: Vec<(String, String)> =
        rows.iter().map(|r| (r.name.clone(), r.output.clone())).collect();
    assert_eq!(
        text,
        vec![
            ("lstm (LSTM)".to_string(), "(None, 52, 25)".to_string()),
            ("lstm_1 (LSTM)".to_string(), "(None, 10)".to_string()),
            ("dense (Dense)".to_string(), "(None, 10)".to_string()),
            ("dense_1 (Dense)".to_string(), "(None, 1)".to_string()),
        ]
    );
}

#[test]
fn cross_sectional_rnn_and_gru() {
    // SimpleRNN(120, seq) on (63, 21) 17,040 -> time-distributed Dense(1) 121 (BatchNorm 480 is
    // counted once the engine has BatchNorm).
    let rnn = LayerSpec::rnn(120, true, Activation::Tanh);
    let (_, per_layer) =
        count(21, vec![rnn, LayerSpec::dropout(0.3), dense(1, Activation::Linear)]);
    assert_eq!(per_layer, vec![17_040, 0, 121]);
    // Keras 3 GRU (reset_after) = PyTorch GRU: 3H(F + H) + 6H.
    let gru = LayerSpec::gru(120, true, Activation::Tanh);
    assert_eq!(count(21, vec![gru]).0, 3 * 120 * (21 + 120) + 6 * 120);
}

#[test]
fn cross_sectional_rnn_with_batch_norm_counts_like_keras() {
    // SimpleRNN(120, seq) 17,040 -> BatchNorm 480 -> Dropout -> time-distributed Dense(1) 121 =
    // 17,641, of which 17,401 trainable (the moving mean and variance are not).
    let layers = vec![
        LayerSpec::rnn(120, true, Activation::Tanh),
        LayerSpec::batch_norm(0.99, 1e-3),
        LayerSpec::dropout(0.3),
        dense(1, Activation::Linear),
    ];
    let m = Sequential::<f32>::new(
        &ModelSpec { features: 21, layers, ..ModelSpec::default() },
        InitScheme::Keras,
        0,
    )
    .unwrap();
    assert_eq!((m.parameters(), m.trainable_parameters()), (17_641, 17_401));
    assert_eq!(m.summary(63)[1].name, "batch_normalization (BatchNormalization)");
}

#[test]
fn stacked_lstm_with_ticker_embedding_and_month_one_hot() {
    // Weekly returns (52, 1) -> LSTM(25, seq) -> LSTM(10); ticker id -> Embedding(2489, 5);
    // month one-hot (12); concatenate (27) -> BatchNorm -> Dense(10) -> Dense(1).
    let spec = ModelSpec {
        features: 1,
        layers: vec![lstm(25, true, Activation::Tanh), lstm(10, false, Activation::Tanh)],
        embeddings: vec![alphaseq_nn::EmbeddingSpec { vocab: 2_489, dim: 5 }],
        static_features: 12,
        head: vec![
            LayerSpec::batch_norm(0.99, 1e-3),
            dense(10, Activation::Relu),
            dense(1, Activation::Linear),
        ],
    };
    let m = Sequential::<f32>::new(&spec, InitScheme::Keras, 0).unwrap();
    assert_eq!((m.parameters(), m.trainable_parameters()), (16_984, 16_930));
    let rows: Vec<(String, String, usize)> =
        m.summary(52).into_iter().map(|r| (r.name, r.output, r.params)).collect();
    let expected = [
        ("lstm (LSTM)", "(None, 52, 25)", 2_700),
        ("lstm_1 (LSTM)", "(None, 10)", 1_440),
        ("embedding (Embedding)", "(None, 5)", 12_445),
        ("concatenate (Concatenate)", "(None, 27)", 0),
        ("batch_normalization (BatchNormalization)", "(None, 27)", 108),
        ("dense (Dense)", "(None, 10)", 280),
        ("dense_1 (Dense)", "(None, 1)", 11),
    ];
    assert_eq!(
        rows,
        expected.iter().map(|(a, b, c)| (a.to_string(), b.to_string(), *c)).collect::<Vec<_>>()
    );
}
