//! Library errors are typed: each names what it concerns (the configuration key, the file and
//! line, the ticker), and says whether the request or the data is at fault.

#![allow(clippy::unwrap_used)] // a panic is a failed test

use std::path::PathBuf;

use alphaseq::data::policy::{self, DataSpec};
use alphaseq::dataset::WalkForwardSpec;
use alphaseq::Error;
use chrono::NaiveDate;

fn sample() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/sample")
}

#[test]
fn an_unknown_ticker_names_its_key_and_is_the_users_to_fix() {
    let mut spec: DataSpec =
        serde_json::from_value(serde_json::json!({ "prices": [sample().join("prices.csv.gz")] }))
            .unwrap();
    spec.tickers = Some(vec!["AAPL".into(), "NOPE".into()]);
    let Err(e) = policy::load(&spec) else { panic!("NOPE is not in the sample") };
    assert!(
        matches!(&e, Error::UnknownTicker { key, ticker } if key == "data.tickers" && ticker == "NOPE"),
        "{e:?}"
    );
    assert!(e.is_usage());
    assert_eq!(e.to_string(), "data.tickers: ticker \"NOPE\" is not in the data");
}

#[test]
fn a_bad_value_names_its_configuration_key() {
    let spec: WalkForwardSpec = serde_json::from_value(serde_json::json!({
        "first_test": "2020-01-02", "valid_fraction": 0.95
    }))
    .unwrap();
    let dates: Vec<NaiveDate> =
        (1..=28).map(|d| NaiveDate::from_ymd_opt(2020, 2, d).unwrap()).collect();
    let e = spec.folds(&dates, 0).unwrap_err();
    assert!(
        matches!(&e, Error::Config { key, .. } if key == "dataset.walk_forward.valid_fraction"),
        "{e:?}"
    );
    assert!(e.is_usage());
}

#[test]
fn an_unreadable_line_names_file_and_line_and_is_not_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sectors.csv");
    std::fs::write(&path, "ticker,sector\nAAPL,Tech\nMSFT\n").unwrap();
    let e = alphaseq::data::sectors::read_sectors(&path).unwrap_err();
    assert!(matches!(&e, Error::Parse { line: 3, .. }), "{e:?}");
    assert!(!e.is_usage());
    assert!(e.to_string().starts_with(&format!("{}:3: ", path.display())), "{e}");
}
