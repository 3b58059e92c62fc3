"""Reference values for alphaseq's rolling statistics and calendar aggregation
(crates/alphaseq/src/metrics/rolling.rs): empyrical-reloaded roll_sharpe_ratio,
roll_annual_volatility and roll_beta over 126 days, and aggregate_returns monthly and yearly,
on AAPL's daily returns 2016-2021 against ^GSPC (../shared/data), with some returns missing.
Writes crates/alphaseq/tests/fixtures/empyrical_rolling.json.

usage: python tools/oracles/empyrical_rolling.py [SHARED_DATA_DIR]
"""
import json
import os
import sys

import empyrical as ep
import numpy as np
import pandas as pd

shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join("..", "shared", "data")
stocks = pd.read_csv(os.path.join(shared, "sp500_daily.csv.gz"), parse_dates=["date"])
gspc = pd.read_csv(os.path.join(shared, "gspc_daily.csv.gz"), parse_dates=["date"])
adj = lambda frame, t: frame[frame.ticker == t].set_index("date").adj_close
r = adj(stocks, "AAPL")["2015-12-01":].pct_change().dropna()["2016":]
r.iloc[5::41] = np.nan
m = adj(gspc, "^GSPC").pct_change().reindex(r.index)
W = 126


def f(v):
    v = float(v)
    return None if np.isnan(v) else v


pad = lambda x: [None] * (W - 1) + [f(v) for v in np.asarray(x)]
out = {
    "generated_by": "tools/oracles/empyrical_rolling.py",
    "window": W,
    "dates": [str(d.date()) for d in r.index],
    "returns": [f(v) for v in r],
    "benchmark": [f(v) for v in m],
    "roll_sharpe": pad(ep.roll_sharpe_ratio(r, W)),
    "roll_volatility": pad(ep.roll_annual_volatility(r, W)),
    "roll_beta": pad(ep.roll_beta(r, m, W)),
    "monthly": [[int(k[0]), int(k[1]), f(v)] for k, v in ep.aggregate_returns(r, "monthly").items()],
    "yearly": [[int(k), 0, f(v)] for k, v in ep.aggregate_returns(r, "yearly").items()],
}
path = os.path.join(os.path.dirname(__file__), "..", "..", "crates", "alphaseq", "tests", "fixtures",
                    "empyrical_rolling.json")
with open(path, "w") as fh:
    json.dump(out, fh, separators=(",", ":"))
print("wrote", path, len(r), "returns")
