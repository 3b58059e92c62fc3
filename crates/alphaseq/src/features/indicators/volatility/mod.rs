//! The volatility family.

pub mod aberration;
pub mod accbands;
pub mod atr;
pub mod atrts;
pub mod bbands;
pub mod chandelier_exit;
pub mod donchian;
pub mod hwc;
pub mod kc;
pub mod massi;
pub mod natr;
pub mod pdist;
pub mod rvi;
pub mod thermo;
pub mod true_range;
pub mod ui;
