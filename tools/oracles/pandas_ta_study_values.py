"""Values of every column pure-pandas pandas-ta writes for `df.ta.study("All")` (TA-Lib switched
off at the source, `cores = 0`), on real series of ../shared/data: the reference for the
indicators alphaseq computes beyond pandas_ta_indicators.py's explicit calls, with pandas-ta's
default parameters exactly as "all indicators" runs them. Series: AAPL 2018-2020 and XOM
2007-2009 with adjusted OHLC (adj_close / close factor), and ^GSPC 1950-1951, where open = high
= low = close. A series that pandas_ta_indicators.json does not hold also gets that script's
explicit calls (the columns study("All") does not write, such as the performance family, and
the non-default parameters); columns already in pandas_ta_indicators.json are not repeated. NaN
is null.
Two names are written twice by study("All"): DMP_14 and DMN_14, first by `adx` (its +DI and
-DI) and then by `dm` (the smoothed directional movements), which overwrites them; alphaseq's
DMP_14 and DMN_14 are ADX's, so the values kept here for them are `ta.adx`'s (from the explicit
calls, as the non-centred DPO_20). pandas-ta's default, centred DPO_20 (look-ahead, which
alphaseq offers only under `features.look_ahead = "allow"`) is kept as "DPO_20 (centered)".
Writes crates/alphaseq/tests/fixtures/pandas_ta_study_values.json.gz.

usage: python tools/oracles/pandas_ta_study_values.py [SHARED_DATA_DIR]
"""
import gzip
import json
import os
import sys
import warnings
from contextlib import redirect_stdout
from importlib.metadata import version

import numpy as np
import pandas as pd
import pandas_ta  # noqa: F401 (registers the .ta accessor)
from pandas_ta.maps import Imports

import pandas_ta_indicators

Imports["talib"] = False
warnings.filterwarnings("ignore")
shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join("..", "shared", "data")
fixtures = os.path.join(os.path.dirname(__file__), "..", "..", "crates", "alphaseq", "tests", "fixtures")


SERIES = [
    ("AAPL 2018-2020 adjusted", "sp500_daily.csv.gz", "AAPL", "2018-01-01", "2020-12-31", True),
    ("^GSPC 1950-1951 (open = high = low = close)", "gspc_daily.csv.gz", "^GSPC", "1950-01-01", "1951-12-31", False),
    ("XOM 2007-2009 adjusted", "sp500_daily.csv.gz", "XOM", "2007-01-01", "2009-12-31", True),
]


def series_record(name, d, cols):
    """A fixture series: its bars, and `cols` (NaN as null)."""
    return {
        "name": name,
        "dates": d.date.tolist(),
        **{k: d[k].astype(float).tolist() for k in ["open", "high", "low", "close", "volume"]},
        "columns": {c: [None if np.isnan(v) else float(v) for v in values] for c, values in cols.items()},
    }


def write_gz(name, out):
    """Writes `out` as tests/fixtures/NAME, gzipped with mtime 0 (the same values, the same bytes)."""
    path = os.path.join(fixtures, name)
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as gz:
        gz.write(json.dumps(out).encode())
    print("wrote", path)


def load(path, ticker, start, end, adjust):
    pandas_ta_indicators.shared = shared
    d = pandas_ta_indicators.load(path, ticker, start, end, adjust)
    return d[["date", "open", "high", "low", "close", "volume"]]


def main():
    with open(os.path.join(fixtures, "pandas_ta_indicators.json")) as fh:
        explicit = json.load(fh)
    out = {"generated_by": "tools/oracles/pandas_ta_study_values.py", "pandas_ta": version("pandas-ta"),
           "pandas": pd.__version__, "call": 'df.ta.cores = 0; df.ta.study("All"), TA-Lib off', "series": []}
    for name, path, ticker, start, end, adjust in SERIES:
        d = load(path, ticker, start, end, adjust)
        frame = d.set_index(pd.DatetimeIndex(d.date)).drop(columns="date")
        before = list(frame.columns)
        frame.ta.cores = 0
        with open(os.devnull, "w") as quiet, redirect_stdout(quiet):
            frame.ta.study("All", verbose=False)
        known = next((s["columns"] for s in explicit["series"] if s["name"] == name), None)
        cols = {c: frame[c].to_numpy(dtype=float) for c in frame.columns if c not in before}
        if known is None:
            # the explicit calls win where both write a column: DPO_20 (centred in study("All"))
            # and the OVERWRITTEN ones
            for s in pandas_ta_indicators.indicators(d):
                for col, values in (s.to_frame() if isinstance(s, pd.Series) else s).items():
                    cols[col] = values.to_numpy(dtype=float)
        else:
            cols = {c: v for c, v in cols.items() if c not in known}
        cols["DPO_20 (centered)"] = frame.ta.dpo(centered=True, append=False).to_numpy(dtype=float)
        out["series"].append(series_record(name, d, cols))
        print(name, len(cols), "columns")
    write_gz("pandas_ta_study_values.json.gz", out)


if __name__ == "__main__":
    main()
