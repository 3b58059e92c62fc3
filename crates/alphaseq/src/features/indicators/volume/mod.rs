//! The volume family.

pub mod ad;
pub mod adosc;
pub mod cmf;
pub mod efi;
pub mod eom;
pub mod mfi;
pub mod obv;
pub mod pvo;
pub mod pvt;
pub mod vwap;
