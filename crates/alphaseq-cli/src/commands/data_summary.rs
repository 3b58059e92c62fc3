//! `alphaseq data summary PATH... [--calendar TICKER] [--json]`: per ticker its first and last
//! date, rows, and trading days missing inside its range; then the totals.

use alphaseq::data::{self, MissingPolicy, Panel, PanelOptions};
use anyhow::anyhow;
use clap::Args;
use serde::Serialize;

use crate::stdout::outln;
use crate::Failure;

/// Arguments of `data summary`.
#[derive(Debug, Args)]
pub struct SummaryArgs {
    #[command(flatten)]
    source: super::SourceArgs,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct TickerSummary {
    ticker: String,
    first: String,
    last: String,
    rows: usize,
    gaps: usize,
}

#[derive(Serialize)]
struct Summary {
    tickers: usize,
    rows: usize,
    first: String,
    last: String,
    dates: usize,
    gaps: usize,
    per_ticker: Vec<TickerSummary>,
}

/// Runs `data summary`.
pub fn run(args: SummaryArgs) -> Result<(), Failure> {
    let (records, issues) = data::read_sources(&args.source.paths).map_err(Failure::failed)?;
    let unreadable = issues.iter().filter(|i| i.is_error()).count();
    let calendar = args.source.calendar_spec();
    let options = PanelOptions { calendar, missing: MissingPolicy::Drop, ..Default::default() };
    let panel = Panel::from_records(&records, &options).map_err(|e| match Failure::from(e) {
        Failure::Failed(e) => {
            Failure::Failed(anyhow!("{e} (run `alphaseq data check` for the full list)"))
        }
        other => other,
    })?;
    let dates = panel.dates();
    let per_ticker: Vec<TickerSummary> = panel
        .all_bars()
        .iter()
        .zip(panel.tickers())
        .filter_map(|(b, t)| {
            let (first, last) = (b.first_present()?, b.last_present()?);
            let rows = (first..=last).filter(|&i| b.is_present(i)).count();
            Some(TickerSummary {
                ticker: t.clone(),
                first: dates[first].to_string(),
                last: dates[last].to_string(),
                rows,
                gaps: last + 1 - first - rows,
            })
        })
        .collect();
    let summary = Summary {
        tickers: per_ticker.len(),
        rows: per_ticker.iter().map(|t| t.rows).sum(),
        first: dates.first().map(|d| d.to_string()).unwrap_or_default(),
        last: dates.last().map(|d| d.to_string()).unwrap_or_default(),
        dates: dates.len(),
        gaps: per_ticker.iter().map(|t| t.gaps).sum(),
        per_ticker,
    };
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&summary).map_err(Failure::failed)?);
    } else {
        outln!("{:<12} {:>10} {:>10} {:>7} {:>5}", "ticker", "first", "last", "rows", "gaps");
        for t in &summary.per_ticker {
            outln!("{:<12} {:>10} {:>10} {:>7} {:>5}", t.ticker, t.first, t.last, t.rows, t.gaps);
        }
        outln!(
            "\n{} tickers, {} rows, {} .. {} ({} calendar dates), {} missing trading days inside ticker ranges",
            summary.tickers, summary.rows, summary.first, summary.last, summary.dates, summary.gaps
        );
    }
    if unreadable > 0 {
        eprintln!(
            "note: {unreadable} row(s) could not be read; run `alphaseq data check` to see them"
        );
    }
    Ok(())
}
