"""Reference values for alphaseq's information coefficients and quantile returns
(crates/alphaseq/src/metrics/ic.rs): a momentum forecast (each stock's trailing 21-day return)
against the next day's return across the 29 sample stocks (data/sample), 2019-2020. Per date:
scipy spearmanr and pearsonr; pandas qcut(pred, 5 and 10, labels=False, duplicates="drop") mean
returns per bin; overall Spearman over every pair; IC mean, std (ddof 1), ICIR, t-stat; 20-day
rolling mean IC; scipy linregress of the pooled realised returns on the predictions (slope,
intercept, rvalue**2, slope/stderr). A few predictions are tied or missing on purpose.
Writes crates/alphaseq/tests/fixtures/scipy_ic.json.

usage: python tools/oracles/scipy_ic.py
"""
import json
import os

import numpy as np
import pandas as pd
from scipy import stats

root = os.path.join(os.path.dirname(__file__), "..", "..")
d = pd.read_csv(os.path.join(root, "data", "sample", "prices.csv.gz"), parse_dates=["date"])
d = d[d.ticker != "^GSPC"]
px = d.pivot(index="date", columns="ticker", values="adj_close")
pred = px.pct_change(21, fill_method=None)
real = px.pct_change(fill_method=None).shift(-1)
pred, real = pred["2019":"2020"], real["2019":"2020"]
pred = pred.round(3)  # ties, as coarse signals have
pred.iloc[::50, 3] = np.nan  # missing predictions

dates, ic_s, ic_p, q5, q10 = [], [], [], [], []
all_p, all_r = [], []
for t in pred.index:
    p, r = pred.loc[t].to_numpy(), real.loc[t].to_numpy()
    ok = ~np.isnan(p) & ~np.isnan(r)
    dates.append({"pred": [None if np.isnan(v) else float(v) for v in p],
                  "real": [None if np.isnan(v) else float(v) for v in r]})
    ic_s.append(float(stats.spearmanr(p[ok], r[ok])[0]))
    ic_p.append(float(stats.pearsonr(p[ok], r[ok])[0]))
    all_p.extend(p[ok]); all_r.extend(r[ok])
    for q, store in ((5, q5), (10, q10)):
        bins = pd.qcut(pd.Series(p[ok]), q, labels=False, duplicates="drop")
        store.append(pd.Series(r[ok]).groupby(bins.to_numpy()).mean())
ics = pd.Series(ic_s)
reg = stats.linregress(all_p, all_r)
out = {
    "generated_by": "tools/oracles/scipy_ic.py",
    "dates": dates,
    "spearman": ic_s,
    "pearson": ic_p,
    "overall_spearman": float(stats.spearmanr(all_p, all_r)[0]),
    "summary": {"mean": float(ics.mean()), "std": float(ics.std()), "icir": float(ics.mean() / ics.std()),
                "t_stat": float(ics.mean() / ics.std() * np.sqrt(len(ics)))},
    "linregress": {"slope": float(reg.slope), "intercept": float(reg.intercept),
                   "r2": float(reg.rvalue ** 2), "t_stat": float(reg.slope / reg.stderr)},
    "rolling_20": [None if np.isnan(v) else float(v) for v in ics.rolling(20).mean()],
    "quintiles": [float(v) for v in pd.concat(q5, axis=1).mean(axis=1).sort_index()],
    "deciles": [float(v) for v in pd.concat(q10, axis=1).mean(axis=1).sort_index()],
}
path = os.path.join(root, "crates", "alphaseq", "tests", "fixtures", "scipy_ic.json")
with open(path, "w") as f:
    json.dump(out, f, separators=(",", ":"))
print("wrote", path, len(dates), "dates")
