"""Reference values for alphaseq's classification metrics (crates/alphaseq/src/metrics/
classification.rs): scikit-learn's classification_report (output_dict), confusion_matrix,
roc_curve (drop_intermediate=True) and roc_auc_score, on up/down labels of the sample stocks'
next-day returns (2018-2020) against a probability made from their trailing 5-day return,
rounded to 2 decimals so that scores tie, with predictions `p > 0.5` and `p > 0.55`.
Writes crates/alphaseq/tests/fixtures/sklearn_classification.json.

usage: python tools/oracles/sklearn_classification.py
"""
import json
import os

import numpy as np
import pandas as pd
import sklearn
from sklearn.metrics import classification_report, confusion_matrix, roc_auc_score, roc_curve

root = os.path.join(os.path.dirname(__file__), "..", "..")
d = pd.read_csv(os.path.join(root, "data", "sample", "prices.csv.gz"), parse_dates=["date"])
px = d[d.ticker != "^GSPC"].pivot(index="date", columns="ticker", values="adj_close")["2018":"2020"]
signal = px.pct_change(5, fill_method=None)
label = (px.pct_change(fill_method=None).shift(-1) > 0).astype(float).where(px.shift(-1).notna())
prob = (1 / (1 + np.exp(-20 * signal))).round(2)
p, y = prob.to_numpy().ravel(), label.to_numpy().ravel()
ok = ~np.isnan(p) & ~np.isnan(y)
p, y = p[ok], y[ok]
out = {"generated_by": "tools/oracles/sklearn_classification.py", "sklearn": sklearn.__version__,
       "prob": p.tolist(), "label": y.tolist(), "reports": []}
for t in (0.5, 0.55):
    pred = (p > t).astype(int)
    rep = classification_report(y, pred, output_dict=True, zero_division=0)
    out["reports"].append({"threshold": t, "report": rep, "confusion": confusion_matrix(y, pred).tolist()})
fpr, tpr, thr = roc_curve(y, p)
out["roc"] = {"fpr": fpr.tolist(), "tpr": tpr.tolist(), "thresholds": [None if np.isinf(v) else float(v) for v in thr]}
out["auc"] = float(roc_auc_score(y, p))
path = os.path.join(root, "crates", "alphaseq", "tests", "fixtures", "sklearn_classification.json")
with open(path, "w") as f:
    json.dump(out, f, separators=(",", ":"))
print("wrote", path, len(p), "pairs; auc", out["auc"], "; roc points", len(fpr))
