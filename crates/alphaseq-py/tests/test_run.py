"""``alphaseq.run`` writes the run folder ``alphaseq run`` writes (every file but the log, bit for
bit), from a file, a dict or with overrides, and its errors name what is wrong and where."""

import subprocess
import tomllib
from pathlib import Path

import pandas as pd
import pytest

import alphaseq

from conftest import REPO

QUICKSTART = REPO / "configs" / "quickstart.toml"


def files(folder: Path) -> dict[str, bytes]:
    """Every file but run.log, with the folder's own path taken out (some files record it)."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name != "run.log":
            out[str(path.relative_to(folder))] = path.read_bytes().replace(
                str(folder).encode(), b"<run>"
            )
    return out


def test_quickstart_equals_the_binarys_run(tmp_path, cli):
    subprocess.run(
        [cli, "run", QUICKSTART, "--out", tmp_path / "cli"],
        check=True, capture_output=True, cwd=REPO,
    )
    lines = []
    run = alphaseq.run(QUICKSTART, out=tmp_path / "py", progress=lines.append)
    assert any("done in" in line for line in lines), lines
    ours, theirs = files(run.path), files(tmp_path / "cli")
    assert sorted(ours) == sorted(theirs)
    for name in theirs:
        assert ours[name] == theirs[name], f"{name} differs from the binary's"
    assert len(theirs) > 10


def test_a_run_reads_back_as_pandas(tmp_path):
    run = alphaseq.run(QUICKSTART, out=tmp_path / "r", progress=False)
    net = run.metrics["strategy"]["net"]
    assert set(net) >= {"sharpe_ratio", "annual_return", "max_drawdown"}
    equity = run.equity
    assert isinstance(equity.index, pd.DatetimeIndex) and "strategy" in equity.columns
    assert equity.index[0] == pd.Timestamp(run.metrics["strategy"]["first_return_date"])
    assert set(run.predictions.part) == {"valid", "test"}
    gross = run.positions.groupby("date").weight.apply(lambda w: w.abs().sum())
    assert (gross - 1.0).abs().max() < 1e-9  # the long/short rule's book: gross 1
    assert "&lt;svg" in run._repr_html_() and run.report_path.exists()  # the report, escaped
    again = alphaseq.load_run(run.path)
    assert again.metrics == run.metrics and "[data]" in again.config


def test_a_dict_and_overrides_give_the_file_s_run(tmp_path):
    config = tomllib.loads(QUICKSTART.read_text())
    config["data"]["prices"] = [str(REPO / "data" / "sample" / "prices.csv.gz")]
    config["data"]["sectors"] = str(REPO / "data" / "sample" / "sectors.csv")
    from_dict = alphaseq.run(config, {"strategy.cost_bps": 10}, out=tmp_path / "d", progress=False)
    from_file = alphaseq.run(
        QUICKSTART, {"strategy.cost_bps": 10}, out=tmp_path / "f", progress=False
    )
    assert from_dict.metrics["strategy"] == from_file.metrics["strategy"]
    assert from_dict.metrics["strategy"]["cost_bps"] == 10


def test_errors_name_the_key_the_line_and_the_file(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(QUICKSTART.read_text().replace('rule = "long_short"', 'rule = "sideways"'))
    with pytest.raises(alphaseq.ConfigError, match=r"(?s)bad\.toml.*line 35.*sideways.*expected one of"):
        alphaseq.run(bad, out=tmp_path / "x", progress=False)
    with pytest.raises(alphaseq.ConfigError, match="epochz"):
        alphaseq.run(QUICKSTART, {"training.epochz": 3}, out=tmp_path / "y", progress=False)
    with pytest.raises(alphaseq.FileError, match="nope.csv") as e:
        alphaseq.run({"name": "x", "data": {"prices": ["nope.csv"]}}, out=tmp_path / "z",
                     progress=False)
    assert isinstance(e.value, OSError)
    with pytest.raises(alphaseq.ConfigError, match=r"^data\.prices\.1: None"):
        alphaseq.run({"name": "n", "data": {"prices": ["a.csv", None]}}, progress=False)
    (tmp_path / "half").mkdir()
    with pytest.raises(alphaseq.IncompleteRunError, match="resume"):
        alphaseq.load_run(tmp_path / "half")


def test_signal_on_a_past_date_gives_the_backtest_s_positions(tmp_path, cli):
    run = alphaseq.run(QUICKSTART, out=tmp_path / "r", progress=False)
    held = run.positions
    day = held.date.iloc[len(held) // 2]
    ours = run.signal(asof=day)
    assert ours.attrs["asof"] == day
    backtest = held[held.date == day].set_index("ticker").weight
    assert ours.weight.to_dict() == backtest.to_dict()
    # the same from a frame of prices, and from the binary
    prices = pd.read_csv(REPO / "data" / "sample" / "prices.csv.gz", parse_dates=["date"])
    assert run.signal(prices[prices.date <= day], asof=day).equals(ours)
    out = tmp_path / "signal.csv"
    subprocess.run([cli, "signal", "--run", run.path, "--asof", str(day.date()), "--out", out],
                   check=True, capture_output=True)
    theirs = pd.read_csv(out).set_index("ticker")
    assert theirs.weight.to_dict() == ours.weight.to_dict()
    # a holiday takes the bar before it, and says so; stale prices are refused
    saturday = pd.Timestamp("2019-06-01")
    assert run.signal(asof=saturday).attrs["notes"], "a note on the non-trading day"
    with pytest.raises(alphaseq.DataError, match="stale"):
        run.signal(prices[prices.date <= "2019-05-01"], asof="2019-06-03")


def test_orders_from_holdings_equal_the_binary_s(tmp_path, cli):
    run = alphaseq.run(QUICKSTART, out=tmp_path / "r", progress=False)
    day = run.positions.date.iloc[-1]
    held = {"AAPL": 100.0, "XOM": -50.0, "CASH": 25000.0}
    ours = run.orders(held, asof=day)
    signal = run.signal(asof=day)
    traded = ours.loc[signal.index]
    assert traded.target_weight.to_dict() == signal.weight.to_dict()
    prices = pd.read_csv(REPO / "data" / "sample" / "prices.csv.gz", parse_dates=["date"])
    close = prices[prices.date == day].set_index("ticker").close
    capital = 25000.0 + 100.0 * close["AAPL"] - 50.0 * close["XOM"]
    assert ours.attrs["capital"] == pytest.approx(capital, rel=1e-12)
    assert (ours.target_shares == (ours.target_weight * ours.attrs["capital"] / ours.price)
            .apply(int).astype(float)).all()
    assert (ours.trade_shares == ours.target_shares - ours.current_shares).all()
    # the same list from a holdings file, and from the binary
    path = tmp_path / "holdings.csv"
    path.write_text("ticker,shares\nAAPL,100\nXOM,-50\nCASH,25000\n")
    assert run.orders(path, asof=day).equals(ours)
    out = tmp_path / "signal.csv"
    subprocess.run([cli, "signal", "--run", run.path, "--asof", str(day.date()), "--out", out,
                    "--holdings", path], check=True, capture_output=True)
    theirs = pd.read_csv(tmp_path / "signal.orders.csv").set_index("ticker")
    assert theirs.drop(columns="asof").to_dict() == ours.to_dict()
    # fractional shares of a given capital; a bad file names its line
    frac = run.orders(held, asof=day, capital=1e6, fractional=True)
    assert frac.target_shares.to_dict() == (frac.target_weight * 1e6 / frac.price).to_dict()
    path.write_text("ticker,shares\nAAPL,many\n")
    with pytest.raises(alphaseq.DataError, match="holdings.csv:2: unparseable shares"):
        run.orders(path, asof=day)
