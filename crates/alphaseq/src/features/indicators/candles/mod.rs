//! The candles family: candlestick transforms.

pub mod cdl_doji;
pub mod cdl_inside;
pub mod cdl_pattern;
pub mod cdl_z;
pub mod ha;
pub mod talib_patterns;
