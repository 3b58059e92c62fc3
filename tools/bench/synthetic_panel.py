"""Synthetic daily bars for alphaseq's scale benchmark (docs/performance.md, "Scale"): N tickers
of geometric random walks on 5,219 weekdays (2001-01-01 .. 2020-12-31), in the long layout
`date,ticker,open,high,low,close,adj_close,volume`, gzip-compressed. Standard library only.

usage: python3 tools/bench/synthetic_panel.py N OUT.csv.gz [SEED]
"""
import datetime
import gzip
import math
import random
import sys


def weekdays(start, end):
    day = start
    while day <= end:
        if day.weekday() < 5:
            yield day.isoformat()
        day += datetime.timedelta(days=1)


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 0)
    dates = list(weekdays(datetime.date(2001, 1, 1), datetime.date(2020, 12, 31)))
    with gzip.open(out, "wt", compresslevel=1, newline="\n") as f:
        f.write("date,ticker,open,high,low,close,adj_close,volume\n")
        for k in range(n):
            ticker = f"T{k:05d}"
            price = 20.0 + 80.0 * rng.random()
            vol = 0.01 + 0.02 * rng.random()
            lines = []
            for date in dates:
                opened = price * math.exp(rng.gauss(0.0, vol / 3))
                price = opened * math.exp(rng.gauss(0.0002, vol))
                high = max(opened, price) * (1 + abs(rng.gauss(0.0, vol / 2)))
                low = min(opened, price) * (1 - abs(rng.gauss(0.0, vol / 2)))
                volume = int(1e5 * (1 + 9 * rng.random()))
                c = f"{price:.4f}"
                lines.append(f"{date},{ticker},{opened:.4f},{high:.4f},{low:.4f},{c},{c},{volume}\n")
            f.write("".join(lines))
    print(f"wrote {n} tickers x {len(dates)} weekdays to {out}")


if __name__ == "__main__":
    main()
