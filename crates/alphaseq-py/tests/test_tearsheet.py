"""``alphaseq.tearsheet`` on pandas equals ``alphaseq tearsheet --json`` on the same CSVs, value
for value (pandas writes floats that read back exactly)."""

import json
import subprocess

import numpy as np
import pandas as pd
import pytest

import alphaseq

from conftest import SAMPLE


@pytest.fixture(scope="module")
def series():
    prices = pd.read_csv(SAMPLE, parse_dates=["date"])
    close = prices.pivot(index="date", columns="ticker", values="adj_close")
    returns = close.pct_change(fill_method=None).iloc[1:]
    return returns["AAPL"].rename("AAPL"), returns["^GSPC"].rename("^GSPC")


def test_equals_the_binary(tmp_path, cli, series):
    aapl, gspc = series
    for s in series:
        s.rename("returns").rename_axis("date").to_csv(tmp_path / f"{s.name}.csv")
    out = subprocess.run(
        [cli, "tearsheet", tmp_path / "AAPL.csv", "--benchmark", tmp_path / "^GSPC.csv", "--json"],
        check=True, capture_output=True, text=True,
    )
    theirs = json.loads(out.stdout)
    ours = alphaseq.tearsheet(aapl, gspc)
    for key in ("strategy", "benchmark", "significance", "sharpe_by_year", "periods_per_year"):
        assert ours[key] == theirs[key], key  # the same library on the same numbers: equal
    assert ours["returns"] == "AAPL" and ours["period"] == "daily"
    assert 0.0 < ours["strategy"]["beta"] < 2.0
    assert "<svg" in ours.html and "How much to believe this" in ours.html
    page = ours.save(tmp_path / "sheet")
    assert page.exists() and json.loads((tmp_path / "sheet" / "metrics.json").read_text())


def test_bad_series_are_named(series):
    aapl, _ = series
    with pytest.raises(TypeError, match="DatetimeIndex"):
        alphaseq.tearsheet(aapl.reset_index(drop=True))
    with pytest.raises(ValueError, match="not after the previous one"):
        alphaseq.tearsheet(aapl.iloc[::-1])
    with pytest.raises(alphaseq.ConfigError, match="hourly"):
        alphaseq.tearsheet(aapl, period="hourly")
    assert np.isfinite(alphaseq.tearsheet(aapl, period="weekly")["strategy"]["sharpe_ratio"])
