"""alphaseq.indicators on a pandas frame vs pandas-ta on the same frame, side by side in one
process: every catalogue column (the pandas-ta calls of tools/oracles/pandas_ta_indicators.py,
its pure-pandas path, as alphaseq's values follow) for every ticker of the shipped sample (30
tickers x 4,100 days), conversion to and from pandas included. Rounds alternate; medians and the
ratio are printed, after checking that both give the same columns and values (1e-9 relative).

Needs a venv with alphaseq (pip install ./crates/alphaseq-py) and pandas-ta
(../shared/oracles/setup.sh shows how on Python 3.11).

usage: python tools/bench/python_indicators.py [ROUNDS]
"""
import os
import statistics
import sys
import time
import warnings

import numpy as np
import pandas as pd

warnings.filterwarnings("ignore")
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "oracles"))
import pandas_ta  # noqa: E402
from pandas_ta.maps import Imports  # noqa: E402
from pandas_ta_indicators import indicators as pandas_ta_catalogue  # noqa: E402

import alphaseq  # noqa: E402

Imports["talib"] = False
rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
sample = os.path.join(HERE, "..", "..", "data", "sample", "prices.csv.gz")
prices = pd.read_csv(sample, parse_dates=["date"])
frames = {t: g.reset_index(drop=True) for t, g in prices.groupby("ticker", sort=False)}
# the oracle's calls beyond the catalogue's defaults (VWAP's other anchors, eight indicators with
# parameters), so that both sides compute the same columns
EXTRA = [{"kind": "vwap", "anchor": a} for a in "WMQY"] + [
    {"kind": "rsi", "length": 21}, {"kind": "macd", "fast": 8, "slow": 21, "signal": 5},
    {"kind": "bbands", "length": 20, "std": 2.5}, {"kind": "stoch", "k": 9, "d": 4, "smooth_k": 2},
    {"kind": "supertrend", "length": 10, "multiplier": 2.5}, {"kind": "kc", "length": 10, "scalar": 1.5},
    {"kind": "cci", "length": 30, "c": 0.02}, {"kind": "sma", "length": 50},
]


def with_pandas_ta():
    # VWAP comes back on the dates (it needs them), the rest on the frame's positions
    return {
        t: pd.concat([x.reset_index(drop=True) for x in pandas_ta_catalogue(d)], axis=1)
        for t, d in frames.items()
    }


def unique(frame):
    return frame.loc[:, ~frame.columns.duplicated()]


def with_alphaseq():
    return alphaseq.indicators(prices, ["all", *EXTRA])


# the same columns and values, first: the tests' tolerance is 1e-9 relative + 1e-12 (skew and
# kurtosis on their natural scale); a column beyond it is listed with its largest relative
# difference and the rows that differ by more than 1e-6 relative (a different value, not round-off)
theirs, ours = with_pandas_ta(), with_alphaseq()
codes = prices.ticker.to_numpy()
beyond = {}
for t, frame in ((t, unique(f)) for t, f in theirs.items()):
    mine = ours[codes == t]
    for col in frame.columns.intersection(mine.columns):
        a, b = mine[col].to_numpy(), frame[col].to_numpy(dtype=float)
        ok = ~np.isnan(b) & ~np.isnan(a)
        scale = np.abs(b[ok])
        if col.startswith(("SKEW_", "KURT_")):
            scale = np.maximum(scale, 1.0)
        diff = np.abs(a[ok] - b[ok])
        nan_rows = int((np.isnan(a) != np.isnan(b)).sum())
        if (diff > 1e-9 * scale + 1e-12).any() or nan_rows:
            rel, rows = beyond.get(col, (0.0, 0))
            worst = float(np.max(diff / np.maximum(scale, 1e-300)))
            beyond[col] = (max(rel, worst), rows + int((diff > 1e-6 * scale).sum()) + nan_rows)
compared = frame.columns.intersection(ours.columns)
print(f"columns: alphaseq {ours.shape[1]}, pandas-ta {frame.shape[1]}, compared {len(compared)}; "
      f"{len(compared) - len(beyond)} equal to the tests' tolerance on every ticker")
for col, (rel, rows) in sorted(beyond.items()):
    print(f"  {col}: largest relative difference {rel:.1e}; {rows} of {len(prices)} rows differ by more than 1e-6")

times = {"alphaseq": [], "pandas-ta": []}
for _ in range(rounds):
    for name, f in (("pandas-ta", with_pandas_ta), ("alphaseq", with_alphaseq)):
        start = time.perf_counter()
        f()
        times[name].append(time.perf_counter() - start)
a, p = statistics.median(times["alphaseq"]), statistics.median(times["pandas-ta"])
rows = len(prices)
print(f"RESULT alphaseq.indicators {a:.3f} s ({rows / a / 1e6:.2f} M rows/s), rounds {times['alphaseq']}")
print(f"RESULT pandas-ta {p:.3f} s ({rows / p / 1e6:.3f} M rows/s), rounds {times['pandas-ta']}")
print(f"RESULT ratio pandas-ta / alphaseq = {p / a:.0f}x ({len(frames)} tickers, {rows} rows, "
      f"alphaseq {alphaseq.__version__}, pandas-ta {pandas_ta.version}, pandas {pd.__version__})")
