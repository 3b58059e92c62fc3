//! The performance family.

pub mod drawdown;
pub mod log_return;
pub mod percent_return;
