//! The momentum family.

pub mod ao;
pub mod apo;
pub mod bias;
pub mod bop;
pub mod cci;
pub mod cfo;
pub mod cmo;
pub mod coppock;
pub mod cti;
pub mod er;
pub mod macd;
pub mod mom;
pub mod pgo;
pub mod ppo;
pub mod psl;
pub mod qqe;
pub mod roc;
pub mod rsi;
pub mod slope;
pub mod stoch;
pub mod trix;
pub mod tsi;
pub mod uo;
pub mod willr;
