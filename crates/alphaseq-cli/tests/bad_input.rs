//! Bad input, interrupted runs and stale data: every case exits with a clear message naming
//! what and where, never a panic (exit 101) and never a silent result.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::util::{alphaseq, repo_root, stderr, stdout, write};

/// `configs/quickstart.toml` (linear, seconds to run) or `configs/lstm_quickstart.toml` in `dir`
/// with absolute data paths and `edit` applied.
fn config(dir: &Path, name: &str, edit: impl Fn(String) -> String) -> PathBuf {
    let root = repo_root();
    let text = std::fs::read_to_string(root.join("configs").join(name))
        .unwrap()
        .replace("\"../data/sample/", &format!("\"{}/data/sample/", root.display()));
    write(dir, name, &edit(text))
}

/// The sample's rows of `tickers` from 2012 on, as CSV text.
fn sample_rows(tickers: &[&str]) -> String {
    let bytes =
        alphaseq::data::csv::read_maybe_gzip(&repo_root().join("data/sample/prices.csv.gz"))
            .unwrap();
    let text = String::from_utf8(bytes).unwrap();
    let mut lines = text.lines();
    let mut out = format!("{}\n", lines.next().unwrap());
    for l in lines {
        let mut f = l.split(',');
        let (date, ticker) = (f.next().unwrap(), f.next().unwrap());
        if date >= "2012" && tickers.contains(&ticker) {
            out.push_str(l);
            out.push('\n');
        }
    }
    out
}

