"""alphalens-reloaded's factor tear sheet of any signal, from pandas (``alphaseq factor``'s
library)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from . import _core
from ._report import Sheet
from .errors import DataError


class FactorSheet(Sheet):
    """The factor tear sheet, a dict as ``alphaseq factor --json`` prints it (IC and rank IC per
    horizon with their t-tests, monthly and by-sector IC, returns by quantile, the spread, the
    factor-weighted portfolio, turnover and autocorrelation, quantile statistics, dropped rows),
    with its HTML report in ``html`` (shown inline in Jupyter)."""

    files = ("factor.json", "factor.html")


def _days(values) -> np.ndarray:
    return np.ascontiguousarray(
        pd.DatetimeIndex(values).values.astype("datetime64[D]").astype(np.int64)
    )


def _long_factor(factor: pd.DataFrame | pd.Series) -> pd.DataFrame:
    """date, ticker, factor columns from a long frame or an alphalens (date, asset) Series."""
    if isinstance(factor, pd.Series):
        if factor.index.nlevels != 2:
            raise ValueError("a factor Series needs a (date, ticker) MultiIndex, as alphalens")
        frame = factor.rename("factor").reset_index()
        frame.columns = ["date", "ticker", "factor"]
        return frame
    lower = {str(c).lower(): c for c in factor.columns}
    pick = {}
    for want, aliases in (
        ("date", ("date", "timestamp", "datetime")),
        ("ticker", ("ticker", "asset", "symbol")),
        ("factor", ("factor", "value", "score", "prediction")),
    ):
        found = next((lower[a] for a in aliases if a in lower), None)
        if found is None:
            raise KeyError(f"the factor frame has no {want!r} column (it has {list(factor.columns)})")
        pick[want] = found
    return pd.DataFrame({k: factor[v].to_numpy() for k, v in pick.items()})


def _wide_prices(prices: pd.DataFrame) -> pd.DataFrame:
    """Dates x tickers adjusted closes, from a wide frame or a long one (``date, ticker,
    adj_close`` or ``close``)."""
    lower = {str(c).lower(): c for c in prices.columns}
    if "ticker" not in lower:
        return prices
    value = lower.get("adj_close", lower.get("close"))
    if value is None:
        raise KeyError("long prices need an adj_close (or close) column")
    date = lower.get("date")
    frame = prices if date is None else prices.set_index(date)
    return frame.pivot_table(index=frame.index, columns=lower["ticker"], values=value,
                             aggfunc="first")


def factor(
    factor: pd.DataFrame | pd.Series,
    prices: pd.DataFrame,
    *,
    periods: Iterable[int] = (1, 5, 10),
    quantiles: int = 5,
    sectors: Mapping[str, str] | pd.Series | None = None,
    name: str = "factor",
) -> FactorSheet:
    """alphalens-reloaded's full tear sheet (``long_short=True, group_neutral=False``) of any
    signal, equal to alphalens' values (to 1e-9 on the committed fixtures).

    ``factor`` is a long frame (``date, ticker, factor``) or alphalens' Series on a (date,
    asset) MultiIndex; ``prices`` are adjusted closes, wide (dates x tickers, as alphalens takes
    them) or long (``date, ticker, adj_close``). ``periods`` are the forward-return horizons in
    bars; ``sectors`` maps tickers to sectors for IC by sector and the sector-neutral IC."""
    rows = _long_factor(factor)
    dup = rows.duplicated(["date", "ticker"])
    if dup.any():
        first = rows[dup].iloc[0]
        raise DataError(f"{first['ticker']} on {pd.Timestamp(first['date']).date()} is given twice")
    wide = _wide_prices(prices).sort_index()
    tickers = [str(t) for t in wide.columns]
    groups = None
    if sectors is not None:
        lookup = dict(sectors.items()) if isinstance(sectors, (pd.Series, Mapping)) else {}
        groups = [lookup.get(t) for t in tickers]
    record, page = _core.factor(
        name,
        _days(rows["date"]),
        [str(t) for t in rows["ticker"]],
        np.ascontiguousarray(rows["factor"].to_numpy(dtype=np.float64)),
        _days(wide.index),
        tickers,
        np.ascontiguousarray(wide.to_numpy(dtype=np.float64)),
        groups,
        list(periods),
        quantiles,
    )
    sheet = FactorSheet(json.loads(record))
    sheet.html = page
    return sheet
