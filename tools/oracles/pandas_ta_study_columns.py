"""The columns pure-pandas pandas-ta writes for `df.ta.study("All")` (TA-Lib switched off at the
source, `cores = 0`), on AAPL 2018-2020 with adjusted OHLC from ../shared/data: what a user
without TA-Lib gets from "all pandas-ta indicators". Only the names are kept; the values of every
column alphaseq computes are checked by pandas_ta_indicators.py. The candlestick patterns that
need TA-Lib are not written on this path (pandas-ta prints "Requires TA-Lib" for each).
Writes crates/alphaseq/tests/fixtures/pandas_ta_study_columns.json.

usage: python tools/oracles/pandas_ta_study_columns.py [SHARED_DATA_DIR]
"""
import json
import os
import sys
import warnings
from contextlib import redirect_stdout
from importlib.metadata import version

import pandas as pd
import pandas_ta as ta
from pandas_ta.maps import Imports

Imports["talib"] = False
warnings.filterwarnings("ignore")
shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join("..", "shared", "data")

df = pd.read_csv(os.path.join(shared, "sp500_daily.csv.gz"))
d = df[(df.ticker == "AAPL") & (df.date >= "2018-01-01") & (df.date <= "2020-12-31")]
d = d.reset_index(drop=True)
f = d.adj_close / d.close
for c in ["open", "high", "low", "close"]:
    d[c] = d[c] * f
d = d[["date", "open", "high", "low", "close", "volume"]]
d = d.set_index(pd.DatetimeIndex(d.pop("date")))
before = list(d.columns)
d.ta.cores = 0
with open(os.devnull, "w") as quiet, redirect_stdout(quiet):
    d.ta.study("All", verbose=False)
columns = [c for c in d.columns if c not in before]

out = os.path.join(os.path.dirname(__file__), "..", "..", "crates", "alphaseq", "tests",
                   "fixtures", "pandas_ta_study_columns.json")
with open(out, "w") as fh:
    json.dump({
        "pandas_ta": version("pandas_ta"),
        "pandas": pd.__version__,
        "series": "AAPL 2018-01-01 .. 2020-12-31, adjusted OHLC, from sp500_daily.csv.gz",
        "call": 'df.ta.cores = 0; df.ta.study("All") with TA-Lib switched off at the source',
        "columns": columns,
    }, fh, indent=1)
    fh.write("\n")
print(f"{len(columns)} columns -> {out}")
