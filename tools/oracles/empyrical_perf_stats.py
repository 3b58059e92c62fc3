"""Reference values for every statistic of alphaseq's tear sheet (`metrics::PerfStats`): pyfolio's
`perf_stats` set with empyrical-reloaded's definitions (calmar, stability, omega, sortino, tail
ratio, value at risk, alpha/beta against a benchmark), scipy's skew and kurtosis, and pyfolio's
Gaussian daily value at risk (mean - 2 std), on return series built from ../shared/data, one with
missing returns. Writes crates/alphaseq/tests/fixtures/empyrical_perf_stats.json.

usage: python tools/oracles/empyrical_perf_stats.py [SHARED_DATA_DIR]
"""
import json
import os
import sys
from importlib.metadata import version

import empyrical as ep
import numpy as np
import pandas as pd
from scipy import stats

shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join("..", "shared", "data")
stocks = pd.read_csv(os.path.join(shared, "sp500_daily.csv.gz"), parse_dates=["date"])
gspc = pd.read_csv(os.path.join(shared, "gspc_daily.csv.gz"), parse_dates=["date"])


def adj(frame, ticker):
    return frame[frame.ticker == ticker].set_index("date").adj_close


market = adj(gspc, "^GSPC")
aapl = adj(stocks, "AAPL")["2010":].pct_change().dropna()
gappy = aapl.copy()
gappy.iloc[::37] = np.nan  # missing returns, as a strategy flat on some days
series = {
    "AAPL daily 2010-2021 vs ^GSPC": (aapl, market.pct_change(), "daily"),
    "AAPL daily with missing returns vs ^GSPC": (gappy, market.pct_change(), "daily"),
    "JPM weekly 2005-2021 vs ^GSPC": (adj(stocks, "JPM")["2005":].resample("W-FRI").last().pct_change().dropna(),
                                      market.resample("W-FRI").last().pct_change(), "weekly"),
    "XOM daily 2008 vs ^GSPC": (adj(stocks, "XOM")["2008"].pct_change().dropna(), market.pct_change(), "daily"),
    "^GSPC monthly 1990-2021 vs itself": (market["1990":].resample("ME").last().pct_change().dropna(),
                                         market.resample("ME").last().pct_change(), "monthly"),
}
factor = {"daily": 252, "weekly": 52, "monthly": 12}


def f(v):
    v = float(v)
    return None if np.isnan(v) else v


out = {"generated_by": "tools/oracles/empyrical_perf_stats.py",
       "versions": {p: version(p) for p in ["empyrical-reloaded", "scipy", "pandas", "numpy"]}, "series": []}
for name, (r, bench, period) in series.items():
    r = r.astype(float)
    b = bench.reindex(r.index).astype(float)
    clean = r.dropna()
    alpha, beta = ep.alpha_beta(r, b, period=period)
    out["series"].append({
        "name": name,
        "periods_per_year": factor[period],
        "returns": [f(v) for v in r],
        "benchmark": [f(v) for v in b],
        "expected": {
            "annual_return": f(ep.annual_return(r, period=period)),
            "cumulative_return": f(ep.cum_returns_final(r)),
            "annual_volatility": f(ep.annual_volatility(r, period=period)),
            "sharpe_ratio": f(ep.sharpe_ratio(r, period=period)),
            "max_drawdown": f(ep.max_drawdown(r)),
            "calmar_ratio": f(ep.calmar_ratio(r, period=period)),
            "stability": f(ep.stability_of_timeseries(r)),
            "omega_ratio": f(ep.omega_ratio(r)),
            "sortino_ratio": f(ep.sortino_ratio(r, period=period)),
            "skew": f(stats.skew(clean)),
            "kurtosis": f(stats.kurtosis(clean)),
            "tail_ratio": f(ep.tail_ratio(r)),
            "value_at_risk": f(ep.value_at_risk(clean)),
            "value_at_risk_gaussian": f(clean.mean() - 2 * clean.std()),
            "alpha": f(alpha),
            "beta": f(beta),
        },
    })
path = os.path.join(os.path.dirname(__file__), "..", "..", "crates", "alphaseq", "tests", "fixtures", "empyrical_perf_stats.json")
with open(path, "w") as fh:
    json.dump(out, fh, separators=(",", ":"))
print("wrote", path, [len(s["returns"]) for s in out["series"]])
