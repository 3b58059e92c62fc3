"""``alphaseq.nn``: Keras-style networks on NumPy arrays over the engine. The same seed gives the
same bits, a saved network predicts the same bits after loading, a run folder's network loads
with its weights unchanged (its PyTorch file written again byte for byte), and bad input is
named."""

import json
import subprocess
import tomllib

import numpy as np
import pytest

import alphaseq
from alphaseq import nn

from conftest import REPO


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(7)
    x = rng.normal(size=(600, 8, 3)).astype(np.float32)
    y = (x[:, -2:, 0].sum(axis=1) + 0.1 * rng.normal(size=600)).astype(np.float32)
    return x[:450], y[:450], x[450:], y[450:]


def trained(data, seed=1, **options):
    x, y, xv, yv = data
    model = nn.Model([nn.LSTM(12), nn.Dropout(0.1), nn.Dense(1)])
    history = model.fit(x, y, validation_data=(xv, yv), epochs=6, batch_size=32, seed=seed,
                        patience=0, **options)
    return model, history


def test_a_classifiers_history_has_keras_metric_names(data):
    x, y, xv, yv = data
    up, vup = (y > 0).astype(np.float32), (yv > 0).astype(np.float32)
    model = nn.Model([nn.LSTM(8), nn.Dense(1, activation="sigmoid")])
    history = model.fit(x, up, validation_data=(xv, vup), epochs=3, batch_size=32, seed=1,
                        patience=0, loss="binary_crossentropy", restore_best_weights=False)
    h = history.history
    for name in ("loss", "val_loss", "accuracy", "precision", "recall", "auc",
                 "val_accuracy", "val_precision", "val_recall", "val_auc"):
        assert len(h[name]) == 3, name
    p = model.predict(xv)
    assert h["val_accuracy"][-1] == pytest.approx(np.mean((p > 0.5) == (vup > 0.5)), abs=1e-12)
    assert h["val_auc"][-1] > 0.7, "the sign of the last steps is learnable"


def test_fit_learns_and_is_bit_reproducible(data, tmp_path):
    _, _, xv, yv = data
    model, history = trained(data)
    assert len(history.epochs) == 6 and history.epochs.loss.iloc[-1] < history.epochs.loss.iloc[0]
    assert history.history["val_loss"][-1] < history.history["val_loss"][0]
    p = model.predict(xv)
    assert p.shape == (150,) and p.dtype == np.float32
    assert np.corrcoef(p, yv)[0, 1] > 0.5
    again, _ = trained(data)
    assert np.array_equal(again.predict(xv), p), "the same seed gives the same bits"
    other, _ = trained(data, seed=2)
    assert not np.array_equal(other.predict(xv), p)
    saved = model.save(tmp_path / "m")
    assert (tmp_path / "m" / "model.torch.safetensors").exists()
    loaded = nn.Model.load(saved)
    assert np.array_equal(loaded.predict(xv), p), "a loaded network predicts the same bits"
    assert list(loaded.summary(8).params) == [12 * 4 * (3 + 12 + 1), 0, 13]


def test_embeddings_statics_sequences_and_progress(data):
    x, y, _, _ = data
    ids = np.arange(len(x)) % 5
    statics = np.stack([np.sin(np.arange(len(x))), np.cos(np.arange(len(x)))], axis=1)
    model = nn.Model([nn.GRU(8)], embeddings=[(5, 2)], static=2, head=[nn.Dense(1)])
    seen = []
    model.fit(x, y, ids=ids, statics=statics, epochs=2, batch_size=64, seed=3, progress=seen.append)
    assert [r["epoch"] for r in seen] == [1, 2] and all(r["loss"] > 0 for r in seen)
    assert model.predict(x, ids=ids, statics=statics).shape == (len(x),)
    per_step = nn.Model([nn.LSTM(6, return_sequences=True), nn.Dense(1)])
    per_step.fit(x, x[:, :, :1], epochs=1, seed=1)
    assert per_step.predict(x).shape == (len(x),)


def test_a_run_folder_s_network_loads_unchanged(tmp_path, cli):
    run = alphaseq.run(REPO / "configs" / "lstm_quickstart.toml", {"training.epochs": 1},
                       out=tmp_path / "lstm", progress=False)
    fold = run.path / "folds" / "fold-000"
    model = nn.Model.load(fold)
    model.save(tmp_path / "again")
    written = (tmp_path / "again" / "model.torch.safetensors").read_bytes()
    assert written == (fold / "model.torch.safetensors").read_bytes()
    spec = json.loads((fold / "model.json").read_text())
    steps = tomllib.loads(run.config)["dataset"]["sequence_length"]
    x = np.zeros((4, steps, spec["features"]), dtype=np.float32)
    assert model.predict(x).shape == (4,)
    total = int(model.summary(steps).params.sum())
    assert total == run.metrics["model"]["parameters"]
    out = subprocess.run([cli, "model", "summary", REPO / "configs" / "lstm_quickstart.toml"],
                         check=True, capture_output=True, text=True, cwd=REPO).stdout
    assert f"{total:,}" in out or str(total) in out, out


def test_a_fold_trained_from_python_equals_the_binary_s_bit_for_bit(tmp_path, cli):
    config = REPO / "configs" / "lstm_quickstart.toml"
    subprocess.run([cli, "run", config, "--set", "training.epochs=2", "--out", tmp_path / "cli"],
                   check=True, capture_output=True, cwd=REPO)
    data = nn.experiment_data(config, {"training.epochs": 2})
    assert data.x_train.dtype == np.float32 and data.x_train.ndim == 3
    assert data.training["epochs"] == 2 and len(data.x_valid) > 0
    model, history = data.fit()
    assert len(history.epochs) == 2
    model.save(tmp_path / "py")
    ours = (tmp_path / "py" / "model.torch.safetensors").read_bytes()
    theirs = (tmp_path / "cli" / "folds" / "fold-000" / "model.torch.safetensors").read_bytes()
    assert ours == theirs, "the same fold, options and seed give the binary's weights"
    with pytest.raises(alphaseq.ConfigError, match="model.kind"):
        nn.experiment_data(REPO / "configs" / "quickstart.toml")


def test_bad_input_is_named(data):
    x, y, _, _ = data
    with pytest.raises(ValueError, match="unknown variant `lstn`"):
        nn.Model([{"type": "lstn", "units": 3}]).fit(x, y, epochs=1)
    model = nn.Model([nn.LSTM(4), nn.Dense(1)])
    with pytest.raises(ValueError, match="not trained"):
        model.predict(x)
    with pytest.raises(alphaseq.ConfigError, match="epochz"):
        model.fit(x, y, epochz=3)
    model.fit(x, y, epochs=1)
    with pytest.raises(ValueError, match="inputs have 2 features per step; the network takes 3"):
        model.predict(x[:, :, :2].copy())
    with pytest.raises(ValueError, match="targets: 2 per sample"):
        model.fit(x, np.stack([y, y], axis=1), epochs=1)
    embedded = nn.Model([nn.LSTM(4)], embeddings=[(3, 2)], head=[nn.Dense(1)])
    with pytest.raises(ValueError, match="pass ids="):
        embedded.fit(x, y, epochs=1)
    with pytest.raises(ValueError, match="outside 0..3"):
        embedded.fit(x, y, ids=np.full(len(x), 7), epochs=1)
