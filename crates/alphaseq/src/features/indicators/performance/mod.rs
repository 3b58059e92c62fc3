//! The performance family.

pub mod log_return;
pub mod percent_return;
