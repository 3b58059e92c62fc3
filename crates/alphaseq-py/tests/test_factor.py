"""``alphaseq.factor`` on pandas equals ``alphaseq factor --json`` on the same data, value for
value, and takes alphalens' own layouts (a (date, asset) Series, wide prices)."""

import json
import subprocess

import pandas as pd
import pytest

import alphaseq

from conftest import REPO, SAMPLE


@pytest.fixture(scope="module")
def data():
    prices = pd.read_csv(SAMPLE, parse_dates=["date"])
    wide = prices.pivot(index="date", columns="ticker", values="adj_close")
    momentum = (wide / wide.shift(21) - 1).drop(columns="^GSPC").iloc[21:]
    momentum = momentum[momentum.index >= "2015-01-01"]
    long = momentum.stack().rename("factor").reset_index()
    sectors = pd.read_csv(REPO / "data" / "sample" / "sectors.csv").set_index("ticker").sector
    return long, wide, sectors


def test_equals_the_binary(tmp_path, cli, data):
    long, wide, sectors = data
    long.to_csv(tmp_path / "momentum.csv", index=False)
    out = subprocess.run(
        [cli, "factor", tmp_path / "momentum.csv", "--prices", SAMPLE, "--sectors",
         REPO / "data" / "sample" / "sectors.csv", "--json"],
        check=True, capture_output=True, text=True,
    )
    theirs = json.loads(out.stdout)
    ours = alphaseq.factor(long, wide, sectors=sectors)
    assert ours == theirs
    assert ours["rows_used"] > 40_000 and "<svg" in ours.html
    # alphalens' layout: a (date, asset) Series; long prices
    series = long.set_index(["date", "ticker"]).factor
    assert alphaseq.factor(series, pd.read_csv(SAMPLE, parse_dates=["date"]), sectors=sectors) == ours


def test_bad_input_is_named(data):
    long, wide, _ = data
    with pytest.raises(alphaseq.DataError, match="given twice"):
        alphaseq.factor(pd.concat([long.head(3), long.head(1)]), wide)
    with pytest.raises(alphaseq.ConfigError, match="quantiles"):
        alphaseq.factor(long, wide, quantiles=1)
    with pytest.raises(alphaseq.DataError, match="no factor value has a price"):
        alphaseq.factor(long.assign(ticker=long.ticker + "_X"), wide)
    with pytest.raises(KeyError, match="'factor' column"):
        alphaseq.factor(long.rename(columns={"factor": "f"}), wide)
