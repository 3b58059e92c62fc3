"""Recurrent networks on NumPy arrays, Keras style, trained by alphaseq's own CPU engine (the
same layers, initialisations, losses, optimisers and training loop as an experiment's
``[model]`` and ``[training]``; docs/config.md names every option).

>>> from alphaseq import nn
>>> model = nn.Model([nn.LSTM(32), nn.Dropout(0.1), nn.Dense(1)])
>>> history = model.fit(x, y, validation_data=(xv, yv), epochs=10, batch_size=64, seed=1)
>>> model.predict(x_test)
>>> model.save("my_model")          # model.safetensors (+ PyTorch names, model.json)
>>> nn.Model.load("runs/lstm/folds/fold-000")   # a run folder's model too

Inputs are ``(samples, steps, features)`` float32 arrays; with embeddings, ``ids`` holds one
integer column per embedding; with static inputs, ``statics`` is ``(samples, static)``. The same
seed gives the same bits.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import _core


def LSTM(units: int, **options: Any) -> dict:
    """An LSTM layer (``return_sequences``, ``activation``, ``dropout``, ``recurrent_dropout``,
    regularizers: the keys of ``[[model.layers]]``)."""
    return {"type": "lstm", "units": units, **options}


def GRU(units: int, **options: Any) -> dict:
    """A GRU layer (reset-after, as PyTorch and Keras 3)."""
    return {"type": "gru", "units": units, **options}


def RNN(units: int, **options: Any) -> dict:
    """A simple (Elman) RNN layer, Keras ``SimpleRNN``."""
    return {"type": "rnn", "units": units, **options}


def Dense(units: int, **options: Any) -> dict:
    """A dense layer (``activation``), time-distributed on a sequence."""
    return {"type": "dense", "units": units, **options}


def Dropout(rate: float) -> dict:
    """Dropout, active in training only."""
    return {"type": "dropout", "rate": rate}


def BatchNorm(**options: Any) -> dict:
    """Batch normalisation over the feature axis."""
    return {"type": "batch_norm", **options}


def CrossSectionalNorm(**options: Any) -> dict:
    """Per step, across the samples of a batch: minus the mean, over the sum of absolute values."""
    return {"type": "cross_sectional_norm", **options}


class History:
    """What ``fit`` did: ``epochs`` (a frame of epoch, loss, val_loss, seconds, and for a
    classifier Keras' metrics accuracy, precision, recall, auc and the same with ``val_``; see
    docs/run-record.md), ``best_epoch`` (whose weights the model ends with), ``best_value``,
    ``stopped_early``."""

    SCORES = ("accuracy", "precision", "recall", "auc")

    def __init__(self, record: Mapping[str, Any]):
        rows = []
        for e in record["epochs"]:
            row = {k: e[k] for k in ("epoch", "loss", "val_loss", "seconds")}
            for prefix, key in (("", "scores"), ("val_", "val_scores")):
                if e.get(key) is not None:
                    row.update({prefix + k: e[key][k] for k in self.SCORES})
            rows.append(row)
        self.epochs = pd.DataFrame(rows, columns=None if rows else ["epoch", "loss", "val_loss", "seconds"])
        self.best_epoch = record["best_epoch"]
        self.best_value = record["best_value"]
        self.stopped_early = record["stopped_early"]

    @property
    def history(self) -> dict[str, list]:
        """Keras' ``History.history``: ``{"loss": [...], "val_loss": [...]}``, and a classifier's
        ``accuracy``, ``val_accuracy``, ... (Keras' metric names)."""
        return {k: self.epochs[k].tolist() for k in self.epochs.columns if k not in ("epoch", "seconds")}

    def __repr__(self) -> str:
        return (f"History({len(self.epochs)} epochs, best {self.best_epoch}: {self.best_value:.6g}"
                f"{', stopped early' if self.stopped_early else ''})")


def _f32(a: Any, dims: int, what: str) -> np.ndarray:
    out = np.ascontiguousarray(np.asarray(a, dtype=np.float32))
    if out.ndim != dims:
        raise ValueError(f"{what}: {dims} dimensions expected, got shape {out.shape}")
    return out


def _ids(ids: Any) -> np.ndarray | None:
    if ids is None:
        return None
    out = np.asarray(ids, dtype=np.int64)
    return np.ascontiguousarray(out.reshape(len(out), -1))


def _dates(dates: Any) -> np.ndarray | None:
    return None if dates is None else np.ascontiguousarray(np.asarray(dates, dtype=np.int64))


class Model:
    """A network: the sequence branch's ``layers`` (dicts as ``[[model.layers]]``, or the helper
    functions of this module), embeddings of integer ids (``embeddings``: ``(vocab, dim)``
    pairs) and ``static`` per-sample inputs concatenated after the branch, then the ``head``
    layers. ``init`` is ``keras`` or ``torch`` (their default initialisations). The weights are
    made at the first ``fit`` from its seed, or read by ``load``."""

    def __init__(
        self,
        layers: Iterable[Mapping[str, Any]],
        *,
        head: Iterable[Mapping[str, Any]] = (),
        embeddings: Iterable[tuple[int, int]] = (),
        static: int = 0,
        init: str = "keras",
    ):
        self.layers = [dict(layer) for layer in layers]
        self.head = [dict(layer) for layer in head]
        self.embeddings = [{"vocab": v, "dim": d} for v, d in embeddings]
        self.static = static
        self.init = init
        self._net: Any = None

    def _spec(self, features: int) -> str:
        spec = {"features": features, "layers": self.layers}
        if self.embeddings:
            spec["embeddings"] = self.embeddings
        if self.static:
            spec["static_features"] = self.static
        if self.head:
            spec["head"] = self.head
        return json.dumps(spec)

    def _network(self, features: int):
        if self._net is None:
            self._net = _core.Network(self._spec(features), self.init)
        return self._net

    def fit(
        self,
        x: Any,
        y: Any,
        *,
        validation_data: tuple | None = None,
        ids: Any = None,
        statics: Any = None,
        dates: Any = None,
        epochs: int | None = None,
        batch_size: int | None = None,
        seed: int | None = None,
        progress: bool | Callable[[dict], object] | None = None,
        **training: Any,
    ) -> History:
        """Trains on ``x`` ``(samples, steps, features)`` and ``y`` (``(samples,)``,
        ``(samples, outputs)``, or ``(samples, steps, outputs)`` for a sequence output).
        ``validation_data`` is ``(x, y)`` or ``(x, y, ids, statics[, dates])``; ``dates`` (an
        integer per sample) group samples for ``batches = "by_date"``. ``training`` takes the
        other ``[training]`` keys (``loss``, ``optimizer``, ``patience``, ``monitor``,
        ``restore_best_weights``, ``shuffle``, ``class_weights``, ``threads``, ...) with the
        same defaults as an experiment (docs/config.md). A second fit continues from the
        current weights. ``progress=True`` prints each epoch; a callable receives its record."""
        x = _f32(x, 3, "x")
        net = self._network(x.shape[2])
        width, sequence = net.output()
        y = np.asarray(y, dtype=np.float32)
        y = _f32(y.reshape(len(y), -1), 2, "y")
        options = {k: v for k, v in (("epochs", epochs), ("batch_size", batch_size), ("seed", seed))
                   if v is not None}
        config = json.dumps({**options, **training})
        valid = None
        if validation_data is not None:
            vx, vy, *side = validation_data
            vy = np.asarray(vy, dtype=np.float32)
            side = side + [None] * (3 - len(side))
            valid = (_f32(vx, 3, "validation x"), _f32(vy.reshape(len(vy), -1), 2, "validation y"),
                     _ids(side[0]), None if side[1] is None else _f32(side[1], 2, "validation statics"),
                     _dates(side[2]))
        callback = None
        if progress is True:
            def callback(text):
                r = json.loads(text)
                val = "" if r["val_loss"] is None else f" val_loss {r['val_loss']:.6f}"
                print(f"epoch {r['epoch']}: loss {r['loss']:.6f}{val} ({r['seconds']:.2f} s)", flush=True)
        elif callable(progress):
            def callback(text):
                progress(json.loads(text))
        record = net.fit(x, y, _ids(ids), None if statics is None else _f32(statics, 2, "statics"),
                         _dates(dates), valid, config, callback)
        return History(json.loads(record))

    def predict(self, x: Any, *, ids: Any = None, statics: Any = None,
                batch_size: int = 256) -> np.ndarray:
        """Predictions in evaluation mode: ``(samples,)`` for one output, else ``(samples,
        outputs)``; a sequence output predicts from its last step."""
        if self._net is None:
            raise ValueError("the model is not trained: fit or load it first")
        x = _f32(x, 3, "x")
        out = self._net.predict(x, _ids(ids), None if statics is None else _f32(statics, 2, "statics"),
                                batch_size)
        return out[:, 0] if out.shape[1] == 1 else out

    def summary(self, steps: int = 1, features: int | None = None) -> pd.DataFrame:
        """Keras-style summary rows (layer, output shape, parameters) for ``steps`` per
        sequence; ``features`` is needed before the first fit."""
        net = self._net
        if net is None:
            if features is None:
                raise ValueError("pass features= (the model is built at its first fit)")
            net = _core.Network(self._spec(features), self.init)
        return pd.DataFrame(json.loads(net.summary(steps)))

    def save(self, folder: str | os.PathLike[str]) -> Path:
        """Writes ``model.safetensors`` (the weights, with the description inside),
        ``model.torch.safetensors`` (PyTorch's names) and ``model.json`` into ``folder``."""
        if self._net is None:
            raise ValueError("the model is not trained: nothing to save")
        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        weights, torch, spec = self._net.save({})
        (out / "model.safetensors").write_bytes(bytes(weights))
        (out / "model.torch.safetensors").write_bytes(bytes(torch))
        (out / "model.json").write_text(spec)
        return out / "model.safetensors"

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> "Model":
        """A trained network from ``model.safetensors`` (or a folder holding one): this
        module's or a run folder's (``folds/fold-000``)."""
        p = Path(path)
        if p.is_dir():
            p = p / "model.safetensors"
        net = _core.Network.load(p.read_bytes())
        spec = json.loads(net.spec())
        model = cls(spec["layers"], head=spec.get("head", ()),
                    embeddings=[(e["vocab"], e["dim"]) for e in spec.get("embeddings", ())],
                    static=spec.get("static_features", 0))
        model._net = net
        return model


class ExperimentData:
    """An experiment's first fold as arrays (:func:`experiment_data`): ``x_train``,
    ``y_train``, ``x_valid``, ``y_valid`` (features scaled and targets standardised as the
    engine trains on them), ``ids_*`` (ticker ids, with a ticker embedding), ``statics_*``,
    ``dates_*``; ``model`` (the experiment's network, untrained) and ``training`` (its
    ``[training]`` options, every default written out)."""

    def __init__(self, raw: Mapping[str, Any]):
        self._spec = json.loads(raw["model"])
        self.init = raw["init"]
        self.training = json.loads(raw["training"])
        for part in ("train", "valid"):
            arrays = raw[part]
            setattr(self, f"x_{part}", arrays["x"])
            setattr(self, f"y_{part}", arrays["y"])
            setattr(self, f"ids_{part}", arrays["ids"] if len(arrays["ids"]) else None)
            has_statics = arrays["statics"].shape[1] > 0
            setattr(self, f"statics_{part}", arrays["statics"] if has_statics else None)
            setattr(self, f"dates_{part}", arrays["dates"])

    @property
    def model(self) -> Model:
        """The experiment's network, untrained."""
        spec = self._spec
        return Model(spec["layers"], head=spec.get("head", ()),
                     embeddings=[(e["vocab"], e["dim"]) for e in spec.get("embeddings", ())],
                     static=spec.get("static_features", 0), init=self.init)

    def fit(self, progress: bool | Callable[[dict], object] | None = None) -> tuple[Model, History]:
        """The experiment's network trained on the fold as the binary trains it: the same
        samples, options and seed, so the same weights, bit for bit."""
        model = self.model
        history = model.fit(
            self.x_train, self.y_train,
            validation_data=(self.x_valid, self.y_valid, self.ids_valid, self.statics_valid,
                             self.dates_valid),
            ids=self.ids_train, statics=self.statics_train, dates=self.dates_train,
            progress=progress, **self.training,
        )
        return model, history


def experiment_data(
    config: str | os.PathLike[str] | Mapping[str, Any],
    overrides: Mapping[str, Any] | None = None,
) -> ExperimentData:
    """The first fold of an experiment with a recurrent network as NumPy arrays: what
    ``alphaseq run`` would train that fold's network on (data loaded and checked, features,
    selection, scaling, windows and targets as the run makes them), with the network and its
    training options. ``config`` and ``overrides`` as :func:`alphaseq.run` takes them."""
    from ._run import _json_default, _none_key  # the same conversions as run
    from .errors import ConfigError

    is_dict = isinstance(config, Mapping)
    for what, value in (("config", config if is_dict else None), ("overrides", overrides)):
        key = _none_key(value, "") if value is not None else None
        if key:
            raise ConfigError(f"{key}: None has no TOML value; leave the key out (in the {what})")
    text = json.dumps(config, default=_json_default) if is_dict else os.fspath(config)
    raw = _core.fold_arrays(text, is_dict, json.dumps(dict(overrides or {}), default=_json_default))
    return ExperimentData(raw)
