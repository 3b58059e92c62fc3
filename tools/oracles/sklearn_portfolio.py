"""Reference values for alphaseq's portfolio step (crates/alphaseq/src/portfolio): on five dates
of the 29 sample stocks (data/sample), the trailing 63 daily returns of every stock:
numpy.cov (ddof 1), scikit-learn LedoitWolf (covariance_ and shrinkage_), and mean-variance
weights max w'mu - w'Cw/2 s.t. B w = 0 solved as the KKT linear system with numpy.linalg.solve
(an independent route to the closed form alphaseq uses), gross-normalised, for no constraint
(sample covariance), dollar neutrality (sample) and sector neutrality (Ledoit-Wolf), with mu each
stock's trailing 21-day return, and the ex-ante annualised volatility sqrt(252 w'Cw).
Writes crates/alphaseq/tests/fixtures/sklearn_portfolio.json.

usage: python tools/oracles/sklearn_portfolio.py
"""
import json
import os

import numpy as np
import pandas as pd
from sklearn.covariance import LedoitWolf

root = os.path.join(os.path.dirname(__file__), "..", "..")
d = pd.read_csv(os.path.join(root, "data", "sample", "prices.csv.gz"), parse_dates=["date"])
d = d[d.ticker != "^GSPC"]
sectors = pd.read_csv(os.path.join(root, "data", "sample", "sectors.csv")).set_index("ticker").sector
px = d.pivot(index="date", columns="ticker", values="adj_close")
ret = px.pct_change(fill_method=None)
mom = px.pct_change(21, fill_method=None)


def kkt(mu, cov, groups):
    p = len(mu)
    if groups is None:
        w = np.linalg.solve(cov, mu)
    else:
        ids = sorted(set(groups))
        B = np.array([[1.0 if g == k else 0.0 for g in groups] for k in ids])
        k = len(ids)
        A = np.block([[cov, B.T], [B, np.zeros((k, k))]])
        w = np.linalg.solve(A, np.concatenate([mu, np.zeros(k)]))[:p]
    return w / np.abs(w).sum()


cases = []
for date in ["2005-06-30", "2008-10-15", "2013-03-28", "2018-12-24", "2020-03-20"]:
    t = ret.index.get_loc(pd.Timestamp(date))
    win = ret.iloc[t - 62:t + 1]
    ok = win.notna().all() & mom.iloc[t].notna()
    win = win.loc[:, ok]
    tickers = list(win.columns)
    X = win.to_numpy()
    mu = mom.iloc[t][tickers].to_numpy()
    groups = [sorted(set(sectors[tickers])).index(sectors[s]) for s in tickers]
    sample = np.cov(X, rowvar=False)
    lw = LedoitWolf().fit(X)
    case = {
        "date": date,
        "tickers": tickers,
        "sectors": groups,
        "series": [list(map(float, X[:, j])) for j in range(X.shape[1])],
        "mu": list(map(float, mu)),
        "sample_cov": list(map(float, sample.ravel())),
        "lw_cov": list(map(float, lw.covariance_.ravel())),
        "lw_shrinkage": float(lw.shrinkage_),
    }
    for name, cov, g in (("none", sample, None), ("dollar", sample, [0] * len(mu)),
                         ("sector", lw.covariance_, groups)):
        w = kkt(mu, cov, g)
        case["w_" + name] = list(map(float, w))
        case["vol_" + name] = float(np.sqrt(252 * w @ cov @ w))
    cases.append(case)
path = os.path.join(root, "crates", "alphaseq", "tests", "fixtures", "sklearn_portfolio.json")
with open(path, "w") as f:
    json.dump({"generated_by": "tools/oracles/sklearn_portfolio.py", "cases": cases}, f,
              separators=(",", ":"))
print("wrote", path, len(cases), "cases")
