"""alphaseq.nn from NumPy against the binary's engine benchmark (`alphaseq bench nn`) on the W1
and W2 workloads, in alternating rounds: training and inference samples per second, one thread
and one model split over two (training.threads = 2), and the ratio Python / binary. The Python
side times `fit` as a user calls it (one call of about 2 s, 32 batches an epoch, its samples
gathered from the NumPy arrays every batch, as the binary's runs gather theirs from the feature
matrix); the binary's bench times the engine's training steps on one fixed batch. The binding's
overhead is 1 - that ratio; the binary's ratios to PyTorch and Keras (docs/performance.md) carry
over multiplied by it. With torch importable, PyTorch (tools/bench/torch_lstm.py) runs in the
same rounds and its ratios are printed too.

usage: python tools/bench/python_nn.py [ROUNDS] [ALPHASEQ_BINARY]
       (default: 3 rounds, target/release/alphaseq; a venv with alphaseq installed)
"""
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np

from alphaseq import nn

rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
binary = sys.argv[2] if len(sys.argv) > 2 else "target/release/alphaseq"
here = os.path.dirname(os.path.abspath(__file__))
results = {}


def add(key, value):
    results.setdefault(key, []).append(value)


def workload(name):
    rng = np.random.default_rng(0)
    if name == "W1":
        layers = [nn.LSTM(25, return_sequences=True), nn.LSTM(10),
                  nn.Dense(10, activation="relu"), nn.Dense(1)]
        batch, steps, feats = 64, 52, 1
        y_shape = (batch * 32, 1)
    else:
        layers = [nn.LSTM(120, return_sequences=True), nn.Dropout(0.25), nn.Dense(1)]
        batch, steps, feats = 32, 63, 21
        y_shape = (batch * 32, steps, 1)
    x = rng.standard_normal((batch * 32, steps, feats), dtype=np.float32)
    y = rng.standard_normal(y_shape, dtype=np.float32)
    return layers, batch, x, y


def python_rates(name, threads):
    layers, batch, x, y = workload(name)
    model = nn.Model(layers)
    opts = dict(batch_size=batch, shuffle=False, patience=0, threads=threads, seed=1)
    start = time.perf_counter()
    model.fit(x, y, epochs=1, **opts)  # build, warm up and calibrate
    # one fit of about 2 s, as a user fits: many epochs in one call
    epochs = max(2, round(2.0 / (time.perf_counter() - start)))
    start = time.perf_counter()
    model.fit(x, y, epochs=epochs, **opts)
    train = len(x) * epochs / (time.perf_counter() - start)
    calls, start = 0, time.perf_counter()
    while time.perf_counter() - start < 1.0:
        model.predict(x, batch_size=batch)
        calls += 1
    infer = len(x) * calls / (time.perf_counter() - start)
    return train, infer


torch = importlib.util.find_spec("torch") is not None
for _ in range(rounds):
    out = subprocess.run([binary, "bench", "nn", "--json"], capture_output=True, text=True,
                         check=True).stdout
    for w in json.loads(out):
        add(("binary", w["workload"], "train 1 thread"), w["train_samples_per_sec"])
        add(("binary", w["workload"], "train 2 threads"), w["threaded_train_samples_per_sec"])
        add(("binary", w["workload"], "infer"), w["infer_samples_per_sec"])
    for name in ("W1", "W2"):
        for threads in (1, 2):
            train, infer = python_rates(name, threads)
            add(("python", name, f"train {threads} thread{'s' if threads > 1 else ''}"), train)
            if threads == 1:
                add(("python", name, "infer"), infer)
    if torch:
        out = subprocess.run([sys.executable, os.path.join(here, "torch_lstm.py")],
                             capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            if line.startswith("RESULT "):
                f = dict(kv.split("=", 1) for kv in line.split()[1:])
                add(("torch", f["wl"], "train 2 threads"), float(f["train_sps"]))
                add(("torch", f["wl"], "infer"), float(f["infer_sps"]))

print("| workload | measure | binary (samples/s) | alphaseq.nn (samples/s) | Python / binary |"
      + (" binary / PyTorch | alphaseq.nn / PyTorch |" if torch else ""))
print("|---|---|---|---|---|" + ("---|---|" if torch else ""))
for name in ("W1", "W2"):
    for measure in ("train 1 thread", "train 2 threads", "infer"):
        b = statistics.median(results[("binary", name, measure)])
        p = statistics.median(results[("python", name, measure)])
        row = f"| {name} | {measure} | {b:,.0f} | {p:,.0f} | {p / b:.2f} |"
        t = results.get(("torch", name, measure if measure != "train 1 thread" else "-"))
        if torch:
            row += f" {b / statistics.median(t):.2f}x | {p / statistics.median(t):.2f}x |" if t else " | |"
        print(row)
print(f"RESULT rounds={rounds} kernels={nn.__name__ and __import__('alphaseq').kernels}")
