//! alphaseq: market data, features, data sets, forecasters, strategies, backtests and metrics.
//!
//! The modules depend on each other in one direction only:
//! `data -> features -> dataset -> forecast -> strategy -> backtest -> metrics`, with
//! [`pipeline`] tying them together for `alphaseq run`. The recurrent-network engine lives in
//! `alphaseq-nn` and plugs in through the [`forecast::Forecaster`] trait; nothing here prints.

pub mod backtest;
pub mod data;
pub mod dataset;
pub mod error;
pub mod experiment;
pub mod factor;
pub mod features;
pub mod forecast;
pub mod issue;
pub mod metrics;
pub mod numeric;
pub mod orders;
pub mod pipeline;
pub mod portfolio;
pub mod record;
pub mod rng;
pub mod selection;
pub mod signal;
pub mod strategy;

pub use error::{Error, Result};
