"""Reference values for alphaseq's risk models (crates/alphaseq/src/portfolio/covariance.rs) on
the five sample dates of sample_stocks.py (29 stocks, trailing 63 daily returns):

- the exponentially weighted covariance, pandas `DataFrame.ewm(halflife=21).cov()` at the last
  date (adjust=True, bias=False: pandas' own bias correction);
- the statistical factor model with 5 principal components of the sample covariance S (numpy
  `cov`, ddof 1): V = U_5 sqrt(Lambda_5) from `numpy.linalg.eigh`, the specific variance the
  diagonal of S - V V', and the model V V' + diag(specific).

Writes crates/alphaseq/tests/fixtures/risk_models.json.

usage: python tools/oracles/risk_models.py
"""
import json
import os

import numpy as np
import pandas as pd

from sample_stocks import DATES, case_of, root, window_at

HALFLIFE, FACTORS = 21.0, 5

cases = []
for date in DATES:
    tickers, X, mu, groups = window_at(date)
    p = X.shape[1]
    ewm = pd.DataFrame(X).ewm(halflife=HALFLIFE).cov().to_numpy()[-p:, :]
    S = np.cov(X, rowvar=False)
    values, vectors = np.linalg.eigh(S)
    top = np.argsort(values)[::-1][:FACTORS]
    V = vectors[:, top] * np.sqrt(values[top])
    specific = np.diag(S) - (V ** 2).sum(axis=1)
    model = V @ V.T + np.diag(specific)
    case = case_of(date, tickers, X, mu, groups)
    case.update({
        "ewm_cov": list(map(float, ewm.ravel())),
        "pca_eigenvalues": list(map(float, values[top])),
        "pca_specific": list(map(float, specific)),
        "pca_cov": list(map(float, model.ravel())),
    })
    cases.append(case)
path = os.path.join(root, "crates", "alphaseq", "tests", "fixtures", "risk_models.json")
with open(path, "w") as f:
    json.dump({"generated_by": "tools/oracles/risk_models.py", "halflife": HALFLIFE,
               "factors": FACTORS, "cases": cases}, f, separators=(",", ":"))
print("wrote", path, len(cases), "cases")
