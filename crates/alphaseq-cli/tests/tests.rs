//! Integration tests of the `alphaseq` binary, compiled as one test target.

#![allow(clippy::unwrap_used)] // test helpers may panic: a panic is a failed test

mod golden;
mod util;

mod bad_input;
mod config;
mod data_check;
mod data_summary;
mod factor;
mod features;
mod run;
mod search;
mod seeds;
mod studies;
mod tearsheet;
mod walk_forward;