#[test]
fn a_closed_stdout_is_a_normal_end() {
    let tmp = tempfile::tempdir().unwrap();
    let prices = repo_root().join("data/sample/prices.csv.gz");
    for args in [vec!["data", "check", prices.to_str().unwrap()], vec!["features", "list"]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_alphaseq"))
            .args(&args)
            .current_dir(tmp.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take()); // the reader went away (`| head` after its lines)
        let o = child.wait_with_output().unwrap();
        assert_ne!(o.status.code(), Some(101), "{args:?} panicked: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn an_interrupted_search_is_not_taken_for_a_finished_run() {
    let tmp = tempfile::tempdir().unwrap();
    let search = config(tmp.path(), "quickstart.toml", |t| {
        t + "\n[search]\nmethod = \"grid\"\nspace = { \"model.ridge\" = [0.0, 10.0] }\n"
    });
    let dir = tmp.path().join("run");
    let args = ["run", search.to_str().unwrap(), "--out", dir.to_str().unwrap()];
    let o = alphaseq(tmp.path(), &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let finished: Vec<(String, Vec<u8>)> = ["search.csv", "report.html", "metrics.json"]
        .iter()
        .map(|n| (n.to_string(), std::fs::read(dir.join(n)).unwrap()))
        .collect();
    // what a kill while the best trial's files are published leaves: some of them copied, no
    // search table, no marker, and a temporary file of the dead process
    for name in ["search.csv", "report.html", "COMPLETE"] {
        std::fs::remove_file(dir.join(name)).unwrap();
    }
    let stale = dir.join(".report.html.4999999.tmp");
    std::fs::write(&stale, "half a report").unwrap();
    let o = alphaseq(tmp.path(), &["report", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("not a finished run (no COMPLETE marker)"), "{}", stderr(&o));
    let o = alphaseq(tmp.path(), &["signal", "--run", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("not a finished run"), "{}", stderr(&o));
    // the same command again publishes the same files, from the finished trials
    let o = alphaseq(tmp.path(), &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o).matches("(finished earlier)").count(), 2, "{}", stderr(&o));
    for (name, bytes) in &finished {
        assert!(std::fs::read(dir.join(name)).unwrap() == *bytes, "{name} differs");
    }
    assert!(dir.join("COMPLETE").exists() && !stale.exists());
}

#[test]
fn a_folder_that_holds_no_run_is_never_used_or_cleared() {
    let tmp = tempfile::tempdir().unwrap();
    let quick = config(tmp.path(), "quickstart.toml", |t| t);
    let dir = tmp.path().join("mine");
    std::fs::create_dir_all(&dir).unwrap();
    write(&dir, "thesis.tex", "precious");
    for extra in [&[][..], &["--force"][..]] {
        let args = [&["run", quick.to_str().unwrap(), "--out", dir.to_str().unwrap()][..], extra];
        let o = alphaseq(tmp.path(), &args.concat());
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains("holds no run"), "{}", stderr(&o));
    }
    assert_eq!(std::fs::read_to_string(dir.join("thesis.tex")).unwrap(), "precious");
}

#[test]
fn extreme_prices_and_huge_learning_rates_stop_with_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    // one close of 1e300: the linear model's training error is not finite
    let mut rows = sample_rows(&["AAPL", "MSFT", "^GSPC"]);
    let line = rows.lines().find(|l| l.starts_with("2013-05-01,AAPL,")).unwrap().to_string();
    let mut f: Vec<&str> = line.split(',').collect();
    f[3] = "1e300";
    f[5] = "1e300";
    f[6] = "1e300";
    rows = rows.replace(&line, &f.join(","));
    write(tmp.path(), "huge.csv", &rows);
    let quick = config(tmp.path(), "quickstart.toml", |t| {
        t.replace("\"../data/sample/prices.csv.gz\"", "\"huge.csv\"").replace(
            &format!("\"{}/data/sample/prices.csv.gz\"", repo_root().display()),
            "\"huge.csv\"",
        )
    });
    let o = alphaseq(tmp.path(), &["run", quick.to_str().unwrap(), "--out", "a"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("the training MSE is inf"), "{}", stderr(&o));
    assert!(!tmp.path().join("a/COMPLETE").exists());

    // a learning rate of 1e6: the network's loss never comes near the mean's
    let lstm = config(tmp.path(), "lstm_quickstart.toml", |t| {
        t.replace("epochs = 15", "epochs = 2").replace("units = 16", "units = 4")
    });
    let lstm = lstm.to_str().unwrap();
    let o =
        alphaseq(tmp.path(), &["run", lstm, "--out", "b", "--set", "training.optimizer.lr=1e6"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("training diverged") && err.contains("lr = 1000000"), "{err}");
}

#[test]
fn negative_volume_and_a_duplicated_column_are_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let neg = write(
        tmp.path(),
        "neg.csv",
        "date,ticker,open,high,low,close,volume\n2020-01-02,A,1,2,0.5,1.5,100\n2020-01-03,A,1,2,0.5,1.5,-100\n",
    );
    let o = alphaseq(tmp.path(), &["data", "check", neg.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("neg.csv:3: error[negative-volume]"), "{}", stdout(&o));
    let dup = write(
        tmp.path(),
        "dup.csv",
        "date,ticker,open,high,low,close,Close,volume\n2020-01-02,A,1,2,0.5,1.5,1.4,100\n",
    );
    let o = alphaseq(tmp.path(), &["data", "check", dup.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let out = stdout(&o);
    assert!(
        out.contains("error[duplicate-column]")
            && out.contains("columns 6 (\"close\") and 7 (\"Close\")"),
        "{out}"
    );
}

#[test]
fn files_that_are_not_price_text_are_named_as_such() {
    let tmp = tempfile::tempdir().unwrap();
    let check = |path: &Path| alphaseq(tmp.path(), &["data", "check", path.to_str().unwrap()]);
    let header = write(tmp.path(), "header.csv", "date,ticker,open,high,low,close,volume\n");
    let o = check(&header);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("error[no-rows]") && stdout(&o).contains("unusable"),
        "{}",
        stdout(&o)
    );

    let binary = tmp.path().join("prices.csv");
    let mut bytes = b"PK\x03\x04".to_vec();
    bytes.extend((0..2000u32).map(|i| (i % 251) as u8));
    std::fs::write(&binary, &bytes).unwrap();
    let o = check(&binary);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("not a text CSV file") && stdout(&o).contains("zip or Excel"),
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).len() < 1000, "raw bytes printed: {}", stdout(&o).len());

    let gz = repo_root().join("data/sample/prices.csv.gz");
    let whole = std::fs::read(gz).unwrap();
    let cut = tmp.path().join("cut.csv.gz");
    std::fs::write(&cut, &whole[..whole.len() / 2]).unwrap();
    let o = check(&cut);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("the gzip data is truncated or corrupt"), "{err}");
    assert_eq!(err.matches("deflate").count(), 1, "the cause once: {err}");

    let latin = tmp.path().join("latin.csv");
    let mut text = b"date,ticker,open,high,low,close\n2020-01-02,CAF".to_vec();
    text.extend([0xC9]);
    text.extend(b",1,2,0.5,1.5\n");
    std::fs::write(&latin, text).unwrap();
    let o = check(&latin);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.contains("latin.csv:2")
            && out.contains("byte 0xC9 is not UTF-8")
            && out.contains("CAFÉ"),
        "{out}"
    );
}

#[test]
fn a_signal_refuses_prices_too_old_for_its_date() {
    let tmp = tempfile::tempdir().unwrap();
    let quick = config(tmp.path(), "quickstart.toml", |t| t);
    let o = alphaseq(tmp.path(), &["run", quick.to_str().unwrap(), "--out", "q"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = alphaseq(tmp.path(), &["signal", "--run", "q", "--asof", "2030-01-02"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("the prices end on 2021-") && err.contains("stale"), "{err}");
    let o = alphaseq(
        tmp.path(),
        &["signal", "--run", "q", "--asof", "2030-01-02", "--max-stale-days", "100000"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("is not a trading day of the prices; using the last bar"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn sector_neutral_weights_need_every_sector() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "sectors.csv", "ticker,sector\nAAPL,Information Technology\n");
    let quick = config(tmp.path(), "quickstart.toml", |t| {
        let sectors = format!("\"{}/data/sample/sectors.csv\"", repo_root().display());
        t.replace(&sectors, "\"sectors.csv\"")
            .replace("rule = \"long_short\"", "rule = \"mean_variance\"\nneutral = \"sector\"")
    });
    let o = alphaseq(tmp.path(), &["run", quick.to_str().unwrap(), "--out", "s"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("data.sectors: 28 traded ticker(s) have no sector"), "{err}");
}

#[test]
fn config_errors_exit_2_naming_key_line_and_column() {
    let tmp = tempfile::tempdir().unwrap();
    let lstm = |edit: &dyn Fn(String) -> String| config(tmp.path(), "lstm_quickstart.toml", edit);
    let cases: [(&dyn Fn(String) -> String, &str); 8] = [
        (&|t| t.replacen("units = 16", "units = 0", 1), "line 30, column 1: model.layers.0: units must be at least 1"),
        (&|t| t.replace("rate = 0.1", "rate = 1.5"), "line 34, column 1: model.layers.1: dropout rate 1.5 must be in [0, 1)"),
        (&|t| t.replace("valid_end = 2016-12-31", "valid_end = 2012-12-31"), "line 24, column 13: dataset.split.valid_end: 2012-12-31 must be after train_end 2013-12-31"),
        (&|t| t.replace("lr = 0.001", "lr = 0.0"), "line 51, column 6: training.optimizer.lr: 0 must be a positive number"),
        (&|t| t.replace("batch_size = 256", "batch_size = 0"), "line 44, column 14: training.batch_size: must be at least 1"),
        (&|t| t.replace("epochs = 15", "epochs = 0"), "line 43, column 10: training.epochs: must be at least 1"),
        (&|t| t.replace("train_end = 2013-12-31\nvalid_end = 2016-12-31", "ratios = [0.5, 0.2, 0.2]"), "dataset.split.ratios: [0.5, 0.2, 0.2] must be three fractions summing to 1"),
        (&|t| t.replace("epochs = 15", "epochs = 15\nwarm_start = { epochs = 3 }"), "training.warm_start: starts each walk-forward refit from the previous one: add [dataset.walk_forward]"),
    ];
    let mut wrong = vec![];
    for (edit, expected) in cases {
        let path = lstm(edit);
        let o = alphaseq(tmp.path(), &["run", path.to_str().unwrap(), "--check"]);
        if o.status.code() != Some(2) || !stderr(&o).contains(expected) {
            wrong.push(format!(
                "expected {expected:?}, exit 2; got {:?}: {}",
                o.status.code(),
                stderr(&o)
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // a value set by --set is cited as that --set, not as a line of the file
    let path = lstm(&|t| t);
    let o = alphaseq(
        tmp.path(),
        &["run", path.to_str().unwrap(), "--check", "--set", "model.layers.0.units=0"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o)
            .contains("--set model.layers.0.units=0: model.layers.0: units must be at least 1"),
        "{}",
        stderr(&o)
    );
    let o = alphaseq(
        tmp.path(),
        &["run", path.to_str().unwrap(), "--check", "--set", "training.epochs=\"many\""],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("--set training.epochs=\"many\"") && !err.contains("line"), "{err}");
    // the strategy's keys between the rule and the book
    let quick = config(tmp.path(), "quickstart.toml", |t| t);
    for (set, expected) in [
        (
            "strategy.optimizer={}",
            "strategy.optimizer: is the cost-aware form of rule = \"mean_variance\"",
        ),
        ("strategy.rebalance=\"fortnightly\"", "unknown schedule \"fortnightly\""),
        (
            "strategy.realised_vol_window=63",
            "strategy.realised_vol_window: corrects the volatility target",
        ),
        ("strategy.max_trade=-1.0", "strategy.max_trade: -1 must be a positive number"),
        (
            "strategy.costs={min_cost=5.0}",
            "strategy.costs.min_cost: is in currency: set strategy.costs.capital",
        ),
        (
            "strategy.costs={by_ticker={AAPL=[1.0,-2.0]}}",
            "strategy.costs.by_ticker.AAPL: buy 1, sell -2: rates must be basis points >= 0",
        ),
        ("strategy.rule=\"topk_dropout\"", "\"topk_dropout\" needs [strategy.topk_dropout]"),
        (
            "strategy.topk_dropout={topk=5,n_drop=1}",
            "strategy.topk_dropout: is the setting of rule = \"topk_dropout\"",
        ),
        (
            "strategy.covariance={pca={factors=0}}",
            "strategy.covariance: pca needs at least 1 factor",
        ),
        (
            "strategy.choose_threshold=true",
            "strategy.choose_threshold: chooses the threshold of rule = \"long_above\"",
        ),
    ] {
        let o = alphaseq(tmp.path(), &["run", quick.to_str().unwrap(), "--check", "--set", set]);
        assert_eq!(o.status.code(), Some(2), "{set}: {}", stderr(&o));
        assert!(stderr(&o).contains(expected), "{set}: {}", stderr(&o));
    }
    // an unknown calendar ticker is a usage error in run as in data check
    let path = config(tmp.path(), "quickstart.toml", |t| {
        t.replace("calendar = \"^GSPC\"", "calendar = \"^NOPE\"")
    });
    let o = alphaseq(tmp.path(), &["run", path.to_str().unwrap(), "--out", "c"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("^NOPE"), "{}", stderr(&o));
}

#[test]
fn a_split_the_prices_were_not_adjusted_for_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    // AAPL's 7:1 split of 2014-06-09 in raw prices, with no adj_close to adjust them
    let rows: String = sample_rows(&["AAPL"])
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            format!("{},{}\n", f[..6].join(","), f[7])
        })
        .collect();
    let raw = write(tmp.path(), "raw.csv", &rows);
    let o = alphaseq(tmp.path(), &["data", "check", raw.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let out = stdout(&o);
    assert!(
        out.contains("error[unadjusted-split] AAPL 2014-06-09")
            && out.contains("likely a 7:1 split"),
        "{out}"
    );
    // the properly adjusted sample has none
    let sample = repo_root().join("data/sample/prices.csv.gz");
    let o = alphaseq(tmp.path(), &["data", "check", sample.to_str().unwrap()]);
    assert!(!stdout(&o).contains("unadjusted-split"), "{}", stdout(&o));
}

#[test]
fn a_cryptocurrencys_weekends_are_not_days_the_stocks_miss() {
    let tmp = tempfile::tempdir().unwrap();
    let mut text = String::from("date,ticker,open,high,low,close,volume\n");
    let mut day = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    let last = chrono::NaiveDate::from_ymd_opt(2020, 12, 31).unwrap();
    while day <= last {
        text.push_str(&format!("{day},BTC-USD,1,2,0.5,1.5,100\n"));
        // a stock trades on weekdays, and is missing one of them
        let weekend = chrono::Datelike::weekday(&day).number_from_monday() > 5;
        if !weekend && day.to_string() != "2020-06-10" {
            text.push_str(&format!("{day},STOCK,1,2,0.5,1.5,100\n"));
        }
        day = day.succ_opt().unwrap();
    }
    let path = write(tmp.path(), "mixed.csv", &text);
    let o = alphaseq(tmp.path(), &["data", "check", path.to_str().unwrap(), "--json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let missing: Vec<&str> = v["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["kind"] == "missing-trading-day")
        .map(|i| i["date"].as_str().unwrap())
        .collect();
    assert_eq!(missing, ["2020-06-10"]);
}

#[test]
fn a_run_larger_than_the_memory_limit_stops_before_computing_features() {
    let tmp = tempfile::tempdir().unwrap();
    let quick = config(tmp.path(), "quickstart.toml", |t| t);
    let quick = quick.to_str().unwrap();
    let o = alphaseq(tmp.path(), &["run", quick, "--out", "a", "--memory-limit", "0.01"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("not enough memory: this run needs about"), "{err}");
    assert!(err.contains("(panel 6 MB, features 5 MB,") && err.contains("is 10 MB"), "{err}");
    assert!(
        !tmp.path().join("a/predictions.csv").exists() && !tmp.path().join("a/COMPLETE").exists()
    );
    let log = std::fs::read_to_string(tmp.path().join("a/run.log")).unwrap();
    assert!(log.contains("memory: about"), "{log}");

    // the estimate passes the default limit (what the machine has) and is logged with it
    let o = alphaseq(tmp.path(), &["run", quick, "--out", "b", "--parallel", "1"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let log = std::fs::read_to_string(tmp.path().join("b/run.log")).unwrap();
    assert!(log.contains("at the peak, of") && log.contains("available"), "{log}");

    for bad in [["--memory-limit", "-1"], ["--memory-limit", "lots"], ["--parallel", "0"]] {
        let o = alphaseq(tmp.path(), &[&["run", quick, "--out", "c"][..], &bad[..]].concat());
        assert_eq!(o.status.code(), Some(2), "{bad:?}: {}", stderr(&o));
    }
}
