//! The trend family.

pub mod adx;
pub mod aroon;
pub mod chop;
pub mod dpo;
pub mod psar;
pub mod qstick;
pub mod vhf;
pub mod vortex;
