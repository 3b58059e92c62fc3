//! `alphaseq tearsheet RETURNS.csv [--benchmark BENCH.csv] [--period P] [--out DIR] [--json]`:
//! pyfolio's performance statistics (empyrical definitions) and Sharpe by year for any returns
//! series (`date,returns`), against a benchmark series on the same dates when given; a text
//! table on stdout, JSON with `--json`, and `tearsheet.html` plus `metrics.json` in `--out DIR`.

use std::path::PathBuf;

use alphaseq::data::returns::{read_returns, ReturnSeries};
use alphaseq::metrics::{sharpe_ratio, PerfStats};
use alphaseq_report::Report;
use anyhow::anyhow;
use chrono::Datelike;
use clap::Args;
use serde_json::json;

use crate::report::tearsheet::{self, Column, Strategy, TearSheet};
use crate::{atomic, Failure};

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
            let mut gaps: Vec<i64> = s.dates.windows(2).map(|w| (w[1] - w[0]).num_days()).collect();
            gaps.sort_unstable();
            let median = gaps.get(gaps.len() / 2).copied().unwrap_or(1);
            Ok(match median {
                ..=4 => (252.0, "daily"),
                5..=10 => (52.0, "weekly"),
                _ => (12.0, "monthly"),
            })
        }
    }
}

/// Runs the tear sheet.
pub fn run(args: TearsheetArgs) -> Result<(), Failure> {
    let usage = |e: alphaseq::Error| Failure::Usage(anyhow!(e));
    let series = read_returns(&args.returns).map_err(usage)?;
    let bench = args.benchmark.as_deref().map(read_returns).transpose().map_err(usage)?;
    let (ppy, period) = periods_per_year(args.period.as_deref(), &series)?;
    // The benchmark's return on each of the strategy's dates (NaN where it has none).
    let aligned: Option<Vec<f64>> = bench.as_ref().map(|b| {
        series
            .dates
            .iter()
            .map(|d| b.dates.binary_search(d).map_or(f64::NAN, |k| b.returns[k]))
            .collect()
    });
    let stats = PerfStats::of(&series.returns, aligned.as_deref(), ppy);
    let bench_stats = aligned.as_deref().map(|b| PerfStats::of(b, None, ppy));
    let mut by_year: Vec<(i32, Option<f64>)> = vec![];
    for (k, d) in series.dates.iter().enumerate() {
        if by_year.last().is_none_or(|(y, _)| *y != d.year()) {
            let end = series.dates[k..].iter().take_while(|x| x.year() == d.year()).count();
            by_year.push((d.year(), sharpe_ratio(&series.returns[k..k + end], 0.0, ppy)));
        }
    }
    let doc = json!({
        "returns": args.returns.display().to_string(),
        "first_date": series.dates[0].to_string(),
        "last_date": series.dates[series.dates.len() - 1].to_string(),
        "period": period,
        "periods_per_year": ppy,
        "strategy": stats,
        "benchmark": bench_stats,
        "sharpe_by_year": by_year.iter().map(|(y, s)| json!({"year": y, "sharpe_ratio": s})).collect::<Vec<_>>(),
        "conventions": "empyrical (empyrical-reloaded) definitions as pyfolio's perf_stats; skew and kurtosis as scipy; alpha and beta against the benchmark on the strategy's dates",
    });
    let text = serde_json::to_string_pretty(&doc).map_err(|e| Failure::Failed(e.into()))?;
    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir).map_err(|e| Failure::Failed(e.into()))?;
        let bench_name = args.benchmark.as_ref().map_or("benchmark".to_string(), |p| {
            p.file_stem().map_or("benchmark".into(), |s| s.to_string_lossy().into_owned())
        });
        let mut strategies = vec![Strategy {
            label: "returns".into(),
            returns: series.returns.clone(),
            turnover: None,
            regression: None,
        }];
        if let Some(b) = &aligned {
            strategies.push(Strategy {
                label: bench_name.clone(),
                returns: b.clone(),
                turnover: None,
                regression: None,
            });
        }
        let sheet = TearSheet {
            dates: &series.dates,
            strategies: &strategies,
            market: aligned.as_deref().map(|b| (bench_name.as_str(), b)),
            periods_per_year: ppy,
        };
        let dates = &series.dates;
        let report = Report {
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
            sections: sheet.sections(),
        };
        atomic::write(&dir.join("metrics.json"), text.as_bytes())?;
        atomic::write(
            &dir.join("tearsheet.html"),
            alphaseq_report::render_html(&report).as_bytes(),
        )?;
        eprintln!("tear sheet: {}", dir.join("tearsheet.html").display());
    }
    if args.json {
        println!("{text}");
    } else if args.out.is_none() {
        let mut columns = vec![Column::plain("returns", stats.clone())];
        columns.extend(bench_stats.clone().map(|b| Column::plain("benchmark", b)));
        let t = tearsheet::performance_table(&columns);
        let headers: Vec<&str> = t.columns.iter().map(String::as_str).collect();
        let rows: Vec<Vec<String>> = t
            .rows
            .iter()
            .map(|(name, cells)| {
                std::iter::once(name.clone()).chain(cells.iter().map(|c| c.display())).collect()
            })
            .collect();
        print!("{}", alphaseq_report::text_table(&headers, &rows));
    }
    Ok(())
}
