//! `alphaseq run` on the quickstart: every file of the run folder, their structure, and
//! bit-for-bit reproducibility.

use crate::util::{alphaseq, assert_signal_reproduces_the_run, repo_root, stderr};

#[test]
fn quickstart_writes_a_complete_reproducible_run_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    for dir in [&a, &b] {
        let o = alphaseq(
            &repo_root(),
            &["run", "configs/quickstart.toml", "--out", dir.to_str().unwrap()],
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(String::from_utf8_lossy(&o.stdout).contains("report.html"));
    }
    for name in [
        "config.toml",
        "metrics.json",
        "predictions.csv",
        "equity.csv",
        "scaler.json",
        "stress.csv",
        "positions.csv",
        "report.html",
        "run.log",
    ] {
        assert!(a.join(name).is_file(), "{name} missing");
    }
    crate::golden::assert_matches_golden(&a, "quickstart", false);
    let leftovers: Vec<_> = std::fs::read_dir(&a)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    for name in ["metrics.json", "predictions.csv", "equity.csv", "report.html", "config.toml"] {
        assert!(
            std::fs::read(a.join(name)).unwrap() == std::fs::read(b.join(name)).unwrap(),
            "{name} differs between two identical runs"
        );
    }

    let metrics: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(a.join("metrics.json")).unwrap()).unwrap();
    for key in ["annual_return", "annual_volatility", "sharpe_ratio", "max_drawdown"] {
        assert!(metrics["strategy"]["net"][key].is_number(), "strategy {key}");
        assert!(metrics["benchmark"]["buy_and_hold"][key].is_number(), "benchmark {key}");
    }
    assert_eq!(metrics["split"]["train_end"], "2013-12-31");

    let predictions = std::fs::read_to_string(a.join("predictions.csv")).unwrap();
    assert!(predictions.starts_with("date,ticker,prediction,target,part\n"));
    let equity = std::fs::read_to_string(a.join("equity.csv")).unwrap();
    assert!(equity.starts_with("date,strategy,strategy_gross,cost,turnover,market,buy_and_hold,buy_and_hold_turnover,equal_weight,"));
    assert!(
        equity.lines().nth(1).unwrap().starts_with("2017-01-04,"),
        "first test return is booked the day after the first test decision"
    );

    let html = std::fs::read_to_string(a.join("report.html")).unwrap();
    for needle in [
        "<h2>Performance (empyrical definitions)</h2>",
        "<td>Sharpe ratio</td>",
        "<th>^GSPC buy and hold</th>",
        "<th>equal weight long-only</th>",
        "<th>momentum 126 (market neutral)</th>",
        "<td>t-stat of returns on signal</td>",
        "<h2>Cumulative returns</h2>",
        "<h2>Drawdown (underwater)</h2>",
        "<h2>Monthly returns: strategy (net)</h2>",
        "<h2>Annual returns</h2>",
        "<h2>Rolling Sharpe ratio (126 periods)</h2>",
        "<h2>Rolling volatility (126 periods, annualised)</h2>",
        "<h2>Rolling beta to ^GSPC (126 periods)</h2>",
        "<h2>Sharpe ratio by calendar year</h2>",
        "<h2>Correlation of returns across strategies (Pearson)</h2>",
        "<h2>Signal-lag stress: Sharpe ratio with the signal delayed (at 5 bps)</h2>",
        "<h2>Cost sweep: Sharpe ratio by cost (lag 0)</h2>",
        "<h2>Forecast quality (scikit-learn definitions)</h2>",
        "<h2>Information coefficient per date on the test span</h2>",
        "<h2>Rolling Rank IC (21- and 63-date means)</h2>",
        "<h2>Mean realised target by prediction quintile",
    ] {
        assert!(html.contains(needle), "report lacks {needle}");
    }
    assert!(!html.contains("Confusion matrix"), "a regression target has no classifier sections");
    assert!(html.contains("<h1 class=\"part\">How much to believe this</h1>"), "significance");
    assert!(html.contains("<h2>Information analysis (Spearman IC per date"), "factor tear sheet");
    assert_eq!(
        html.matches("<svg").count(),
        23,
        "8 performance, 2 stress, 4 forecast and 9 factor tear-sheet charts"
    );
    assert!(!html.contains("<script") && !html.contains("<link"), "self-contained");
    // the report is a function of the run folder: re-rendering gives the same bytes
    let again = tmp.path().join("again.html");
    let o =
        alphaseq(&repo_root(), &["report", a.to_str().unwrap(), "--out", again.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(std::fs::read(&again).unwrap() == std::fs::read(a.join("report.html")).unwrap());
    crate::util::assert_signal_reproduces_the_run(&repo_root(), &a, "2020-06-15");
    let metrics_ic = &metrics["evaluation"]["ics"]["rank_ic"];
    assert_eq!(metrics_ic["dates"].as_u64(), Some(1081));
    assert!(html.contains(&format!("<td>{:.4}</td>", metrics_ic["mean"].as_f64().unwrap())));
    let resolved = std::fs::read_to_string(a.join("config.toml")).unwrap();
    assert!(
        resolved.contains("[features]") && resolved.contains("missing = \"drop\""),
        "{resolved}"
    );
    // a date before the first price is an error, not a crash
    let o =
        alphaseq(&repo_root(), &["signal", "--run", a.to_str().unwrap(), "--asof", "1990-01-02"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("no price dates between"), "{}", stderr(&o));
    // the run record is typed: a renamed field is an error naming it, not a silent "n/a"
    assert_eq!(metrics["schema_version"], 1);
    let text = std::fs::read_to_string(b.join("metrics.json")).unwrap();
    std::fs::write(b.join("metrics.json"), text.replace("\"valid_sharpe\"", "\"val_sharpe\""))
        .unwrap();
    let o = alphaseq(&repo_root(), &["report", b.to_str().unwrap()]);
    assert_ne!(o.status.code(), Some(0));
    assert!(stderr(&o).contains("unknown field `val_sharpe`"), "{}", stderr(&o));
    std::fs::write(
        b.join("metrics.json"),
        text.replace("\"schema_version\": 1", "\"schema_version\": 7"),
    )
    .unwrap();
    let o = alphaseq(&repo_root(), &["report", b.to_str().unwrap()]);
    assert!(stderr(&o).contains("schema_version 7"), "{}", stderr(&o));
}

#[test]
fn a_recurrent_model_trains_end_to_end_reproducibly() {
    let tmp = tempfile::tempdir().unwrap();
    let root = repo_root();
    let config = format!(
        r#"name = "lstm-small"
[data]
prices = ["{prices}"]
calendar = "^GSPC"
benchmark = "^GSPC"
tickers = ["AAPL", "MSFT", "JPM", "XOM"]
start = 2012-01-01
[dataset]
sequence_length = 10
[dataset.split]
train_end = 2017-12-31
valid_end = 2019-12-31
[model]
kind = "recurrent"
[[model.layers]]
type = "lstm"
units = 8
return_sequences = true
[[model.layers]]
type = "lstm"
units = 4
[[model.layers]]
type = "dense"
units = 1
[training]
epochs = 2
batch_size = 128
seed = 7
"#,
        prices = root.join("data/sample/prices.csv.gz").display()
    );
    let path = crate::util::write(tmp.path(), "lstm.toml", &config);
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    for dir in [&a, &b] {
        let o =
            alphaseq(tmp.path(), &["run", path.to_str().unwrap(), "--out", dir.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    let history = std::fs::read_to_string(a.join("history.csv")).unwrap();
    assert!(
        history.starts_with("epoch,loss,val_loss\n") && history.lines().count() == 3,
        "{history}"
    );
    let metrics: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(a.join("metrics.json")).unwrap()).unwrap();
    assert_eq!(metrics["model"]["name"], "LSTM(8, seq) -> LSTM(4) -> Dense(1)");
    assert_eq!(metrics["model"]["parameters"], 4 * (8 * (5 + 8) + 8) + 4 * (4 * (8 + 4) + 4) + 5);
    assert!(std::fs::read_to_string(a.join("report.html")).unwrap().contains("Training history"));
    for name in ["model.safetensors", "model.torch.safetensors", "model.json"] {
        assert!(
            std::fs::read(a.join(name)).unwrap() == std::fs::read(b.join(name)).unwrap(),
            "{name}: same seed, same bytes"
        );
    }
    for name in ["predictions.csv", "equity.csv", "metrics.json", "history.csv", "training.json"] {
        assert!(
            std::fs::read(a.join(name)).unwrap() == std::fs::read(b.join(name)).unwrap(),
            "{name}: same seed, same bytes"
        );
    }
}

#[test]
fn a_date_range_without_prices_is_an_error_not_a_crash() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("run");
    let o = alphaseq(
        &repo_root(),
        &[
            "run",
            "configs/quickstart.toml",
            "--out",
            out.to_str().unwrap(),
            "--set",
            "data.start=2030-01-01",
            "--set",
            "data.end=2030-12-31",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("no price dates between data.start 2030-01-01 and data.end 2030-12-31"),
        "{err}"
    );
    assert!(err.contains("the prices span 2005-"), "{err}");
}

#[test]
fn every_shipped_config_is_valid() {
    let dir = repo_root().join("configs");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let o = alphaseq(&repo_root(), &["run", path.to_str().unwrap(), "--check"]);
            assert_eq!(o.status.code(), Some(0), "{}: {}", path.display(), stderr(&o));
            assert!(
                String::from_utf8_lossy(&o.stdout).contains("[data]"),
                "the resolved config is printed"
            );
            n += 1;
        }
    }
    assert!(n >= 2);
}

#[test]
fn model_summary_prints_a_keras_like_table() {
    let o = alphaseq(&repo_root(), &["model", "summary", "configs/lstm_quickstart.toml"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("Layer (type)") && lines[0].ends_with("Param #"), "{out}");
    assert!(out.contains("lstm (LSTM)          (None, 16)        1,408"), "{out}");
    assert!(out.contains("Total params: 1,425"), "{out}");
    let linear = alphaseq(&repo_root(), &["model", "summary", "configs/quickstart.toml"]);
    assert_eq!(linear.status.code(), Some(2), "a linear model has no network to summarise");
}

#[test]
fn a_ticker_embedding_model_trains_on_weekly_bars() {
    let tmp = tempfile::tempdir().unwrap();
    let config = format!(
        r#"name = "embedding-small"
[data]
prices = ["{prices}"]
calendar = "^GSPC"
benchmark = "^GSPC"
tickers = ["AAPL", "MSFT", "JPM", "XOM", "KO"]
frequency = "weekly"
[features]
returns = [1]
volatility = []
[dataset]
sequence_length = 12
[dataset.split]
train_end = 2015-12-31
valid_end = 2017-12-31
[model]
kind = "recurrent"
ticker_embedding = 3
[[model.layers]]
type = "lstm"
units = 6
[[model.head]]
type = "batch_norm"
[[model.head]]
type = "dense"
units = 1
[training]
epochs = 2
batch_size = 32
"#,
        prices = repo_root().join("data/sample/prices.csv.gz").display()
    );
    let path = crate::util::write(tmp.path(), "emb.toml", &config);
    let summary = alphaseq(tmp.path(), &["model", "summary", path.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&summary.stdout).into_owned();
    // 5 traded tickers + the benchmark in the panel: a vocabulary of 6.
    assert!(
        text.contains("embedding (Embedding)")
            && text.contains("18")
            && text.contains("concatenate (Concatenate)"),
        "{text}"
    );
    let out = tmp.path().join("run");
    let o = alphaseq(tmp.path(), &["run", path.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let metrics: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("metrics.json")).unwrap()).unwrap();
    let lstm = 4 * (6 * (1 + 6) + 6);
    assert_eq!(metrics["model"]["parameters"], lstm + 6 * 3 + 4 * 9 + 10);
    assert!(metrics["model"]["name"].as_str().unwrap().contains("ticker embedding 3"));
}

#[test]
fn compressed_outputs_hold_the_same_rows() {
    let tmp = tempfile::tempdir().unwrap();
    let (plain, gz) = (tmp.path().join("plain"), tmp.path().join("gz"));
    for (dir, extra) in [(&plain, &[][..]), (&gz, &["--set", "report.compress=true"][..])] {
        let args = [&["run", "configs/quickstart.toml", "--out", dir.to_str().unwrap()][..], extra];
        let o = alphaseq(&repo_root(), &args.concat());
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    for name in ["predictions.csv", "positions.csv"] {
        let unpacked =
            alphaseq::data::csv::read_maybe_gzip(&gz.join(format!("{name}.gz"))).unwrap();
        let text = std::fs::read(plain.join(name)).unwrap();
        assert!(unpacked == text, "{name}: the .gz holds other rows");
        assert!(!gz.join(name).exists(), "{name} written besides its .gz");
        let packed = std::fs::metadata(gz.join(format!("{name}.gz"))).unwrap().len();
        // full-precision numbers: gzip's fast level takes about half
        assert!(packed * 10 < text.len() as u64 * 7, "{name}: {packed} of {} bytes", text.len());
    }
    let config = std::fs::read_to_string(gz.join("config.toml")).unwrap();
    assert!(config.contains("compress = true"), "{config}");
}

#[test]
fn a_network_with_a_sequence_output_trains_many_to_many() {
    // an LSTM returning sequences into a time-distributed dense layer: every step of a window
    // enters the loss (this configuration used to panic with exit 101)
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("seq");
    let o = alphaseq(
        &repo_root(),
        &[
            "run",
            "configs/lstm_quickstart.toml",
            "--out",
            out.to_str().unwrap(),
            "--set",
            "model.layers.0.return_sequences=true",
            "--set",
            "model.layers.0.units=4",
            "--set",
            "training.epochs=2",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(out.join("COMPLETE").is_file());
    let log = std::fs::read_to_string(out.join("run.log")).unwrap();
    assert!(log.contains("LSTM(4, seq) -> Dropout(0.1) -> Dense(1)"), "{log}");
}

#[test]
fn a_threshold_chosen_on_validation_trades_as_if_configured() {
    let tmp = tempfile::tempdir().unwrap();
    let quick = repo_root().join("configs/quickstart.toml");
    let run = |out: &str, sets: &[&str]| {
        let mut args = vec!["run", quick.to_str().unwrap(), "--out", out];
        for s in ["dataset.target=\"direction\"", "strategy.rule=\"long_above\""].iter().chain(sets)
        {
            args.extend(["--set", s]);
        }
        let o = alphaseq(tmp.path(), &args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        tmp.path().join(out)
    };
    let chosen = run("chosen", &["strategy.choose_threshold=true"]);
    // the threshold with the best validation Sharpe ratio (the first of equals), never the test's
    let sweep = std::fs::read_to_string(chosen.join("thresholds.csv")).unwrap();
    let rows: Vec<Vec<&str>> = sweep.lines().skip(1).map(|l| l.split(',').collect()).collect();
    let valid = |r: &Vec<&str>| r[7].parse::<f64>().unwrap_or(f64::NEG_INFINITY);
    let best = rows.iter().fold(&rows[0], |b, r| if valid(r) > valid(b) { r } else { b });
    let record: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(chosen.join("metrics.json")).unwrap())
            .unwrap();
    let threshold = record["strategy"]["threshold_chosen"].as_f64().unwrap();
    assert_eq!(threshold, best[0].parse::<f64>().unwrap());
    let test_best = rows.iter().fold(&rows[0], |b, r| {
        let s = |r: &Vec<&str>| r[1].parse::<f64>().unwrap_or(f64::NEG_INFINITY);
        if s(r) > s(b) {
            r
        } else {
            b
        }
    });
    assert_ne!(best[0], test_best[0], "this run's validation and test disagree: a real choice");
    // trading it is trading that threshold as configured
    let fixed = run("fixed", &[&format!("strategy.threshold={threshold}")]);
    for name in ["equity.csv", "positions.csv"] {
        let same =
            std::fs::read(chosen.join(name)).unwrap() == std::fs::read(fixed.join(name)).unwrap();
        assert!(same, "{name}");
    }
    let html = std::fs::read_to_string(chosen.join("report.html")).unwrap();
    assert!(html.contains("chosen on the validation predictions") && html.contains("diagnostic"));
    assert_signal_reproduces_the_run(tmp.path(), &chosen, "2019-06-03");
}
