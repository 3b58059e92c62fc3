//! The volatility family.

pub mod aberration;
pub mod atr;
pub mod bbands;
pub mod donchian;
pub mod kc;
pub mod massi;
pub mod natr;
pub mod rvi;
pub mod true_range;
pub mod ui;
