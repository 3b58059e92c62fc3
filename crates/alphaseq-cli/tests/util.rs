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
