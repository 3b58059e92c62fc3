"""pyfolio's tear sheet of any returns series, from pandas (``alphaseq tearsheet``'s library)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from . import _core
from ._report import Sheet


class TearSheet(Sheet):
    """The tear sheet's record, a dict as ``alphaseq tearsheet --json`` prints it (``strategy``
    and ``benchmark`` statistics with empyrical definitions, ``significance``,
    ``sharpe_by_year``, ``conventions``), with its HTML report in ``html`` (shown inline in
    Jupyter)."""

    files = ("metrics.json", "tearsheet.html")


def _days(index: pd.Index, what: str) -> np.ndarray:
    if not isinstance(index, pd.DatetimeIndex):
        raise TypeError(f"{what} needs a DatetimeIndex (dates), not {type(index).__name__}")
    return np.ascontiguousarray(index.values.astype("datetime64[D]").astype(np.int64))


def _values(series: pd.Series) -> np.ndarray:
    return np.ascontiguousarray(series.to_numpy(dtype=np.float64))


def tearsheet(
    returns: pd.Series,
    benchmark: pd.Series | None = None,
    *,
    period: str | None = None,
    name: str | None = None,
) -> TearSheet:
    """pyfolio's performance statistics (empyrical definitions: annual return, volatility,
    Sharpe, Calmar, stability, max drawdown, Omega, Sortino, skew, kurtosis, tail ratio, value at
    risk, alpha and beta against ``benchmark``), the Sharpe ratio's standard errors, bootstrap
    interval and probabilistic Sharpe ratio, and Sharpe by year, of a series of simple returns
    on a DatetimeIndex (NaN = missing). ``period`` is ``daily``, ``weekly`` or ``monthly``
    (inferred from the dates by default); the benchmark's returns are taken on ``returns``'
    dates."""
    label = name or (str(returns.name) if returns.name is not None else "returns")
    bench = None
    if benchmark is not None:
        bench_name = str(benchmark.name) if benchmark.name is not None else "benchmark"
        bench = (bench_name, _days(benchmark.index, "benchmark"), _values(benchmark))
    record, page = _core.tearsheet(
        label, _days(returns.index, "returns"), _values(returns), bench, period
    )
    sheet = TearSheet(json.loads(record))
    sheet.html = page
    return sheet
