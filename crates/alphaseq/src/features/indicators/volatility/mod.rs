//! The volatility family.

pub mod aberration;
pub mod atr;
pub mod bbands;
pub mod natr;
pub mod true_range;
