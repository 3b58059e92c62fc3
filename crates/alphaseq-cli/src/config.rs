//! The experiment file: one TOML document in sections (data, features, dataset, model, training,
//! strategy, report). Unknown keys and wrong types are errors naming the key, line and column
//! (the `toml` crate's diagnostics on `deny_unknown_fields` structs). Every key and its default
//! is documented in docs/config.md; paths are relative to the config file's folder.

use std::path::{Path, PathBuf};

use alphaseq::data::policy::DataSpec;
use alphaseq::dataset::DatasetSpec;
use alphaseq::features::FeatureSpec;
use alphaseq::strategy::StrategySpec;
use alphaseq_nn::{InitScheme, LayerSpec, TrainConfig};
use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};

/// A whole experiment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Experiment {
    /// Name of the experiment; the run folder is `runs/<name>-<timestamp>`.
    pub name: String,
    /// Where the prices come from and how they are prepared.
    pub data: DataSpec,
    /// Features.
    #[serde(default)]
    pub features: FeatureSpec,
    /// Targets, windows and split.
    #[serde(default)]
    pub dataset: DatasetSpec,
    /// Feature selection on the training samples.
    #[serde(default)]
    pub selection: alphaseq::selection::SelectionSpec,
    /// Permutation feature importance on the validation windows (`[importance]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub importance: Option<alphaseq::forecast::ImportanceSpec>,
    /// The forecaster.
    #[serde(default)]
    pub model: ModelSection,
    /// Training loop options of the recurrent network (the linear baseline has none).
    #[serde(default)]
    pub training: TrainConfig,
    /// Trading rule and costs.
    #[serde(default)]
    pub strategy: StrategySpec,
    /// Report options.
    #[serde(default)]
    pub report: ReportSection,
    /// Hyperparameter search (`[search]`): run the experiment once per trial.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub search: Option<crate::search::SearchSpec>,
}

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
}

/// `[report]`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportSection {
    /// Report title (default: the experiment name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

/// Relative path strings (one, or a list) made absolute from the current folder.
fn absolute_paths(value: &toml::Value) -> Result<toml::Value> {
    let cwd = std::env::current_dir().context("the current folder")?;
    let fix = |v: &toml::Value| -> toml::Value {
        match v.as_str() {
            Some(p) if Path::new(p).is_relative() => {
                toml::Value::String(cwd.join(p).to_string_lossy().into_owned())
            }
            _ => v.clone(),
        }
    };
    Ok(match value {
        toml::Value::Array(a) => toml::Value::Array(a.iter().map(fix).collect()),
        v => fix(v),
    })
}

/// Parses one `--set KEY=VALUE`: VALUE as a TOML value (`3`, `0.1`, `true`, `"x"`, `[1, 2]`,
/// `2017-12-31`, `{ type = "lstm", units = 8 }`), else as a plain string.
pub fn parse_override(s: &str) -> std::result::Result<(String, toml::Value), String> {
    let (key, value) = s.split_once('=').ok_or("use KEY=VALUE, e.g. training.epochs=2")?;
    let key = key.trim();
    if key.is_empty() || key.split('.').any(str::is_empty) {
        return Err(format!("{key:?} is not a dotted key path like training.epochs"));
    }
    let value = value.trim();
    let parsed = toml::from_str::<toml::Table>(&format!("v = {value}"))
        .ok()
        .and_then(|mut t| t.remove("v"))
        .unwrap_or_else(|| toml::Value::String(value.to_string()));
    Ok((key.to_string(), parsed))
}

impl Experiment {
    /// Reads and checks an experiment file; relative paths become relative to its folder.
    pub fn load(path: &Path) -> Result<Experiment> {
        Experiment::load_with(path, &[])
    }

    /// Reads an experiment file with `overrides` (dotted key path, TOML value) put in before it
    /// is checked, as `alphaseq run --set` gives them. A relative path given for `data.prices`
    /// or `data.sectors` in an override is relative to the current folder, not the file's.
    pub fn load_with(path: &Path, overrides: &[(String, toml::Value)]) -> Result<Experiment> {
        let mut text = std::fs::read_to_string(path)
            .with_context(|| format!("reading config {}", path.display()))?;
        if !overrides.is_empty() {
            let mut doc: toml::Value =
                toml::from_str(&text).with_context(|| format!("in config {}", path.display()))?;
            for (key, value) in overrides {
                let value = match key.as_str() {
                    "data.prices" | "data.sectors" => absolute_paths(value)?,
                    _ => value.clone(),
                };
                crate::search::set_path(&mut doc, key, value)
                    .with_context(|| format!("--set {key}"))?;
            }
            text = toml::to_string(&doc)?;
        }
        let mut exp =
            Experiment::parse(&text).with_context(|| format!("in config {}", path.display()))?;
        let base = path.parent().unwrap_or(Path::new("."));
        let rebase = |p: &PathBuf| if p.is_absolute() { p.clone() } else { base.join(p) };
        exp.data.prices = exp.data.prices.iter().map(rebase).collect();
        exp.data.sectors = exp.data.sectors.as_ref().map(rebase);
        Ok(exp)
    }

