//! The overlap family.

pub mod dema;
pub mod ema;
pub mod hilo;
pub mod hl2;
pub mod hlc3;
pub mod hma;
pub mod linreg;
pub mod midpoint;
pub mod midprice;
pub mod ohlc4;
pub mod rma;
pub mod sma;
pub mod supertrend;
pub mod tema;
pub mod trima;
pub mod vidya;
pub mod vwma;
pub mod wcp;
pub mod wma;
pub mod zlma;
