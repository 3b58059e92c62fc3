//! Golden run folders: the tests that run the quickstart, the LSTM walk-forward and the five
//! study configs (reduced) compare every file of their run folder, except run.log, with a
//! manifest recorded before the experiment moved into the library (issue 15). A restructure that
//! moves a single bit of a prediction, a weight, a checkpoint or the report fails here, naming
//! the file.
//!
//! A manifest (`tests/fixtures/golden/NAME.txt`) lists each file's path, size and SHA-256 after
//! two normalisations that make a run folder independent of where it was written: the
//! repository's and the run's own absolute paths become `<repo>` and `<run>`, and the stored
//! folds' `"fingerprint"` and `"fit"` (hashes of the config, paths included) become
//! `<fingerprint>` and `<fit>`. The manifest's first line names the engine's GEMM kernels of
//! the recording machine. A network's bits depend on them (AVX-512 or AVX2), so the manifests
//! of runs with a network carry the kernels in their name (`NAME.AVX2-FMA.txt`); on a machine whose kernels have no manifest yet
//! those runs are not compared, the test says so on stderr, and `ALPHASEQ_BLESS=1` on that
//! machine adds one (from the commit that recorded the others). Runs of the linear model are
//! compared everywhere.
//!
//! A run record (`metrics.json`, of the run and of each trial) is compared by its values, not its
//! bytes: the manifest holds the digest of its sorted leaves (numbers, strings, booleans, nulls)
//! but `schema_version`, so the record's layout may change (as it did from the untyped JSON of
//! a3b2900 to the typed record of schema version 1) while no value may. The run's record of
//! a3b2900 is kept whole beside the manifest (`NAME[.KERNELS].metrics.json`), so that a failure
//! names the first value that moved ([`assert_same_numbers`]).
//!
//! `ALPHASEQ_BLESS=1 cargo test ...` records the manifests anew instead of comparing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::util::repo_root;

fn fixtures() -> PathBuf {
    repo_root().join("crates/alphaseq-cli/tests/fixtures/golden")
}

/// Every file below `run` but run.log and the signal files tests write into a run folder, by
/// path relative to `run` (with `/`), sorted.
fn files(run: &Path) -> Vec<(String, PathBuf)> {
    fn walk(dir: &Path, root: &Path, out: &mut Vec<(String, PathBuf)>) {
        for entry in std::fs::read_dir(dir).unwrap().map(Result::unwrap) {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, root, out);
                continue;
            }
            let rel = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
            let name = rel.rsplit('/').next().unwrap_or_default();
            if name != "run.log" && !name.starts_with("signal-") {
                out.push((rel, path));
            }
        }
    }
    let mut out = vec![];
    walk(run, run, &mut out);
    out.sort();
    out
}

/// The file's bytes with absolute paths and fold fingerprints replaced by placeholders.
fn normalised(path: &Path, run: &Path) -> Vec<u8> {
    let bytes = std::fs::read(path).unwrap();
    let Ok(mut text) = String::from_utf8(bytes.clone()) else { return bytes };
    for (from, to) in [(run.to_path_buf(), "<run>"), (repo_root(), "<repo>")] {
        text = text.replace(from.to_str().unwrap(), to);
    }
    for key in ["fingerprint", "fit"] {
        text = placeholder(&text, key);
    }
    text.into_bytes()
}

