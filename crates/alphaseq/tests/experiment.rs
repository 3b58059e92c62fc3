//! The experiment API without the engine or the binary: the quickstart's file loaded as
//! library types, its prices by the data policy, run and evaluated, gives the numbers the binary
//! recorded for it (tests/fixtures/golden/quickstart.metrics.json of alphaseq-cli).

#![allow(clippy::unwrap_used)] // a panic is a failed test

use std::path::PathBuf;

use alphaseq::data::policy;
use alphaseq::experiment::{Experiment, ForecasterOptions, LinearModel};
use alphaseq::pipeline::{Execution, NoStore};
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
