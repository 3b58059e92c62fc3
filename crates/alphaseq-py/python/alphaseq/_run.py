"""Experiments from Python: ``run`` writes the same run folder as ``alphaseq run`` (it calls the
same library), and ``Run`` reads one back as pandas objects."""

from __future__ import annotations

import datetime
import json
import os
import sys
import tempfile
from collections.abc import Callable, Mapping
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from . import _core
from ._report import inline
from .errors import ConfigError, FileError, IncompleteRunError


class Run:
    """A finished run folder (``alphaseq run`` or :func:`run`): its metrics, forecasts, returns
    and positions, and its HTML report (shown inline in Jupyter)."""

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path)
        if not self.path.is_dir():
            raise FileError(f"{self.path}: no such run folder")
        if not (self.path / "COMPLETE").exists():
            raise IncompleteRunError(
                f"{self.path}: the run has not finished (no COMPLETE marker); run it again to "
                "resume it"
            )

    def __repr__(self) -> str:
        return f"Run({str(self.path)!r})"

    @cached_property
    def metrics(self) -> dict[str, Any]:
        """metrics.json: every figure of the run with its convention (docs/run-record.md)."""
        return json.loads((self.path / "metrics.json").read_text())

    @property
    def config(self) -> str:
        """The resolved experiment (config.toml), every default written out."""
        return (self.path / "config.toml").read_text()

    @property
    def log(self) -> str:
        """run.log."""
        return (self.path / "run.log").read_text()

    def _csv(self, name: str, index: list[str] | None = None) -> pd.DataFrame:
        frame = pd.read_csv(self.path / name, parse_dates=["date"])
        return frame.set_index(index) if index else frame

    @property
    def predictions(self) -> pd.DataFrame:
        """predictions.csv: date, ticker, prediction, target and part (valid, test) of every
        forecast the run made out of sample."""
        return self._csv("predictions.csv")

    @property
    def equity(self) -> pd.DataFrame:
        """equity.csv on a date index: the strategy's net and gross returns, costs, turnover, and
        each benchmark's returns and turnover."""
        return self._csv("equity.csv", ["date"])

    @property
    def positions(self) -> pd.DataFrame:
        """positions.csv: the weights held (date, ticker, weight)."""
        return self._csv("positions.csv")

    @property
    def report_path(self) -> Path:
        """report.html, self-contained (inline SVG charts)."""
        return self.path / "report.html"

    def signal(
        self,
        prices: str | os.PathLike[str] | list[str | os.PathLike[str]] | pd.DataFrame | None = None,
        asof: str | datetime.date | None = None,
        *,
        sectors: str | os.PathLike[str] | None = None,
        max_stale_days: int | None = None,
        progress: bool | Callable[[str], object] = False,
    ) -> pd.DataFrame:
        """Target positions on ``asof`` (default: the prices' last date) from the run's models,
        as ``alphaseq signal``: the model and scaler of the fold that traded that date (the last
        fold's after the test span) and the run's strategy, on prices up to ``asof`` only. On a
        past date it gives the backtest's positions exactly.

        ``prices`` are price files, a long frame (``date, ticker, open, high, low, close,
        adj_close, volume``; written to a temporary CSV and read as a file would be) or None for
        the run's own files. Returns a frame on the ticker with ``weight`` and ``prediction``;
        ``attrs`` holds ``asof`` and ``notes`` (e.g. the date asked for was not a trading day).
        Prices ending more than ``max_stale_days`` before ``asof`` are refused (DataError)."""
        doc = self._signal(prices, asof, sectors, max_stale_days, progress, {})
        frame = pd.DataFrame(doc["positions"], columns=["ticker", "weight", "prediction"])
        frame = frame.set_index("ticker")
        frame.attrs["asof"] = pd.Timestamp(doc["asof"])
        frame.attrs["notes"] = doc["notes"]
        return frame

    def orders(
        self,
        holdings: str | os.PathLike[str] | Mapping[str, float] | pd.Series,
        prices: str | os.PathLike[str] | list[str | os.PathLike[str]] | pd.DataFrame | None = None,
        asof: str | datetime.date | None = None,
        *,
        capital: float | None = None,
        fractional: bool = False,
        sectors: str | os.PathLike[str] | None = None,
        max_stale_days: int | None = None,
        progress: bool | Callable[[str], object] = False,
    ) -> pd.DataFrame:
        """The order list that turns ``holdings`` into :meth:`signal`'s positions on ``asof``, as
        ``alphaseq signal --holdings``: each name's target is its weight of the capital in
        shares at the as-of close (whole shares towards zero unless ``fractional``); a held name
        the signal does not trade is sold.

        ``holdings`` is a file as ``--holdings`` reads it (``ticker,shares``, a ``CASH`` row), or
        shares by ticker (a dict or Series; the key ``CASH`` is cash). ``capital`` defaults to
        what the holdings are worth at the as-of close. Returns a frame on the ticker with
        ``price, current_shares, current_weight, target_weight, target_shares, trade_shares,
        trade_value``; ``attrs`` holds ``asof``, ``capital``, ``cash_after`` and ``notes``."""
        if isinstance(holdings, (str, os.PathLike)):
            given = {"holdings_file": os.fspath(holdings)}
        else:
            shares = {str(t): float(n) for t, n in dict(holdings).items()}
            cash = sum(v for t, v in shares.items() if t.upper() == "CASH")
            given = {
                "holdings": [(t, n) for t, n in shares.items() if t.upper() != "CASH"],
                "cash": cash,
            }
        given.update(capital=capital, fractional=fractional)
        doc = self._signal(prices, asof, sectors, max_stale_days, progress, given)
        orders = doc["orders"]
        columns = ["ticker", "price", "current_shares", "current_weight", "target_weight",
                   "target_shares", "trade_shares", "trade_value"]
        frame = pd.DataFrame(orders["orders"], columns=columns).set_index("ticker")
        frame.attrs.update(asof=pd.Timestamp(doc["asof"]), capital=orders["capital"],
                           cash_after=orders["cash_after"], notes=doc["notes"])
        return frame

    def _signal(self, prices, asof, sectors, max_stale_days, progress, holdings) -> dict:
        day = None if asof is None else pd.Timestamp(asof).date().isoformat()
        echo = _printer if progress is True else (progress if callable(progress) else None)
        with tempfile.TemporaryDirectory() as tmp:
            if isinstance(prices, pd.DataFrame):
                path = Path(tmp) / "prices.csv"
                frame = prices if "date" in prices.columns else prices.reset_index()
                frame.to_csv(path, index=False)
                files = [str(path)]
            elif prices is None:
                files = []
            elif isinstance(prices, (str, os.PathLike)):
                files = [os.fspath(prices)]
            else:
                files = [os.fspath(p) for p in prices]
            return json.loads(
                _core.signal(
                    str(self.path),
                    files,
                    day,
                    None if sectors is None else os.fspath(sectors),
                    max_stale_days,
                    echo,
                    **holdings,
                )
            )

    def _repr_html_(self) -> str:
        return inline(self.report_path.read_text())


