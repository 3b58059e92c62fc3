"""Reference values for alphaseq's momentum features (crates/alphaseq/src/features/momentum.rs),
written as the pandas code their docs give: the DMN features of Lim, Zohren & Roberts (2019) as in
their `mom_trans` code but without its look-ahead back-fills, and the cross-sectional study's beta,
CAPM alpha, alpha-variance ratio and CTI (pandas-ta `cti`). Series from ../shared/data: AAPL
2011-2013 against ^GSPC (plain), and ANTM 2001-10-30 .. 2004-06-30, where the price doubles through
a bad split record on 2002-03-18 (winsorised at 5 EWM sigmas, half-life 252). The market's returns
are ^GSPC's own one-day returns on the ticker's dates. Also the vol-scaled next-day target
(`target_vol_scaled`) of ../shared/reference/seed004_torch.py.
Writes crates/alphaseq/tests/fixtures/momentum_features.json; NaN is written as null.

usage: python tools/oracles/momentum_features.py [SHARED_DATA_DIR]
"""
import json
import os
import sys
import warnings

import numpy as np
import pandas as pd
import pandas_ta as ta

warnings.filterwarnings("ignore")
shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join("..", "shared", "data")


def momentum(p, rm, winsorise):
    p0 = p
    if winsorise:
        e = p.ewm(halflife=252)
        m, s = e.mean(), e.std()
        p = np.minimum(p, m + 5 * s)
        p = np.maximum(p, m - 5 * s)
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
    # the vol-scaled next-day target of seed004_torch.py (15% annualised, sqrt(252)); on the
    # plain price, as the target is defined on the adjusted close
    r0 = p0.pct_change()
    sig0 = r0.ewm(span=60, min_periods=60).std()
    out["target_vol_scaled"] = r0.shift(-1) * 0.15 / (sig0 * np.sqrt(252))
    return out


stocks = pd.read_csv(os.path.join(shared, "sp500_daily.csv.gz"))
gspc = pd.read_csv(os.path.join(shared, "gspc_daily.csv.gz"))
market = gspc.set_index("date").adj_close.pct_change()
out = {"generated_by": "tools/oracles/momentum_features.py", "pandas": pd.__version__, "series": []}
for name, ticker, start, end, winsorise in [
    ("AAPL 2011-2013", "AAPL", "2011-01-01", "2013-12-31", False),
    ("ANTM 2001-10-30 .. 2004-06-30, winsorised", "ANTM", "2001-10-30", "2004-06-30", True),
]:
    d = stocks[(stocks.ticker == ticker) & (stocks.date >= start) & (stocks.date <= end)]
    p = d.set_index("date").adj_close.astype(float)
    rm = market.reindex(p.index)
    cols = momentum(p, rm, winsorise)
    out["series"].append({
        "name": name,
        "winsorise": winsorise,
        "price": p.tolist(),
        "market_returns": rm.tolist(),
        "columns": {k: [None if np.isnan(v) else float(v) for v in s.to_numpy(dtype=float)] for k, s in cols.items()},
    })
path = os.path.join(os.path.dirname(__file__), "..", "..", "crates", "alphaseq", "tests", "fixtures", "momentum_features.json")
with open(path, "w") as f:
    json.dump(out, f, separators=(",", ":"))
print("wrote", path, sum(len(s["price"]) for s in out["series"]), "rows")
