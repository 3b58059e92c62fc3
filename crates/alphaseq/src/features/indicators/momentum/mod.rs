//! The momentum family.

pub mod bop;
pub mod cci;
pub mod cmo;
pub mod cti;
pub mod macd;
pub mod mom;
pub mod roc;
pub mod rsi;
pub mod slope;
pub mod stoch;
pub mod willr;
