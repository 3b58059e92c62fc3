//! `[model]` and `[training]` of an experiment file for alphaseq's forecasters, the linear
//! baseline or a recurrent network of this engine: [`ModelSection`] is the
//! [`alphaseq::experiment::ModelConfig`] that completes [`alphaseq::experiment::Experiment`]
//! into the whole schema ([`Experiment`]) the binary and the Python package read.

use std::path::Path;

use alphaseq::error::{Error, Result};
use alphaseq::experiment::{
    check_ridge, read_artifact, ForecasterOptions, LinearModel, ModelConfig, NoTraining,
};
use alphaseq::features::CalendarFeature;
use alphaseq::forecast::{EpochProgress, Forecaster, LinearSpec};
use alphaseq::pipeline::Ensemble;
use serde::{Deserialize, Serialize};

use crate::forecaster::{RecurrentForecaster, RecurrentSpec};
use crate::init::InitScheme;
use crate::model::LayerSpec;
use crate::train::{Monitor, TrainConfig};

/// An experiment whose forecaster is the linear baseline or a recurrent network.
pub type Experiment = alphaseq::experiment::Experiment<ModelSection>;

/// The kinds of forecaster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModelKind {
    /// Least-squares (or ridge) regression on the as-of date's features.
    #[default]
    Linear,
    /// A recurrent network described by `layers`, trained as `[training]` says.
    Recurrent,
}

/// `[model]`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelSection {
    /// The forecaster.
    #[serde(default)]
    pub kind: ModelKind,
    /// Ridge penalty of the linear model on standardised features (0 = least squares).
    #[serde(default)]
    pub ridge: f64,
    /// Initialisation defaults of the recurrent network: keras or torch.
    #[serde(default)]
    pub init: InitScheme,
    /// Layers of the recurrent network's sequence branch, input to output (`[[model.layers]]`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub layers: Vec<LayerSpec>,
    /// Embed each sample's ticker id in this many dimensions and concatenate it after the branch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticker_embedding: Option<usize>,
    /// Feature columns fed once per sample (the as-of date's values) as static inputs
    /// concatenated after the branch, not as sequence steps: column names or calendar groups
    /// (`"month"` = `month_1` .. `month_12`, `"day_of_week"`, `"day_of_year"`).
    #[serde(default, rename = "static", skip_serializing_if = "Vec::is_empty")]
    pub static_inputs: Vec<String>,
    /// Layers after the concatenation (`[[model.head]]` tables).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub head: Vec<LayerSpec>,
    /// One model per ticker, each with its own scaler, split and fit (trained in parallel),
    /// instead of one model for all tickers.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub per_ticker: bool,
    /// One model per group of `data.sectors` (a `ticker,group` file: sectors, asset classes),
    /// each trained on its group's tickers with its own scaler and split.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub per_group: bool,
}

impl ModelConfig for ModelSection {
    type Training = TrainConfig;

    fn epochs(&self, training: &TrainConfig) -> Option<usize> {
        Some(training.epochs)
    }

    fn warm_start(&self, training: &TrainConfig) -> bool {
        training.warm_start.is_some()
    }

    fn watches_validation(&self, training: &TrainConfig) -> Option<&'static str> {
        let watches = training.monitor == Monitor::ValLoss
            && (training.patience > 0 || training.restore_best_weights);
        watches.then_some("training.monitor")
    }

    fn history_columns(&self, training: &TrainConfig) -> Vec<String> {
        let mut columns = vec!["loss".to_string(), "val_loss".to_string()];
        if training.loss == crate::loss::Loss::BinaryCrossentropy {
            for prefix in ["", "val_"] {
                let scores = crate::train::BinaryScores::COLUMNS.iter();
                columns.extend(scores.map(|c| format!("{prefix}{c}")));
            }
        }
        columns
    }

    fn seeds(&self, training: &TrainConfig) -> Vec<u64> {
        training.seeds.as_ref().map_or(vec![], |s| s.resolve(training.seed))
    }

    fn ensemble(&self, training: &TrainConfig) -> Ensemble {
        training.ensemble
    }

    fn with_seed(&self, training: &TrainConfig, seed: u64) -> TrainConfig {
        TrainConfig { seed, ..training.clone() }
    }

    fn check(&self, training: &TrainConfig, columns: &[String]) -> Result<()> {
        check_ridge(self.ridge)?;
        if self.per_ticker && self.per_group {
            return Err(Error::config(
                "model.per_group",
                "one model per group or one per ticker, not both",
            ));
        }
        match self.kind {
            ModelKind::Linear
                if !self.layers.is_empty()
                    || !self.head.is_empty()
                    || !self.static_inputs.is_empty()
                    || self.ticker_embedding.is_some() =>
            {
                return Err(Error::config("model.kind", "model.layers, model.head, model.static and model.ticker_embedding need model.kind = \"recurrent\""));
            }
            ModelKind::Recurrent if self.layers.is_empty() => {
                return Err(Error::config(
                    "model.layers",
                    "a recurrent model needs at least one [[model.layers]] table",
                ));
            }
            _ => {}
        }
        for c in self.static_columns() {
            if !columns.contains(&c) {
                return Err(Error::config("model.static", format!(
                    "{c:?} is not a feature column; add it to [features] (e.g. calendar = [\"month\"]) or use one of: {}",
                    columns.join(", ")
                )));
            }
        }
        if let Some(seeds) = &training.seeds {
            seeds.check()?;
        }
        if self.kind == ModelKind::Linear {
            if training.seeds.as_ref().is_some_and(|s| s.resolve(0).len() > 1) {
                return Err(Error::config(
                    "training.seeds",
                    "the linear model is solved in closed form, so every seed gives the same model: needs model.kind = \"recurrent\"",
                ));
            }
            if training.warm_start.is_some() {
                return Err(Error::config(
                    "training.warm_start",
                    "the linear model is solved in closed form, not trained from a start: needs model.kind = \"recurrent\"",
                ));
            }
            return Ok(());
        }
        let warm = training.warm_start.unwrap_or_default();
        for (key, n) in [
            ("training.epochs", training.epochs),
            ("training.batch_size", training.batch_size),
            ("training.warm_start.epochs", warm.epochs.unwrap_or(1)),
        ] {
            if n == 0 {
                return Err(Error::config(key, "must be at least 1"));
            }
        }
        let lr = training.optimizer.lr;
        if !(lr.is_finite() && lr > 0.0) {
            return Err(Error::config(
                "training.optimizer.lr",
                format!("{lr} must be a positive number"),
            ));
        }
        self.recurrent_spec(training).check_build(columns)
    }

    fn per_ticker(&self) -> bool {
        self.per_ticker
    }

    fn per_group(&self) -> bool {
        self.per_group
    }

    fn forecaster(
        &self,
        training: &TrainConfig,
        options: &ForecasterOptions,
    ) -> Box<dyn Forecaster> {
        if self.kind == ModelKind::Linear {
            return self.linear().forecaster(&NoTraining {}, options);
        }
        let mut spec = self.recurrent_spec(training);
        // how many threads run the replicas: speed only, the replica split stays the config's
        spec.training.workers = options.threads;
        let forecaster = RecurrentForecaster::new(spec);
        match options.progress.clone() {
            Some(hook) => Box::new(forecaster.with_progress(move |e| {
                hook(&EpochProgress {
                    epoch: e.epoch,
                    loss: e.loss,
                    val_loss: e.val_loss,
                    seconds: e.seconds,
                })
            })),
            None => Box::new(forecaster),
        }
    }

    fn restore(&self, dir: &Path) -> Result<Box<dyn Forecaster>> {
        Ok(match self.kind {
            ModelKind::Linear => self.linear().restore(dir)?,
            ModelKind::Recurrent => {
                Box::new(RecurrentForecaster::restore(&read_artifact(dir, "model.safetensors")?)?)
            }
        })
    }
}

