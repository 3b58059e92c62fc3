//! Walk-forward runs: one fitted model per fold, stitched out-of-sample results, and resuming
//! after an interruption (a `kill -9` in the middle, or folds lost) with results identical to an
//! uninterrupted run.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::util::{alphaseq, repo_root, stderr};

/// configs/lstm_walk_forward.toml, reduced: three yearly folds (2019, 2020, 2021), small and short
/// training.
fn reduced_config(dir: &Path) -> PathBuf {
    let root = repo_root();
    let text = std::fs::read_to_string(root.join("configs/lstm_walk_forward.toml"))
        .unwrap()
        .replace("first_test = 2014-01-01", "first_test = 2019-01-01")
        .replace("units = 16", "units = 6")
        .replace("epochs = 15", "epochs = 2")
        .replace(
            "\"../data/sample/prices.csv.gz\"",
            &format!("{:?}", root.join("data/sample/prices.csv.gz")),
        )
        .replace(
            "\"../data/sample/sectors.csv\"",
            &format!("{:?}", root.join("data/sample/sectors.csv")),
        );
    let path = dir.join("wf.toml");
    std::fs::write(&path, text).unwrap();
    path
}

const COMPARED: [&str; 6] = [
    "metrics.json",
    "predictions.csv",
    "equity.csv",
    "positions.csv",
    "report.html",
    "model.safetensors",
];

fn assert_same_results(a: &Path, b: &Path) {
    for name in COMPARED {
        assert!(
            std::fs::read(a.join(name)).unwrap() == std::fs::read(b.join(name)).unwrap(),
            "{name} differs from the uninterrupted run"
        );
    }
}