    /// Parses and checks TOML text.
    pub fn parse(text: &str) -> Result<Experiment> {
        let mut exp: Experiment = toml::from_str(text)?;
        if let Some(m) = exp.features.momentum.as_mut() {
            if m.market.is_none() {
                m.market.clone_from(&exp.data.benchmark);
            }
        }
        exp.check()?;
        Ok(exp)
    }

    fn check(&self) -> Result<()> {
        if self.name.trim().is_empty() || self.name.contains(['/', '\\']) {
            bail!("name: {:?} must be non-empty and contain no path separators", self.name);
        }
        if self.data.prices.is_empty() {
            bail!("data.prices: give at least one price file or folder");
        }
        if let (Some(s), Some(e)) = (self.data.start, self.data.end) {
            if s >= e {
                bail!("data.start {s} must be before data.end {e}");
            }
        }
        self.features.validate()?;
        self.dataset.validate()?;
        if let Some(s) = &self.search {
            s.check()?;
        }
        if self.model.ridge < 0.0 || !self.model.ridge.is_finite() {
            bail!("model.ridge: {} must be a finite number >= 0", self.model.ridge);
        }
        match self.model.kind {
            ModelKind::Linear
                if !self.model.layers.is_empty()
                    || !self.model.head.is_empty()
                    || !self.model.static_inputs.is_empty()
                    || self.model.ticker_embedding.is_some() =>
            {
                bail!("model.layers, model.head, model.static and model.ticker_embedding need model.kind = \"recurrent\"")
            }
            ModelKind::Recurrent if self.model.layers.is_empty() => {
                bail!("model.layers: a recurrent model needs at least one [[model.layers]] table")
            }
            _ => {}
        }
        let columns = self.features.names();
        for c in self.static_columns() {
            if !columns.contains(&c) {
                bail!(
                    "model.static: {c:?} is not a feature column; add it to [features] (e.g. calendar = [\"month\"]) or use one of: {}",
                    columns.join(", ")
                );
            }
        }
        let t = &self.training;
        let lr_ok = t.optimizer.lr.is_finite() && t.optimizer.lr > 0.0;
        if t.epochs == 0 || t.batch_size == 0 || !lr_ok {
            bail!("training: epochs, batch_size and optimizer.lr must be positive");
        }
        let st = &self.strategy;
        if st.cost_bps < 0.0 || !st.cost_bps.is_finite() {
            bail!("strategy.cost_bps: {} must be a finite number >= 0", st.cost_bps);
        }
        if st.quantiles < 2 {
            bail!("strategy.quantiles: {} must be at least 2", st.quantiles);
        }
        if st.cov_window < 2 {
            bail!("strategy.cov_window: {} must be at least 2 bars", st.cov_window);
        }
        for (key, v) in [("vol_target", st.vol_target), ("max_gross", st.max_gross)] {
            if let Some(v) = v {
                if !(v.is_finite() && v > 0.0) {
                    bail!("strategy.{key}: {v} must be a positive number");
                }
            }
        }
        if st.rule == alphaseq::strategy::Rule::MeanVariance
            && st.neutral == alphaseq::portfolio::Neutrality::Sector
            && self.data.sectors.is_none()
        {
            bail!(
                "strategy.neutral = \"sector\" needs data.sectors (a ticker,sector CSV); or set strategy.neutral = \"dollar\""
            );
        }
        Ok(())
    }

    /// The resolved configuration (every default filled in) as TOML.
    pub fn to_toml(&self) -> Result<String> {
        Ok(toml::to_string_pretty(self)?)
    }

    /// The recurrent network's description.
    pub fn recurrent_spec(&self) -> alphaseq_nn::RecurrentSpec {
        alphaseq_nn::RecurrentSpec {
            layers: self.model.layers.clone(),
            ticker_embedding: self.model.ticker_embedding,
            static_features: self.static_columns(),
            head: self.model.head.clone(),
            init: self.model.init,
            training: self.training.clone(),
        }
    }

    /// `model.static` as feature column names (calendar groups expanded).
    pub fn static_columns(&self) -> Vec<String> {
        let group = |name: &str| -> Option<alphaseq::features::CalendarFeature> {
            toml::Value::String(name.to_string()).try_into().ok()
        };
        self.model
            .static_inputs
            .iter()
            .flat_map(|s| group(s).map_or_else(|| vec![s.clone()], |g| g.names()))
            .collect()
    }

