//! The volume family.

pub mod obv;
