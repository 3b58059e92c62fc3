"""PyTorch CPU side of `alphaseq bench nn`: the same W1 and W2 models, batch sizes, loss and Adam,
timed the same way (median of 5 windows of about 0.5 s each, after calibration).

usage: python tools/bench/torch_lstm.py [w1|w2|all] [THREADS]     (default: all, 2 threads)
"""
import sys
import time

import torch
import torch.nn as nn

which = sys.argv[1] if len(sys.argv) > 1 else "all"
torch.set_num_threads(int(sys.argv[2]) if len(sys.argv) > 2 else 2)
torch.manual_seed(0)


class W1(nn.Module):
    def __init__(s):
        super().__init__()
        s.l1, s.l2 = nn.LSTM(1, 25, batch_first=True), nn.LSTM(25, 10, batch_first=True)
        s.d1, s.d2 = nn.Linear(10, 10), nn.Linear(10, 1)

    def forward(s, x):
        h, _ = s.l1(x)
        h, _ = s.l2(h)
        return s.d2(torch.relu(s.d1(h[:, -1])))


class W2(nn.Module):
    def __init__(s):
        super().__init__()
        s.l1, s.drop, s.out = nn.LSTM(21, 120, batch_first=True), nn.Dropout(0.25), nn.Linear(120, 1)

    def forward(s, x):
        h, _ = s.l1(x)
        return s.out(s.drop(h))


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


def bench(name, model, batch, steps, feats, y_shape):
    x, y = torch.randn(batch, steps, feats), torch.randn(*y_shape)
    opt, loss_fn = torch.optim.Adam(model.parameters(), lr=1e-3), nn.MSELoss()

    def train_step():
        opt.zero_grad(set_to_none=True)
        loss_fn(model(x), y).backward()
        opt.step()

    model.train()
    train = median_time(train_step)
    model.eval()
    with torch.inference_mode():
        infer = median_time(lambda: model(x))
    print(f"RESULT engine=torch-{torch.__version__} threads={torch.get_num_threads()} wl={name} train_sps={batch / train:.0f} infer_sps={batch / infer:.0f}")


if which in ("w1", "all"):
    bench("W1", W1(), 64, 52, 1, (64, 1))
if which in ("w2", "all"):
    bench("W2", W2(), 32, 63, 21, (32, 63, 1))
