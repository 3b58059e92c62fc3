//! The overlap family.

pub mod ema;
pub mod hilo;
pub mod hl2;
pub mod hlc3;
pub mod ohlc4;
pub mod sma;
pub mod supertrend;
pub mod vwma;
pub mod wcp;
pub mod wma;
pub mod zlma;
