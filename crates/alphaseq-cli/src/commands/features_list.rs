//! `alphaseq features list [--json]`: the indicator catalogue with family, columns, parameters,
//! warm-up rows and whether an indicator reads the future.

use alphaseq::features::indicators::catalogue;
use alphaseq_report::text_table;
use clap::Args;
use serde_json::json;

use crate::stdout::{out, outln};
use crate::Failure;

/// Arguments of `features list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Prints the catalogue.
pub fn run(args: ListArgs) -> Result<(), Failure> {
    let mut items = catalogue();
    items.sort_by_key(|i| (i.family(), i.columns()));
    if args.json {
        let rows: Vec<_> = items
            .iter()
            .map(|i| json!({ "columns": i.columns(), "family": i.family(), "params": i.params(), "warm_up": i.warm_up(), "reads_future": i.reads_future() }))
            .collect();
        outln!("{}", serde_json::to_string_pretty(&rows).map_err(Failure::failed)?);
        return Ok(());
    }
    let rows: Vec<Vec<String>> = items
        .iter()
        .map(|i| {
            vec![
                i.columns().join(", "),
                format!("{:?}", i.family()).to_lowercase(),
                i.params(),
                if i.reads_future() { "READS THE FUTURE".into() } else { "no".into() },
                i.warm_up().to_string(),
            ]
        })
        .collect();
    out!("{}", text_table(&["columns", "family", "parameters", "look-ahead", "warm-up"], &rows));
    outln!("{} indicators; values equal pandas-ta's pure-pandas path (tests/fixtures/pandas_ta_indicators.json)", items.len());
    Ok(())
}
