//! The trend family.

pub mod adx;
pub mod aroon;
pub mod dpo;
pub mod psar;
pub mod vortex;
