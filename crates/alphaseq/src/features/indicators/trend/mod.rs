//! The trend family.

pub mod aroon;
pub mod dpo;
pub mod vortex;
