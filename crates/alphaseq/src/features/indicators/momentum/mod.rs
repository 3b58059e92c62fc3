//! The momentum family.

pub mod cci;
pub mod cti;
pub mod macd;
pub mod mom;
pub mod roc;
pub mod rsi;
pub mod slope;
pub mod stoch;
pub mod willr;
