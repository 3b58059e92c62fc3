//! Helpers: run the binary in a folder, write small files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace root (two levels above this crate).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

/// Runs `alphaseq args...` with `dir` as the working folder.
pub fn alphaseq(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_alphaseq"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("running alphaseq")
}

/// Writes `text` to `dir/name`.
pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts the exit code and that stdout has `line` as one whole line.
#[track_caller]
pub fn assert_reports(o: &Output, code: i32, line: &str) {
    let out = stdout(o);
    assert_eq!(o.status.code(), Some(code), "exit code; stdout:\n{out}\nstderr:\n{}", stderr(o));
    assert!(out.lines().any(|l| l == line), "expected the line\n  {line}\nin:\n{out}");
}

/// Runs `alphaseq signal` on run folder `run` as of `asof` and checks that every position and
/// prediction equals what the run itself recorded for that date (positions.csv, predictions.csv).
pub fn assert_signal_reproduces_the_run(cwd: &Path, run: &Path, asof: &str) {
    let out = run.join(format!("signal-{asof}.csv"));
    let o = alphaseq(
        cwd,
        &["signal", "--run", run.to_str().unwrap(), "--asof", asof, "--out", out.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let signal = std::fs::read_to_string(&out).unwrap();
    let rows: Vec<Vec<String>> =
        signal.lines().skip(1).map(|l| l.split(',').map(str::to_string).collect()).collect();
    assert!(!rows.is_empty(), "no positions");
    let positions = std::fs::read_to_string(run.join("positions.csv")).unwrap();
    let predictions = std::fs::read_to_string(run.join("predictions.csv")).unwrap();
    for row in &rows {
        let (ticker, weight, prediction) = (&row[0], &row[1], &row[2]);
        assert_eq!(row[3], asof);
        let recorded = predictions
            .lines()
            .find(|l| {
                l.starts_with(&format!("{asof},{ticker},")) && l.split(',').nth(4) == Some("test")
            })
            .unwrap_or_else(|| panic!("the run has no test prediction of {ticker} at {asof}"));
        assert_eq!(recorded.split(',').nth(2).unwrap(), prediction, "{ticker} prediction");
        let held = positions
            .lines()
            .find(|l| l.starts_with(&format!("{asof},{ticker},")))
            .map_or("0", |l| l.rsplit(',').next().unwrap());
        assert_eq!(held.parse::<f64>().unwrap(), weight.parse::<f64>().unwrap(), "{ticker} weight");
    }
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.with_extension("json")).unwrap())
            .unwrap();
    assert_eq!(json["positions"].as_array().unwrap().len(), rows.len());
}
