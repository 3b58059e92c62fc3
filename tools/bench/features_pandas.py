"""The pandas way to do what `alphaseq bench features` times: every ticker of the S&P file through
pandas-ta's `df.ta.study("All")` in one process (`df.ta.cores = 0`, its pure-pandas path with
TA-Lib switched off, as alphaseq's values follow) plus the momentum features written in pandas
(the code of tools/oracles/momentum_features.py), each ticker on its own adjusted OHLCV frame.
Prints per-part seconds and a RESULT line.

With --talib, pandas-ta runs as a user with TA-Lib installed gets it by default (TA-Lib's C code for
the indicators it has, and its candle patterns: more columns, faster). --every K takes every K-th
ticker (seconds per row then extrapolate to the panel).

usage: python tools/bench/features_pandas.py ../shared/data [--tickers N] [--every K] [--talib]
"""
import argparse
import sys
from contextlib import redirect_stdout
import os

import time
import warnings

import numpy as np
import pandas as pd
import pandas_ta as ta
from pandas_ta.maps import Imports

warnings.filterwarnings("ignore")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "oracles"))
from pandas_ta_indicators import indicators as catalogue  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("shared")
ap.add_argument("--tickers", type=int, default=0, help="only the first N tickers (0 = all)")
ap.add_argument("--every", type=int, default=1, help="every K-th ticker")
ap.add_argument("--talib", action="store_true", help="let pandas-ta use TA-Lib (its default when installed)")
ap.add_argument("--catalogue", action="store_true",
                help="instead of study('All'), exactly alphaseq's catalogue (the calls of tools/oracles/pandas_ta_indicators.py)")
a = ap.parse_args()
Imports["talib"] = a.talib


def momentum(p, rm):
    r = p.pct_change()
    sig = r.ewm(span=60, min_periods=60).std()
    out = {}
    for h in (1, 5, 21, 63, 126, 252):
        out[f"nret_{h}"] = (p / p.shift(h) - 1.0) / sig / np.sqrt(h)
    for s, l in ((8, 24), (16, 48), (32, 96)):
        hl = lambda t: np.log(0.5) / np.log(1 - 1 / t)
        macd = p.ewm(halflife=hl(s)).mean() - p.ewm(halflife=hl(l)).mean()
        q = macd / p.rolling(63).std()
        out[f"macd_{s}_{l}"] = q / q.rolling(252).std()
    for w in (5, 21):
        out[f"rv_{w}"] = r.rolling(w).std()
    for w in (126, 252):
        out[f"beta_{w}"] = r.rolling(w).cov(rm) / rm.rolling(w).var()
    beta = out["beta_252"]
    for h in (21, 63, 126):
        out[f"alpha_{h}"] = r.rolling(h).sum() - beta * rm.rolling(h).sum()
    resid = r - beta * rm
    out["alpha_var_252"] = resid.rolling(252).var() / r.rolling(252).var()
    for n in (21, 63, 126, 252):
        out[f"cti_{n}"] = ta.cti(p, length=n)
    return pd.DataFrame(out)


t0 = time.perf_counter()
df = pd.read_csv(os.path.join(a.shared, "sp500_daily.csv.gz"), parse_dates=["date"])
market = pd.read_csv(os.path.join(a.shared, "gspc_daily.csv.gz"), parse_dates=["date"]).set_index("date").adj_close.pct_change()
load = time.perf_counter() - t0
tickers = sorted(df.ticker.unique())
tickers = tickers[:: a.every]
if a.tickers:
    tickers = tickers[: a.tickers]
t_ind = t_mom = 0.0
rows = columns = 0
for tk in tickers:
    d = df[df.ticker == tk].set_index("date").sort_index()
    f = d.adj_close / d.close
    frame = pd.DataFrame({"open": d.open * f, "high": d.high * f, "low": d.low * f, "close": d.adj_close, "volume": d.volume.fillna(0.0)})
    t1 = time.perf_counter()
    frame.ta.cores = 0
    n_rows = len(frame)
    if a.catalogue:
        flat = frame.reset_index()
        frame = pd.concat([flat, *[s.to_frame() if isinstance(s, pd.Series) else s for s in catalogue(flat)]], axis=1)
    else:
        with open(os.devnull, "w") as quiet, redirect_stdout(quiet):
            frame.ta.study("All")
    t2 = time.perf_counter()
    mom = momentum(d.adj_close, market.reindex(d.index))
    t3 = time.perf_counter()
    t_ind += t2 - t1
    t_mom += t3 - t2
    rows += n_rows
    columns = max(columns, frame.shape[1] - 5 + mom.shape[1])
print(f"load {load:.1f} s, pandas-ta {'catalogue' if a.catalogue else 'study(All)'} {t_ind:.1f} s, momentum {t_mom:.1f} s")
print(f"RESULT engine=pandas-ta-{ta.version}{'+talib' if a.talib else ''}{'(catalogue)' if a.catalogue else ''}+pandas-{pd.__version__} tickers={len(tickers)} rows={rows} columns={columns} "
      f"indicators_seconds={t_ind:.1f} momentum_seconds={t_mom:.1f} features_seconds={t_ind + t_mom:.1f}")
