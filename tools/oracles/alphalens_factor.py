"""alphalens-reloaded's factor tear sheet numbers on the sample stocks (data/sample), for
crates/alphaseq/tests/factor.rs: the factor is each stock's 21-day return (pandas
pct_change(21) of the adjusted closes) from 2020-01-02 to the last date, with a few values set
to NaN (listed in the fixture) so the drop accounting has something to count; forward returns
over 1, 5 and 10 days reach past the last prices for the last dates (dropped too). Sectors from
data/sample/sectors.csv as the groups.

Every figure is alphalens' own function (performance.py, plotting.py's tables, the tear sheets'
conversions), run as create_full_tear_sheet(long_short=True, group_neutral=False) runs them.

usage: python tools/oracles/alphalens_factor.py  (with alphalens-reloaded installed; writes
crates/alphaseq/tests/fixtures/alphalens_factor.json)
"""
import contextlib
import io
import json
import os
import re

import alphalens
import numpy as np
import pandas as pd
from alphalens import performance as perf
from alphalens import plotting, utils

from sample_stocks import px, sectors, root

PERIODS = (1, 5, 10)
QUANTILES = 5
FIRST = "2020-01-02"
NAN_AT = [("2020-03-02", "AAPL"), ("2020-06-15", "XOM"), ("2020-06-15", "KO"), ("2021-01-04", "MSFT")]

momentum = px.pct_change(21, fill_method=None)
factor = momentum.loc[FIRST:].stack(future_stack=True)
factor.index = factor.index.set_names(["date", "asset"])
for d, a in NAN_AT:
    factor.loc[(pd.Timestamp(d), a)] = np.nan
factor = factor.sort_index()

captured = io.StringIO()
with contextlib.redirect_stdout(captured):
    fd = utils.get_clean_factor_and_forward_returns(
        factor, px, groupby=sectors.to_dict(), quantiles=QUANTILES, periods=PERIODS, max_loss=1.0
    )
dropped = [float(x) for x in re.findall(r"([0-9.]+)%", captured.getvalue())[:3]]


def f(x):
    """A float, or None for NaN."""
    x = float(x)
    return None if not np.isfinite(x) else x


def series(s):
    return [f(v) for v in s]


cols = utils.get_forward_returns_columns(fd.columns)
ic = perf.factor_information_coefficient(fd)
info = plotting.plot_information_table(ic, return_df=True)
neutral = plotting.plot_information_table(
    perf.factor_information_coefficient(fd, group_adjust=True), return_df=True
)
monthly = perf.mean_information_coefficient(fd, by_time=pd.offsets.MonthEnd())
by_group = perf.mean_information_coefficient(fd, by_group=True)

# create_returns_tear_sheet(long_short=True, group_neutral=False)
factor_returns = perf.factor_returns(fd, True, False)
mean_q, std_q = perf.mean_return_by_quantile(fd, by_group=False, demeaned=True, group_adjust=False)
mean_q_rate = mean_q.apply(utils.rate_of_return, axis=0, base_period=mean_q.columns[0])
std_q_rate = std_q.apply(utils.std_conversion, axis=0, base_period=std_q.columns[0])
mean_qd, std_qd = perf.mean_return_by_quantile(fd, by_date=True, by_group=False, demeaned=True)
mean_qd_rate = mean_qd.apply(utils.rate_of_return, axis=0, base_period=mean_qd.columns[0])
std_qd_rate = std_qd.apply(utils.std_conversion, axis=0, base_period=std_qd.columns[0])
alpha_beta = perf.factor_alpha_beta(fd, factor_returns, True, False)
spread, spread_se = perf.compute_mean_returns_spread(
    mean_qd_rate, fd["factor_quantile"].max(), fd["factor_quantile"].min(), std_err=std_qd_rate
)
returns_table = plotting.plot_returns_table(alpha_beta, mean_q_rate, spread, return_df=True)
cum_factor = perf.cumulative_returns(factor_returns["1D"])
cum_quantile = {
    int(q): series(perf.cumulative_returns(mean_qd_rate["1D"].xs(q, level="factor_quantile")))
    for q in sorted(fd["factor_quantile"].unique())
}

# create_turnover_tear_sheet
qf = fd["factor_quantile"]
turnover = {
    p: {int(q): f(perf.quantile_turnover(qf, q, p).mean()) for q in sorted(qf.unique())}
    for p in PERIODS
}
autocorr = {p: f(perf.factor_rank_autocorrelation(fd, p).mean()) for p in PERIODS}
qstats = plotting.plot_quantile_statistics_table(fd, return_df=True)

dates = sorted(set(fd.index.get_level_values("date")))
out = {
    "generated_by": "tools/oracles/alphalens_factor.py, alphalens-reloaded " + alphalens.__version__,
    "first": FIRST,
    "nan_at": NAN_AT,
    "periods": list(PERIODS),
    "quantiles": QUANTILES,
    "rows_in": int(len(factor)),
    "rows_used": int(len(fd)),
    "dropped_percent": dropped,
    "dates": [d.strftime("%Y-%m-%d") for d in dates],
    "ic_by_date": {c: series(ic[c]) for c in cols},
    "information": {c: {k: f(v) for k, v in info.loc[c].items()} for c in cols},
    "sector_neutral": {c: {k: f(v) for k, v in neutral.loc[c].items()} for c in cols},
    "monthly_ic": {
        "months": [d.strftime("%Y-%m") for d in monthly.index],
        **{c: series(monthly[c]) for c in cols},
    },
    "ic_by_group": {str(g): {c: f(by_group.loc[g, c]) for c in cols} for g in by_group.index},
    "mean_return_by_quantile": {c: series(mean_q_rate[c]) for c in cols},
    "std_error_by_quantile": {c: series(std_q_rate[c]) for c in cols},
    "returns_table": {c: {k: f(v) for k, v in returns_table[c].items()} for c in cols},
    "spread_by_date": {c: series(spread[c]) for c in cols},
    "spread_se_by_date": {c: series(spread_se[c]) for c in cols},
    "factor_returns": {c: series(factor_returns[c]) for c in cols},
    "cumulative_factor_1d": series(cum_factor),
    "cumulative_by_quantile_1d": cum_quantile,
    "turnover": {str(p): {str(q): v for q, v in t.items()} for p, t in turnover.items()},
    "rank_autocorrelation": {str(p): v for p, v in autocorr.items()},
    "quantile_statistics": {
        str(int(q)): {k: f(v) for k, v in row.items()} for q, row in qstats.iterrows()
    },
}
path = os.path.join(root, "crates", "alphaseq", "tests", "fixtures", "alphalens_factor.json")
with open(path, "w") as fh:
    json.dump(out, fh, indent=1)
    fh.write("\n")
print(path, len(dates), "dates", len(fd), "rows", dropped)
