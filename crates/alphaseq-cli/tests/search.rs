//! Hyperparameter search: every trial a run folder, trials sorted by the validation objective,
//! the best trial's results as the run's, and resuming after `kill -9` with identical results.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::util::{alphaseq, repo_root, stderr};

/// configs/lstm_search.toml, reduced: a 2 x 2 grid, one epoch, 2016-2021.
fn reduced_config(dir: &Path) -> PathBuf {
    let root = repo_root();
    let text = std::fs::read_to_string(root.join("configs/lstm_search.toml"))
        .unwrap()
        .replace("method = \"random\"", "method = \"grid\"")
        .replace("\"dataset.sequence_length\" = [21, 63]\n", "")
        .replace("\"model.layers.1.rate\" = [0.1, 0.3]\n", "")
        .replace("\"model.layers.0.units\" = [8, 16, 32]", "\"model.layers.0.units\" = [4, 6]")
        .replace("epochs = 15", "epochs = 1")
        .replace("train_end = 2013-12-31", "train_end = 2018-12-31")
        .replace("valid_end = 2016-12-31", "valid_end = 2019-12-31")
        .replace("[data]", "[data]\nstart = 2016-01-01")
        .replace(
            "\"../data/sample/prices.csv.gz\"",
            &format!("{:?}", root.join("data/sample/prices.csv.gz")),
        )
        .replace(
            "\"../data/sample/sectors.csv\"",
            &format!("{:?}", root.join("data/sample/sectors.csv")),
        );
    let path = dir.join("search.toml");
    std::fs::write(&path, text).unwrap();
    path
}

fn run_to_end(cwd: &Path, config: &Path, out: &Path) -> String {
    let o = alphaseq(cwd, &["run", config.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    stderr(&o)
}

#[test]
fn search_ranks_trials_by_validation_and_resumes_after_kill() {
    let tmp = tempfile::tempdir().unwrap();
    let config = reduced_config(tmp.path());
    let whole = tmp.path().join("whole");
    let log = run_to_end(tmp.path(), &config, &whole);
    assert!(log.contains("search: 4 trials (Grid)"), "{log}");
    let csv = std::fs::read_to_string(whole.join("search.csv")).unwrap();
    let rows: Vec<Vec<&str>> = csv.lines().skip(1).map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 4);
    let losses: Vec<f64> = rows.iter().map(|r| r[2].parse().unwrap()).collect();
    assert!(losses.windows(2).all(|w| w[0] <= w[1]), "sorted by validation loss: {csv}");
    // the run folder is the best trial's
    let best = rows[0][1].parse::<usize>().unwrap();
    let trial = whole.join(format!("trials/trial-{best:03}"));
    for name in ["predictions.csv", "equity.csv", "config.toml"] {
        assert!(
            std::fs::read(whole.join(name)).unwrap() == std::fs::read(trial.join(name)).unwrap(),
            "{name} is not the best trial's"
        );
    }
    // its record is the best trial's, with every trial's listed best first
    let record = |dir: &std::path::Path| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(dir.join("metrics.json")).unwrap()).unwrap()
    };
    let mut top = record(&whole);
    let trials = top.as_object_mut().unwrap().remove("trials").unwrap();
    // with the chosen Sharpe ratio deflated for the trials tried
    let deflated = top.as_object_mut().unwrap().remove("deflated").unwrap();
    assert_eq!(deflated["trials"].as_u64(), Some(trials.as_array().unwrap().len() as u64));
    assert_eq!(top, record(&trial), "metrics.json is not the best trial's");
    let order: Vec<String> =
        trials.as_array().unwrap().iter().map(|t| t["trial"].to_string()).collect();
    let listed: Vec<String> =
        rows.iter().map(|r| r[1].parse::<usize>().unwrap().to_string()).collect();
    assert_eq!(order, listed, "trials in search.csv's order");
    let html = std::fs::read_to_string(whole.join("report.html")).unwrap();
    assert!(html.contains("<h1 class=\"part\">Hyperparameter search</h1>"));
    assert!(html
        .contains("<h2>Every trial on the test span (the cross-sectional study's Table 3 layout"));
    assert!(html.contains("<h2>Correlation of the trials' test-span returns (Pearson)</h2>"));

    // kill -9 after the first finished trial, then run again: the same results
    let killed = tmp.path().join("killed");
    let mut child = Command::new(env!("CARGO_BIN_EXE_alphaseq"))
        .args(["run", config.to_str().unwrap(), "--out", killed.to_str().unwrap()])
        .current_dir(tmp.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    // a trial is finished once its COMPLETE marker, written last, is there
    let finished =
        |dir: &Path| (0..4).any(|k| dir.join(format!("trials/trial-{k:03}/COMPLETE")).exists());
    while !finished(&killed) && started.elapsed() < Duration::from_secs(300) {
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let log = run_to_end(tmp.path(), &config, &killed);
    assert!(log.contains("(finished earlier)"), "{log}");
    for name in ["search.csv", "metrics.json", "predictions.csv", "equity.csv", "report.html"] {
        assert!(
            std::fs::read(whole.join(name)).unwrap() == std::fs::read(killed.join(name)).unwrap(),
            "{name} differs from the uninterrupted search"
        );
    }
    let log = run_to_end(tmp.path(), &config, &killed);
    assert_eq!(log.matches("(finished earlier)").count(), 4, "{log}");

    // another cost: every trial is traded again from its stored folds, none refitted
    let trial_log = |k: usize| {
        std::fs::read_to_string(killed.join(format!("trials/trial-{k:03}/run.log"))).unwrap()
    };
    let before: Vec<usize> = (0..4).map(|k| trial_log(k).len()).collect();
    let models = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, models.replace("cost_bps = 5.0", "cost_bps = 1.0")).unwrap();
    let log = run_to_end(tmp.path(), &config, &killed);
    assert_eq!(log.matches("(finished earlier)").count(), 0, "{log}");
    for (k, from) in before.iter().enumerate() {
        let new = trial_log(k)[*from..].to_string();
        assert!(new.contains("(0 fitted now, 1 taken") && !new.contains("epoch 1:"), "{new}");
    }
    let read = |dir: &Path, name: &str| std::fs::read(dir.join(name)).unwrap();
    assert!(read(&whole, "predictions.csv") == read(&killed, "predictions.csv"));
    assert!(read(&whole, "equity.csv") != read(&killed, "equity.csv"));
}

