//! The momentum family.

pub mod macd;
pub mod mom;
pub mod roc;
pub mod rsi;