fn run_to_end(cwd: &Path, config: &Path, out: &Path) -> String {
    let o = alphaseq(cwd, &["run", config.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    stderr(&o)
}

#[test]
fn walk_forward_resumes_after_kill_and_lost_folds_with_identical_results() {
    let tmp = tempfile::tempdir().unwrap();
    let config = reduced_config(tmp.path());
    let whole = tmp.path().join("whole");
    let log = run_to_end(tmp.path(), &config, &whole);
    assert!(log.contains("folds: 3 (3 fitted now, 0 taken"), "{log}");
    crate::golden::assert_matches_golden(&whole, "lstm_walk_forward", true);
    let metrics: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(whole.join("metrics.json")).unwrap())
            .unwrap();
    let folds = metrics["folds"].as_array().unwrap();
    assert_eq!(folds.len(), 3);
    assert_eq!(folds[0]["valid_end"], "2018-12-31");
    assert_eq!(folds[1]["test_end"], "2020-12-31");
    // the stitched test span starts with the first fold's test year
    let equity = std::fs::read_to_string(whole.join("equity.csv")).unwrap();
    assert!(equity.lines().nth(1).unwrap().starts_with("2019-01-03,"), "{equity:.200}");

    // production: the model of the fold that traded a date, fed prices up to that date, gives
    // the positions the backtest held that day, in every fold (2019, 2020 and 2021)
    for date in ["2019-06-14", "2020-06-15", "2021-03-01"] {
        crate::util::assert_signal_reproduces_the_run(tmp.path(), &whole, date);
    }
    // before the first test date every model was trained or validated on later data: refused
    let o =
        alphaseq(tmp.path(), &["signal", "--run", whole.to_str().unwrap(), "--asof", "2018-06-15"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("before the run's first test date 2019-01-02"), "{}", stderr(&o));

    // kill -9 once the first fold is stored, then run the same command again
    let killed = tmp.path().join("killed");
    let mut child = Command::new(env!("CARGO_BIN_EXE_alphaseq"))
        .args(["run", config.to_str().unwrap(), "--out", killed.to_str().unwrap()])
        .current_dir(tmp.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let first = killed.join("folds/fold-000/fold.json");
    let started = Instant::now();
    while !first.exists() && started.elapsed() < Duration::from_secs(300) {
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert!(first.exists(), "the first fold was never stored");
    let log = run_to_end(tmp.path(), &config, &killed);
    assert!(log.contains("folds: 3 ("), "{log}");
    assert!(!log.contains("0 taken from"), "the stored fold was refitted: {log}");
    assert_same_results(&whole, &killed);

    // folds lost (or damaged) are refitted; the others are taken as they are
    std::fs::remove_dir_all(killed.join("folds/fold-001")).unwrap();
    std::fs::write(killed.join("folds/fold-002/fold.json"), "{ not json").unwrap();
    let log = run_to_end(tmp.path(), &config, &killed);
    assert!(log.contains("folds: 3 (2 fitted now, 1 taken"), "{log}");
    assert!(log.contains("fold-002/fold.json is unreadable"), "{log}");
    assert_same_results(&whole, &killed);

    // the same models with another trading rule take the folder over and keep its folds
    let models = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, models.replace("cost_bps = 5.0", "cost_bps = 0.0")).unwrap();
    let free = run_to_end(tmp.path(), &config, &killed);
    assert!(free.contains("folds: 3 (0 fitted now, 3 taken"), "{free}");
    let read = |name: &str| std::fs::read(killed.join(name)).unwrap();
    assert!(read("predictions.csv") == std::fs::read(whole.join("predictions.csv")).unwrap());
    assert!(read("equity.csv") != std::fs::read(whole.join("equity.csv")).unwrap());
    assert!(String::from_utf8(read("config.toml")).unwrap().contains("cost_bps = 0.0"));
    std::fs::write(&config, &models).unwrap();
    let log = run_to_end(tmp.path(), &config, &killed);
    assert!(log.contains("folds: 3 (0 fitted now, 3 taken"), "{log}");
    assert_same_results(&whole, &killed);

    // another experiment into the folder is refused, its files kept; --force clears the
    // folder and nothing stored is reused
    let other = std::fs::read_to_string(&config).unwrap().replace("epochs = 2", "epochs = 1");
    std::fs::write(&config, other).unwrap();
    let args = ["run", config.to_str().unwrap(), "--out", killed.to_str().unwrap()];
    let o = alphaseq(tmp.path(), &args);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("holds the run of another experiment"), "{}", stderr(&o));
    assert_same_results(&whole, &killed);
    let o = alphaseq(tmp.path(), &[&args[..], &["--force"]].concat());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("folds: 3 (3 fitted now, 0 taken"), "{}", stderr(&o));
}

#[test]
fn one_model_per_ticker_fits_each_ticker_alone_and_trades_them_together() {
    let tmp = tempfile::tempdir().unwrap();
    let root = repo_root();
    let text = std::fs::read_to_string(root.join("configs/quickstart.toml"))
        .unwrap()
        .replace("ridge = 0.0", "ridge = 0.0\nper_ticker = true")
        .replace("\"../data/sample/", &format!("\"{}/data/sample/", root.display()));
    let config = tmp.path().join("pt.toml");
    std::fs::write(&config, text).unwrap();
    let dir = tmp.path().join("run");
    let log = run_to_end(tmp.path(), &config, &dir);
    assert!(log.contains("folds: 29 (29 fitted now"), "{log}");
    // each ticker's model saw only its own rows: its fold holds only its own predictions
    let fold: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("folds/AAPL/fold-000/fold.json")).unwrap(),
    )
    .unwrap();
    let preds = fold["fold"]["predictions"].as_array().unwrap();
    assert!(!preds.is_empty() && preds.iter().all(|p| p["ticker"] == "AAPL"));
    let scaler = &fold["fold"]["scaler"]["groups"];
    assert!(scaler.as_array().unwrap().iter().any(|g| !g.is_null()));
    // the strategy trades all of them on each date
    let positions = std::fs::read_to_string(dir.join("positions.csv")).unwrap();
    let first_day = positions.lines().nth(1).unwrap().split(',').next().unwrap().to_string();
    assert_eq!(positions.lines().filter(|l| l.starts_with(&first_day)).count(), 29);
    // production: each ticker's own model and scaler give the positions the backtest held
    crate::util::assert_signal_reproduces_the_run(tmp.path(), &dir, "2020-06-15");
}

