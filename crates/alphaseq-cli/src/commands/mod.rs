//! One file per subcommand.

pub mod bench;
pub mod data_check;
pub mod data_summary;
pub mod factor;
pub mod features_compute;
pub mod features_list;
pub mod model_summary;
pub mod report;
pub mod run;
pub mod signal;
pub mod tearsheet;

use std::path::PathBuf;

use alphaseq::data::CalendarSpec;

/// The price sources and calendar shared by the `data` subcommands.
#[derive(Debug, clap::Args)]
pub struct SourceArgs {
    /// Price files: long CSV (optionally gzipped), Parquet, or a folder of per-ticker Yahoo CSVs.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Ticker whose dates are the trading calendar (default: the union of all dates); `own`:
    /// the union, each ticker on its own dates (no day of a ticker is missing).
    #[arg(long)]
    pub calendar: Option<String>,
}

impl SourceArgs {
    /// The calendar as the panel builder wants it.
    pub fn calendar_spec(&self) -> CalendarSpec {
        CalendarSpec::parse(self.calendar.as_deref())
    }
}
