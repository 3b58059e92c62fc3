"""The sample stocks (data/sample) as the portfolio oracles read them: simple daily returns and
21-day trailing returns of the adjusted closes (the index left out), each stock's sector, and
mean-variance weights solved as the KKT linear system (an independent route to alphaseq's closed
form). Imported by sklearn_portfolio.py and cvxpy_portfolio.py."""
import os

import numpy as np
import pandas as pd

root = os.path.join(os.path.dirname(__file__), "..", "..")
_prices = pd.read_csv(os.path.join(root, "data", "sample", "prices.csv.gz"), parse_dates=["date"])
_prices = _prices[_prices.ticker != "^GSPC"]
sectors = pd.read_csv(os.path.join(root, "data", "sample", "sectors.csv")).set_index("ticker").sector
px = _prices.pivot(index="date", columns="ticker", values="adj_close")
ret = px.pct_change(fill_method=None)
mom = px.pct_change(21, fill_method=None)


def kkt(mu, cov, groups):
    """max w'mu - w'Cw/2 s.t. B w = 0 (one row per group; none: no constraint), gross 1."""
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

DATES = ["2005-06-30", "2008-10-15", "2013-03-28", "2018-12-24", "2020-03-20"]


def window_at(date):
    """The stocks with 63 trailing returns and a 21-day return at `date`: their tickers, the
    returns (63 x p), the 21-day returns and a sector id per stock (sectors in sorted order)."""
    t = ret.index.get_loc(pd.Timestamp(date))
    win = ret.iloc[t - 62:t + 1]
    ok = win.notna().all() & mom.iloc[t].notna()
    win = win.loc[:, ok]
    tickers = list(win.columns)
    groups = [sorted(set(sectors[tickers])).index(sectors[s]) for s in tickers]
    return tickers, win.to_numpy(), mom.iloc[t][tickers].to_numpy(), groups


def case_of(date, tickers, X, mu, groups):
    """A fixture case's common part: the date, tickers, sector ids, return series and mu."""
    return {
        "date": date,
        "tickers": tickers,
        "sectors": groups,
        "series": [list(map(float, X[:, j])) for j in range(X.shape[1])],
        "mu": list(map(float, mu)),
    }
