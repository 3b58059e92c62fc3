//! The trend family.

pub mod dpo;
