//! `alphaseq data check PATH... [--calendar TICKER] [--json]`: reads price files, runs the
//! validation catalogue, and prints every problem. Exit 1 if any error, 0 if only warnings.

use std::collections::BTreeMap;
use std::time::Instant;

use alphaseq::data::{self, Severity, ValidateOptions};
use anyhow::anyhow;
use clap::Args;
use serde::Serialize;

use crate::stdout::outln;
use crate::Failure;

/// Arguments of `data check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    source: super::SourceArgs,
    /// Print one JSON document instead of text.
    #[arg(long)]
    json: bool,
    /// Accept zero and negative prices (futures, spreads).
    #[arg(long)]
    allow_non_positive: bool,
    /// One-day adjusted move above which a move is reported as suspicious (fraction).
    #[arg(long, default_value_t = 0.4)]
    max_daily_move: f64,
    /// Fewest rows a ticker should have.
    #[arg(long, default_value_t = 252)]
    min_history: usize,
}

#[derive(Serialize)]
struct Report<'a> {
    files: usize,
    rows: usize,
    tickers: usize,
    dates: usize,
    load_seconds: f64,
    errors: usize,
    warnings: usize,
    counts: BTreeMap<&'static str, usize>,
    issues: &'a [data::Issue],
}

/// Runs `data check`.
pub fn run(args: CheckArgs) -> Result<(), Failure> {
    let start = Instant::now();
    let (records, mut issues) = data::read_sources(&args.source.paths).map_err(Failure::failed)?;
    let calendar = args.source.calendar_spec();
    if let Some(cal) = calendar.ticker() {
        if records.find_ticker(cal).is_none() {
            return Err(Failure::Usage(anyhow!("calendar ticker {cal:?} is not in the data")));
        }
    }
    // the calendar's dates, without building a panel as large as the rows
    let dates = data::validate::calendar_dates(&records, calendar.ticker()).map_or(0, |c| c.len());
    let load_seconds = start.elapsed().as_secs_f64();
    let options = ValidateOptions {
        calendar: calendar.ticker().map(str::to_string),
        allow_non_positive: args.allow_non_positive,
        max_daily_move: args.max_daily_move,
        min_history: args.min_history,
        ..Default::default()
    };
    issues.extend(data::validate(&records, &options));
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    for issue in &issues {
        *counts.entry(issue.kind.code()).or_default() += 1;
    }
    let errors = issues.iter().filter(|i| i.severity == Severity::Error).count();
    let report = Report {
        files: records.files.len(),
        rows: records.rows.len(),
        tickers: records.tickers.len(),
        dates,
        load_seconds,
        errors,
        warnings: issues.len() - errors,
        counts,
        issues: &issues,
    };
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&report).map_err(Failure::failed)?);
    } else {
        print_text(&report)?;
    }
    if errors > 0 {
        Err(Failure::Reported)
    } else {
        Ok(())
    }
}

fn print_text(r: &Report) -> Result<(), Failure> {
    for issue in r.issues {
        outln!("{issue}");
    }
    if !r.issues.is_empty() {
        outln!();
    }
    outln!(
        "loaded {} rows of {} tickers from {} file(s) into a panel of {} dates in {:.2} s",
        r.rows,
        r.tickers,
        r.files,
        r.dates,
        r.load_seconds
    );
    let by_kind: Vec<String> = r.counts.iter().map(|(k, n)| format!("{k} {n}")).collect();
    let verdict = if r.errors > 0 { "unusable until the errors are fixed" } else { "usable" };
    outln!(
        "{} error(s), {} warning(s){}: {verdict}",
        r.errors,
        r.warnings,
        if by_kind.is_empty() { String::new() } else { format!(" ({})", by_kind.join(", ")) }
    );
    Ok(())
}
