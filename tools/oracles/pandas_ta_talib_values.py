"""What a pandas-ta user with TA-Lib installed gets: every column of `df.ta.study("All")` (cores 0)
whose values change when TA-Lib is switched on (and the direct ones below, changed or not) (pandas-ta's default `talib=True` calls TA-Lib's
function where TA-Lib has the indicator, and TA-Lib's building blocks, such as its EMA or ATR,
inside indicators that use them), and TA-Lib's 61 candlestick patterns (`CDL_*`, which pandas-ta
offers only through TA-Lib), on the series of pandas_ta_study_values.py. The reference for
alphaseq's `convention = "talib"`.

Where pandas-ta returns a TA-Lib function's output unchanged, this script checks that the column
equals the function's own values (TA-Lib's Python package called directly), so the fixture is
TA-Lib's as much as pandas-ta's; `direct` lists those columns with the call.
Writes crates/alphaseq/tests/fixtures/pandas_ta_talib_values.json.gz (mtime 0).

usage: python tools/oracles/pandas_ta_talib_values.py [SHARED_DATA_DIR]
"""
import io
import os
import sys
import warnings
from contextlib import redirect_stdout
from importlib.metadata import version

import numpy as np
import pandas as pd
import pandas_ta  # noqa: F401 (registers the .ta accessor)
import talib
from pandas_ta.maps import Imports

import pandas_ta_indicators
from pandas_ta_study_values import SERIES, series_record, write_gz

warnings.filterwarnings("ignore")
shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join("..", "shared", "data")


def direct(o, h, l, c, v):
    """pandas-ta's columns that are a TA-Lib function's output as it is, with that function."""
    macd = talib.MACD(c, 12, 26, 9)
    stoch = talib.STOCH(h, l, c, 14, 3, 0, 3, 0)
    bb = talib.BBANDS(c, 5, 2.0, 2.0, 0)
    return {
        "ADOSC_3_10": ("ADOSC(h, l, c, v, 3, 10)", talib.ADOSC(h, l, c, v, 3, 10)),
        "OBV": ("OBV(c, v)", talib.OBV(c, v)),
        "ATRr_14": ("ATR(h, l, c, 14)", talib.ATR(h, l, c, 14)),
        "NATR_14": ("NATR(h, l, c, 14)", talib.NATR(h, l, c, 14)),
        "TRUERANGE_1": ("TRANGE(h, l, c)", talib.TRANGE(h, l, c)),
        "BBL_5_2.0_2.0": ("BBANDS(c, 5, 2, 2, SMA)[2]", bb[2]),
        "BBU_5_2.0_2.0": ("BBANDS(c, 5, 2, 2, SMA)[0]", bb[0]),
        "CCI_14_0.015": ("CCI(h, l, c, 14)", talib.CCI(h, l, c, 14)),
        "CMO_14": ("CMO(c, 14)", talib.CMO(c, 14)),
        "DEMA_10": ("DEMA(c, 10)", talib.DEMA(c, 10)),
        "TEMA_10": ("TEMA(c, 10)", talib.TEMA(c, 10)),
        "TRIMA_10": ("TRIMA(c, 10)", talib.TRIMA(c, 10)),
        "T3_10_0.7": ("T3(c, 10, 0.7)", talib.T3(c, 10, 0.7)),
        "MACD_12_26_9": ("MACD(c, 12, 26, 9)[0]", macd[0]),
        "MACDs_12_26_9": ("MACD(c, 12, 26, 9)[1]", macd[1]),
        "MACDh_12_26_9": ("MACD(c, 12, 26, 9)[2]", macd[2]),
        "RSI_14": ("RSI(c, 14)", talib.RSI(c, 14)),
        "STDEV_30": ("STDDEV(c, 30)", talib.STDDEV(c, 30)),
        "VAR_30": ("VAR(c, 30)", talib.VAR(c, 30)),
        "STOCHk_14_3_3": ("STOCH(h, l, c, 14, 3, SMA, 3, SMA)[0]", stoch[0]),
        "STOCHFk_14_3": ("STOCHF(h, l, c, 14, 3, SMA)[0]", talib.STOCHF(h, l, c, 14, 3, 0)[0]),
        "UO_7_14_28": ("ULTOSC(h, l, c, 7, 14, 28)", talib.ULTOSC(h, l, c, 7, 14, 28)),
        "WCP": ("WCLPRICE(h, l, c)", talib.WCLPRICE(h, l, c)),
        "MAMA_0.5_0.05": ("MAMA(c, 0.5, 0.05)[0]", talib.MAMA(c, 0.5, 0.05)[0]),
        "FAMA_0.5_0.05": ("MAMA(c, 0.5, 0.05)[1]", talib.MAMA(c, 0.5, 0.05)[1]),
        "HT_TL": ("HT_TRENDLINE(c)", talib.HT_TRENDLINE(c)),
    }


def study(frame, with_talib):
    Imports["talib"] = with_talib
    f = frame.copy()
    f.ta.cores = 0
    with redirect_stdout(io.StringIO()):
        f.ta.study("All", verbose=False)
    return f


def main():
    out = {"generated_by": "tools/oracles/pandas_ta_talib_values.py", "pandas_ta": version("pandas-ta"),
           "talib": talib.__version__, "ta_lib_c": talib.__ta_version__.decode() if isinstance(talib.__ta_version__, bytes) else str(talib.__ta_version__),
           "call": 'df.ta.cores = 0; df.ta.study("All") with TA-Lib on; columns that change, and CDL_*',
           "series": []}
    for name, path, ticker, start, end, adjust in SERIES:
        pandas_ta_indicators.shared = shared
        d = pandas_ta_indicators.load(path, ticker, start, end, adjust)[["date", "open", "high", "low", "close", "volume"]]
        frame = d.set_index(pd.DatetimeIndex(d.date)).drop(columns="date")
        before = set(frame.columns)
        off, on = study(frame, False), study(frame, True)
        arrays = [frame[k].to_numpy(dtype=float) for k in ["open", "high", "low", "close", "volume"]]
        calls = direct(*arrays)
        cols = {}
        for c in on.columns:
            if c in before:
                continue
            y = on[c].to_numpy(dtype=float)
            if c in off.columns and c not in calls:
                x = off[c].to_numpy(dtype=float)
                if np.array_equal(np.isnan(x), np.isnan(y)) and np.array_equal(x[~np.isnan(x)], y[~np.isnan(y)]):
                    continue
            cols[c] = y
        for col, (call, values) in calls.items():
            ours = cols[col]
            same = np.array_equal(np.isnan(ours), np.isnan(values)) and np.array_equal(
                ours[~np.isnan(ours)], values[~np.isnan(values)])
            assert same, f"{name} {col}: pandas-ta with TA-Lib is not talib.{call}"
        record = series_record(name, d, cols)
        record["direct"] = {col: call for col, (call, _) in calls.items()}
        out["series"].append(record)
        print(name, len(cols), "columns,", sum(c.startswith("CDL_") for c in cols), "candle patterns,", len(calls), "direct")
    write_gz("pandas_ta_talib_values.json.gz", out)


if __name__ == "__main__":
    main()
