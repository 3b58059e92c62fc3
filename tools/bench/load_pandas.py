"""The pandas way to do what `alphaseq data check` times: read the gzipped long CSV and pivot it
into a dates x tickers panel of each field. Prints the median wall time of 3 runs.

usage: python tools/bench/load_pandas.py ../shared/data/sp500_daily.csv.gz
"""
import sys
import time

import pandas as pd

path = sys.argv[1]
times = []
for _ in range(3):
    t0 = time.perf_counter()
    df = pd.read_csv(path, parse_dates=["date"])
    panel = {c: df.pivot(index="date", columns="ticker", values=c) for c in ["open", "high", "low", "close", "adj_close", "volume"]}
    times.append(time.perf_counter() - t0)
times.sort()
print(f"RESULT engine=pandas-{pd.__version__} rows={len(df)} tickers={df.ticker.nunique()} dates={len(panel['close'])} load_seconds={times[1]:.2f}")
