//! The volume family.

pub mod ad;
pub mod adosc;
pub mod aobv;
pub mod cmf;
pub mod efi;
pub mod eom;
pub mod kvo;
pub mod mfi;
pub mod nvi;
pub mod obv;
pub mod pvi;
pub mod pvo;
pub mod pvol;
pub mod pvr;
pub mod pvt;
pub mod tsv;
pub mod vhm;
pub mod vwap;
