//! The experiment API without the engine or the binary: the quickstart's file loaded as
//! library types, its prices by the data policy, run and evaluated, gives the numbers the binary
//! recorded for it (tests/fixtures/golden/quickstart.metrics.json of alphaseq-cli); run into a
//! folder, it writes the binary's files, resumes from its stored folds, and runs a search's
//! trials.

#![allow(clippy::unwrap_used)] // a panic is a failed test

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use alphaseq::data::policy;
use alphaseq::experiment::log::RunLog;
use alphaseq::experiment::runner::RunOptions;
use alphaseq::experiment::{Experiment, ForecasterOptions, LinearModel};
use alphaseq::pipeline::{Execution, NoStore};
use alphaseq::record::RunRecord;
use alphaseq::selection::SelectionCache;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn the_quickstart_runs_from_the_library_as_the_binary_ran_it() {
    let exp: Experiment<LinearModel> =
        Experiment::load(&repo().join("configs/quickstart.toml")).unwrap();
    let loaded = policy::load(&exp.data).unwrap();
    let execution = Execution { parallel: 1, stored_only: false };
    let run = |_| {
        exp.run(
            &loaded.panel,
            &NoStore,
            execution,
            &SelectionCache::default(),
            &ForecasterOptions::default(),
        )
        .unwrap()
    };
    let out = run(0);
    let fixture = repo().join("crates/alphaseq-cli/tests/fixtures/golden/quickstart.metrics.json");
    let recorded: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture).unwrap()).unwrap();
    let net = &recorded["strategy"]["net"];
    let sharpe = out.strategy_summary.sharpe_ratio.unwrap();
    assert_eq!(sharpe.to_bits(), net["sharpe_ratio"].as_f64().unwrap().to_bits(), "{sharpe}");
    assert_eq!(out.strategy_summary.periods as u64, net["periods"].as_u64().unwrap());
    let again = run(1);
    assert_eq!(again.strategy_summary, out.strategy_summary, "same experiment, same bits");
}

/// `sha256` of a file, as the binary's golden manifests give it.
fn sha256(path: &std::path::Path) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(std::fs::read(path).unwrap()).iter().map(|b| format!("{b:02x}")).collect()
}

/// The log's lines, kept for the test to read.
fn capturing_log(dir: &std::path::Path) -> (RunLog, Arc<Mutex<Vec<String>>>) {
    let lines = Arc::new(Mutex::new(vec![]));
    let sink = lines.clone();
    let echo = Arc::new(move |s: &str| sink.lock().unwrap().push(s.to_string()));
    (RunLog::open(&dir.join("run.log"), Some(echo)).unwrap(), lines)
}

