"""Indicators and momentum features on pandas frames: pandas-ta's column names and values (its
pure-pandas path), computed by the Rust library."""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from . import _core

_FIELDS = ("open", "high", "low", "close", "volume")


def catalogue(look_ahead: bool = False) -> pd.DataFrame:
    """Every indicator with its default parameters: name (how to ask for it), family, output
    columns, parameters, warm-up rows, placeholder rows (pandas-ta's fixed leading values),
    ``pandas_ta_backfilled_rows`` (leading rows where pandas-ta back-fills later values and
    alphaseq does not), whether it reads the future (never), and how its values depend on where
    the series starts (``memory``; ``settled``: rows after which a later start gives the same
    values, None when it need never). As ``alphaseq features list``. ``look_ahead=True`` appends
    pandas-ta's indicators that read the future (``reads_future`` True, ``look_ahead`` saying
    how), which ``indicators`` computes only when asked with ``look_ahead=True``."""
    return pd.DataFrame(json.loads(_core.catalogue(look_ahead)))


def _as_list(x: str | Iterable[str] | None) -> list[str]:
    if x is None:
        return []
    return [x] if isinstance(x, str) else list(x)


def _choices(names, families, params: Mapping[str, Any]) -> list:
    chosen = _as_list(names) + _as_list(families)
    if not params:
        return chosen or ["all"]
    if len(chosen) != 1 or _as_list(families):
        raise ValueError(
            "parameters (" + ", ".join(params) + ") apply to one indicator: "
            "indicators(df, 'rsi', length=21); for several, pass dicts: "
            "indicators(df, [{'kind': 'rsi', 'length': 21}, 'macd'])"
        )
    return [{"kind": chosen[0], **params}]


def _column(frame: pd.DataFrame, name: str) -> np.ndarray:
    lower = {str(c).lower(): c for c in frame.columns}
    if name in lower:
        return np.ascontiguousarray(frame[lower[name]].to_numpy(dtype=np.float64))
    if name == "volume":
        return np.full(len(frame), np.nan)
    raise KeyError(f"the frame has no {name!r} column (it has {list(frame.columns)})")


def _days(frame: pd.DataFrame) -> np.ndarray:
    lower = {str(c).lower(): c for c in frame.columns}
    dates = frame[lower["date"]] if "date" in lower else frame.index
    try:
        values = pd.DatetimeIndex(dates).values.astype("datetime64[D]")
    except (TypeError, ValueError) as e:
        raise ValueError(
            "indicators need dates: a DatetimeIndex or a 'date' column (VWAP anchors on them)"
        ) from e
    return np.ascontiguousarray(values.astype(np.int64))


def _codes(frame: pd.DataFrame) -> np.ndarray:
    """One integer per row naming its ticker (all 0 without a ticker column)."""
    lower = {str(c).lower(): c for c in frame.columns}
    if "ticker" not in lower:
        return np.zeros(len(frame), dtype=np.int64)
    codes, _ = pd.factorize(frame[lower["ticker"]])
    return np.ascontiguousarray(codes.astype(np.int64))


def indicators(
    frame: pd.DataFrame,
    names: str | Iterable[str | Mapping[str, Any]] | None = None,
    families: str | Iterable[str] | None = None,
    *,
    adjusted: bool = False,
    look_ahead: bool = False,
    convention: str = "pandas_ta",
    **params: Any,
) -> pd.DataFrame:
    """Technical indicators of an OHLCV frame, with pandas-ta's column names and values.

    ``frame`` holds ``open, high, low, close`` (``volume`` optional; any case) on a DatetimeIndex
    or with a ``date`` column, for one ticker, or in long format with a ``ticker`` column (each
    ticker computed on its own rows, in the frame's order). ``names`` are indicators (``"rsi"``),
    families (``"momentum"``) or ``"all"`` (the default), or dicts with parameters
    (``{"kind": "rsi", "length": 21}``); keyword parameters apply to a single named indicator:
    ``indicators(df, "rsi", length=21)``. ``adjusted=True`` multiplies open, high, low and close
    by ``adj_close / close`` first, as an experiment with ``data.adjusted = true`` does.

    Returns a frame on the input's index, one column per indicator output. No value at a date
    reads a later bar (pandas-ta's DPO is centred by default; alphaseq's is not), unless
    ``look_ahead=True`` and one of pandas-ta's look-ahead indicators is asked for by name
    (``"zigzag"``, ``"tos_stdevall"``, ``"vhm"``, ``{"kind": "dpo", "centered": True}``,
    ``{"kind": "ichimoku", "include_chikou": True}``; ``catalogue(look_ahead=True)`` lists
    them), to reproduce a study that used them: a ``LookAheadWarning`` then names each.

    ``convention="talib"`` gives what pandas-ta gives with TA-Lib installed (TA-Lib's functions
    and building blocks) for every entry without its own ``convention`` (every indicator whose
    values TA-Lib changes follows it; docs/indicators.md lists them).
    """
    if convention not in ("pandas_ta", "talib"):
        raise ValueError(f"convention must be 'pandas_ta' or 'talib', not {convention!r}")
    choices = _choices(names, families, params)
    o, h, lo, c, v = (_column(frame, f) for f in _FIELDS)
    if adjusted:
        factor = _column(frame, "adj_close") / c
        o, h, lo, c = o * factor, h * factor, lo * factor, c * factor
    names, values, future = _core.indicators(
        o, h, lo, c, v, _days(frame), _codes(frame), json.dumps(choices), look_ahead, convention == "talib"
    )
    for line in future:
        warnings.warn(f"LOOK-AHEAD: {line}", LookAheadWarning, stacklevel=2)
    return pd.DataFrame(values, index=frame.index, columns=names, copy=False)


class LookAheadWarning(UserWarning):
    """An indicator that reads later prices was computed (``look_ahead=True``)."""


def momentum_features(
    price: pd.Series,
    market: pd.Series | None = None,
    *,
    market_returns: pd.Series | None = None,
    **spec: Any,
) -> pd.DataFrame:
    """The momentum features of Lim, Zohren and Roberts (2019) and of the cross-sectional study
    built on them, from one ticker's adjusted close (``price``) and, for beta and alpha, the
    market's price (``market``, aligned to ``price``'s index) or its one-bar simple returns
    (``market_returns``, on ``price``'s dates). ``spec`` takes the keys of
    ``[features.momentum]`` (docs/config.md): ``returns``, ``vol_span``, ``macd``,
    ``realised_vol``, ``beta``, ``alpha``, ``alpha_window``, ``alpha_variance``, ``cti``,
    ``winsorise``. Without a market, the market-relative features are left out."""
    if market is not None and market_returns is not None:
        raise ValueError("give the market's price or its returns, not both")
    if market is None and market_returns is None:
        spec = {"beta": [], "alpha": [], "alpha_variance": False, **spec}
    p = np.ascontiguousarray(price.to_numpy(dtype=np.float64))
    m = None
    if market is not None:
        aligned = market.reindex(price.index).to_numpy(dtype=np.float64)
        m = np.full(len(aligned), np.nan)
        m[1:] = aligned[1:] / aligned[:-1] - 1.0
    elif market_returns is not None:
        m = np.ascontiguousarray(np.asarray(market_returns, dtype=np.float64))
    columns = _core.momentum_features(p, m, json.dumps(spec))
    return pd.DataFrame(dict(columns), index=price.index)
