//! Experiment files: unknown keys and wrong types are usage errors (exit 2) naming key and line.

use crate::util::{alphaseq, stderr, write};

#[test]
fn unknown_key_is_a_usage_error_naming_key_and_line() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "c.toml",
        "name = \"x\"\n[data]\nprices = [\"p.csv\"]\n[strategy]\ncost_bsp = 5\n",
    );
    let o = alphaseq(dir.path(), &["run", "c.toml"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("c.toml")
            && err.contains("line 5")
            && err.contains("unknown field `cost_bsp`"),
        "{err}"
    );
}

#[test]
fn wrong_type_is_a_usage_error_naming_key_and_line() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "c.toml",
        "name = \"x\"\n[data]\nprices = [\"p.csv\"]\nmissing = \"sometimes\"\n",
    );
    let o = alphaseq(dir.path(), &["run", "c.toml"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("line 4") && err.contains("sometimes"), "{err}");
}