/// `text` with the string value of every JSON field `key` replaced by `<key>`.
fn placeholder(text: &str, key: &str) -> String {
    let start = format!("\"{key}\":\"");
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(&start) {
        out.push_str(&rest[..at + start.len()]);
        rest = &rest[at + start.len()..];
        let end = rest.find('"').unwrap_or(rest.len());
        out.push_str(&format!("<{key}>"));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The GEMM kernels named on the first line of a run's log.
fn kernels(run: &Path) -> String {
    let log = std::fs::read_to_string(run.join("run.log")).unwrap_or_default();
    let first = log.lines().next().unwrap_or_default();
    first
        .split_once("(engine GEMM kernels: ")
        .map_or("unknown", |(_, k)| k.trim_end_matches(')'))
        .to_string()
}

/// `path -> "size sha256"` of every file of the run folder; for a run record (metrics.json),
/// `"leaves sha256"` of its sorted leaves but `schema_version`, so that the record's layout may
/// change while its values may not.
fn manifest(run: &Path) -> BTreeMap<String, String> {
    files(run)
        .into_iter()
        .map(|(rel, path)| {
            if rel.ends_with("metrics.json") {
                let mut value: serde_json::Value =
                    serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
                if let Some(o) = value.as_object_mut() {
                    o.remove("schema_version");
                }
                let digest: String = Sha256::digest(leaves(&value).join("\n").as_bytes())
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect();
                return (rel, format!("leaves {digest}"));
            }
            let bytes = normalised(&path, run);
            let digest: String =
                Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
            (rel, format!("{} {digest}", bytes.len()))
        })
        .collect()
}

/// Compares run folder `run` with the golden manifest `name` (or records it, with
/// `ALPHASEQ_BLESS=1`). `network`: the run trains a network, so its bits depend on the kernels.
pub fn assert_matches_golden(run: &Path, name: &str, network: bool) {
    let kernels = kernels(run);
    let name = if network {
        let slug: String = kernels
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '-' })
            .collect();
        format!("{name}.{slug}")
    } else {
        name.to_string()
    };
    let name = name.as_str();
    let path = fixtures().join(format!("{name}.txt"));
    let found = manifest(run);
    if std::env::var_os("ALPHASEQ_BLESS").is_some() {
        std::fs::create_dir_all(fixtures()).unwrap();
        let mut text = format!("kernels: {kernels}\n");
        for (rel, entry) in &found {
            text.push_str(&format!("{entry} {rel}\n"));
        }
        std::fs::write(&path, text).unwrap();
        std::fs::copy(run.join("metrics.json"), fixtures().join(format!("{name}.metrics.json")))
            .unwrap();
        return;
    }
    if network && !path.exists() {
        eprintln!(
            "golden {name}: not compared: no manifest for this machine's kernels ({kernels})"
        );
        return;
    }
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (ALPHASEQ_BLESS=1 records it)", path.display()));
    let mut lines = text.lines();
    let recorded_kernels = lines.next().and_then(|l| l.strip_prefix("kernels: ")).unwrap();
    assert!(
        !network || recorded_kernels == kernels,
        "{}: recorded with {recorded_kernels}",
        path.display()
    );
    let expected: BTreeMap<String, String> = lines
        .map(|l| {
            let mut parts = l.splitn(3, ' ');
            let (size, digest, rel) =
                (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap());
            (rel.to_string(), format!("{size} {digest}"))
        })
        .collect();
    // first the values of metrics.json, which name what moved
    assert_same_numbers(run, name);
    let missing: Vec<&String> = expected.keys().filter(|k| !found.contains_key(*k)).collect();
    let extra: Vec<&String> = found.keys().filter(|k| !expected.contains_key(*k)).collect();
    let changed: Vec<&String> = expected
        .iter()
        .filter(|(k, v)| found.get(*k).is_some_and(|f| f != *v))
        .map(|(k, _)| k)
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty() && changed.is_empty(),
        "golden {name}: the run folder differs from {}\n  missing: {missing:?}\n  new: {extra:?}\n  changed: {changed:?}",
        path.display()
    );
}

/// The numbers and strings of a JSON value (its leaves), sorted: equal for two records that hold
/// the same values in different layouts.
fn leaves(value: &serde_json::Value) -> Vec<String> {
    fn walk(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            serde_json::Value::Object(o) => o.values().for_each(|x| walk(x, out)),
            other => out.push(other.to_string()),
        }
    }
    let mut out = vec![];
    walk(value, &mut out);
    out.sort();
    out
}

/// Every leaf of the recorded `NAME.metrics.json` is a leaf of the run's metrics.json (a new
/// layout may add fields, never lose or change a value).
fn assert_same_numbers(run: &Path, name: &str) {
    let read = |p: &Path| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
    };
    let old = leaves(&read(&fixtures().join(format!("{name}.metrics.json"))));
    let mut new = leaves(&read(&run.join("metrics.json")));
    for leaf in &old {
        let at = new.iter().position(|n| n == leaf);
        assert!(at.is_some(), "golden {name}: metrics.json lost the value {leaf}");
        if let Some(at) = at {
            new.remove(at);
        }
    }
}