    /// What the library's pipeline (and `signal`) needs of the experiment.
    pub fn pipeline_spec(&self) -> alphaseq::pipeline::PipelineSpec {
        alphaseq::pipeline::PipelineSpec {
            features: self.features.clone(),
            dataset: self.dataset.clone(),
            selection: self.selection.clone(),
            importance: self.importance,
            strategy: self.strategy.clone(),
            benchmark: self.data.benchmark.clone(),
            frequency: self.data.frequency,
            per_ticker: self.model.per_ticker,
        }
    }

    /// The linear model's options.
    pub fn linear_spec(&self) -> alphaseq::forecast::LinearSpec {
        alphaseq::forecast::LinearSpec { ridge: self.model.ridge }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alphaseq::data::MissingPolicy;
    use chrono::NaiveDate;

    const MINIMAL: &str = "name = \"t\"\n[data]\nprices = [\"p.csv\"]\n";

    #[test]
    fn overrides_parse_toml_values_and_fall_back_to_strings() {
        let v = |s: &str| parse_override(s).unwrap();
        assert_eq!(v("training.epochs=2"), ("training.epochs".into(), toml::Value::Integer(2)));
        assert_eq!(v("training.optimizer.lr = 0.01").1, toml::Value::Float(0.01));
        assert_eq!(v(r#"data.tickers=["A","B"]"#).1.as_array().unwrap().len(), 2);
        assert_eq!(v("strategy.rule=top_bottom").1, toml::Value::String("top_bottom".into()));
        assert!(v("data.end=2017-12-31").1.as_datetime().is_some());
        assert!(parse_override("training.epochs").is_err());
        assert!(parse_override("training..epochs=2").is_err());
    }

    #[test]
    fn static_inputs_expand_calendar_groups_and_must_be_features() {
        let text = format!(
            "{MINIMAL}[features]\ncalendar = [\"month\"]\n[model]\nkind = \"recurrent\"\nstatic = [\"month\"]\n[[model.layers]]\ntype = \"lstm\"\nunits = 4\n"
        );
        let e = Experiment::parse(&text).unwrap();
        assert_eq!(e.static_columns().len(), 12);
        assert_eq!(e.recurrent_spec().static_features[0], "month_1");
        let missing = text.replace("calendar = [\"month\"]", "calendar = []");
        let err = format!("{:#}", Experiment::parse(&missing).unwrap_err());
        assert!(err.contains("model.static") && err.contains("month_1"), "{err}");
    }

    #[test]
    fn defaults_fill_every_section() {
        let e = Experiment::parse(MINIMAL).unwrap();
        assert_eq!(e.features, FeatureSpec::default());
        assert_eq!(e.data.missing, MissingPolicy::Drop);
        assert!(e.data.adjusted);
        let again = Experiment::parse(&e.to_toml().unwrap()).unwrap();
        assert_eq!(again, e, "the resolved config reads back to the same experiment");
    }

    #[test]
    fn unknown_keys_are_named_with_their_line() {
        let text = format!("{MINIMAL}[strategy]\nrule = \"long_short\"\ncost_bp = 5\n");
        let err = format!("{:#}", Experiment::parse(&text).unwrap_err());
        assert!(err.contains("unknown field `cost_bp`"), "{err}");
        assert!(err.contains("line 6"), "{err}");
    }

    #[test]
    fn wrong_types_are_named_with_their_line() {
        let text = format!("{MINIMAL}[dataset]\nhorizon = \"one\"\n");
        let err = format!("{:#}", Experiment::parse(&text).unwrap_err());
        assert!(err.contains("line 5") && err.contains("invalid type"), "{err}");
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
        assert!(format!("{:#}", Experiment::parse(&typo).unwrap_err()).contains("unit"));
        let empty = format!("{MINIMAL}[model]\nkind = \"recurrent\"\n");
        assert!(format!("{:#}", Experiment::parse(&empty).unwrap_err()).contains("at least one"));
    }

    #[test]
    fn dates_may_be_bare_toml_dates_or_strings() {
        let text = format!("{MINIMAL}start = 2005-01-03\nend = \"2020-12-31\"\n");
        let e = Experiment::parse(&text).unwrap();
        assert_eq!(e.data.start, NaiveDate::from_ymd_opt(2005, 1, 3));
        assert_eq!(e.data.end, NaiveDate::from_ymd_opt(2020, 12, 31));
        let bad = format!("{MINIMAL}start = \"2005-13-01\"\n");
        assert!(format!("{:#}", Experiment::parse(&bad).unwrap_err()).contains("2005-13-01"));
    }
}
