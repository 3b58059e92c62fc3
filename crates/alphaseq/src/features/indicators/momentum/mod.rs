//! The momentum family.

pub mod mom;
pub mod roc;
