//! `alphaseq features list [--json]`: the indicator catalogue with family, columns, parameters,
//! warm-up rows, whether an indicator reads the future, and how its values depend on where the
//! series starts (after how many rows a history cut at a later start gives the same values).

use alphaseq::features::indicators::{catalogue, Description};
use alphaseq_report::text_table;
use clap::Args;

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
        let rows: Vec<_> = items.iter().map(|i| Description::of(i.as_ref())).collect();
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
                i.memory().describe(i.warm_up().max(i.placeholder_rows())),
            ]
        })
        .collect();
    let header = ["columns", "family", "parameters", "look-ahead", "warm-up", "start"];
    out!("{}", text_table(&header, &rows));
    outln!("{} indicators; values equal pandas-ta's pure-pandas path (tests/fixtures/pandas_ta_indicators.json)", items.len());
    outln!("start: after how many rows a history cut at a later start gives the same values (to 1e-12 of the first difference); a running total or a path never need (docs/indicators.md)");
    Ok(())
}