impl ModelSection {
    /// `model.static` as feature column names (calendar groups expanded).
    pub fn static_columns(&self) -> Vec<String> {
        let group = |name: &str| -> Option<CalendarFeature> {
            serde_json::from_value(serde_json::Value::String(name.to_string())).ok()
        };
        self.static_inputs
            .iter()
            .flat_map(|s| group(s).map_or_else(|| vec![s.clone()], |g| g.names()))
            .collect()
    }

    /// The recurrent network's description, trained as `training` says.
    pub fn recurrent_spec(&self, training: &TrainConfig) -> RecurrentSpec {
        RecurrentSpec {
            layers: self.layers.clone(),
            ticker_embedding: self.ticker_embedding,
            static_features: self.static_columns(),
            head: self.head.clone(),
            init: self.init,
            training: training.clone(),
        }
    }

    /// The linear model's options.
    pub fn linear_spec(&self) -> LinearSpec {
        self.linear().spec()
    }

    fn linear(&self) -> LinearModel {
        LinearModel { ridge: self.ridge, ..LinearModel::default() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "name = \"t\"\n[data]\nprices = [\"p.csv\"]\n";

    #[test]
    fn static_inputs_expand_calendar_groups_and_must_be_features() {
        let text = format!(
            "{MINIMAL}[features]\ncalendar = [\"month\"]\n[model]\nkind = \"recurrent\"\nstatic = [\"month\"]\n[[model.layers]]\ntype = \"lstm\"\nunits = 4\n"
        );
        let e = Experiment::parse(&text).unwrap();
        assert_eq!(e.model.static_columns().len(), 12);
        assert_eq!(e.model.recurrent_spec(&e.training).static_features[0], "month_1");
        let missing = text.replace("calendar = [\"month\"]", "calendar = []");
        let err = Experiment::parse(&missing).unwrap_err().to_string();
        assert!(err.contains("model.static") && err.contains("month_1"), "{err}");
    }

    #[test]
    fn recurrent_models_are_described_by_layer_tables() {
        let text = format!("{MINIMAL}[model]\nkind = \"recurrent\"\n[[model.layers]]\ntype = \"lstm\"\nunits = 8\n[[model.layers]]\ntype = \"dense\"\nunits = 1\n[training]\nepochs = 3\n[training.optimizer]\nlr = 0.01\nclipnorm = 1.0\n");
        let e = Experiment::parse(&text).unwrap();
        assert_eq!(e.model.layers.len(), 2);
        assert_eq!(
            (e.training.epochs, e.training.optimizer.lr, e.training.optimizer.clipnorm),
            (3, 0.01, Some(1.0))
        );
        assert_eq!(Experiment::parse(&e.to_toml().unwrap()).unwrap(), e);
        let typo = format!(
            "{MINIMAL}[model]\nkind = \"recurrent\"\n[[model.layers]]\ntype = \"lstm\"\nunit = 8\n"
        );
        assert!(Experiment::parse(&typo).unwrap_err().to_string().contains("unit"));
        let empty = format!("{MINIMAL}[model]\nkind = \"recurrent\"\n");
        let err = Experiment::parse(&empty).unwrap_err();
        assert!(err.to_string().contains("at least one") && err.is_usage(), "{err}");
    }
}
