"""The Rust extension module (``crates/alphaseq-py/src/lib.rs``); use the package's functions."""

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

def build_info() -> tuple[str, str]: ...
def catalogue(look_ahead: bool = False) -> str: ...
def indicators(
    open: npt.NDArray[np.float64],
    high: npt.NDArray[np.float64],
    low: npt.NDArray[np.float64],
    close: npt.NDArray[np.float64],
    volume: npt.NDArray[np.float64],
    days: npt.NDArray[np.int64],
    codes: npt.NDArray[np.int64],
    choices: str,
    look_ahead: bool = False,
    talib: bool = False,
) -> tuple[list[str], npt.NDArray[np.float64], list[str]]: ...
def momentum_features(
    price: npt.NDArray[np.float64],
    market: npt.NDArray[np.float64] | None,
    spec: str,
) -> list[tuple[str, npt.NDArray[np.float64]]]: ...
def run(
    config: str,
    is_json: bool,
    overrides: str,
    out: str | None = None,
    force: bool = False,
    parallel: int | None = None,
    echo: Callable[[str], object] | None = None,
) -> str: ...
def tearsheet(
    name: str,
    days: npt.NDArray[np.int64],
    returns: npt.NDArray[np.float64],
    benchmark: tuple[str, npt.NDArray[np.int64], npt.NDArray[np.float64]] | None = None,
    period: str | None = None,
) -> tuple[str, str]: ...
def factor(
    name: str,
    days: npt.NDArray[np.int64],
    tickers: list[str],
    values: npt.NDArray[np.float64],
    price_days: npt.NDArray[np.int64],
    price_tickers: list[str],
    prices: npt.NDArray[np.float64],
    groups: list[str | None] | None,
    periods: list[int],
    quantiles: int,
) -> tuple[str, str]: ...
def signal(
    run: str,
    prices: list[str],
    asof: str | None = None,
    sectors: str | None = None,
    max_stale_days: int | None = None,
    echo: Callable[[str], object] | None = None,
    holdings: list[tuple[str, float]] | None = None,
    holdings_file: str | None = None,
    cash: float = 0.0,
    capital: float | None = None,
    fractional: bool = False,
) -> str: ...

class Network:
    def __init__(self, spec: str, init: str) -> None: ...
    def spec(self) -> str: ...
    def summary(self, steps: int) -> str: ...
    def output(self) -> tuple[int, bool]: ...
    def is_built(self) -> bool: ...
    def fit(
        self,
        x: npt.NDArray[np.float32],
        y: npt.NDArray[np.float32],
        ids: npt.NDArray[np.int64] | None,
        statics: npt.NDArray[np.float32] | None,
        dates: npt.NDArray[np.int64] | None,
        valid: tuple | None,
        training: str,
        progress: Callable[[str], object] | None = None,
    ) -> str: ...
    def predict(
        self,
        x: npt.NDArray[np.float32],
        ids: npt.NDArray[np.int64] | None,
        statics: npt.NDArray[np.float32] | None,
        batch_size: int,
    ) -> npt.NDArray[np.float32]: ...
    def save(self, metadata: dict[str, str]) -> tuple[bytes, bytes, str]: ...
    @staticmethod
    def load(bytes: bytes) -> Network: ...

def fold_arrays(config: str, is_json: bool, overrides: str) -> dict: ...
