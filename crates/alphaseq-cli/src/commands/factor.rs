//! `alphaseq factor FACTOR.csv --prices PRICES... [--periods 1,5,10] [--quantiles 5]
//! [--sectors FILE] [--out DIR] [--json]`: alphalens-reloaded's factor tear sheet of any signal
//! (`date,ticker,factor`) against the adjusted closes of the price files; the returns,
//! information and turnover tables on stdout, JSON with `--json`, and `factor.html` plus
//! `factor.json` in `--out DIR`.

use std::path::PathBuf;

use alphaseq::data::{self, Panel, PanelOptions};
use alphaseq::experiment::atomic;
use alphaseq::experiment::report::factor as sheet;
use alphaseq::factor::{analyse_panel, read_factor, spec};
use alphaseq_report::Section;
use anyhow::anyhow;
use clap::Args;

use crate::stdout::{out, outln};
use crate::Failure;

/// Arguments of `factor`.
#[derive(Debug, Args)]
pub struct FactorArgs {
    /// The factor: CSV with `date,ticker,factor` columns (one value per date and ticker).
    factor: PathBuf,
    /// Price files (the layouts `run` reads); forward returns come from their adjusted closes.
    #[arg(long, num_args = 1.., required = true)]
    prices: Vec<PathBuf>,
    /// Forward-return horizons in bars, ascending (the first is the base period).
    #[arg(long, value_delimiter = ',', default_value = "1,5,10")]
    periods: Vec<usize>,
    /// Equal-count bins per date.
    #[arg(long, default_value_t = 5)]
    quantiles: usize,
    /// A `ticker,sector` file: IC by sector and the sector-neutral IC.
    #[arg(long)]
    sectors: Option<PathBuf>,
    /// Write factor.html and factor.json into this folder.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Print JSON instead of tables.
    #[arg(long)]
    json: bool,
}

/// Runs the factor tear sheet.
pub fn run(args: FactorArgs) -> Result<(), Failure> {
    let spec = spec(&args.periods, args.quantiles).map_err(|e| match e {
        alphaseq::Error::Config { key, message } => Failure::Usage(anyhow!("--{key}: {message}")),
        other => Failure::usage(other),
    })?;
    let rows = read_factor(&args.factor).map_err(Failure::usage)?;
    let (records, issues) = data::read_sources(&args.prices).map_err(Failure::usage)?;
    if !issues.is_empty() {
        eprintln!(
            "note: {} issue(s) in the prices (`alphaseq data check` lists them)",
            issues.len()
        );
    }
    let mut panel =
        Panel::from_records(&records, &PanelOptions::default()).map_err(Failure::usage)?;
    if let Some(path) = &args.sectors {
        let sectors = data::sectors::read_sectors(path).map_err(Failure::usage)?;
        panel.set_sectors(&sectors);
    }
    let analysis = analyse_panel(&rows, &panel, &spec).map_err(Failure::usage)?;
    let text = serde_json::to_string_pretty(&analysis).map_err(Failure::failed)?;
    let sections = sheet::sections(&analysis);
    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir).map_err(Failure::failed)?;
        atomic::write(&dir.join("factor.json"), text.as_bytes())?;
        let report = sheet::report(&args.factor.display().to_string(), &analysis);
        atomic::write(&dir.join("factor.html"), alphaseq_report::render_html(&report).as_bytes())?;
        eprintln!("factor tear sheet: {}", dir.join("factor.html").display());
    }
    if args.json {
        outln!("{text}");
    } else if args.out.is_none() {
        for section in &sections {
            match section {
                Section::Table(t) => {
                    let headers: Vec<&str> = t.columns.iter().map(String::as_str).collect();
                    let rows: Vec<Vec<String>> = t
                        .rows
                        .iter()
                        .map(|(name, cells)| {
                            std::iter::once(name.clone())
                                .chain(cells.iter().map(|c| c.display()))
                                .collect()
                        })
                        .collect();
                    outln!("{}", t.title);
                    out!("{}\n", alphaseq_report::text_table(&headers, &rows));
                }
                Section::Notes { lines, .. } => {
                    for l in lines {
                        outln!("{l}");
                    }
                    outln!("");
                }
                _ => {}
            }
        }
    }
    Ok(())
}
