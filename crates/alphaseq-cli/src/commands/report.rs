//! `alphaseq report RUN_DIR [--out FILE]`: re-renders the HTML report of a run folder from its
//! files (by default into RUN_DIR/report.html, atomically).

use std::path::PathBuf;

use clap::Args;

use crate::stdout::outln;
use crate::Failure;
use alphaseq::experiment::atomic;
use alphaseq_nn::experiment::ModelSection;

/// Arguments of `report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// A run folder written by `alphaseq run`.
    run_dir: PathBuf,
    /// Where to write the HTML (default: RUN_DIR/report.html).
    #[arg(long)]
    out: Option<PathBuf>,
}

/// Renders the report.
pub fn run(args: ReportArgs) -> Result<(), Failure> {
    alphaseq::experiment::claim::require_complete(&args.run_dir).map_err(Failure::usage)?;
    let report = alphaseq::experiment::report::run_report::<ModelSection>(&args.run_dir)
        .map_err(Failure::usage)?;
    let out = args.out.unwrap_or_else(|| args.run_dir.join("report.html"));
    atomic::write(&out, alphaseq_report::render_html(&report).as_bytes())?;
    outln!("report: {}", out.display());
    Ok(())
}
