"""Reference books for alphaseq's `rule = "topk_dropout"` (crates/alphaseq/src/strategy/topk.rs):
Qlib's TopkDropoutStrategy.generate_trade_decision (qlib 0.9.7,
qlib/contrib/strategy/signal_strategy.py, only_tradable=False, method_buy="top",
method_sell="bottom", hold_thresh=1), its selection lines taken as they are, run on a book of
weights without price drift (as alphaseq's ledger keeps it) and without costs in the cash (the
ledger books them): the scores are the sample stocks' 21-day returns (sample_stocks.py) over
250 days from 2010-01-04, some of them removed (NaN) to exercise the held names that lose
their score. Qlib itself needs its data server to run a strategy, so the strategy's pandas
code is run here on the scores directly.

Writes crates/alphaseq/tests/fixtures/qlib_topk.json.

usage: python tools/oracles/qlib_topk.py
"""
import json
import os

import numpy as np
import pandas as pd

from sample_stocks import mom, root

TOPK, N_DROP, RISK_DEGREE, DAYS = 8, 2, 0.95, 250

scores = mom.loc["2010-01-04":].iloc[:DAYS].copy()
tickers = list(scores.columns)
# a few scores missing: name k on the days where (k + day) % 17 == 0
for d in range(DAYS):
    for k in range(len(tickers)):
        if (k + d) % 17 == 0:
            scores.iat[d, k] = np.nan


def get_first_n(li, n):
    return list(li)[:n]


def get_last_n(li, n):
    return list(li)[-n:]


held = {}
cash = 1.0
books = []
for d in range(DAYS):
    pred_score = scores.iloc[d].dropna()
    current_stock_list = list(held)
    # --- qlib 0.9.7 TopkDropoutStrategy.generate_trade_decision ---
    last = pred_score.reindex(current_stock_list).sort_values(ascending=False).index
    today = get_first_n(
        pred_score[~pred_score.index.isin(last)].sort_values(ascending=False).index,
        N_DROP + TOPK - len(last),
    )
    comb = pred_score.reindex(last.union(pd.Index(today))).sort_values(ascending=False).index
    sell = last[last.isin(get_last_n(comb, N_DROP))]
    buy = today[: len(sell) + TOPK - len(last)]
    for code in current_stock_list:
        if code in sell:
            cash += held.pop(code)
    value = cash * RISK_DEGREE / len(buy) if len(buy) > 0 else 0
    # --- the orders executed: each buy gets `value` of the cash ---
    for code in buy:
        held[code] = value
        cash -= value
    books.append([held.get(t, 0.0) for t in tickers])

path = os.path.join(root, "crates", "alphaseq", "tests", "fixtures", "qlib_topk.json")
with open(path, "w") as f:
    json.dump({
        "generated_by": "tools/oracles/qlib_topk.py",
        "topk": TOPK, "n_drop": N_DROP, "risk_degree": RISK_DEGREE,
        "tickers": tickers,
        "scores": [[None if np.isnan(v) else float(v) for v in row] for row in scores.to_numpy()],
        "weights": books,
    }, f, separators=(",", ":"))
print("wrote", path, DAYS, "days", len(tickers), "tickers")
