//! The `alphaseq` binary: `main` parses arguments, dispatches to one subcommand, and maps the
//! outcome to an exit code (0 ok, 1 error or invalid data, 2 usage error).

mod commands;
mod config;
mod log;
mod progress;
mod stdout;

use std::process::ExitCode;

/// mimalloc keeps freed pages for reuse. With glibc's malloc, the engine's per-step buffers
/// (several MB for W2) went back to the OS at every step and were faulted in again: about 5% of
/// a training step in page faults.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand};

/// From raw market prices to a backtested, risk-analysed trading strategy.
#[derive(Debug, Parser)]
#[command(name = "alphaseq", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Inspect price files.
    #[command(subcommand)]
    Data(DataCommand),
    /// Run an experiment described by a TOML file and write a run folder.
    Run(commands::run::RunArgs),
    /// The feature and indicator catalogue.
    #[command(subcommand)]
    Features(FeaturesCommand),
    /// Inspect models.
    #[command(subcommand)]
    Model(ModelCommand),
    /// Measure throughput (the recurrent-network engine: `bench nn`).
    Bench(commands::bench::BenchArgs),
    /// Performance statistics (pyfolio's, empyrical definitions) of any returns series.
    Tearsheet(commands::tearsheet::TearsheetArgs),
    /// alphalens-reloaded's factor tear sheet of any signal (`date,ticker,factor`) against prices.
    Factor(commands::factor::FactorArgs),
    /// Re-render the HTML report of a run folder from its files.
    Report(commands::report::ReportArgs),
    /// Assemble a run computed in shards (`run --shard I/N`) from its folder.
    Merge {
        /// The folder the shards wrote into.
        dir: std::path::PathBuf,
    },
    /// Today's target positions from a trained run and the latest prices.
    Signal(commands::signal::SignalArgs),
}

#[derive(Debug, Subcommand)]
enum FeaturesCommand {
    /// The indicators with their parameters, warm-up and look-ahead status.
    List(commands::features_list::ListArgs),
    /// Compute an experiment's features for every ticker and date and write them (CSV or Parquet).
    Compute(commands::features_compute::ComputeArgs),
}

#[derive(Debug, Subcommand)]
enum ModelCommand {
    /// The network an experiment file describes: layers, output shapes, parameters (Keras style).
    Summary(commands::model_summary::SummaryArgs),
}

#[derive(Debug, Subcommand)]
enum DataCommand {
    /// Validate price files and name every problem (file, line, ticker, date).
    Check(commands::data_check::CheckArgs),
    /// Tickers, date range, rows and gaps of price files.
    Summary(commands::data_summary::SummaryArgs),
}

/// How a command ended, beyond success.
#[derive(Debug)]
pub enum Failure {
    /// Exit 1: the work failed or the data has errors (already reported).
    Failed(anyhow::Error),
    /// Exit 1 with nothing more to say (the command printed its own report).
    Reported,
    /// Exit 0: stdout was closed by its reader (`| head`), a normal end.
    Closed,
    /// Exit 2: the command line or configuration is wrong.
    Usage(anyhow::Error),
}

impl Failure {
    /// A usage failure (exit 2) with `e`'s message; flat, as the library's messages already
    /// include their causes (`{:#}` would repeat them).
    pub fn usage(e: impl std::fmt::Display) -> Failure {
        Failure::Usage(anyhow::anyhow!("{e}"))
    }

    /// A failure (exit 1) with `e`'s message, flat.
    pub fn failed(e: impl std::fmt::Display) -> Failure {
        Failure::Failed(anyhow::anyhow!("{e}"))
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        Failure::Failed(e)
    }
}

/// The one mapping of the library's errors to exit codes: a wrong request (a configuration
/// value, an unknown ticker, an argument, a model description the engine cannot build) exits 2,
/// anything else (unreadable or invalid data, a failed computation) exits 1.
impl From<alphaseq::Error> for Failure {
    fn from(e: alphaseq::Error) -> Self {
        if let alphaseq::Error::InvalidData { issues } = &e {
            return Failure::Failed(anyhow::anyhow!(
                "the prices have {} error(s); fix them or see `alphaseq data check`",
                issues.len()
            ));
        }
        let engine_usage = match &e {
            alphaseq::Error::Model(source) => {
                source.downcast_ref::<alphaseq_nn::Error>().is_some_and(engine_is_usage)
            }
            _ => false,
        };
        // the library's messages already include their sources: flattened, so that `{:#}`
        // does not repeat them
        let flat = anyhow::anyhow!("{e}");
        if e.is_usage() || engine_usage {
            Failure::Usage(flat)
        } else {
            Failure::Failed(flat)
        }
    }
}

impl From<alphaseq_nn::Error> for Failure {
    fn from(e: alphaseq_nn::Error) -> Self {
        if engine_is_usage(&e) {
            Failure::Usage(e.into())
        } else {
            Failure::Failed(e.into())
        }
    }
}

/// A model description that cannot be built is the user's to fix; a checkpoint or an input of
/// the wrong shape is not.
fn engine_is_usage(e: &alphaseq_nn::Error) -> bool {
    matches!(e, alphaseq_nn::Error::Model(_) | alphaseq_nn::Error::Layer { .. })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Data(DataCommand::Check(args)) => commands::data_check::run(args),
        Command::Data(DataCommand::Summary(args)) => commands::data_summary::run(args),
        Command::Run(args) => commands::run::run(args),
        Command::Bench(args) => commands::bench::run(args),
        Command::Model(ModelCommand::Summary(args)) => commands::model_summary::run(args),
        Command::Features(FeaturesCommand::List(args)) => commands::features_list::run(args),
        Command::Tearsheet(args) => commands::tearsheet::run(args),
        Command::Factor(args) => commands::factor::run(args),
        Command::Report(args) => commands::report::run(args),
        Command::Signal(args) => commands::signal::run(args),
        Command::Merge { dir } => commands::run::merge(&dir),
        Command::Features(FeaturesCommand::Compute(args)) => commands::features_compute::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Reported) => ExitCode::from(1),
        Err(Failure::Closed) => ExitCode::SUCCESS,
        Err(Failure::Failed(e)) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
        Err(Failure::Usage(e)) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
