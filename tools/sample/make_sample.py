"""Builds data/sample/ from ../shared/data: 28 S&P 500 stocks across the 11 GICS sectors plus the
S&P 500 index (^GSPC), 2005-01-03 .. 2021-04-21, values unchanged. Standard library only.

usage: python3 tools/sample/make_sample.py [SHARED_DATA_DIR]   (default ../shared/data)
"""
import csv
import gzip
import io
import os
import sys

TICKERS = ("AAPL MSFT INTC IBM JPM BAC GS AMZN MCD EBAY PG KO WMT XOM CVX JNJ PFE AMGN "
           "GE FDX CSX DUK AEP APD NEM PLD AMT CMCSA GOOGL").split()
START, END = "2005-01-01", "2021-04-21"


def rows(path, keep):
    with gzip.open(path, "rt", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        yield header
        for r in reader:
            if r[1] in keep and START <= r[0] <= END:
                yield r


def main():
    shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join("..", "shared", "data")
    out = os.path.join("data", "sample")
    os.makedirs(out, exist_ok=True)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    stocks = rows(os.path.join(shared, "sp500_daily.csv.gz"), set(TICKERS))
    w.writerow(next(stocks))
    w.writerows(stocks)
    index = rows(os.path.join(shared, "gspc_daily.csv.gz"), {"^GSPC"})
    next(index)
    w.writerows(index)
    # mtime=0 makes the gzip bytes reproducible.
    with open(os.path.join(out, "prices.csv.gz"), "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
            gz.write(buf.getvalue().encode())
    with open(os.path.join(shared, "sectors.csv"), newline="") as f, \
            open(os.path.join(out, "sectors.csv"), "w", newline="") as g:
        r = csv.reader(f)
        w2 = csv.writer(g, lineterminator="\n")
        w2.writerow(next(r))
        w2.writerows(x for x in r if x[0] in TICKERS)


if __name__ == "__main__":
    main()
