"""Where TA-Lib has the same indicator as pandas-ta, do the two agree? Compares TA-Lib's values with
the pandas-ta pure-pandas values in the committed fixture (crates/alphaseq/tests/fixtures/
pandas_ta_indicators.json, which alphaseq equals to 1e-9) and prints, per indicator, the largest
relative difference (to the value, or to the series' mean absolute value where that is larger) over the bars where both are defined and after a settling period of 100 bars
(TA-Lib and pandas-ta start some recursions differently), plus the rows where only one is defined.
The indicator docs' "Agrees with TA-Lib ..." sentences rest on this table.

usage: python tools/oracles/talib_agreement.py
"""
import json
import os

import numpy as np
import talib

path = os.path.join("crates", "alphaseq", "tests", "fixtures", "pandas_ta_indicators.json")
fx = json.load(open(path))


def arr(v):
    return np.array([np.nan if x is None else x for x in v], dtype=float)


for s in fx["series"]:
    o, h, l, c, v = (arr(s[k]) for k in ["open", "high", "low", "close", "volume"])
    cols = {k: arr(x) for k, x in s["columns"].items()}
    pairs = {
        "SMA_10": talib.SMA(c, 10), "EMA_10": talib.EMA(c, 10), "WMA_10": talib.WMA(c, 10),
        "DEMA_10": talib.DEMA(c, 10), "TEMA_10": talib.TEMA(c, 10), "TRIMA_10": talib.TRIMA(c, 10),
        "MIDPOINT_2": talib.MIDPOINT(c, 2), "MIDPRICE_2": talib.MIDPRICE(h, l, 2),
        "HLC3": talib.TYPPRICE(h, l, c), "WCP": talib.WCLPRICE(h, l, c), "MOM_10": talib.MOM(c, 10),
        "ROC_10": talib.ROC(c, 10), "RSI_14": talib.RSI(c, 14), "MACD_12_26_9": talib.MACD(c, 12, 26, 9)[0],
        "WILLR_14": talib.WILLR(h, l, c, 14), "CCI_14_0.015": talib.CCI(h, l, c, 14),
        "AROOND_14": talib.AROON(h, l, 14)[0], "AROONU_14": talib.AROON(h, l, 14)[1],
        "ATRr_14": talib.ATR(h, l, c, 14), "NATR_14": talib.NATR(h, l, c, 14),
        "TRUERANGE_1": talib.TRANGE(h, l, c), "ADX_14": talib.ADX(h, l, c, 14),
        "MFI_14": talib.MFI(h, l, c, v, 14), "OBV": talib.OBV(c, v), "AD": talib.AD(h, l, c, v),
        "ADOSC_3_10": talib.ADOSC(h, l, c, v, 3, 10), "BOP": talib.BOP(o, h, l, c), "CMO_14": talib.CMO(c, 14),
        "APO_12_26": talib.APO(c, 12, 26), "PPO_12_26_9": talib.PPO(c, 12, 26),
        "TRIX_30_9": talib.TRIX(c, 30), "UO_7_14_28": talib.ULTOSC(h, l, c, 7, 14, 28),
        "LINREG_14": talib.LINEARREG(c, 14), "STDEV_30": talib.STDDEV(c, 30) * np.sqrt(30 / 29),
        "VAR_30": talib.VAR(c, 30) * 30 / 29, "BBL_5_2.0_2.0": talib.BBANDS(c, 5, 2, 2)[2],
        "STOCHk_14_3_3": talib.STOCH(h, l, c, 14, 3, 0, 3, 0)[0], "PSARl_0.02_0.2": None,
        "DPO_20": None, "KCLe_20_2": None,
    }
    print(f"== {s['name']}")
    for col, ta_v in pairs.items():
        if ta_v is None or col not in cols:
            continue
        ours = cols[col]
        both = ~np.isnan(ours) & ~np.isnan(ta_v)
        settled = both.copy()
        settled[:100] = False
        # relative to the value, or to the series' typical size for oscillators crossing zero
        scale = np.maximum(np.abs(ta_v[settled]), np.nanmean(np.abs(ta_v[settled])) if settled.any() else 1.0)
        rel = np.abs(ours - ta_v)[settled] / np.maximum(scale, 1e-300)
        only = int((np.isnan(ours) != np.isnan(ta_v)).sum())
        worst = rel.max() if rel.size else float("nan")
        verdict = "agree" if worst <= 1e-9 else ("agree to 1e-6" if worst <= 1e-6 else "DIFFER")
        print(f"{col:16s} max rel diff {worst:9.2e}  rows defined in one only {only:3d}  {verdict}")
