"""Keras 3 (TensorFlow) reference values for alphaseq-nn where Keras' conventions differ from
PyTorch's: one LSTM bias, elu LSTMs, BatchNormalization (training and inference), the GRU's gate
order (z, r, h) and its two-row bias, SimpleRNN, and the weight penalties (kernel_regularizer,
recurrent_regularizer, bias_regularizer; their sum `model.losses` is added to the loss, as
Keras' fit does). For fixed weights and inputs: the output, the loss, every weight gradient and
the input gradient (tf.GradientTape), and BatchNormalization's moving statistics after one
training-mode call. float32.

Writes crates/alphaseq-nn/tests/fixtures/keras_parity.json. Weights are stored as Keras holds them
(kernel [F][gates*H], recurrent_kernel [H][gates*H], Dense kernel [in][out]); inputs [B][T][F].

usage: python tools/oracles/keras_parity.py     (venv from WITH_KERAS=1 ../shared/oracles/setup.sh)
"""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ["KERAS_BACKEND"] = "tensorflow"
import json  # noqa: E402

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

keras.utils.set_random_seed(7)
L = keras.layers
rng = np.random.default_rng(7)


def flat(a):
    return [float(v) for v in np.asarray(a, dtype=np.float32).reshape(-1)]


def case(name, layers, x_shape, y, loss, training, describe, input_masks=None, recurrent_masks=None):
    model = keras.Sequential([keras.Input(x_shape[1:])] + layers)
    # a recurrent layer's dropout with given masks, input [B][F] and recurrent [B][H] (Keras
    # draws each once per call and reuses it at every step): the cell's draws replaced by the
    # constants
    for layer_name, mask in (input_masks or {}).items():
        model.get_layer(layer_name).cell.get_dropout_mask = lambda step_input, m=mask: tf.constant(m)
    for layer_name, mask in (recurrent_masks or {}).items():
        model.get_layer(layer_name).cell.get_recurrent_dropout_mask = lambda state, m=mask: tf.constant(m)
    for layer in model.layers:  # non-trivial biases and batch-norm parameters
        if isinstance(layer, L.BatchNormalization):
            c = layer.gamma.shape[0]
            layer.gamma.assign(rng.uniform(0.5, 1.5, c).astype("float32"))
            layer.beta.assign(rng.uniform(-0.3, 0.3, c).astype("float32"))
            layer.moving_mean.assign(rng.uniform(-0.2, 0.2, c).astype("float32"))
            layer.moving_variance.assign(rng.uniform(0.5, 1.5, c).astype("float32"))
        else:
            for w in layer.weights:
                if "bias" in w.path:
                    w.assign(rng.uniform(-0.4, 0.4, w.shape).astype("float32"))
    weights_before = {w.path: flat(w.numpy()) for w in model.weights}
    shapes = {w.path: list(w.shape) for w in model.weights}
    x = tf.constant(rng.standard_normal(x_shape).astype("float32"))
    y = tf.constant(y.astype("float32"))
    with tf.GradientTape() as tape:
        tape.watch(x)
        out = model(x, training=training)
        data_loss = tf.reduce_mean(loss(y, out))
        penalty = tf.add_n(model.losses) if model.losses else tf.constant(0.0)
        value = data_loss + penalty if model.losses else data_loss
    grads = tape.gradient(value, model.trainable_weights + [x])
    return {
        "name": name,
        "layers": describe,
        "training": training,
        "x_shape": list(x_shape),
        "x": flat(x),
        "y": flat(y),
        "output": flat(out),
        "loss": float(value),
        "penalty": float(penalty),
        "weights": weights_before,
        "shapes": shapes,
        "grads": {w.path: flat(g) for w, g in zip(model.trainable_weights, grads[:-1])},
        "x_grad": flat(grads[-1]),
        "weights_after": {w.path: flat(w.numpy()) for w in model.non_trainable_weights},
        "input_masks": {k: flat(m) for k, m in (input_masks or {}).items()},
        "recurrent_masks": {k: flat(m) for k, m in (recurrent_masks or {}).items()},
    }


