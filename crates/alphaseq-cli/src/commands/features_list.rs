//! `alphaseq features list [--json]`: the indicator catalogue with family, columns, parameters,
//! warm-up rows, whether an indicator reads the future, and how its values depend on where the
//! series starts (after how many rows a history cut at a later start gives the same values); then
//! pandas-ta's indicators that read the future, refused as inputs unless `features.look_ahead =
//! "allow"`.

use alphaseq::features::indicators::{catalogue, look_ahead_catalogue, Description};
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
    /// With --json: also the indicators that read the future (at the end, `reads_future` true).
    #[arg(long)]
    look_ahead: bool,
}

/// An indicator's columns for the table: all of them, or the first and last of a long list.
fn shown(columns: &[String]) -> String {
    const MOST: usize = 8;
    match columns {
        [first, second, third, .., last] if columns.len() > MOST => {
            format!("{first}, {second}, {third}, ... {last} ({} columns)", columns.len())
        }
        _ => columns.join(", "),
    }
}

/// Prints the catalogue.
pub fn run(args: ListArgs) -> Result<(), Failure> {
    let mut items = catalogue();
    items.sort_by_key(|i| (i.family(), i.columns()));
    if args.json {
        let future = if args.look_ahead { look_ahead_catalogue() } else { vec![] };
        let rows: Vec<_> =
            items.iter().chain(&future).map(|i| Description::of(i.as_ref())).collect();
        outln!("{}", serde_json::to_string_pretty(&rows).map_err(Failure::failed)?);
        return Ok(());
    }
    let rows: Vec<Vec<String>> = items
        .iter()
        .map(|i| {
            vec![
                shown(&i.columns()),
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
    outln!("{} indicators; values equal pandas-ta's pure-pandas path (tests/fixtures/pandas_ta_indicators.json), cdl_pattern's TA-Lib's (pandas_ta_talib_values.json.gz)", items.len());
    outln!("start: after how many rows a history cut at a later start gives the same values (to 1e-12 of the first difference); a running total or a path never need (docs/indicators.md)");
    outln!();
    outln!("READ THE FUTURE: refused as inputs unless features.look_ahead = \"allow\" (to reproduce a study that used them; the run then says so in run.log, metrics.json and the report)");
    for i in look_ahead_catalogue() {
        let select = match i.name() {
            "dpo" => "{ kind = \"dpo\", centered = true }".to_string(),
            "ichimoku" => "{ kind = \"ichimoku\", include_chikou = true }".to_string(),
            name => format!("\"{name}\""),
        };
        let how = i.look_ahead().unwrap_or_default();
        outln!("  {select}: {}\n      {how}", i.columns().join(", "));
    }
    Ok(())
}
