//! The cycle family.

pub mod ebsw;
pub mod reflex;