def load_run(path: str | os.PathLike[str]) -> Run:
    """A finished run folder as a :class:`Run`."""
    return Run(path)


def _json_default(value: Any) -> str:
    """Paths as strings, dates (TOML's, as ``tomllib`` reads them) in ISO form."""
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return os.fspath(value)


def _none_key(value: Any, key: str) -> str | None:
    """The dotted key of the first None in ``value`` (TOML has no null)."""
    if value is None:
        return key
    items = value.items() if isinstance(value, Mapping) else (
        enumerate(value) if isinstance(value, (list, tuple)) else ()
    )
    for k, v in items:
        found = _none_key(v, f"{key}.{k}" if key else str(k))
        if found:
            return found
    return None


def _printer(line: str) -> None:
    print(line, file=sys.stdout, flush=True)


def run(
    config: str | os.PathLike[str] | Mapping[str, Any],
    overrides: Mapping[str, Any] | None = None,
    out: str | os.PathLike[str] | None = None,
    *,
    force: bool = False,
    parallel: int | None = None,
    progress: bool | Callable[[str], object] = True,
) -> Run:
    """Runs an experiment and returns its :class:`Run`, exactly as ``alphaseq run`` would.

    ``config`` is an experiment file (TOML; its relative paths are relative to its folder) or the
    same experiment as a dict (relative paths relative to the current folder). ``overrides`` sets
    dotted keys as ``--set`` does: ``{"training.epochs": 2, "data.tickers": ["AAPL", "MSFT"]}``.
    ``out`` is the run folder (default ``runs/<name>-<timestamp>``); an interrupted run resumes
    there, and ``force`` clears a folder that holds another experiment's run. ``parallel`` is how
    many folds, tickers or trials are fitted at once (never changes results). ``progress`` prints
    the log's lines (or passes them to a callable).

    Raises :class:`ConfigError` naming the key (and line) at fault, :class:`DataError` naming the
    file, line, ticker or date, :class:`FileError` for a path that cannot be read or written.
    """
    echo = None
    if progress is True:
        echo = _printer
    elif callable(progress):
        echo = progress
    is_dict = isinstance(config, Mapping)
    for what, value in (("config", config if is_dict else None), ("overrides", overrides)):
        key = _none_key(value, "") if value is not None else None
        if key:
            raise ConfigError(f"{key}: None has no TOML value; leave the key out for its default"
                              f" (in the {what})")
    text = json.dumps(config, default=_json_default) if is_dict else os.fspath(config)
    folder = _core.run(
        text,
        is_dict,
        json.dumps(dict(overrides or {}), default=_json_default),
        None if out is None else os.fspath(out),
        force,
        parallel,
        echo,
    )
    return Run(folder)
