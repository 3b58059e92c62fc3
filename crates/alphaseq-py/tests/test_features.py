"""Indicators and momentum features from pandas equal the committed pandas-ta and pandas
reference values (the fixtures the Rust tests use), to the same tolerance."""

import gzip
import json

import numpy as np
import pandas as pd
import pytest

import alphaseq

from conftest import FIXTURES, SAMPLE


def close_enough(ours: np.ndarray, theirs: np.ndarray, scale: np.ndarray, what: str) -> None:
    assert ours.shape == theirs.shape, what
    nan = np.isnan(theirs)
    assert (np.isnan(ours) == nan).all(), f"{what}: NaN rows differ"
    diff = np.abs(ours[~nan] - theirs[~nan])
    assert (diff <= 1e-9 * scale[~nan] + 1e-12).all(), f"{what}: max diff {diff.max()}"


@pytest.fixture(scope="module")
def pandas_ta():
    """Both pandas-ta fixtures, merged by series name as the Rust test merges them: the explicit
    calls and study("All")'s values (pandas_ta_study_values.py)."""
    explicit = json.loads((FIXTURES / "pandas_ta_indicators.json").read_text())
    with gzip.open(FIXTURES / "pandas_ta_study_values.json.gz", "rt") as fh:
        study = json.load(fh)
    merged = {}
    for series in explicit["series"] + study["series"]:
        if series["name"] in merged:
            merged[series["name"]]["columns"].update(series["columns"])
        else:
            merged[series["name"]] = series
    return {"series": list(merged.values())}


def test_every_catalogue_column_equals_pandas_ta(pandas_ta):
    compared = 0
    cat = alphaseq.catalogue()
    # pandas-ta back-fills some warm-ups (SMC's gaps) with later values; alphaseq does not:
    # compared from each indicator's declared row on, as the Rust test does
    backfilled = {
        col: int(row.pandas_ta_backfilled_rows) for row in cat.itertuples() for col in row.columns
    }
    for series in pandas_ta["series"]:
        frame = pd.DataFrame(
            {f: series[f] for f in ("open", "high", "low", "close", "volume")},
            index=pd.to_datetime(series["dates"]),
        )
        ours = alphaseq.indicators(frame)
        assert len(ours.columns) > 250
        for col in ours.columns:
            theirs = np.array(series["columns"][col], dtype=float)
            values = ours[col].to_numpy()
            skip = backfilled[col]
            values, theirs = values[skip:], theirs[skip:]
            if col.startswith(("SKEW_", "KURT_")):
                scale = np.maximum(np.abs(theirs), 1.0)  # as the Rust test: pandas' round-off
            else:
                scale = np.abs(theirs)
            close_enough(values, theirs, scale, f"{series['name']} {col}")
            compared += 1
    assert compared > 700


def test_parameters_names_families_and_long_frames():
    prices = pd.read_csv(SAMPLE, parse_dates=["date"])
    two = prices[prices.ticker.isin(["AAPL", "XOM"])]
    rsi = alphaseq.indicators(two, "rsi", length=21)
    assert list(rsi.columns) == ["RSI_21"] and rsi.index.equals(two.index)
    # a long frame is computed per ticker: the same as each ticker alone
    alone = alphaseq.indicators(two[two.ticker == "XOM"].set_index("date"), "rsi", length=21)
    assert np.array_equal(
        rsi[two.ticker == "XOM"]["RSI_21"].to_numpy(), alone["RSI_21"].to_numpy(), equal_nan=True
    )
    both = alphaseq.indicators(two.head(400), [{"kind": "macd", "fast": 8}, "rsi"])
    assert list(both.columns)[:3] == ["RSI_14", "MACD_8_26_9", "MACDh_8_26_9"]
    momentum = alphaseq.indicators(two.head(300), families="momentum")
    assert "RSI_14" in momentum.columns and "SMA_10" not in momentum.columns
    adjusted = alphaseq.indicators(two.head(300), "sma", adjusted=True)
    raw = alphaseq.indicators(two.head(300), "sma")
    assert not np.allclose(adjusted["SMA_10"].dropna(), raw["SMA_10"].dropna())


def test_catalogue_lists_every_indicator_with_its_memory():
    cat = alphaseq.catalogue()
    assert len(cat) == 149
    rsi = cat[cat.name == "rsi"].iloc[0]
    assert cat[cat.name == "pvr"].iloc[0].placeholder_rows == 1
    assert cat[cat.name == "smc"].iloc[0].pandas_ta_backfilled_rows == 13
    assert (cat[cat.name != "smc"].pandas_ta_backfilled_rows == 0).all()
    assert rsi.columns == ["RSI_14"] and rsi.warm_up == 1 and rsi.settled == 374
    assert cat[cat.name == "obv"].iloc[0].memory == "cumulative"
    assert not cat.reads_future.any()


def test_momentum_features_equal_the_pandas_reference():
    fixture = json.loads((FIXTURES / "momentum_features.json").read_text())
    for series in fixture["series"]:
        price = pd.Series(np.array(series["price"], dtype=float))
        market = np.array(series["market_returns"], dtype=float)
        ours = alphaseq.momentum_features(
            price, market_returns=market, winsorise=series["winsorise"]
        )
        assert len(ours.columns) == 21
        for col in ours.columns:
            theirs = np.array(series["columns"][col], dtype=float)
            close_enough(ours[col].to_numpy(), theirs, np.abs(theirs), f"{series['name']} {col}")
    alone = alphaseq.momentum_features(price)
    assert not any(c.startswith(("beta", "alpha")) for c in alone.columns)


