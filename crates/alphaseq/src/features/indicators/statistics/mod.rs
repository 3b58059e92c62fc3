//! The statistics family.

pub mod zscore;
