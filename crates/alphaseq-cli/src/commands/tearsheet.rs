//! `alphaseq tearsheet RETURNS.csv [--benchmark BENCH.csv] [--period P] [--out DIR] [--json]`:
//! pyfolio's performance statistics (empyrical definitions) and Sharpe by year for any returns
//! series (`date,returns`), against a benchmark series on the same dates when given; a text
//! table on stdout, JSON with `--json`, and `tearsheet.html` plus `metrics.json` in `--out DIR`.

use std::path::PathBuf;

use alphaseq::data::returns::{read_returns, ReturnSeries};
use alphaseq::metrics::significance::SharpeSignificance;
use alphaseq::metrics::PerfStats;
use alphaseq_report::{Report, Section};
use anyhow::anyhow;
use clap::Args;
use serde_json::json;

use crate::stdout::{out, outln};
use crate::Failure;
use alphaseq::experiment::atomic;
use alphaseq::experiment::report::believe::{self, Evidence};
use alphaseq::experiment::report::tearsheet;
use alphaseq::metrics::tearsheet::{align, Column, Strategy, TearSheet};

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
fn periods_per_year(
    period: Option<&str>,
    s: &ReturnSeries,
) -> Result<(f64, &'static str), Failure> {
    match period.map(str::to_lowercase).as_deref() {
        Some("daily") => Ok((252.0, "daily")),
        Some("weekly") => Ok((52.0, "weekly")),
        Some("monthly") => Ok((12.0, "monthly")),
        Some(other) => {
            Err(Failure::Usage(anyhow!("--period {other:?}: use daily, weekly or monthly")))
        }
        None => {
            let inferred = alphaseq::data::Frequency::infer(&s.dates);
            Ok((inferred.periods_per_year(), inferred.name()))
        }
    }
}

/// Runs the tear sheet.
pub fn run(args: TearsheetArgs) -> Result<(), Failure> {
    let usage = |e: alphaseq::Error| Failure::usage(e);
    let series = read_returns(&args.returns).map_err(usage)?;
    let bench = args.benchmark.as_deref().map(read_returns).transpose().map_err(usage)?;
    let (ppy, period) = periods_per_year(args.period.as_deref(), &series)?;
    // The benchmark's return on each of the strategy's dates (NaN where it has none).
    let aligned: Option<Vec<f64>> =
        bench.as_ref().map(|b| align(&series.dates, &b.dates, &b.returns));
    let stats = PerfStats::of(&series.returns, aligned.as_deref(), ppy);
    let bench_stats = aligned.as_deref().map(|b| PerfStats::of(b, None, ppy));
    let main = [Strategy::returns("returns", series.returns.clone())];
    let by_year: Vec<(i32, Option<f64>)> =
        TearSheet { dates: &series.dates, strategies: &main, market: None, periods_per_year: ppy }
            .sharpe_by_year()
            .into_iter()
            .map(|(y, s)| (y, s[0]))
            .collect();
    let doc = json!({
        "returns": args.returns.display().to_string(),
        "first_date": series.dates[0].to_string(),
        "last_date": series.dates[series.dates.len() - 1].to_string(),
        "period": period,
        "periods_per_year": ppy,
        "strategy": stats,
        "benchmark": bench_stats,
        "significance": SharpeSignificance::of(&series.returns, ppy),
        "sharpe_by_year": by_year.iter().map(|(y, s)| json!({"year": y, "sharpe_ratio": s})).collect::<Vec<_>>(),
        "conventions": "empyrical (empyrical-reloaded) definitions as pyfolio's perf_stats; skew and kurtosis as scipy; alpha and beta against the benchmark on the strategy's dates",
    });
    let text = serde_json::to_string_pretty(&doc).map_err(Failure::failed)?;
    if let Some(dir) = &args.out {
        atomic::write(&dir_created(dir)?.join("metrics.json"), text.as_bytes())?;
        let report = html_report(&args, &series, aligned.as_deref(), (ppy, period));
        atomic::write(
            &dir.join("tearsheet.html"),
            alphaseq_report::render_html(&report).as_bytes(),
        )?;
        eprintln!("tear sheet: {}", dir.join("tearsheet.html").display());
    }
    if args.json {
        outln!("{text}");
    } else if args.out.is_none() {
        print_table(&stats, bench_stats.as_ref())?;
    }
    Ok(())
}

fn dir_created(dir: &std::path::Path) -> Result<&std::path::Path, Failure> {
    std::fs::create_dir_all(dir).map_err(Failure::failed)?;
    Ok(dir)
}

/// The tear sheet as an HTML report: the returns and, when given, the benchmark's.
fn html_report(
    args: &TearsheetArgs,
    series: &ReturnSeries,
    aligned: Option<&[f64]>,
    (ppy, period): (f64, &str),
) -> Report {
    let bench_name = args.benchmark.as_ref().map_or("benchmark".to_string(), |p| {
        p.file_stem().map_or("benchmark".into(), |s| s.to_string_lossy().into_owned())
    });
    let mut strategies = vec![Strategy::returns("returns", series.returns.clone())];
    if let Some(b) = aligned {
        strategies.push(Strategy::returns(&bench_name, b.to_vec()));
    }
    let sheet = TearSheet {
        dates: &series.dates,
        strategies: &strategies,
        market: aligned.map(|b| (bench_name.as_str(), b)),
        periods_per_year: ppy,
    };
    let dates = &series.dates;
    Report {
        title: format!("Tear sheet: {}", args.returns.display()),
        facts: vec![
            (
                "returns".into(),
                format!(
                    "{} .. {}, {} {period} periods",
                    dates[0],
                    dates[dates.len() - 1],
                    dates.len()
                ),
            ),
            (
                "conventions".into(),
                "empyrical definitions (pyfolio perf_stats); skew, kurtosis as scipy".into(),
            ),
        ],
        sections: {
            let mut sections = tearsheet::sections(&sheet);
            sections.push(Section::Heading("How much to believe this".into()));
            sections.extend(believe::sections(&sheet, &Evidence::default()));
            sections
        },
    }
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
