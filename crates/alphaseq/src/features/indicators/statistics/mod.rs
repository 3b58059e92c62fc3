//! The statistics family.

pub mod kurtosis;
pub mod median;
pub mod skew;
pub mod stdev;
pub mod variance;
pub mod zscore;
