//! One file per subcommand.

pub mod data_check;
pub mod data_summary;
pub mod run;
