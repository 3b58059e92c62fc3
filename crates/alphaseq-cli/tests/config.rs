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

#[test]
fn indicators_take_parameters_and_bad_ones_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let config = |indicators: &str| {
        format!(
            "name = \"x\"\n[data]\nprices = [\"p.csv\"]\n[features]\nindicators = {indicators}\n"
        )
    };
    write(
        dir.path(),
        "ok.toml",
        &config(r#"["rsi", { kind = "rsi", length = 21 }, { kind = "vwap", anchor = "M" }]"#),
    );
    let o = alphaseq(dir.path(), &["run", "ok.toml", "--check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let resolved = String::from_utf8_lossy(&o.stdout);
    assert!(resolved.contains("kind = \"rsi\"") && resolved.contains("length = 21"), "{resolved}");

    write(dir.path(), "bad.toml", &config(r#"[{ kind = "rsi", lenght = 21 }]"#));
    let o = alphaseq(dir.path(), &["run", "bad.toml", "--check"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown parameter \"lenght\""), "{}", stderr(&o));

    write(dir.path(), "twice.toml", &config(r#"["rsi", { kind = "rsi", length = 14 }]"#));
    let o = alphaseq(dir.path(), &["run", "twice.toml", "--check"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("RSI_14 is asked for twice"), "{}", stderr(&o));
}

#[test]
fn the_talib_convention_is_kept_and_covers_the_whole_catalogue() {
    let dir = tempfile::tempdir().unwrap();
    let config = |indicators: &str| {
        format!(
            "name = \"x\"\n[data]\nprices = [\"p.csv\"]\n[features]\nconvention = \"talib\"\nindicators = {indicators}\n"
        )
    };
    write(
        dir.path(),
        "ok.toml",
        &config(r#"["rsi", { kind = "macd", convention = "pandas_ta" }]"#),
    );
    let o = alphaseq(dir.path(), &["run", "ok.toml", "--check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let resolved = String::from_utf8_lossy(&o.stdout);
    assert!(resolved.contains("convention = \"talib\""), "{resolved}");

    write(dir.path(), "all.toml", &config(r#"["all"]"#));
    let o = alphaseq(dir.path(), &["run", "all.toml", "--check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let resolved = String::from_utf8_lossy(&o.stdout);
    assert!(resolved.contains("convention = \"talib\""), "{resolved}");
}
