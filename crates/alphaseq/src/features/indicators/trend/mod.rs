//! The trend family.

pub mod adx;
pub mod alphatrend;
pub mod amat;
pub mod aroon;
pub mod chop;
pub mod cksp;
pub mod decay;
pub mod decreasing;
pub mod dpo;
pub mod ht_trendline;
pub mod increasing;
pub mod psar;
pub mod qstick;
pub mod rwi;
pub mod trendflex;
pub mod vhf;
pub mod vortex;
pub mod zigzag;
