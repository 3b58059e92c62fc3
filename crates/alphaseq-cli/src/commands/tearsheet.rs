//! `alphaseq tearsheet RETURNS.csv [--benchmark BENCH.csv] [--period P] [--out DIR] [--json]`:
//! pyfolio's performance statistics (empyrical definitions) and Sharpe by year for any returns
//! series (`date,returns`), against a benchmark series on the same dates when given; a text
//! table on stdout, JSON with `--json`, and `tearsheet.html` plus `metrics.json` in `--out DIR`.

use std::path::PathBuf;

use alphaseq::data::returns::read_returns;
use alphaseq::experiment::atomic;
use alphaseq::experiment::report::tearsheet::{self, Standalone};
use alphaseq::metrics::tearsheet::Column;
use alphaseq::metrics::PerfStats;
use anyhow::anyhow;
use clap::Args;

use crate::stdout::{out, outln};
use crate::Failure;

/// Arguments of `tearsheet`.
#[derive(Debug, Args)]
pub struct TearsheetArgs {
    /// Returns CSV: `date,returns` (simple returns per period).
    returns: PathBuf,
    /// Benchmark returns CSV in the same layout; its returns on the strategy's dates are used.
    #[arg(long)]
    benchmark: Option<PathBuf>,
    /// `daily` (252), `weekly` (52) or `monthly` (12); by default from the median gap between dates.
    #[arg(long)]
    period: Option<String>,
    /// Write tearsheet.html and metrics.json into this folder.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

/// Annualisation: given, or inferred from the median spacing of the dates.
/// Prints (or writes) the tear sheet.
pub fn run(args: TearsheetArgs) -> Result<(), Failure> {
    let usage = |e: alphaseq::Error| Failure::usage(e);
    let series = read_returns(&args.returns).map_err(usage)?;
    let bench = args.benchmark.as_deref().map(read_returns).transpose().map_err(usage)?;
    let bench_name = args.benchmark.as_ref().map_or("benchmark".to_string(), |p| {
        p.file_stem().map_or("benchmark".into(), |s| s.to_string_lossy().into_owned())
    });
    let sheet = Standalone::new(
        &args.returns.display().to_string(),
        series,
        bench.as_ref().map(|b| (bench_name.as_str(), b)),
        args.period.as_deref(),
    )
    .map_err(|e| match e {
        alphaseq::Error::Config { message, .. } => Failure::Usage(anyhow!("--period {message}")),
        other => Failure::usage(other),
    })?;
    let text = serde_json::to_string_pretty(&sheet.record()).map_err(Failure::failed)?;
    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir).map_err(Failure::failed)?;
        atomic::write(&dir.join("metrics.json"), text.as_bytes())?;
        let html = alphaseq_report::render_html(&sheet.report());
        atomic::write(&dir.join("tearsheet.html"), html.as_bytes())?;
        eprintln!("tear sheet: {}", dir.join("tearsheet.html").display());
    }
    if args.json {
        outln!("{text}");
    } else if args.out.is_none() {
        let (stats, bench_stats) = sheet.stats();
        print_table(&stats, bench_stats.as_ref())?;
    }
    Ok(())
}

/// The performance table as text on stdout.
fn print_table(stats: &PerfStats, bench: Option<&PerfStats>) -> Result<(), Failure> {
    let mut columns = vec![Column::plain("returns", stats.clone())];
    columns.extend(bench.cloned().map(|b| Column::plain("benchmark", b)));
    let t = tearsheet::performance_table(&columns);
    let headers: Vec<&str> = t.columns.iter().map(String::as_str).collect();
    let rows: Vec<Vec<String>> = t
        .rows
        .iter()
        .map(|(name, cells)| {
            std::iter::once(name.clone()).chain(cells.iter().map(|c| c.display())).collect()
        })
        .collect();
    out!("{}", alphaseq_report::text_table(&headers, &rows));
    Ok(())
}
