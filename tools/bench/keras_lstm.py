"""Keras 3 / TensorFlow CPU side of `alphaseq bench nn`: W1 and W2 with the same shapes, trained
with `train_on_batch` and timed the same way (median of 5 windows of about 0.5 s each).

usage: python tools/bench/keras_lstm.py [w1|w2|all]   (needs WITH_KERAS=1 ../shared/oracles/setup.sh)
"""
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ["KERAS_BACKEND"] = "tensorflow"
import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

tf.config.threading.set_intra_op_parallelism_threads(2)
tf.config.threading.set_inter_op_parallelism_threads(2)
keras.utils.set_random_seed(0)
L = keras.layers
which = sys.argv[1] if len(sys.argv) > 1 else "all"


def median_time(fn, window=0.5, repeats=5):
    t0, calls = time.perf_counter(), 0
    while time.perf_counter() - t0 < window / 4 or calls < 2:
        fn()
        calls += 1
    iters = max(2, int(window / ((time.perf_counter() - t0) / calls)))
    times = []
    for _ in range(repeats):
        t1 = time.perf_counter()
        for _ in range(iters):
            fn()
        times.append((time.perf_counter() - t1) / iters)
    return sorted(times)[repeats // 2]


def bench(name, layers, batch, steps, feats, y_shape):
    m = keras.Sequential([keras.Input((steps, feats))] + layers)
    m.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
    x = np.random.randn(batch, steps, feats).astype("float32")
    y = np.random.randn(*y_shape).astype("float32")
    train = median_time(lambda: m.train_on_batch(x, y))
    infer = median_time(lambda: m.predict_on_batch(x))
    print(f"RESULT engine=keras-{keras.__version__}-tf-{tf.__version__} wl={name} train_sps={batch / train:.0f} infer_sps={batch / infer:.0f}")


if which in ("w1", "all"):
    bench("W1", [L.LSTM(25, return_sequences=True), L.LSTM(10), L.Dense(10, activation="relu"), L.Dense(1)], 64, 52, 1, (64, 1))
if which in ("w2", "all"):
    bench("W2", [L.LSTM(120, return_sequences=True), L.Dropout(0.25), L.TimeDistributed(L.Dense(1))], 32, 63, 21, (32, 63, 1))
