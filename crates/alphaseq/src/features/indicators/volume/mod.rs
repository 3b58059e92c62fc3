//! The volume family.

pub mod mfi;
pub mod obv;