mse = keras.losses.MeanSquaredError(reduction=None)
bce = keras.losses.BinaryCrossentropy(reduction=None)
cases = [
    case("elu_lstm_batchnorm_train",
         [L.LSTM(5, activation="elu", return_sequences=True, name="l1"), L.LSTM(4, activation="elu", name="l2"),
          L.BatchNormalization(name="bn"), L.Dense(1, activation="sigmoid", name="out")],
         (6, 7, 3), rng.integers(0, 2, (6, 1)), lambda y, p: bce(y, p), True,
         [["lstm", "l1", True, "elu"], ["lstm", "l2", False, "elu"], ["batch_norm", "bn"], ["dense", "out", "sigmoid"]]),
    case("gru_sequence",
         [L.GRU(5, return_sequences=True, name="g1"), L.TimeDistributed(L.Dense(1), name="td")],
         (3, 6, 4), rng.standard_normal((3, 6, 1)), lambda y, p: mse(y, p), True,
         [["gru", "g1", True, "tanh"], ["dense", "td", "linear"]]),
    case("simple_rnn_batchnorm_inference",
         [L.SimpleRNN(6, return_sequences=True, name="r1"), L.BatchNormalization(name="bn"), L.Dense(1, name="out")],
         (4, 5, 3), rng.standard_normal((4, 5, 1)), lambda y, p: mse(y, p), False,
         [["rnn", "r1", True, "tanh"], ["batch_norm", "bn"], ["dense", "out", "linear"]]),
    case("penalised_lstm_gru_dense",
         [L.LSTM(4, return_sequences=True, name="l1", kernel_regularizer=keras.regularizers.L1L2(0.01, 0.02),
                 recurrent_regularizer=keras.regularizers.L1(0.03), bias_regularizer=keras.regularizers.L2(0.04)),
          L.GRU(3, name="g1", kernel_regularizer=keras.regularizers.L2(0.05), bias_regularizer=keras.regularizers.L1(0.06)),
          L.Dense(1, name="out", kernel_regularizer=keras.regularizers.L1L2(0.07, 0.08),
                  bias_regularizer=keras.regularizers.L1(0.09))],
         (5, 6, 3), rng.standard_normal((5, 1)), lambda y, p: mse(y, p), True,
         [["lstm", "l1", True, "tanh", {"kernel": [0.01, 0.02], "recurrent": [0.03, 0.0], "bias": [0.0, 0.04]}],
          ["gru", "g1", False, "tanh", {"kernel": [0.0, 0.05], "bias": [0.06, 0.0]}],
          ["dense", "out", "linear", {"kernel": [0.07, 0.08], "bias": [0.09, 0.0]}]]),
    case("lstm_input_dropout",
         [L.LSTM(4, dropout=0.4, name="l1"), L.Dense(1, name="out")],
         (6, 5, 3), rng.standard_normal((6, 1)), lambda y, p: mse(y, p), True,
         [["lstm", "l1", False, "tanh"], ["dense", "out", "linear"]],
         input_masks={"l1": (rng.uniform(size=(6, 3)) >= 0.4).astype("float32") / 0.6}),
    # SimpleRNN keeps one mask per sample for both (Keras 3's LSTM and GRU with
    # recurrent_dropout instead share rows 0-3 of the batch's masks between all samples, one
    # per gate; alphaseq does not copy that)
    case("simple_rnn_input_and_recurrent_dropout",
         [L.SimpleRNN(5, dropout=0.3, recurrent_dropout=0.4, return_sequences=True, name="r1"),
          L.Dense(1, name="out")],
         (4, 6, 3), rng.standard_normal((4, 6, 1)), lambda y, p: mse(y, p), True,
         [["rnn", "r1", True, "tanh"], ["dense", "out", "linear"]],
         input_masks={"r1": (rng.uniform(size=(4, 3)) >= 0.3).astype("float32") / 0.7},
         recurrent_masks={"r1": (rng.uniform(size=(4, 5)) >= 0.4).astype("float32") / 0.6}),
]
path = os.path.join("crates", "alphaseq-nn", "tests", "fixtures", "keras_parity.json")
with open(path, "w") as f:
    json.dump({"generated_by": "tools/oracles/keras_parity.py", "keras": keras.__version__, "tensorflow": tf.__version__, "cases": cases}, f)
print("wrote", path)
