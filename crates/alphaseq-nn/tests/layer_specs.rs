//! Layer descriptions: parsed by `type` with defaults, unknown keys refused, and a layer added by
//! one file plus one registration (the cross-sectional normalisation) built, summarised and run.

#![allow(clippy::unwrap_used)] // a panic is a failed test

use alphaseq_nn::{
    Activation, CrossSectionalNormSpec, InitScheme, LayerSpec, ModelSpec, Sequential,
};

#[test]
fn layer_descriptions_parse_by_type_with_defaults_and_refuse_unknown_keys() {
    let lstm: LayerSpec = serde_json::from_str(r#"{"type": "lstm", "units": 3}"#).unwrap();
    assert_eq!(lstm, LayerSpec::lstm(3, false, Activation::Tanh));
    let rnn: LayerSpec = serde_json::from_str(r#"{"type": "simple_rnn", "units": 2}"#).unwrap();
    assert_eq!(rnn.label(), "RNN(2)");
    let norm: LayerSpec = serde_json::from_str(r#"{"type": "cross_sectional_norm"}"#).unwrap();
    assert_eq!(norm, LayerSpec::CrossSectionalNorm(CrossSectionalNormSpec { epsilon: 1e-9 }));
    let err = serde_json::from_str::<LayerSpec>(r#"{"type": "lstm", "units": 3, "unit": 4}"#)
        .unwrap_err()
        .to_string();
    assert!(err.contains("unknown field `unit`"), "{err}");
    let text = serde_json::to_string(&LayerSpec::dense(1, Activation::Tanh)).unwrap();
    assert_eq!(text, r#"{"type":"dense","units":1,"activation":"tanh"}"#);
}

#[test]
fn a_new_layer_type_builds_through_its_registration_alone() {
    let layers = vec![
        LayerSpec::rnn(4, true, Activation::Tanh),
        LayerSpec::dense(1, Activation::Tanh),
        LayerSpec::CrossSectionalNorm(CrossSectionalNormSpec::default()),
    ];
    let mut model =
        Sequential::<f32>::new(&ModelSpec::sequence(2, layers), InitScheme::Keras, 3).unwrap();
    assert!(model.mixes_samples(true));
    let rows = model.summary(5);
    assert_eq!(rows[2].name, "cross_sectional_norm (CrossSectionalNorm)");
    assert_eq!((rows[2].output.as_str(), rows[2].params), ("(None, 5, 1)", 0));
    let x: Vec<f32> = (0..2 * 5 * 4).map(|i| (i as f32 * 0.7).sin()).collect();
    let y = model.forward(&x, 5, 4, false).unwrap();
    for step in y.chunks(4) {
        assert!(step.iter().sum::<f32>().abs() < 1e-6);
        assert!((step.iter().map(|v| v.abs()).sum::<f32>() - 1.0).abs() < 1e-5);
    }
}

#[test]
fn inference_without_training_caches_gives_the_same_bits() {
    // every recurrent kind, stacked, sequences out, an odd and an even number of steps; the
    // inference pass keeps one step's gates and cells, the training pass every step's
    for steps in [5, 6] {
        let layers = vec![
            LayerSpec::lstm(4, true, Activation::Tanh),
            LayerSpec::gru(3, true, Activation::Tanh),
            LayerSpec::rnn(3, true, Activation::Tanh),
            LayerSpec::dense(1, Activation::Linear),
        ];
        let spec = ModelSpec::sequence(2, layers);
        let mut model = Sequential::<f32>::new(&spec, InitScheme::Keras, 9).unwrap();
        let batch = 7;
        let x: Vec<f32> = (0..2 * steps * batch).map(|i| (i as f32 * 0.37).sin()).collect();
        let inputs =
            || alphaseq_nn::Inputs { sequence: &x, steps, batch, categorical: &[], statics: &[] };
        let kept = model.forward(&x, steps, batch, false).unwrap().to_vec();
        let inferred = model.infer_inputs(inputs()).unwrap().to_vec();
        assert_eq!(kept.len(), inferred.len());
        assert!(kept.iter().zip(&inferred).all(|(a, b)| a.to_bits() == b.to_bits()), "{steps}");
        // a training pass after it has its caches back: backward runs
        let out = model.forward(&x, steps, batch, true).unwrap().len();
        let dx = model.backward(&vec![1.0; out], true).unwrap();
        assert_eq!(dx.len(), x.len());
    }
}
