"""Reference values for alphaseq's scalers (crates/alphaseq/src/dataset/scale.rs): scikit-learn's
StandardScaler, MinMaxScaler and RobustScaler fitted on the first 400 rows of a feature frame built
from real series (AAPL 2015-2017 from ../shared/data: 1-day and 21-day returns, 21-day volatility,
log volume) and applied to all rows, so the later rows fall outside the training range.
Writes crates/alphaseq/tests/fixtures/sklearn_scalers.json.

usage: python tools/oracles/sklearn_scalers.py [SHARED_DATA_DIR]
"""
import json
import os
import sys

import numpy as np
import pandas as pd
import sklearn
from sklearn.preprocessing import MinMaxScaler, RobustScaler, StandardScaler

shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join("..", "shared", "data")
d = pd.read_csv(os.path.join(shared, "sp500_daily.csv.gz"))
d = d[(d.ticker == "AAPL") & (d.date >= "2015-01-01") & (d.date <= "2017-12-31")].reset_index(drop=True)
p = d.adj_close
X = pd.DataFrame({
    "ret_1": p.pct_change(),
    "ret_21": p.pct_change(21),
    "vol_21": p.pct_change().rolling(21).std(),
    "log_volume": np.log(d.volume),
}).dropna().to_numpy()
train = 400
out = {"generated_by": "tools/oracles/sklearn_scalers.py", "sklearn": sklearn.__version__,
       "train_rows": train, "x": X.tolist(), "scaled": {}}
for name, scaler in [("standard", StandardScaler()), ("min_max", MinMaxScaler()), ("robust", RobustScaler())]:
    out["scaled"][name] = scaler.fit(X[:train]).transform(X).tolist()
path = os.path.join(os.path.dirname(__file__), "..", "..", "crates", "alphaseq", "tests", "fixtures", "sklearn_scalers.json")
with open(path, "w") as f:
    json.dump(out, f, separators=(",", ":"))
print("wrote", path, X.shape)
