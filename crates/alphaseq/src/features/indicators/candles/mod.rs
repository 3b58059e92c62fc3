//! The candles family: candlestick transforms.

pub mod ha;