#[test]
fn run_folder_writes_the_binarys_files_and_resumes_from_its_folds() {
    let exp: Experiment<LinearModel> =
        Experiment::load(&repo().join("configs/quickstart.toml")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (log, lines) = capturing_log(dir.path());
    exp.run_folder(dir.path(), &log, &RunOptions::default()).unwrap();
    // the data files are byte for byte those the binary wrote (its golden manifest); config.toml
    // and report.html differ only by the engine's [model] keys the linear model does not have
    let golden = std::fs::read_to_string(
        repo().join("crates/alphaseq-cli/tests/fixtures/golden/quickstart.txt"),
    )
    .unwrap();
    for name in ["equity.csv", "positions.csv", "predictions.csv", "scaler.json", "stress.csv"] {
        let digest = sha256(&dir.path().join(name));
        assert!(
            golden.lines().any(|l| l.ends_with(&format!("{digest} {name}"))),
            "{name}: {digest} is not the binary's"
        );
    }
    let report = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(report.contains("alphaseq quickstart: linear baseline"), "the report's title");
    let record = RunRecord::read(dir.path()).unwrap();
    let before: Vec<String> = ["equity.csv", "metrics.json", "report.html"]
        .iter()
        .map(|n| sha256(&dir.path().join(n)))
        .collect();
    // a second run into the same folder takes the stored fold and writes the same bytes
    lines.lock().unwrap().clear();
    exp.run_folder(dir.path(), &log, &RunOptions::default()).unwrap();
    let after: Vec<String> = ["equity.csv", "metrics.json", "report.html"]
        .iter()
        .map(|n| sha256(&dir.path().join(n)))
        .collect();
    assert_eq!(before, after);
    assert_eq!(RunRecord::read(dir.path()).unwrap(), record);
    let logged = lines.lock().unwrap().join("\n");
    assert!(logged.contains("folds: 1 (0 fitted now, 1 taken from"), "{logged}");
}

#[test]
fn a_search_runs_its_trials_through_the_library_and_keeps_the_best() {
    let sample = repo().join("data/sample");
    let text = std::fs::read_to_string(repo().join("configs/quickstart.toml"))
        .unwrap()
        .replace("../data/sample", &sample.display().to_string())
        + "\n[search]\nmethod = \"grid\"\nparallel = 2\nspace = { \"model.ridge\" = [0.0, 1e6] }\n";
    let config = tempfile::tempdir().unwrap();
    std::fs::write(config.path().join("search.toml"), &text).unwrap();
    let exp: Experiment<LinearModel> =
        Experiment::load(&config.path().join("search.toml")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (log, lines) = capturing_log(dir.path());
    exp.run_folder(dir.path(), &log, &RunOptions::default()).unwrap();
    let csv = std::fs::read_to_string(dir.path().join("search.csv")).unwrap();
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(rows.len(), 2, "{csv}");
    // ranked by validation loss, lowest first
    let loss = |row: &str| row.split(',').nth(2).unwrap().parse::<f64>().unwrap();
    assert!(loss(rows[0]) <= loss(rows[1]), "{csv}");
    let best = rows[0].split(',').nth(1).unwrap().parse::<usize>().unwrap();
    let trial = dir.path().join(format!("trials/trial-{best:03}"));
    for name in ["equity.csv", "config.toml"] {
        assert_eq!(sha256(&dir.path().join(name)), sha256(&trial.join(name)), "{name}");
    }
    // the chosen trial's record, listing both trials best first
    let mut top = RunRecord::read(dir.path()).unwrap();
    let trials = std::mem::take(&mut top.trials);
    // deflated for the two trials tried
    let deflated = top.deflated.take().unwrap();
    assert_eq!(deflated.trials, 2);
    assert!(
        deflated.deflated_sharpe_ratio.unwrap()
            <= top.strategy.significance.as_ref().unwrap().psr.unwrap()
    );
    assert_eq!(top, RunRecord::read(&trial).unwrap());
    assert_eq!(trials.iter().map(|t| (t.rank, t.trial)).collect::<Vec<_>>()[0], (1, best));
    assert_eq!(trials.len(), 2);
    assert!(std::fs::read_to_string(dir.path().join("report.html"))
        .unwrap()
        .contains("Hyperparameter search"));
    // run again: both trials are taken as finished
    lines.lock().unwrap().clear();
    exp.run_folder(dir.path(), &log, &RunOptions::default()).unwrap();
    let logged = lines.lock().unwrap().join("\n");
    assert_eq!(logged.matches("(finished earlier)").count(), 2, "{logged}");
    assert_eq!(std::fs::read_to_string(dir.path().join("search.csv")).unwrap(), csv);
}

#[test]
fn features_written_a_few_tickers_at_a_time_equal_the_whole_matrix() {
    use alphaseq::features::{export, FeatureMatrix};
    let exp: Experiment<LinearModel> =
        Experiment::load(&repo().join("configs/quickstart.toml")).unwrap();
    let panel = policy::load(&exp.data).unwrap().panel;
    let whole = export::to_csv(&panel, &FeatureMatrix::compute(&panel, &exp.features).unwrap());
    let mut streamed = vec![];
    let path = std::path::Path::new("f.csv");
    export::write_csv_in_chunks(&panel, &exp.features, &mut streamed, path, 7).unwrap();
    assert_eq!(String::from_utf8(streamed).unwrap(), whole);
}
