//! The library's own `[model]`: the least-squares (or ridge) baseline, with no `[training]`
//! options, so the experiment runs and is tested without the network engine.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{read_artifact, ForecasterOptions, ModelConfig};
use crate::error::{Error, Result};
use crate::forecast::{Forecaster, LinearForecaster, LinearSpec};

/// `[model]` of the library alone: the least-squares (or ridge) baseline, no training options.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinearModel {
    /// Always `linear`; the key is accepted so that the binary's linear configs load here too.
    #[serde(default)]
    pub kind: LinearKind,
    /// Ridge penalty on standardised features (0 = least squares).
    #[serde(default)]
    pub ridge: f64,
}

/// The one kind of [`LinearModel`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinearKind {
    /// Least squares or ridge.
    #[default]
    Linear,
}

/// No `[training]` options.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoTraining {}

impl ModelConfig for LinearModel {
    type Training = NoTraining;

    fn check(&self, _training: &NoTraining, _columns: &[String]) -> Result<()> {
        check_ridge(self.ridge)
    }

    fn forecaster(
        &self,
        _training: &NoTraining,
        _options: &ForecasterOptions,
    ) -> Box<dyn Forecaster> {
        Box::new(LinearForecaster::new(self.spec()))
    }

    fn restore(&self, dir: &Path) -> Result<Box<dyn Forecaster>> {
        Ok(Box::new(LinearForecaster::restore(&read_artifact(dir, "linear.json")?)?))
    }
}

impl LinearModel {
    /// The linear forecaster's options.
    pub fn spec(&self) -> LinearSpec {
        LinearSpec { ridge: self.ridge }
    }
}

/// Checks `model.ridge`.
///
/// # Errors
/// [`Error::Config`] for a negative or non-finite penalty.
pub fn check_ridge(ridge: f64) -> Result<()> {
    if ridge < 0.0 || !ridge.is_finite() {
        return Err(Error::config("model.ridge", format!("{ridge} must be a finite number >= 0")));
    }
    Ok(())
}
