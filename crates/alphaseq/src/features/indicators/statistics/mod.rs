//! The statistics family.

pub mod entropy;
pub mod kurtosis;
pub mod mad;
pub mod median;
pub mod quantile;
pub mod skew;
pub mod stdev;
pub mod tos_stdevall;
pub mod variance;
pub mod zscore;
