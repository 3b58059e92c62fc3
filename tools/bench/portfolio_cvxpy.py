"""The Python side of `alphaseq bench portfolio`: the same cost-aware mean-variance program on the
S&P 500 panel, as a cvxpy user would write it. Per decision date from 2005-01-03: the stocks with
63 trailing returns; scikit-learn's LedoitWolf over them; mu by Grinold's rule (0.02 x each
stock's daily volatility x the cross-sectional z-score of its trailing 63-day return); maximise
mu'w - (1/2) w'Cw - 5e-4 |w - w0| subject to sector neutrality and sqrt(w'Cw) <= 0.15 /
sqrt(252), with w0 the previous solution. Solved by cvxpy's default solver for it (Clarabel).
Times every N-th date (--every, default 20) and prints the mean time per rebalance and the
whole backtest extrapolated to every date.

usage: python tools/bench/portfolio_cvxpy.py [DATA_DIR] [--every N]
"""
import argparse
import os
import time

import cvxpy as cp
import numpy as np
import pandas as pd
from sklearn.covariance import LedoitWolf

ap = argparse.ArgumentParser()
ap.add_argument("data", nargs="?", default=os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data"))
ap.add_argument("--every", type=int, default=20)
args = ap.parse_args()

d = pd.read_csv(os.path.join(args.data, "sp500_daily.csv.gz"), parse_dates=["date"], usecols=["date", "ticker", "adj_close"])
gspc = pd.read_csv(os.path.join(args.data, "gspc_daily.csv.gz"), parse_dates=["date"])
sectors = pd.read_csv(os.path.join(args.data, "sectors.csv")).set_index("ticker").sector
px = d.pivot(index="date", columns="ticker", values="adj_close")
px = px.reindex(gspc.date[gspc.date >= "2000-01-01"])
ret = px.pct_change(fill_method=None)
mom = (1 + ret).rolling(63).apply(np.prod, raw=True) - 1
dates = [t for t in range(len(ret)) if ret.index[t] >= pd.Timestamp("2005-01-03")]

held = pd.Series(0.0, index=px.columns)
seconds = []
for k, t in enumerate(dates):
    if k % args.every:
        continue
    start = time.perf_counter()
    win = ret.iloc[t - 62:t + 1]
    ok = win.notna().all() & mom.iloc[t].notna() & px.columns.isin(sectors.index)
    tickers = list(win.columns[ok])
    X = win[tickers].to_numpy()
    C = LedoitWolf().fit(X).covariance_
    m = mom.iloc[t][tickers].to_numpy()
    z = (m - m.mean()) / m.std()
    mu = 0.02 * np.sqrt(np.diag(C)) * z
    w0 = held[tickers].to_numpy()
    w = cp.Variable(len(tickers))
    groups = sectors[tickers].to_numpy()
    cons = [cp.sum(w[np.flatnonzero(groups == g)]) == 0 for g in sorted(set(groups))]
    cons.append(cp.quad_form(w, cp.psd_wrap(C)) <= 0.15 ** 2 / 252)
    objective = mu @ w - 0.5 * cp.quad_form(w, cp.psd_wrap(C)) - 5e-4 * cp.norm1(w - w0)
    cp.Problem(cp.Maximize(1e4 * objective), cons).solve()
    held[:] = 0.0
    held[tickers] = w.value
    seconds.append(time.perf_counter() - start)

ms = 1e3 * float(np.mean(seconds))
print(f"RESULT cvxpy {cp.__version__}: {len(seconds)} of {len(dates)} dates timed, "
      f"{ms:.1f} ms per rebalance, {ms * len(dates) / 1e3:.0f} s for every date (extrapolated, one process)")