def test_bad_input_is_named():
    frame = pd.DataFrame({"close": [1.0, 2.0]}, index=pd.date_range("2020-01-01", periods=2))
    with pytest.raises(KeyError, match="no 'open' column"):
        alphaseq.indicators(frame)
    ohlc = frame.assign(open=1.0, high=2.0, low=0.5)
    with pytest.raises(alphaseq.ConfigError, match="rsxx"):
        alphaseq.indicators(ohlc, "rsxx")
    with pytest.raises(alphaseq.ConfigError, match="lenght"):
        alphaseq.indicators(ohlc, "rsi", lenght=3)
    shuffled = ohlc.iloc[::-1]
    with pytest.raises(ValueError, match="sort each ticker's rows by date"):
        alphaseq.indicators(shuffled, "sma")
    with pytest.raises(ValueError, match="apply to one indicator"):
        alphaseq.indicators(ohlc, ["rsi", "macd"], length=3)


def test_look_ahead_indicators_are_refused_unless_asked_for_and_then_loud(pandas_ta):
    series = pandas_ta["series"][0]
    frame = pd.DataFrame(
        {f: series[f] for f in ("open", "high", "low", "close", "volume")},
        index=pd.to_datetime(series["dates"]),
    )
    with pytest.raises(alphaseq.ConfigError, match="reads the future"):
        alphaseq.indicators(frame, "zigzag")
    with pytest.warns(alphaseq.LookAheadWarning) as caught:
        ours = alphaseq.indicators(frame, ["zigzag", {"kind": "dpo", "centered": True}], look_ahead=True)
    messages = [str(w.message) for w in caught]
    assert len(messages) == 2
    assert any(m.startswith("LOOK-AHEAD: ZIGZAGs_5.0%_10") for m in messages)
    assert any("DPO_20 (dpo length=20 centered=true)" in m for m in messages)
    theirs = np.array(series["columns"]["ZIGZAGv_5.0%_10"], dtype=float)
    close_enough(ours["ZIGZAGv_5.0%_10"].to_numpy(), theirs, np.abs(theirs), "ZIGZAGv")
    theirs = np.array(series["columns"]["DPO_20 (centered)"], dtype=float)
    close_enough(ours["DPO_20"].to_numpy(), theirs, np.abs(theirs), "DPO_20 centred")
    cat = alphaseq.catalogue(look_ahead=True)
    assert len(cat) == 154 and cat.reads_future.sum() == 5
    assert alphaseq.catalogue().reads_future.sum() == 0


def test_the_talib_convention_gives_pandas_ta_with_talib():
    import gzip as _gzip

    with _gzip.open(FIXTURES / "pandas_ta_talib_values.json.gz", "rt") as fh:
        series = json.load(fh)["series"][0]
    frame = pd.DataFrame(
        {f: series[f] for f in ("open", "high", "low", "close", "volume")},
        index=pd.to_datetime(series["dates"]),
    )
    ours = alphaseq.indicators(frame, ["rsi", "macd", "bbands", {"kind": "atr", "convention": "pandas_ta"}], convention="talib")
    for col in ["RSI_14", "MACD_12_26_9", "MACDs_12_26_9", "BBU_5_2.0_2.0"]:
        theirs = np.array(series["columns"][col], dtype=float)
        close_enough(ours[col].to_numpy(), theirs, np.abs(theirs), col)
    assert np.isnan(ours["RSI_14"].to_numpy()[13]) and not np.isnan(ours["RSI_14"].to_numpy()[14])
    # the per-indicator choice wins: pandas-ta's ATR, not TA-Lib's
    theirs = np.array(series["columns"]["ATRr_14"], dtype=float)
    assert not np.allclose(ours["ATRr_14"].to_numpy()[14:30], theirs[14:30])
    # TA-Lib's candlestick patterns: by name under either convention, with "candles" under TA-Lib's
    patterns = alphaseq.indicators(frame, [{"kind": "cdl_pattern", "name": ["engulfing", "hammer"]}])
    for col in ["CDL_ENGULFING", "CDL_HAMMER"]:
        assert (patterns[col].to_numpy() == np.array(series["columns"][col], dtype=float)).all(), col
    one = alphaseq.indicators(frame, [{"kind": "cdl_pattern", "name": "hammer"}])
    assert list(one.columns) == ["CDL_HAMMER"]
    with pytest.raises(alphaseq.ConfigError, match="not one of TA-Lib's candlestick patterns"):
        alphaseq.indicators(frame, [{"kind": "cdl_pattern", "name": ["hammer", "dojo"]}])
    with pytest.raises(alphaseq.ConfigError, match="selects no pattern"):
        alphaseq.indicators(frame, [{"kind": "cdl_pattern", "name": []}])
    assert "CDL_2CROWS" in alphaseq.indicators(frame, families="candles", convention="talib").columns
    assert "CDL_2CROWS" not in alphaseq.indicators(frame, families="candles").columns
    # ADX under TA-Lib: its DMP / DMN are TA-Lib's PLUS_DM / MINUS_DM, as pandas-ta gives them
    adx = alphaseq.indicators(frame, "adx", convention="talib")
    for col in ["ADX_14", "DMP_14", "DMN_14"]:
        theirs = np.array(series["columns"][col], dtype=float)
        close_enough(adx[col].to_numpy(), theirs, np.abs(theirs), col)
