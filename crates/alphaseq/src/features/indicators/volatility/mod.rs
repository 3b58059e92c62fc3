//! The volatility family.

pub mod atr;
pub mod true_range;
