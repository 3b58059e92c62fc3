"""PyTorch reference values for alphaseq-nn: for fixed weights and inputs, the forward output, the
MSE loss, every parameter gradient and the input gradient of small models built like W1 (stacked
LSTM + dense head) and W2 (sequence LSTM + time-distributed dense), and of GRU and RNN (tanh and
relu) models, in float32. Also the weights
after one Adam step (lr 1e-2). Writes crates/alphaseq-nn/tests/fixtures/torch_parity.json.

Tensors are stored flat in PyTorch's layouts (weight_ih_l0 [4H][F], gate order i, f, g, o; Linear
weight [out][in]); inputs batch-first [B][T][F].

usage: python tools/oracles/torch_parity.py
"""
import json
import os

import torch
import torch.nn as nn

torch.manual_seed(20261122)
torch.set_num_threads(1)


class W1(nn.Module):
    def __init__(s, f, h1, h2, d):
        super().__init__()
        s.l1 = nn.LSTM(f, h1, batch_first=True)
        s.l2 = nn.LSTM(h1, h2, batch_first=True)
        s.d1 = nn.Linear(h2, d)
        s.d2 = nn.Linear(d, 1)

    def forward(s, x):
        h, _ = s.l1(x)
        h, _ = s.l2(h)
        return s.d2(torch.relu(s.d1(h[:, -1])))


class W2(nn.Module):
    def __init__(s, f, h):
        super().__init__()
        s.l1 = nn.LSTM(f, h, batch_first=True)
        s.out = nn.Linear(h, 1)

    def forward(s, x):
        h, _ = s.l1(x)
        return s.out(h)


class Rec(nn.Module):
    """GRU or RNN (sequence) -> Linear on every step."""

    def __init__(s, cell, f, h, **kw):
        super().__init__()
        s.l1 = cell(f, h, batch_first=True, **kw)
        s.out = nn.Linear(h, 1)

    def forward(s, x):
        h, _ = s.l1(x)
        return s.out(h)


class Stack(nn.Module):
    """GRU(seq) -> RNN(relu) -> Linear on the last step."""

    def __init__(s, f, h1, h2):
        super().__init__()
        s.l1 = nn.GRU(f, h1, batch_first=True)
        s.l2 = nn.RNN(h1, h2, batch_first=True, nonlinearity="relu")
        s.out = nn.Linear(h2, 1)

    def forward(s, x):
        h, _ = s.l1(x)
        h, _ = s.l2(h)
        return s.out(h[:, -1])


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def case(name, model, x, y, layers):
    params = dict(model.named_parameters())
    with torch.no_grad():  # make the LSTM biases distinct and non-trivial
        for n, p in params.items():
            if "bias" in n:
                p.uniform_(-0.5, 0.5)
    x = x.clone().requires_grad_(True)
    out = model(x)
    loss = nn.functional.mse_loss(out, y)
    loss.backward()
    record = {
        "name": name,
        "layers": layers,
        "x_shape": list(x.shape),
        "x": flat(x),
        "y": flat(y),
        "output_shape": list(out.shape),
        "output": flat(out),
        "loss": float(loss),
        "params": {n: {"shape": list(p.shape), "value": flat(p)} for n, p in params.items()},
        "grads": {n: flat(p.grad) for n, p in params.items()},
        "x_grad": flat(x.grad),
    }
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    opt.step()
    record["after_adam"] = {n: flat(p) for n, p in params.items()}
    return record


cases = [
    case("w1_small", W1(3, 5, 4, 3), torch.randn(4, 7, 3), torch.randn(4, 1),
         [["lstm", "l1", True], ["lstm", "l2", False], ["dense", "d1", "relu"], ["dense", "d2", "linear"]]),
    case("w2_small", W2(6, 8), torch.randn(3, 5, 6), torch.randn(3, 5, 1),
         [["lstm", "l1", True], ["dense", "out", "linear"]]),
    case("gru_seq", Rec(nn.GRU, 4, 6), torch.randn(3, 6, 4), torch.randn(3, 6, 1),
         [["gru", "l1", True], ["dense", "out", "linear"]]),
    case("rnn_seq", Rec(nn.RNN, 4, 6), torch.randn(3, 6, 4), torch.randn(3, 6, 1),
         [["rnn", "l1", True, "tanh"], ["dense", "out", "linear"]]),
    case("gru_rnn_stack", Stack(3, 5, 4), torch.randn(4, 7, 3), torch.randn(4, 1),
         [["gru", "l1", True], ["rnn", "l2", False, "relu"], ["dense", "out", "linear"]]),
]
path = os.path.join("crates", "alphaseq-nn", "tests", "fixtures", "torch_parity.json")
with open(path, "w") as f:
    json.dump({"generated_by": "tools/oracles/torch_parity.py", "torch": torch.__version__, "cases": cases}, f)
print("wrote", path)
