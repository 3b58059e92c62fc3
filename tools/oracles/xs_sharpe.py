"""TensorFlow reference values for the deep-momentum paper's cross-sectional loss as alphaseq-nn
composes it: a `cross_sectional_norm` layer (per date, across the stocks of the batch: minus the
mean, over the sum of absolute values plus 1e-9) and the `cross_sectional_sharpe` loss (per date
the portfolio return sum_b w * r, then -sqrt(252) * mean / sqrt(population variance + 1e-9) over
the dates), with the gradient with respect to the raw positions by tf.GradientTape. float64.

Writes crates/alphaseq-nn/tests/fixtures/xs_sharpe.json.

usage: python tools/oracles/xs_sharpe.py     (any venv with tensorflow, e.g. WITH_KERAS=1 ../shared/oracles/setup.sh)
"""
import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

rng = np.random.default_rng(17)
cases = []
for steps, stocks in [(5, 7), (21, 30), (1, 4)]:
    raw = tf.constant(rng.standard_normal((steps, stocks)))
    returns = tf.constant(0.02 * rng.standard_normal((steps, stocks)))
    with tf.GradientTape() as tape:
        tape.watch(raw)
        centred = raw - tf.reduce_mean(raw, axis=1, keepdims=True)
        weights = centred / (tf.reduce_sum(tf.abs(centred), axis=1, keepdims=True) + 1e-9)
        portfolio = tf.reduce_sum(weights * returns, axis=1)
        mean = tf.reduce_mean(portfolio)
        var = tf.reduce_mean(portfolio * portfolio) - mean * mean + 1e-9
        loss = -np.sqrt(252.0) * mean / tf.sqrt(var)
    grad = tape.gradient(loss, raw)
    cases.append({
        "steps": steps,
        "stocks": stocks,
        "raw": raw.numpy().reshape(-1).tolist(),
        "returns": returns.numpy().reshape(-1).tolist(),
        "weights": weights.numpy().reshape(-1).tolist(),
        "loss": float(loss),
        "grad": grad.numpy().reshape(-1).tolist(),
    })
path = os.path.join("crates", "alphaseq-nn", "tests", "fixtures", "xs_sharpe.json")
with open(path, "w") as f:
    json.dump({"generated_by": "tools/oracles/xs_sharpe.py", "tensorflow": tf.__version__,
               "layout": "[step][stock], row-major", "cases": cases}, f)
print("wrote", path)
