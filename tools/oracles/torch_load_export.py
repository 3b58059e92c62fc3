"""Loads an alphaseq PyTorch export (model.json + model.torch.safetensors) into torch.nn modules and
runs it on input.json; writes expected.json. The AlphaseqNet class is the loader docs/checkpoints.md
shows. Needs torch and safetensors (pip install safetensors).

usage: python tools/oracles/torch_load_export.py [DIR]   (default crates/alphaseq-nn/tests/fixtures/export)
"""
import json
import os
import sys

import torch
import torch.nn as nn
from safetensors.torch import load_file


class AlphaseqNet(nn.Module):
    """An alphaseq model description as torch.nn modules; input [batch, steps, features]."""

    def __init__(self, spec):
        super().__init__()
        self.spec, width, layers = spec, spec["features"], []
        for l in spec["layers"]:
            kind = l["type"]
            if kind in ("lstm", "gru", "rnn"):
                act = l.get("activation", "tanh")
                if kind != "rnn" and act != "tanh":
                    raise ValueError(f"torch.nn.{kind.upper()} has no {act} activation")
                extra = {"nonlinearity": act} if kind == "rnn" else {}
                layers.append({"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}[kind](width, l["units"], batch_first=True, **extra))
                width = l["units"]
            elif kind == "dense":
                layers.append(nn.Linear(width, l["units"]))
                width = l["units"]
            elif kind == "batch_norm":
                layers.append(nn.BatchNorm1d(width, eps=l.get("epsilon", 1e-3), momentum=1 - l.get("momentum", 0.99)))
            else:
                layers.append(nn.Dropout(l["rate"]))
        self.layers = nn.ModuleList(layers)

    def forward(self, x):
        sequence = True
        for module, l in zip(self.layers, self.spec["layers"]):
            kind = l["type"]
            if kind in ("lstm", "gru", "rnn"):
                x, _ = module(x)
                if not l.get("return_sequences", False):
                    x, sequence = x[:, -1], False
            elif kind == "dense":
                x = module(x)
                act = l.get("activation", "linear")
                if act != "linear":
                    x = {"relu": torch.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid, "elu": nn.functional.elu}[act](x)
            elif kind == "batch_norm":  # features last -> BatchNorm1d's channels
                x = module(x.transpose(1, 2)).transpose(1, 2) if sequence else module(x)
            else:
                x = module(x)
        return x


if __name__ == "__main__":
    d = sys.argv[1] if len(sys.argv) > 1 else os.path.join("crates", "alphaseq-nn", "tests", "fixtures", "export")
    net = AlphaseqNet(json.load(open(os.path.join(d, "model.json"))))
    net.load_state_dict(load_file(os.path.join(d, "model.torch.safetensors")))
    net.eval()
    inp = json.load(open(os.path.join(d, "input.json")))
    x = torch.tensor(inp["x"], dtype=torch.float32).reshape(inp["shape"])
    with torch.no_grad():
        out = net(x)
    with open(os.path.join(d, "expected.json"), "w") as f:
        json.dump({"generated_by": "tools/oracles/torch_load_export.py", "torch": torch.__version__, "output": [float(v) for v in out.reshape(-1)]}, f)
    print("wrote", os.path.join(d, "expected.json"))