#[test]
fn hyperband_runs_its_brackets_and_resumes() {
    let tmp = tempfile::tempdir().unwrap();
    let config = reduced_config(tmp.path());
    let text = std::fs::read_to_string(&config)
        .unwrap()
        .replace("method = \"grid\"", "method = \"hyperband\"\nmax_epochs = 3");
    std::fs::write(&config, text).unwrap();
    let dir = tmp.path().join("hb");
    let log = run_to_end(tmp.path(), &config, &dir);
    // max_epochs 3, factor 3: bracket 0 runs 3 configurations at 1 epoch, then the best at 3;
    // bracket 1 runs 2 configurations at 3 epochs (the grid has 4)
    assert!(log.contains("bracket 0, round 0: 3 configurations at 1 epochs"), "{log}");
    assert!(log.contains("bracket 0, round 1: 1 configurations at 3 epochs"), "{log}");
    assert!(log.contains("bracket 1, round 0: 2 configurations at 3 epochs"), "{log}");
    let csv = std::fs::read_to_string(dir.join("search.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + 6, "{csv}");
    assert!(csv.lines().next().unwrap().ends_with(",training.epochs"));
    let again = run_to_end(tmp.path(), &config, &dir);
    assert_eq!(again.matches("(finished earlier)").count(), 6, "{again}");
    assert!(std::fs::read_to_string(dir.join("search.csv")).unwrap() == csv);
    let o = alphaseq(
        tmp.path(),
        &["run", config.to_str().unwrap(), "--out", dir.to_str().unwrap(), "--shard", "0/2"],
    );
    assert_eq!(o.status.code(), Some(2), "hyperband cannot be sharded: {}", stderr(&o));
}

/// With two replicas per model (`training.threads = 2`), the trials give the same numbers one at
/// a time (each model's replicas on two threads) and two at a time (on one thread each).
#[test]
fn trials_at_once_never_change_a_replica_split_models_numbers() {
    let tmp = tempfile::tempdir().unwrap();
    let config = reduced_config(tmp.path());
    let text = std::fs::read_to_string(&config).unwrap();
    let config = config.to_str().unwrap();
    let mut results = vec![];
    for parallel in ["1", "2"] {
        let out = tmp.path().join(format!("p{parallel}"));
        let set = format!("search.parallel={parallel}");
        let o = alphaseq(
            tmp.path(),
            &[
                "run",
                config,
                "--out",
                out.to_str().unwrap(),
                "--set",
                "training.threads=2",
                "--set",
                &set,
            ],
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let files: Vec<Vec<u8>> = ["search.csv", "metrics.json", "predictions.csv"]
            .iter()
            .map(|n| std::fs::read(out.join(n)).unwrap())
            .collect();
        results.push(files);
    }
    assert!(results[0] == results[1], "search.parallel changed the results ({text:.80})");
}
