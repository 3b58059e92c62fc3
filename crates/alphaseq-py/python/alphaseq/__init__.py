"""alphaseq for Python: the same library and engine as the ``alphaseq`` binary, for notebooks.

>>> import alphaseq
>>> r = alphaseq.run("configs/quickstart.toml", out="runs/quickstart")
>>> r.metrics["strategy"]["net"]["sharpe_ratio"]
>>> r.equity.head()
>>> alphaseq.indicators(prices_frame, ["rsi", "macd"])

Nothing is implemented twice: every function calls the Rust library, with the GIL released while
it computes, and this layer only turns its outputs into pandas objects.
"""

from . import nn
from ._core import build_info as _build_info
from ._factor import FactorSheet, factor
from ._features import LookAheadWarning, catalogue, indicators, momentum_features
from ._run import Run, load_run, run
from ._tearsheet import TearSheet, tearsheet
from .errors import (
    AlphaseqError,
    ConfigError,
    DataError,
    FileError,
    IncompleteRunError,
    ResourceError,
)

__version__, kernels = _build_info()
"""The package version, and the engine's matrix-product kernels on this machine (``AVX-512`` or
``AVX2-FMA``: they decide the last bits of a trained network)."""

__all__ = [
    "AlphaseqError",
    "ConfigError",
    "DataError",
    "FactorSheet",
    "FileError",
    "IncompleteRunError",
    "LookAheadWarning",
    "ResourceError",
    "Run",
    "TearSheet",
    "catalogue",
    "factor",
    "indicators",
    "kernels",
    "load_run",
    "momentum_features",
    "nn",
    "run",
    "tearsheet",
]