#[test]
fn three_shards_merged_equal_the_unsharded_run() {
    let tmp = tempfile::tempdir().unwrap();
    let config = reduced_config(tmp.path());
    let whole = tmp.path().join("whole");
    run_to_end(tmp.path(), &config, &whole);
    let shared = tmp.path().join("shared");
    let out = shared.to_str().unwrap();
    // shards 0 and 2 at once, as separate processes; merging without shard 1 names its fold
    let children: Vec<_> = ["0/3", "2/3"]
        .iter()
        .map(|s| {
            Command::new(env!("CARGO_BIN_EXE_alphaseq"))
                .args(["run", config.to_str().unwrap(), "--out", out, "--shard", s])
                .current_dir(tmp.path())
                .output()
        })
        .collect();
    for c in children {
        let c = c.unwrap();
        assert_eq!(c.status.code(), Some(0), "{}", stderr(&c));
    }
    let o = alphaseq(tmp.path(), &["merge", out]);
    assert_ne!(o.status.code(), Some(0));
    assert!(stderr(&o).contains("fold-001 is not stored"), "{}", stderr(&o));
    let o =
        alphaseq(tmp.path(), &["run", config.to_str().unwrap(), "--out", out, "--shard", "1/3"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("shard 1/3: 1 of the folds (1 fitted now"), "{}", stderr(&o));
    let o = alphaseq(tmp.path(), &["merge", out]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("(0 fitted now, 3 taken"), "{}", stderr(&o));
    assert_same_results(&whole, &shared);
    let o = alphaseq(tmp.path(), &["run", config.to_str().unwrap(), "--shard", "3/3"]);
    assert_eq!(o.status.code(), Some(2), "a bad shard is a usage error");
}

#[test]
fn warm_start_chains_the_refits_and_resumes_from_stored_models() {
    let tmp = tempfile::tempdir().unwrap();
    let config = reduced_config(tmp.path());
    let cold = tmp.path().join("cold");
    run_to_end(tmp.path(), &config, &cold);
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("\n[training.warm_start]\nepochs = 1\npatience = 1\n");
    std::fs::write(&config, &text).unwrap();
    let warm = tmp.path().join("warm");
    let log = run_to_end(tmp.path(), &config, &warm);
    assert!(log.contains("folds: 3 (3 fitted now, 0 taken"), "{log}");
    assert!(log.contains("; 1 at once)"), "one chain, fitted in order: {log}");
    let read = |run: &Path, fold: &str, file: &str| {
        std::fs::read(run.join("folds").join(fold).join(file)).unwrap()
    };
    // the first refit starts cold, as without warm starts (the same weights; model.safetensors
    // also records the config); the later ones train with the warm settings (one epoch) from
    // the refit before
    let weights = "model.torch.safetensors";
    assert!(read(&cold, "fold-000", weights) == read(&warm, "fold-000", weights));
    for fold in ["fold-001", "fold-002"] {
        let history = String::from_utf8(read(&warm, fold, "history.csv")).unwrap();
        assert_eq!(history.lines().count(), 2, "{fold}: {history}");
        assert!(read(&cold, fold, weights) != read(&warm, fold, weights));
    }
    // a lost fold is refitted from the stored model of the fold before it: the same bits
    let resumed = tmp.path().join("resumed");
    copy_dir(&warm, &resumed);
    std::fs::remove_dir_all(resumed.join("folds/fold-001")).unwrap();
    let log = run_to_end(tmp.path(), &config, &resumed);
    assert!(log.contains("folds: 3 (1 fitted now, 2 taken"), "{log}");
    assert_same_results(&warm, &resumed);
    // without the model files of the fold before, a lost fold cannot be refitted: said so
    std::fs::remove_dir_all(resumed.join("folds/fold-002")).unwrap();
    for entry in std::fs::read_dir(resumed.join("folds/fold-001")).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().unwrap() != "fold.json" {
            std::fs::remove_file(path).unwrap();
        }
    }
    let args = ["run", config.to_str().unwrap(), "--out", resumed.to_str().unwrap()];
    let o = alphaseq(tmp.path(), &args);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("training.warm_start"), "{}", stderr(&o));
    assert!(stderr(&o).contains("fold fold-002 starts from the fold before it"), "{}", stderr(&o));
    // one fold at a time or several: the same bits (a chain is fitted in order)
    let serial = tmp.path().join("serial");
    let o = alphaseq(
        tmp.path(),
        &["run", config.to_str().unwrap(), "--out", serial.to_str().unwrap(), "--parallel", "1"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_same_results(&warm, &serial);
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// AAPL's bars of the shipped sample from 2016 on, as CSV lines (header first).
fn aapl_bars() -> Vec<String> {
    use std::io::Read;
    let file = std::fs::File::open(repo_root().join("data/sample/prices.csv.gz")).unwrap();
    let mut text = String::new();
    flate2::read::GzDecoder::new(file).read_to_string(&mut text).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap().to_string();
    let bars = lines.filter(|l| l.contains(",AAPL,") && *"2016" <= l[..4]);
    std::iter::once(header).chain(bars.map(str::to_string)).collect()
}

/// Study 4's config (monthly refits) on AAPL's bars in `dir/aapl.csv`, tested from November
/// 2020, with a small network trained briefly: (config, prices file).
fn study4_on_aapl(dir: &Path) -> (PathBuf, PathBuf) {
    let prices = dir.join("aapl.csv");
    let config = dir.join("study4.toml");
    let study = repo_root().join("configs/studies/study4_spy_monthly_refit.toml");
    let text = std::fs::read_to_string(study)
        .unwrap()
        .replace("\"../../../shared/data/multi_asset_daily.csv.gz\"", &format!("{prices:?}"))
        .replace("\"SPY\"", "\"AAPL\"")
        .replace("first_test = 2019-01-02", "first_test = 2020-11-02")
        .replace("units = 50", "units = 4")
        .replace("epochs = 30", "epochs = 2");
    std::fs::write(&config, text).unwrap();
    (config, prices)
}

/// Writes the bars (CSV lines, header first) dated up to `date` to `prices`.
fn write_upto(bars: &[String], prices: &Path, date: &str) {
    let kept: Vec<&str> = bars
        .iter()
        .map(String::as_str)
        .filter(|l| l.starts_with("date") || l[..10] <= *date)
        .collect();
    std::fs::write(prices, kept.join("\n") + "\n").unwrap();
}

/// The production loop of study 4: the prices file grows by a day and `alphaseq run` runs
/// into the same folder. A fold whose training and validation data are unchanged is not
/// refitted (its model predicts the longer test span), so over January and February 2021
/// exactly one fold is fitted, on 2021-02-01, and the results equal a full re-run's.
#[test]
fn a_daily_run_refits_only_when_a_new_month_starts_and_equals_a_full_run() {
    let tmp = tempfile::tempdir().unwrap();
    let bars = aapl_bars();
    let (config, prices) = study4_on_aapl(tmp.path());
    let upto = |date: &str| write_upto(&bars, &prices, date);
    let fitted_now = |log: &str| -> usize {
        let at = log.find("folds: ").unwrap_or_else(|| panic!("{log}"));
        let counts = &log[at..];
        let open = counts.find('(').unwrap();
        counts[open + 1..].split(' ').next().unwrap().parse().unwrap()
    };
    let daily = tmp.path().join("daily");
    upto("2021-01-04");
    let log = run_to_end(tmp.path(), &config, &daily);
    assert!(log.contains("folds: 3 (3 fitted now, 0 taken"), "{log}");
    let days: Vec<String> = bars
        .iter()
        .map(|l| l[..10].to_string())
        .filter(|d| d.as_str() > "2021-01-04" && d.as_str() < "2021-03-01")
        .collect();
    assert!(days.len() > 35, "{} days", days.len());
    let mut refits = vec![];
    for day in &days {
        upto(day);
        let log = run_to_end(tmp.path(), &config, &daily);
        if fitted_now(&log) > 0 {
            refits.push((day.clone(), fitted_now(&log)));
        } else {
            assert!(log.contains("with a test span predicted again by its stored model"), "{log}");
        }
    }
    assert_eq!(refits, [("2021-02-01".to_string(), 1)]);
    let full = tmp.path().join("full");
    let log = run_to_end(tmp.path(), &config, &full);
    assert!(log.contains("folds: 4 (4 fitted now, 0 taken"), "{log}");
    assert_same_results(&full, &daily);

    // today's orders from current holdings: the signal's weight of the capital the holdings are
    // worth at the last (unadjusted) close, in whole shares
    let holdings =
        crate::util::write(tmp.path(), "holdings.csv", "ticker,shares\nAAPL,100\nCASH,20000\n");
    let o = alphaseq(
        tmp.path(),
        &["signal", "--run", daily.to_str().unwrap(), "--holdings", holdings.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let orders = crate::util::stdout(&o);
    let last = bars.iter().find(|l| l.starts_with("2021-02-26,")).unwrap();
    let close: f64 = last.split(',').nth(5).unwrap().parse().unwrap();
    let line: Vec<&str> = orders.lines().nth(1).unwrap().split(',').collect();
    let field = |i: usize| line[i].parse::<f64>().unwrap();
    assert_eq!((line[0], field(1), field(2)), ("AAPL", close, 100.0), "{orders}");
    let capital = 100.0 * close + 20000.0;
    assert_eq!(field(3), 100.0 * close / capital);
    let weight = field(4);
    assert_eq!(weight.abs(), 1.0, "long/short of one name: {orders}");
    assert_eq!(field(5), (weight * capital / close).trunc());
    assert_eq!(field(6), field(5) - 100.0);
    assert_eq!(line[8], "2021-02-26");
    assert!(
        stderr(&o).contains(&format!("orders for 2021-02-26 on capital {capital:.2}")),
        "{}",
        stderr(&o)
    );
    // a bad holdings file is named with its line
    let bad = crate::util::write(tmp.path(), "bad.csv", "ticker,shares\nAAPL,lots\n");
    let o = alphaseq(
        tmp.path(),
        &["signal", "--run", daily.to_str().unwrap(), "--holdings", bad.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("bad.csv:2: unparseable shares \"lots\""), "{}", stderr(&o));

    // a volume revised in January, after the January fold's validation span: that fold
    // keeps its model and predicts again, February's (which trained on January) is refitted,
    // the earlier ones are taken as they are
    let revised: Vec<String> = bars
        .iter()
        .map(|l| match l.starts_with("2021-01-15,") {
            true => format!("{}1", l),
            false => l.clone(),
        })
        .collect();
    write_upto(&revised, &prices, "2021-02-26");
    let log = run_to_end(tmp.path(), &config, &daily);
    assert!(log.contains("folds: 4 (1 fitted now, 3 taken from"), "{log}");
    assert!(log.contains("1 of them with a test span predicted again"), "{log}");
}

/// deploy/daily/alphaseq-daily.sh over simulated days: each day appends a bar and runs the job;
/// a day whose run fails (a corrupt price file) exits non-zero, logs why and leaves the run
/// folder serving the previous models; a holiday (no new bar) gives the last day's signal again.
#[test]
fn the_daily_job_keeps_serving_the_previous_models_when_a_run_fails() {
    let tmp = tempfile::tempdir().unwrap();
    let bars = aapl_bars();
    let (config, prices) = study4_on_aapl(tmp.path());
    let run = tmp.path().join("runs/study4");
    let holdings =
        crate::util::write(tmp.path(), "holdings.csv", "ticker,shares\nAAPL,10\nCASH,1000\n");
    let script = repo_root().join("deploy/daily/alphaseq-daily.sh");
    let job = || {
        Command::new("bash")
            .arg(&script)
            .args([&config, &run, &holdings])
            .env("ALPHASEQ", env!("CARGO_BIN_EXE_alphaseq"))
            .current_dir(tmp.path())
            .output()
            .unwrap()
    };
    let log = || std::fs::read_to_string(tmp.path().join("runs/study4.daily.log")).unwrap();
    std::fs::create_dir_all(tmp.path().join("runs")).unwrap();
    for day in ["2021-01-28", "2021-01-29", "2021-02-01"] {
        write_upto(&bars, &prices, day);
        let o = job();
        assert_eq!(o.status.code(), Some(0), "{day}: {}", log());
        for file in ["csv", "json", "orders.csv"] {
            assert!(run.join(format!("signals/{day}.{file}")).is_file(), "{day}.{file}: {}", log());
        }
    }
    let log_text = log();
    assert!(log_text.contains("folds: 3 (3 fitted now"), "{log_text}");
    assert!(log_text.contains("folds: 3 (0 fitted now, 3 taken"), "{log_text}");
    assert!(log_text.contains("folds: 4 (1 fitted now, 3 taken"), "{log_text}");
    let served = std::fs::read(run.join("signals/2021-02-01.csv")).unwrap();

    // a corrupt price file: the run fails, the folder is untouched and still serves
    let before = std::fs::read(run.join("metrics.json")).unwrap();
    std::fs::write(&prices, "date,ticker,close\n2021-02-02,AAPL,abc\n").unwrap();
    let o = job();
    assert_eq!(o.status.code(), Some(1), "{}", log());
    assert!(log().contains("FAILED: the run did not finish"), "{}", log());
    assert_eq!(std::fs::read(run.join("metrics.json")).unwrap(), before);
    assert!(!tmp.path().join("runs/study4.next").exists());
    let good = tmp.path().join("good.csv");
    write_upto(&bars, &good, "2021-02-01");
    let args = ["signal", "--run", run.to_str().unwrap(), "--data", good.to_str().unwrap()];
    let o = alphaseq(tmp.path(), &args);
    assert_eq!(o.status.code(), Some(0), "the previous run still serves: {}", stderr(&o));

    // a holiday: the prices as they were; nothing is refitted and the signal is the same
    write_upto(&bars, &prices, "2021-02-01");
    std::fs::remove_file(run.join("signals/2021-02-01.csv")).unwrap();
    let o = job();
    assert_eq!(o.status.code(), Some(0), "{}", log());
    assert_eq!(std::fs::read(run.join("signals/2021-02-01.csv")).unwrap(), served);
    let last = log().lines().rev().find(|l| l.contains(" run: ")).unwrap().to_string();
    assert!(last.contains("folds: 4 (0 fitted now, 4 taken"), "{last}");
}
