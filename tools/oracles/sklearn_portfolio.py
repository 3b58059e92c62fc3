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
from sklearn.covariance import LedoitWolf

from sample_stocks import DATES, case_of, kkt, root, window_at


cases = []
for date in DATES:
    tickers, X, mu, groups = window_at(date)
    sample = np.cov(X, rowvar=False)
    lw = LedoitWolf().fit(X)
    case = case_of(date, tickers, X, mu, groups)
    case.update({
        "sample_cov": list(map(float, sample.ravel())),
        "lw_cov": list(map(float, lw.covariance_.ravel())),
        "lw_shrinkage": float(lw.shrinkage_),
    })
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
