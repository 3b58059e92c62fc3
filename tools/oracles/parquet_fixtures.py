"""Parquet files of daily bars written the way Python users write them, for alphaseq's Parquet
reader tests: pyarrow with snappy (pandas' default) and DATE32 dates, and zstd (polars' default)
with string dates and upper-case Yahoo-style column names, and pandas' own `to_parquet` of
datetime64[ns] dates (timestamp[ns], what pandas before 3.0 writes). Data: the first 30 rows of
AAPL and MSFT in 2020 from ../shared/data. Writes crates/alphaseq/tests/fixtures/
prices_{snappy,zstd,ns}.parquet and their CSV equivalent prices_parquet_source.csv.

usage: python tools/oracles/parquet_fixtures.py [SHARED_DATA_DIR]
"""
import os
import sys

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join("..", "shared", "data")
df = pd.read_csv(os.path.join(shared, "sp500_daily.csv.gz"))
df = df[df.ticker.isin(["AAPL", "MSFT"]) & (df.date >= "2020-01-01")].groupby("ticker").head(30)
fixtures = os.path.join("crates", "alphaseq", "tests", "fixtures")
df.to_csv(os.path.join(fixtures, "prices_parquet_source.csv"), index=False)

snappy = df.copy()
snappy["date"] = pd.to_datetime(snappy["date"]).dt.date
table = pa.Table.from_pandas(snappy, preserve_index=False)
pq.write_table(table, os.path.join(fixtures, "prices_snappy.parquet"), compression="snappy")

yahoo = df.rename(columns={"date": "Date", "ticker": "Symbol", "open": "Open", "high": "High", "low": "Low",
                           "close": "Close", "adj_close": "Adj Close", "volume": "Volume"})
pq.write_table(pa.Table.from_pandas(yahoo, preserve_index=False), os.path.join(fixtures, "prices_zstd.parquet"),
               compression="zstd")
nanos = df.copy()
nanos["date"] = pd.to_datetime(nanos["date"])  # datetime64[ns]
nanos.to_parquet(os.path.join(fixtures, "prices_ns.parquet"), index=False, coerce_timestamps=None,
                 allow_truncated_timestamps=False)
assert str(pq.read_schema(os.path.join(fixtures, "prices_ns.parquet")).field("date").type) == "timestamp[ns]"
print("wrote", fixtures)
