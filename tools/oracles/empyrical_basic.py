"""Reference values for alphaseq's headline metrics, from empyrical-reloaded and scikit-learn, on
return series built from ../shared/data. Writes crates/alphaseq/tests/fixtures/empyrical_basic.json.

usage: python tools/oracles/empyrical_basic.py [SHARED_DATA_DIR]
"""
import json
import os
import sys
from importlib.metadata import version

import empyrical as ep
import numpy as np
import pandas as pd
from sklearn.metrics import mean_squared_error, r2_score

shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join("..", "shared", "data")
stocks = pd.read_csv(os.path.join(shared, "sp500_daily.csv.gz"), parse_dates=["date"])
gspc = pd.read_csv(os.path.join(shared, "gspc_daily.csv.gz"), parse_dates=["date"])


def adj(frame, ticker):
    return frame[frame.ticker == ticker].set_index("date").adj_close


series = {
    "AAPL daily 2010-2021": (adj(stocks, "AAPL")["2010":].pct_change().dropna(), "daily"),
    "^GSPC daily 2000-2021": (adj(gspc, "^GSPC")["2000":].pct_change().dropna(), "daily"),
    "JPM weekly 2005-2021": (adj(stocks, "JPM")["2005":].resample("W-FRI").last().pct_change().dropna(), "weekly"),
    "^GSPC monthly 1990-2021": (adj(gspc, "^GSPC")["1990":].resample("ME").last().pct_change().dropna(), "monthly"),
    "XOM daily 2008 (a crash year)": (adj(stocks, "XOM")["2008"].pct_change().dropna(), "daily"),
}
factor = {"daily": 252, "weekly": 52, "monthly": 12}

out = {
    "generated_by": "tools/oracles/empyrical_basic.py",
    "versions": {p: version(p) for p in ["empyrical-reloaded", "scikit-learn", "pandas", "numpy"]},
    "series": [],
    "forecast": [],
}
for name, (r, period) in series.items():
    r = r.astype(float)
    out["series"].append({
        "name": name,
        "periods_per_year": factor[period],
        "returns": r.tolist(),
        "expected": {
            "annual_return": float(ep.annual_return(r, period=period)),
            "cum_returns_final": float(ep.cum_returns_final(r)),
            "annual_volatility": float(ep.annual_volatility(r, period=period)),
            "sharpe_ratio": float(ep.sharpe_ratio(r, period=period)),
            "max_drawdown": float(ep.max_drawdown(r)),
        },
    })

# Forecast metrics: predict AAPL's next-day return with a shrunk copy of today's return.
r = series["AAPL daily 2010-2021"][0].to_numpy()
pred, real = 0.1 * r[:-1] - 0.0002, r[1:]
out["forecast"].append({
    "name": "AAPL next-day return from 0.1 x today's return",
    "pred": pred.tolist(),
    "real": real.tolist(),
    "mse": float(mean_squared_error(real, pred)),
    "r2": float(r2_score(real, pred)),
})

path = os.path.join("crates", "alphaseq", "tests", "fixtures", "empyrical_basic.json")
with open(path, "w") as f:
    json.dump(out, f)
print("wrote", path)
