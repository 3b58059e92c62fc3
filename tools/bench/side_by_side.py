"""The engine benchmark side by side: alphaseq, PyTorch and Keras on the W1 and W2 workloads,
in alternating rounds on the same machine, reported as medians (and ranges) with ratios.

usage: python tools/bench/side_by_side.py [ROUNDS] [ALPHASEQ_BINARY]
       (default: 3 rounds, target/release/alphaseq; run from the repository root with the
       oracle venv's python, which has torch and keras: WITH_KERAS=1 ../shared/oracles/setup.sh)

Prints a markdown table for docs/performance.md. Each tool runs alone (no other tool at the same
time); each round runs alphaseq, then PyTorch, then Keras, so a slow spell of the machine hits all
three. alphaseq's figures are its best mode for one model on two threads (the batch split over
two replicas; see `alphaseq bench nn`) and one thread; PyTorch and Keras use two threads.
"""
import json
import os
import statistics
import subprocess
import sys

rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
binary = sys.argv[2] if len(sys.argv) > 2 else "target/release/alphaseq"
here = os.path.dirname(os.path.abspath(__file__))
results = {}  # (engine, workload, measure) -> [values]


def add(engine, wl, measure, value):
    results.setdefault((engine, wl, measure), []).append(float(value))


def python_tool(script):
    out = subprocess.run([sys.executable, os.path.join(here, script)], capture_output=True,
                         text=True, check=True).stdout
    for line in out.splitlines():
        if line.startswith("RESULT "):
            fields = dict(f.split("=", 1) for f in line.split()[1:])
            yield fields["engine"], fields["wl"], fields


for r in range(rounds):
    out = subprocess.run([binary, "bench", "nn", "--json"], capture_output=True, text=True,
                         check=True).stdout
    for row in json.loads(out):
        wl = row["workload"]
        add("alphaseq 1 thread", wl, "train", row["train_samples_per_sec"])
        add("alphaseq 1 thread", wl, "infer", row["infer_samples_per_sec"])
        add("alphaseq 2 threads", wl, "train", row["threaded_train_samples_per_sec"])
        add("alphaseq 2 threads", wl, "infer", row["threaded_infer_samples_per_sec"])
        add("alphaseq 2 models at once", wl, "train", row["parallel_train_samples_per_sec"])
    for script, label in (("torch_lstm.py", "PyTorch"), ("keras_lstm.py", "Keras")):
        for engine, wl, f in python_tool(script):
            name = f"{label} ({engine}, 2 threads)"
            add(name, wl, "train", f["train_sps"])
            add(name, wl, "infer", f["infer_sps"])
    print(f"round {r + 1} of {rounds} done", file=sys.stderr)

engines = list(dict.fromkeys(e for e, _, _ in results))
cols = [(wl, m) for wl in ("W1", "W2") for m in ("train", "infer")]


def med(e, wl, m):
    v = results.get((e, wl, m))
    return statistics.median(v) if v else None


print(f"{rounds} alternating rounds, median (range), samples/s\n")
print("| engine | " + " | ".join(f"{wl} {m}" for wl, m in cols) + " |")
print("|---" * (len(cols) + 1) + "|")
for e in engines:
    cells = []
    for wl, m in cols:
        v = results.get((e, wl, m))
        cells.append(f"{statistics.median(v):,.0f} ({min(v):,.0f}-{max(v):,.0f})" if v else "")
    print(f"| {e} | " + " | ".join(cells) + " |")
best = "alphaseq 2 threads"
for other in (e for e in engines if e.startswith(("PyTorch", "Keras"))):
    cells = []
    for wl, m in cols:
        a, b = med(best, wl, m), med(other, wl, m)
        cells.append(f"{a / b:.2f}x" if a and b else "")
    print(f"| ratio: alphaseq 2 threads / {other.split(' (')[0]} | " + " | ".join(cells) + " |")
for wl in ("W1", "W2"):
    one, many = med("alphaseq 1 thread", wl, "train"), med("alphaseq 2 models at once", wl, "train")
    print(f"\n{wl}: 2 models at once train {many:,.0f} samples/s in all = {many / one:.2f}x one model")
