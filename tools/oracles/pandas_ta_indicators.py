"""pandas-ta reference values for alphaseq's indicator catalogue, on its pure-pandas path: TA-Lib
switched off at the source (as for a user without TA-Lib), `talib` flags at their defaults except
where passing talib=False changes nothing. Series from ../shared/data: AAPL 2018-2020 with adjusted OHLC (adj_close/close
factor), and ^GSPC 1950-1951, where open = high = low = close (pandas-ta's high == low epsilon).
Writes crates/alphaseq/tests/fixtures/pandas_ta_indicators.json; NaN is written as null.

usage: python tools/oracles/pandas_ta_indicators.py [SHARED_DATA_DIR]
"""
import json
import os
import sys
import warnings
from importlib.metadata import version

import numpy as np
import pandas as pd
import pandas_ta as ta
from pandas_ta.maps import Imports

# The pure-pandas path everywhere: some pandas-ta indicators (zlma, aberration) call TA-Lib-backed
# helpers without passing talib=False on, so TA-Lib is switched off at the source.
Imports["talib"] = False

warnings.filterwarnings("ignore")
shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join("..", "shared", "data")


def load(path, ticker, start, end, adjust):
    df = pd.read_csv(os.path.join(shared, path))
    df = df[(df.ticker == ticker) & (df.date >= start) & (df.date <= end)].reset_index(drop=True)
    if adjust:
        f = df.adj_close / df.close
        for c in ["open", "high", "low", "close"]:
            df[c] = df[c] * f
    df["volume"] = df["volume"].fillna(0.0)
    return df


def indicators(d):
    o, h, l, c = d.open, d.high, d.low, d.close
    return [
        ta.hl2(h, l), ta.hlc3(h, l, c, talib=False), ta.ohlc4(o, h, l, c), ta.wcp(h, l, c, talib=False),
        ta.sma(c, 10, talib=False), ta.wma(c, 10, talib=False), ta.ema(c, 10, talib=False),
        ta.log_return(c, 1), ta.percent_return(c, 1), ta.mom(c, 10, talib=False), ta.roc(c, 10, talib=False),
        ta.zscore(c, 30, talib=False), ta.true_range(h, l, c, talib=False), ta.atr(h, l, c, 14, talib=False),
        ta.rsi(c, 14, talib=False), ta.macd(c, 12, 26, 9, talib=False), ta.dpo(c, 20, centered=False),
        ta.obv(c, d.volume, talib=False), ta.natr(h, l, c, 14, talib=False), ta.bbands(c, 5, 2.0, 2.0, talib=False),
        ta.willr(h, l, c, 14, talib=False), ta.cci(h, l, c, 14, talib=False), ta.stoch(h, l, c, talib=False),
        ta.slope(c, 1), ta.aroon(h, l, 14, talib=False), ta.mfi(h, l, c, d.volume, 14, talib=False),
        ta.vwma(c, d.volume, 10), ta.zlma(c, 10), ta.vortex(h, l, c, 14), ta.aberration(h, l, c, 5, 15), ta.cti(c, 12),
        ta.adx(h, l, c, 14), ta.supertrend(h, l, c, length=7, multiplier=3.0),
        ta.hilo(h, l, c, high_length=13, low_length=21), ta.psar(h, l, c, af0=0.02, af=0.02, max_af=0.2),
        ta.variance(c, 30), ta.stdev(c, 30), ta.median(c, 30), ta.skew(c, 30), ta.kurtosis(c, 30),
        ta.cmo(c, 14), ta.bop(o, h, l, c), ta.dema(c, 10), ta.tema(c, 10), ta.midpoint(c, 2), ta.midprice(h, l, 2),
        ta.trima(c, 10), ta.ad(h, l, c, d.volume), ta.adosc(h, l, c, d.volume), ta.cmf(h, l, c, d.volume),
        ta.efi(c, d.volume), ta.pvt(c, d.volume), ta.ao(h, l), ta.apo(c), ta.ppo(c), ta.bias(c), ta.trix(c),
        ta.uo(h, l, c), ta.er(c), ta.vidya(c, 14), ta.qqe(c),
        ta.rma(c), ta.hma(c), ta.linreg(c), ta.kc(h, l, c), ta.donchian(h, l), ta.ui(c), ta.massi(h, l),
        ta.pvo(d.volume), ta.eom(h, l, c, d.volume), ta.chop(h, l, c), ta.qstick(o, c), ta.vhf(c), ta.mad(c),
        ta.entropy(c), ta.drawdown(c), ta.ha(o, h, l, c), ta.coppock(c), ta.tsi(c), ta.pgo(h, l, c), ta.psl(c), ta.cfo(c),
        # VWAP needs the dates as a DatetimeIndex; every anchor alphaseq offers
        *[ta.vwap(*[x.set_axis(pd.DatetimeIndex(d.date)) for x in (h, l, c, d.volume)], anchor=a) for a in "DWMQY"],
        # non-default parameters, as an experiment file sets them ({ kind = "rsi", length = 21 }, ...)
        ta.rsi(c, 21, talib=False), ta.macd(c, 8, 21, 5, talib=False), ta.bbands(c, 20, 2.5, 2.5, talib=False),
        ta.stoch(h, l, c, k=9, d=4, smooth_k=2, talib=False), ta.supertrend(h, l, c, length=10, multiplier=2.5),
        ta.kc(h, l, c, length=10, scalar=1.5), ta.cci(h, l, c, 30, c=0.02, talib=False), ta.sma(c, 50, talib=False),
    ]


def main():
    out = {"generated_by": "tools/oracles/pandas_ta_indicators.py", "pandas_ta": version("pandas-ta"), "pandas": pd.__version__, "series": []}
    for name, path, ticker, start, end, adjust in [
        ("AAPL 2018-2020 adjusted", "sp500_daily.csv.gz", "AAPL", "2018-01-01", "2020-12-31", True),
        ("^GSPC 1950-1951 (open = high = low = close)", "gspc_daily.csv.gz", "^GSPC", "1950-01-01", "1951-12-31", False),
    ]:
        d = load(path, ticker, start, end, adjust)
        cols = {}
        for s in indicators(d):
            frame = s.to_frame() if isinstance(s, pd.Series) else s
            for col in frame.columns:
                cols[col] = [None if np.isnan(v) else float(v) for v in frame[col].to_numpy(dtype=float)]
        out["series"].append({
            "name": name,
            "dates": d.date.tolist(),
            **{k: d[k].astype(float).tolist() for k in ["open", "high", "low", "close", "volume"]},
            "columns": cols,
        })
    path = os.path.join("crates", "alphaseq", "tests", "fixtures", "pandas_ta_indicators.json")
    with open(path, "w") as f:
        json.dump(out, f)
    print("wrote", path, [len(s["close"]) for s in out["series"]])


if __name__ == "__main__":
    main()
