//! The recurrent network as an `alphaseq` [`Forecaster`]: windows of feature rows become
//! feature-major batches (gathered per batch from the index views, never materialised whole).
//! Features arrive scaled (the data set's scaler, fitted on the training span); the target of a
//! regression loss is standardised with the training targets' mean and standard deviation, and
//! predictions are put back on the target's scale.

use std::collections::BTreeMap;

use alphaseq::forecast::{FitReport, Forecaster, Windows};
use serde::{Deserialize, Serialize};

use crate::checkpoint;
use crate::embedding::EmbeddingSpec;
use crate::error::{Error, Result};
use crate::init::InitScheme;
use crate::loss::Loss;
use crate::model::{LayerSpec, ModelSpec, Sequential, Shape};
use crate::source::SampleSource;
use crate::train::{self, EpochRecord, History, TargetScaling, TrainConfig};

/// What to build and how to train it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecurrentSpec {
    /// Layers of the sequence branch, input to output.
    pub layers: Vec<LayerSpec>,
    /// Embed each sample's ticker id in this many dimensions (vocabulary: the panel's tickers) and
    /// concatenate it after the branch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticker_embedding: Option<usize>,
    /// Feature columns fed once per sample, from the as-of row, as static inputs concatenated
    /// after the branch (e.g. a month one-hot) instead of as steps of the sequence.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub static_features: Vec<String>,
    /// Layers after the concatenation (or after the branch); the output must be one value per
    /// sample.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub head: Vec<LayerSpec>,
    /// Initialisation defaults to copy.
    pub init: InitScheme,
    /// The training loop.
    pub training: TrainConfig,
}

/// How many times the loss of predicting the mean (1 on standardised targets) a regression's
/// final training loss may be before the training counts as diverged: a trained network does
/// better than the mean in sample, or little worse with strong regularisation; 100 times worse
/// is a failed optimisation, never a model to trade.
const DIVERGED: f64 = 100.0;

/// A regression (MSE, MAE) whose best training loss is far above that of predicting the mean
/// has diverged; the other losses have no such yardstick.
fn check_diverged(history: &History, training: &TrainConfig) -> Result<()> {
    let baseline = match training.loss {
        Loss::Mse => 1.0,
        Loss::Mae => 0.8, // the mean absolute deviation of a standard normal, sqrt(2 / pi)
        _ => return Ok(()),
    };
    let Some(best) = history.epochs.iter().map(|e| e.loss).reduce(f64::min) else {
        return Ok(());
    };
    if best > DIVERGED * baseline {
        return Err(Error::Diverged(format!(
            "the training loss never went below {best:.4e} on standardised targets ({:.0} times that of predicting the mean); likely causes: a learning rate too large (training.optimizer.lr = {}), or extreme prices or features (see `alphaseq data check`)",
            best / baseline,
            training.optimizer.lr
        )));
    }
    Ok(())
}

impl RecurrentSpec {
    /// The network over `columns` of the features, with a ticker embedding over `tickers`.
    fn model_spec(&self, columns: &Columns, tickers: usize) -> ModelSpec {
        let embeddings = self
            .ticker_embedding
            .map(|dim| EmbeddingSpec { vocab: tickers, dim })
            .into_iter()
            .collect();
        ModelSpec {
            features: columns.sequence.len(),
            layers: self.layers.clone(),
            embeddings,
            static_features: columns.statics.len(),
            head: self.head.clone(),
        }
    }

    /// Builds the network once over the feature columns `names` (without data), so that a
    /// description the engine cannot build is found when the experiment is read.
    ///
    /// # Errors
    /// [`alphaseq::Error::Config`] naming `model.layers.N` or `model.head.N` (from 0, as TOML
    /// arrays count) or `model.static`; `training.loss` or `training.batches` for a
    /// cross-sectional Sharpe loss without a sequence output or date batches.
    pub fn check_build(&self, names: &[String]) -> alphaseq::Result<()> {
        let columns = Columns::of(self, names)?;
        let spec = self.model_spec(&columns, 2);
        match Sequential::<f32>::new(&spec, self.init, self.training.seed) {
            Ok(model) => self.check_loss(&model),
            Err(Error::Layer { index, message }) => {
                let key = if index < self.layers.len() {
                    format!("model.layers.{index}")
                } else {
                    format!("model.head.{}", index - self.layers.len())
                };
                Err(alphaseq::Error::config(key, message))
            }
            Err(e) => Err(alphaseq::Error::config("model", e.to_string())),
        }
    }

    /// The cross-sectional Sharpe loss needs a position per stock and date: date batches and
    /// a sequence output (one portfolio return per step).
    fn check_loss(&self, model: &Sequential<f32>) -> alphaseq::Result<()> {
        if self.training.loss != Loss::CrossSectionalSharpe {
            return Ok(());
        }
        if self.training.batches != crate::train::Batching::ByDate {
            return Err(alphaseq::Error::config(
                "training.batches",
                "the cross_sectional_sharpe loss needs batches of the stocks of the same dates: set training.batches = \"by_date\"",
            ));
        }
        if !matches!(model.output_shape(), Shape::Sequence(_)) {
            return Err(alphaseq::Error::config(
                "training.loss",
                "cross_sectional_sharpe needs a position per date of the window: a sequence output (return_sequences = true on the last recurrent layer, then a time-distributed dense layer)",
            ));
        }
        Ok(())
    }
}

/// A callback told about every finished epoch.
type Progress = Box<dyn FnMut(&EpochRecord) + Send>;

/// A recurrent network forecaster.
pub struct RecurrentForecaster {
    spec: RecurrentSpec,
    fitted: Option<Fitted>,
    progress: Option<Progress>,
    /// The `model.safetensors` the next fit starts from (`training.warm_start`); that fit takes
    /// it.
    warm: Option<Vec<u8>>,
}

impl std::fmt::Debug for RecurrentForecaster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecurrentForecaster")
            .field("spec", &self.spec)
            .field("fitted", &self.fitted.is_some())
            .finish()
    }
}

#[derive(Debug, Clone)]
struct Fitted {
    model: Sequential<f32>,
    scaling: Scaling,
    history: History,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Scaling {
    /// Per target column.
    y_mean: Vec<f64>,
    /// Per target column.
    y_scale: Vec<f64>,
    /// The traded column.
    primary: usize,
}

impl Scaling {
    /// The targets (each column) are scaled only for the regression losses (cross-entropy
    /// needs 0/1 labels, the Sharpe loss the returns as they are): `(y - y_mean) / y_scale`.
    fn fit(w: &Windows, loss: Loss, how: TargetScaling) -> Scaling {
        let width = w.target_width();
        let primary = w.primary();
        let identity = Scaling { y_mean: vec![0.0; width], y_scale: vec![1.0; width], primary };
        if !matches!(loss, Loss::Mse | Loss::Mae) || how == TargetScaling::None {
            return identity;
        }
        let n = w.len().max(1) as f64;
        let rows: Vec<Vec<f64>> = (0..w.len()).map(|i| w.target_row(i)).collect();
        let column = |c: usize| rows.iter().map(move |r| r[c]);
        let nonzero = |x: f64| if x > 0.0 { x } else { 1.0 };
        let (y_mean, y_scale) = match how {
            TargetScaling::MinMax => (0..width)
                .map(|c| {
                    let lo = column(c).fold(f64::INFINITY, f64::min);
                    let hi = column(c).fold(f64::NEG_INFINITY, f64::max);
                    (lo, nonzero(hi - lo))
                })
                .unzip(),
            _ => (0..width)
                .map(|c| {
                    let mean = column(c).sum::<f64>() / n;
                    let var = column(c).map(|y| (y - mean).powi(2)).sum::<f64>() / n;
                    (mean, nonzero(var).sqrt())
                })
                .unzip(),
        };
        Scaling { y_mean, y_scale, primary }
    }
}

struct Source<'a> {
    windows: &'a Windows<'a>,
    scaling: &'a Scaling,
    ticker_ids: bool,
    columns: &'a Columns,
    /// Targets for every step of a window (a many-to-many model), not only the last.
    per_step: bool,
}

/// The samples of `w` whose every step has all its targets realised: what a many-to-many model
/// trains and validates on.
fn complete_steps(w: &Windows) -> Vec<alphaseq::dataset::Sample> {
    let steps = w.sequence_length();
    (0..w.len())
        .filter(|&i| {
            (0..steps)
                .all(|k| w.step_targets(i, k).is_some_and(|r| r.iter().all(|v| v.is_finite())))
        })
        .map(|i| w.samples[i])
        .collect()
}

/// Which feature columns form the sequence and which are static inputs (as-of row only).
#[derive(Debug, Clone, PartialEq)]
struct Columns {
    sequence: Vec<usize>,
    statics: Vec<usize>,
}

impl Columns {
    /// Splits the feature matrix's columns by the spec's static names.
    fn of(spec: &RecurrentSpec, names: &[String]) -> alphaseq::Result<Columns> {
        let mut statics = Vec::with_capacity(spec.static_features.len());
        for s in &spec.static_features {
            let i = names.iter().position(|n| n == s).ok_or_else(|| {
                alphaseq::Error::config(
                    "model.static",
                    format!("{s:?} is not a feature column (columns: {})", names.join(", ")),
                )
            })?;
            statics.push(i);
        }
        let sequence: Vec<usize> = (0..names.len()).filter(|i| !statics.contains(i)).collect();
        if sequence.is_empty() {
            return Err(alphaseq::Error::config(
                "model.static",
                "every feature column is static; the sequence branch needs one",
            ));
        }
        Ok(Columns { sequence, statics })
    }
}

impl SampleSource for Source<'_> {
    fn len(&self) -> usize {
        self.windows.len()
    }

    fn steps(&self) -> usize {
        self.windows.sequence_length()
    }

    fn date(&self, i: usize) -> u32 {
        self.windows.samples[i].t
    }

    fn gather(&self, idx: &[usize], x: &mut Vec<f32>, y: &mut Vec<f32>) {
        let (cols, b, steps) = (&self.columns.sequence, idx.len(), self.steps());
        let s = self.scaling;
        x.clear();
        x.resize(cols.len() * steps * b, 0.0);
        for t in 0..steps {
            for (col, &i) in idx.iter().enumerate() {
                let row = self.windows.row(i, t);
                for (f, &c) in cols.iter().enumerate() {
                    x[(f * steps + t) * b + col] = row[c] as f32;
                }
            }
        }
        // feature-major, as the network's output: [target column][sample], or
        // [target column][step][sample] for a many-to-many model
        let width = s.y_mean.len();
        y.clear();
        if self.per_step {
            y.resize(width * steps * b, 0.0);
            for t in 0..steps {
                for (col, &i) in idx.iter().enumerate() {
                    let row = self.windows.step_targets(i, t).unwrap_or_default();
                    for (c, v) in row.iter().enumerate().take(width) {
                        y[(c * steps + t) * b + col] = ((v - s.y_mean[c]) / s.y_scale[c]) as f32;
                    }
                }
            }
            return;
        }
        y.resize(width * b, 0.0);
        for (col, &i) in idx.iter().enumerate() {
            for (c, v) in self.windows.target_row(i).into_iter().enumerate().take(width) {
                y[c * b + col] = ((v - s.y_mean[c]) / s.y_scale[c]) as f32;
            }
        }
    }
    fn gather_side(&self, idx: &[usize], categorical: &mut Vec<Vec<u32>>, statics: &mut Vec<f32>) {
        categorical.clear();
        statics.clear();
        if self.ticker_ids {
            categorical.push(idx.iter().map(|&i| self.windows.samples[i].ticker).collect());
        }
        // feature-major, as the concatenation's rows: [static feature][sample]
        let (last, b) = (self.windows.sequence_length() - 1, idx.len());
        statics.resize(self.columns.statics.len() * b, 0.0);
        for (col, &i) in idx.iter().enumerate() {
            let row = self.windows.row(i, last);
            for (f, &c) in self.columns.statics.iter().enumerate() {
                statics[f * b + col] = row[c] as f32;
            }
        }
    }
}

/// What a fit trains on, worked out from its windows: the network's description, which
/// feature columns form the sequence and which are static, whether every step is a target
/// (many-to-many: then only the windows whose steps all have targets), and the targets'
/// standardisation.
struct Prepared {
    spec: ModelSpec,
    columns: Columns,
    per_step: bool,
    /// The windows kept for a many-to-many fit (train, valid).
    kept: Option<(Vec<alphaseq::dataset::Sample>, Vec<alphaseq::dataset::Sample>)>,
    scaling: Scaling,
}

impl Prepared {
    /// The windows the fit uses.
    fn windows<'a>(
        &'a self,
        train: &Windows<'a>,
        valid: &Windows<'a>,
    ) -> (Windows<'a>, Windows<'a>) {
        match &self.kept {
            Some((t, v)) => (Windows { samples: t, ..*train }, Windows { samples: v, ..*valid }),
            None => (*train, *valid),
        }
    }
}

/// One set of samples as the training loop gathers them, sample-major: `x[i][t][f]` (the
/// sequence columns), `y[i][c]` (or `y[i][t][c]` for a many-to-many fit), standardised as the
/// fit standardises them; the ticker id of each sample (with a ticker embedding), its static
/// inputs `statics[i][s]`, and its as-of date (an ordinal, for batches by date).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SampleArrays {
    /// Samples.
    pub samples: usize,
    /// Steps per sample.
    pub steps: usize,
    /// Sequence features per step.
    pub features: usize,
    /// The sequences.
    pub x: Vec<f32>,
    /// Target values per sample (`outputs`, or `steps * outputs` many-to-many).
    pub y_width: usize,
    /// The targets.
    pub y: Vec<f32>,
    /// Ticker ids (empty without a ticker embedding).
    pub ids: Vec<u32>,
    /// Static inputs per sample.
    pub static_width: usize,
    /// The static inputs.
    pub statics: Vec<f32>,
    /// As-of dates (ordinals).
    pub dates: Vec<u32>,
}

impl SampleArrays {
    fn of(source: &Source<'_>) -> SampleArrays {
        let (n, steps) = (source.len(), source.steps());
        let features = source.columns.sequence.len();
        let idx: Vec<usize> = (0..n).collect();
        let (mut x_fm, mut y_fm) = (vec![], vec![]);
        source.gather(&idx, &mut x_fm, &mut y_fm);
        let mut x = vec![0.0; n * steps * features];
        for i in 0..n {
            for t in 0..steps {
                for f in 0..features {
                    x[(i * steps + t) * features + f] = x_fm[(f * steps + t) * n + i];
                }
            }
        }
        // y is [width][sample] or [output][step][sample]
        let y_width = y_fm.len() / n.max(1);
        let mut y = vec![0.0; n * y_width];
        let outputs = if source.per_step { y_width / steps.max(1) } else { y_width };
        for i in 0..n {
            for c in 0..y_width {
                let (row, col) = if source.per_step {
                    let (t, o) = (c / outputs, c % outputs);
                    ((o * steps + t) * n, i)
                } else {
                    (c * n, i)
                };
                y[i * y_width + c] = y_fm[row + col];
            }
        }
        let (mut categorical, mut statics_fm) = (vec![], vec![]);
        source.gather_side(&idx, &mut categorical, &mut statics_fm);
        let static_width = statics_fm.len() / n.max(1);
        let mut statics = vec![0.0; n * static_width];
        for i in 0..n {
            for s in 0..static_width {
                statics[i * static_width + s] = statics_fm[s * n + i];
            }
        }
        SampleArrays {
            samples: n,
            steps,
            features,
            x,
            y_width,
            y,
            ids: categorical.into_iter().next().unwrap_or_default(),
            static_width,
            statics,
            dates: (0..n).map(|i| source.date(i)).collect(),
        }
    }
}

/// What a fit of this forecaster on given windows would train on: the network, the training
/// options and the training and validation samples, exactly as the loop gathers them (so a fit
/// of `model` on them elsewhere, from Python, gives the same weights).
#[derive(Debug, Clone)]
pub struct FitArrays {
    /// The network's description.
    pub model: ModelSpec,
    /// Its initialisation.
    pub init: InitScheme,
    /// The training options (their seed also makes the initial weights).
    pub training: TrainConfig,
    /// The training samples.
    pub train: SampleArrays,
    /// The validation samples.
    pub valid: SampleArrays,
}

impl RecurrentForecaster {
    /// Works out what a fit on `train` (validated on `valid`) trains on.
    fn prepare(&self, train: &Windows, valid: &Windows) -> alphaseq::Result<Prepared> {
        let columns = Columns::of(&self.spec, train.features.names())?;
        let spec = self.spec.model_spec(&columns, train.features.n_tickers());
        let model = Sequential::<f32>::new(&spec, self.spec.init, self.spec.training.seed)?;
        let width = train.target_width();
        if model.output_shape().width() != width {
            return Err(alphaseq::Error::config("model.layers", format!(
                "the last layer gives {} values per sample; the target has {width} (end with Dense({width}))",
                model.output_shape().width()
            )));
        }
        // a sequence output trains many-to-many: every step of a window is a prediction of
        // that step's target and enters the loss
        let per_step = matches!(model.output_shape(), Shape::Sequence(_));
        let kept = per_step.then(|| (complete_steps(train), complete_steps(valid)));
        if kept.as_ref().is_some_and(|(t, _)| t.is_empty()) {
            return Err(alphaseq::Error::NotEnoughData(
                "no training window has the targets of all its steps, which a many-to-many model (a sequence output) trains on".into(),
            ));
        }
        let mut prepared = Prepared {
            spec,
            columns,
            per_step,
            kept,
            scaling: Scaling { y_mean: vec![], y_scale: vec![], primary: 0 },
        };
        let (fit_train, _) = prepared.windows(train, valid);
        let scaling =
            Scaling::fit(&fit_train, self.spec.training.loss, self.spec.training.target_scaling);
        prepared.scaling = scaling;
        Ok(prepared)
    }

    /// The arrays a fit on `train` and `valid` trains on ([`FitArrays`]).
    ///
    /// # Errors
    /// As [`Forecaster::fit`] before training: a network that does not fit the target, or no
    /// complete window for a many-to-many model.
    pub fn fit_arrays(&self, train: &Windows, valid: &Windows) -> alphaseq::Result<FitArrays> {
        let prepared = self.prepare(train, valid)?;
        let (fit_train, fit_valid) = prepared.windows(train, valid);
        let source = |windows| Source {
            windows,
            scaling: &prepared.scaling,
            ticker_ids: self.spec.ticker_embedding.is_some(),
            columns: &prepared.columns,
            per_step: prepared.per_step,
        };
        Ok(FitArrays {
            model: prepared.spec.clone(),
            init: self.spec.init,
            training: self.spec.training.clone(),
            train: SampleArrays::of(&source(&fit_train)),
            valid: SampleArrays::of(&source(&fit_valid)),
        })
    }

    /// An untrained forecaster.
    pub fn new(spec: RecurrentSpec) -> RecurrentForecaster {
        RecurrentForecaster { spec, fitted: None, progress: None, warm: None }
    }

    /// Calls `progress` after every training epoch (for a progress display).
    pub fn with_progress(
        mut self,
        progress: impl FnMut(&EpochRecord) + Send + 'static,
    ) -> RecurrentForecaster {
        self.progress = Some(Box::new(progress));
        self
    }

    /// The training history, once fitted.
    pub fn history(&self) -> Option<&History> {
        self.fitted.as_ref().map(|f| &f.history)
    }

    /// The trained network, once fitted.
    pub fn model(&self) -> Option<&Sequential<f32>> {
        self.fitted.as_ref().map(|f| &f.model)
    }

    /// The fitted forecaster as checkpoint files: `model.safetensors` (every tensor, with the
    /// forecaster's description and its training-set scaling as metadata), `model.torch.safetensors`
    /// (PyTorch names) and `model.json` (the layer description the PyTorch loader reads).
    pub fn checkpoint(&self) -> Option<Vec<(&'static str, Vec<u8>)>> {
        let f = self.fitted.as_ref()?;
        let mut model = f.model.clone();
        let meta = BTreeMap::from([
            (
                "alphaseq.forecaster".to_string(),
                serde_json::to_string(&self.spec).unwrap_or_default(),
            ),
            ("alphaseq.scaling".to_string(), serde_json::to_string(&f.scaling).unwrap_or_default()),
        ]);
        Some(vec![
            ("model.safetensors", checkpoint::encode(&mut model, &meta)),
            ("model.torch.safetensors", checkpoint::encode_torch(&mut model)),
            ("model.json", serde_json::to_vec_pretty(model.spec()).unwrap_or_default()),
        ])
    }

    /// A fitted forecaster from the bytes of a `model.safetensors` made by [`Self::checkpoint`].
    ///
    /// # Errors
    /// [`Error::Checkpoint`] when the file lacks alphaseq's metadata or does not fit its model.
    pub fn restore(bytes: &[u8]) -> Result<RecurrentForecaster> {
        let meta = checkpoint::decode(bytes)?.metadata;
        let field = |k: &str| {
            meta.get(k).ok_or_else(|| {
                Error::Checkpoint(format!(
                    "metadata {k} is missing: not an alphaseq forecaster checkpoint"
                ))
            })
        };
        let spec: RecurrentSpec = serde_json::from_str(field("alphaseq.forecaster")?)
            .map_err(|e| Error::Checkpoint(e.to_string()))?;
        let scaling: Scaling = serde_json::from_str(field("alphaseq.scaling")?)
            .map_err(|e| Error::Checkpoint(e.to_string()))?;
        let model_spec: ModelSpec = serde_json::from_str(field("alphaseq.model")?)
            .map_err(|e| Error::Checkpoint(e.to_string()))?;
        let mut model = Sequential::<f32>::new(&model_spec, spec.init, spec.training.seed)?;
        checkpoint::decode_into(&mut model, bytes)?;
        let history =
            History { epochs: vec![], best_epoch: 0, best_value: f64::NAN, stopped_early: false };
        Ok(RecurrentForecaster {
            spec,
            fitted: Some(Fitted { model, scaling, history }),
            progress: None,
            warm: None,
        })
    }
}

impl Forecaster for RecurrentForecaster {
    fn warm_start(&mut self, previous: &[(String, Vec<u8>)]) -> alphaseq::Result<()> {
        let checkpoint = previous.iter().find(|(name, _)| name == "model.safetensors");
        let (_, bytes) = checkpoint.ok_or_else(|| {
            alphaseq::Error::config(
                "training.warm_start",
                "the previous refit left no model.safetensors to start from",
            )
        })?;
        self.warm = Some(bytes.clone());
        Ok(())
    }

    fn artifacts(&self) -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<(String, Vec<u8>)> = self
            .checkpoint()
            .unwrap_or_default()
            .into_iter()
            .map(|(name, bytes)| (name.to_string(), bytes))
            .collect();
        if let Some(h) = self.history() {
            files.push(("history.csv".into(), h.csv().into_bytes()));
            let training = alphaseq::record::TrainingRecord {
                best_epoch: h.best_epoch,
                best_value: h.best_value,
                epochs: h.epochs.len(),
                stopped_early: h.stopped_early,
            };
            files.push((
                "training.json".into(),
                serde_json::to_vec_pretty(&training).unwrap_or_default(),
            ));
        }
        files
    }

    fn name(&self) -> String {
        let layers: Vec<String> =
            self.spec.layers.iter().chain(&self.spec.head).map(LayerSpec::label).collect();
        let mut name = layers.join(" -> ");
        if let Some(dim) = self.spec.ticker_embedding {
            name.push_str(&format!(" (+ ticker embedding {dim})"));
        }
        if !self.spec.static_features.is_empty() {
            name.push_str(&format!(" (+ {} static inputs)", self.spec.static_features.len()));
        }
        name
    }

    fn fit(&mut self, train: &Windows, valid: &Windows) -> alphaseq::Result<FitReport> {
        let prepared = self.prepare(train, valid)?;
        let Prepared { spec, columns, per_step, scaling, .. } = &prepared;
        let (fit_train, fit_valid) = prepared.windows(train, valid);
        let mut model = Sequential::<f32>::new(spec, self.spec.init, self.spec.training.seed)?;
        let scaling = scaling.clone();
        let source = |windows| Source {
            windows,
            scaling: &scaling,
            ticker_ids: self.spec.ticker_embedding.is_some(),
            columns,
            per_step: *per_step,
        };
        let (t, v) = (source(&fit_train), source(&fit_valid));
        let mut report = |e: &EpochRecord| {
            if let Some(p) = self.progress.as_mut() {
                p(e);
            }
        };
        let training = match self.warm.take() {
            Some(bytes) => {
                checkpoint::decode_into(&mut model, &bytes).map_err(|e| {
                    alphaseq::Error::config(
                        "training.warm_start",
                        format!("this refit cannot start from the previous refit's weights ({e}); the model and its inputs must be the same in every refit"),
                    )
                })?;
                self.spec.training.warm()
            }
            None => self.spec.training.clone(),
        };
        let history = train::fit(&mut model, &t, Some(&v), &training, &mut report)?;
        check_diverged(&history, &self.spec.training)?;
        let parameters = model.parameters();
        let history_best = history.best();
        // the validation loss of the weights the model ends with
        let valid_objective =
            history.epochs.get(history.best_epoch.wrapping_sub(1)).and_then(|e| e.val_loss);
        self.fitted = Some(Fitted { model, scaling, history });
        let mse = |w: &Windows| -> alphaseq::Result<f64> {
            let p = self.predict(w)?;
            Ok(p.iter().zip(w.samples).map(|(p, s)| (p - s.target).powi(2)).sum::<f64>()
                / w.len() as f64)
        };
        Ok(FitReport {
            train_loss: mse(train)?,
            valid_loss: mse(valid)?,
            valid_objective,
            parameters,
            history_best,
        })
    }

    fn predict(&self, windows: &Windows) -> alphaseq::Result<Vec<f64>> {
        let primary = self.fitted.as_ref().map_or(0, |f| f.scaling.primary);
        Ok(self.predict_all(windows)?.into_iter().map(|row| row[primary]).collect())
    }

    fn predict_all(&self, windows: &Windows) -> alphaseq::Result<Vec<Vec<f64>>> {
        let f = self
            .fitted
            .as_ref()
            .ok_or_else(|| alphaseq::Error::Invalid("predict called before fit".into()))?;
        let mut model = f.model.clone();
        let columns = Columns::of(&self.spec, windows.features.names())?;
        let source = Source {
            windows,
            scaling: &f.scaling,
            ticker_ids: self.spec.ticker_embedding.is_some(),
            columns: &columns,
            per_step: false,
        };
        let raw = train::predict(&mut model, &source, 1024);
        let width = f.scaling.y_mean.len();
        let s = &f.scaling;
        Ok(raw
            .chunks_exact(width.max(1))
            .map(|row| {
                row.iter()
                    .enumerate()
                    .map(|(c, p)| *p as f64 * s.y_scale[c] + s.y_mean[c])
                    .collect()
            })
            .collect())
    }
}

/// A forecaster that trains nothing: its first fit records what a [`RecurrentForecaster`]
/// would train on ([`FitArrays`]) and then stops the run with [`alphaseq::Error::Incomplete`]
/// (the message [`Capture::STOPPED`]), so that an experiment's first fold can be handed to
/// another trainer (Python's `alphaseq.nn`) with the same samples, scaling and options.
#[derive(Debug)]
pub struct Capture {
    inner: RecurrentForecaster,
    /// What the first fit would have trained on.
    pub arrays: Option<FitArrays>,
}

impl Capture {
    /// The message of the error that stops the run once the arrays are captured.
    pub const STOPPED: &'static str = "stopped after capturing the first fold's training arrays";

    /// A capture of `spec`'s forecaster.
    pub fn new(spec: RecurrentSpec) -> Capture {
        Capture { inner: RecurrentForecaster::new(spec), arrays: None }
    }
}

impl Forecaster for Capture {
    fn name(&self) -> String {
        self.inner.name()
    }

    fn fit(&mut self, train: &Windows, valid: &Windows) -> alphaseq::Result<FitReport> {
        self.arrays = Some(self.inner.fit_arrays(train, valid)?);
        Err(alphaseq::Error::Incomplete(Capture::STOPPED.into()))
    }

    fn predict(&self, _windows: &Windows) -> alphaseq::Result<Vec<f64>> {
        Err(alphaseq::Error::Invalid(Capture::STOPPED.into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activation::Activation;
    use crate::rng::Rng;
    use alphaseq::dataset::{Sample, WindowShape};
    use alphaseq::features::FeatureMatrix;

    #[test]
    fn a_restored_or_warm_started_forecaster_predicts_bit_identically() {
        let mut rng = Rng::new(3);
        let (n_dates, k) = (120, 2);
        let features = FeatureMatrix::from_blocks(
            vec!["a".into(), "b".into()],
            n_dates,
            vec![(0..n_dates * k).map(|_| rng.normal()).collect()],
        )
        .unwrap();
        let samples: Vec<Sample> = (10..n_dates as u32)
            .map(|t| Sample { ticker: 0, t, target: rng.normal() * 0.01 })
            .collect();
        let (train, valid) = samples.split_at(80);
        let w = |s| Windows::new(&features, s, WindowShape::new(5, 1), None);
        let layers = vec![
            LayerSpec::lstm(3, false, Activation::Tanh),
            LayerSpec::dense(1, Activation::Linear),
        ];
        let spec = RecurrentSpec {
            ticker_embedding: None,
            static_features: vec![],
            head: vec![],
            layers,
            init: InitScheme::Keras,
            training: TrainConfig { epochs: 2, ..TrainConfig::default() },
        };
        let mut f = RecurrentForecaster::new(spec.clone());
        f.fit(&w(train), &w(valid)).unwrap();
        let files = f.checkpoint().unwrap();
        let restored = RecurrentForecaster::restore(&files[0].1).unwrap();
        let (p, q) = (f.predict(&w(valid)).unwrap(), restored.predict(&w(valid)).unwrap());
        assert!(p.iter().zip(&q).all(|(a, b)| a.to_bits() == b.to_bits()));
        assert!(RecurrentForecaster::restore(&files[1].1)
            .unwrap_err()
            .to_string()
            .contains("not an alphaseq forecaster"));

        // a refit that starts from these weights, at a learning rate too small to move them,
        // predicts the same bits; one that starts from the initialisation does not
        let mut training = spec.training.clone();
        training.optimizer.lr = 1e-30;
        training.warm_start = Some(crate::train::WarmStart { epochs: Some(1), patience: None });
        let frozen = RecurrentSpec { training, ..spec };
        let mut warm = RecurrentForecaster::new(frozen.clone());
        warm.warm_start(&f.artifacts()).unwrap();
        warm.fit(&w(train), &w(valid)).unwrap();
        assert_eq!(warm.history().unwrap().epochs.len(), 1);
        let q = warm.predict(&w(valid)).unwrap();
        assert!(p.iter().zip(&q).all(|(a, b)| a.to_bits() == b.to_bits()));
        let mut cold = RecurrentForecaster::new(frozen);
        cold.fit(&w(train), &w(valid)).unwrap();
        assert_ne!(cold.predict(&w(valid)).unwrap(), p);
    }

    /// The first feature column as the sequence, and targets left as they are.
    fn one_column() -> (Columns, Scaling) {
        let columns = Columns { sequence: vec![0], statics: vec![] };
        (columns, Scaling { y_mean: vec![0.0], y_scale: vec![1.0], primary: 0 })
    }

    /// A many-to-many training source over `windows`.
    fn per_step_source<'a>(
        windows: &'a Windows<'a>,
        columns: &'a Columns,
        scaling: &'a Scaling,
    ) -> Source<'a> {
        Source { windows, scaling, ticker_ids: false, columns, per_step: true }
    }

    #[test]
    fn a_sequence_output_trains_on_every_steps_target() {
        // target(t) = 0.01 * feature(t): a many-to-many model sees the target of every step of
        // its window; a window whose earlier steps lack a target is left out of training
        let mut rng = Rng::new(4);
        let n_dates = 160;
        let x: Vec<f64> = (0..n_dates).map(|_| rng.normal()).collect();
        let features =
            FeatureMatrix::from_blocks(vec!["a".into()], n_dates, vec![x.clone()]).unwrap();
        let mut y: Vec<f64> = x.iter().map(|v| 0.01 * v).collect();
        y[20] = f64::NAN; // windows of 5 ending at 20..=24 have an unrealised step
        let table = alphaseq::dataset::TargetTable {
            names: vec!["target".into()],
            primary: 0,
            values: vec![y.clone()],
        };
        let samples: Vec<Sample> =
            (4..n_dates as u32).map(|t| Sample { ticker: 0, t, target: y[t as usize] }).collect();
        let (train, valid) = samples.split_at(110);
        let w = |s| Windows::new(&features, s, WindowShape::new(5, 1), Some(&table));
        assert_eq!(w(train).step_targets(3, 0), Some(&y[3..4]), "window 3 (t = 7) starts at 3");
        let kept = complete_steps(&w(train));
        assert_eq!(kept.len(), train.len() - 5);
        assert!(kept.iter().all(|s| !(20..=24).contains(&s.t)));
        // the batch's targets: [column][step][sample]
        let (columns, scaling) = one_column();
        let windows = w(train);
        let source = per_step_source(&windows, &columns, &scaling);
        let (mut bx, mut by) = (vec![], vec![]);
        source.gather(&[0, 9], &mut bx, &mut by);
        let at = |i: usize, k: usize| y[train[i].t as usize - 4 + k] as f32;
        let expected: Vec<f32> = (0..5).flat_map(|k| [at(0, k), at(9, k)]).collect();
        assert_eq!(by, expected);
        let spec = RecurrentSpec {
            ticker_embedding: None,
            static_features: vec![],
            head: vec![],
            layers: vec![
                LayerSpec::lstm(4, true, Activation::Tanh),
                LayerSpec::dense(1, Activation::Linear),
            ],
            init: InitScheme::Keras,
            training: TrainConfig {
                epochs: 40,
                batch_size: 16,
                patience: 0,
                optimizer: crate::optim::OptimizerConfig {
                    lr: 0.02,
                    ..crate::optim::OptimizerConfig::default()
                },
                ..TrainConfig::default()
            },
        };
        let mut f = RecurrentForecaster::new(spec);
        let report = f.fit(&w(train), &w(valid)).unwrap();
        // standardised targets: 1 is the mean's loss; learning y = 0.01 x gets well below it
        let last = f.history().unwrap().epochs.last().unwrap().loss;
        assert!(last < 0.5, "many-to-many training loss {last}");
        assert!(report.valid_loss.is_finite());
        // the model's own validation loss at the epoch it ends with (the best, restored)
        let h = f.history().unwrap();
        assert_eq!(report.valid_objective, h.epochs[h.best_epoch - 1].val_loss);
        assert_eq!(report.valid_objective, Some(h.best_value));
        let p = f.predict(&w(valid)).unwrap();
        assert_eq!(p.len(), valid.len(), "one prediction per window, from its last step");
    }

    #[test]
    fn date_batches_and_the_cross_sectional_sharpe_learn_a_cross_sectional_signal() {
        // 12 stocks whose next return is 1% x their feature: the dollar-neutral portfolio of the
        // normalised positions earns it every date
        let mut rng = Rng::new(6);
        let (tickers, n_dates) = (12usize, 200usize);
        let blocks: Vec<Vec<f64>> =
            (0..tickers).map(|_| (0..n_dates).map(|_| rng.normal()).collect()).collect();
        let values: Vec<Vec<f64>> = blocks
            .iter()
            .map(|x| x.iter().map(|v| 0.01 * v + 0.002 * rng.normal()).collect())
            .collect();
        let features = FeatureMatrix::from_blocks(vec!["x".into()], n_dates, blocks).unwrap();
        let table =
            alphaseq::dataset::TargetTable { names: vec!["target".into()], primary: 0, values };
        let samples = |dates: std::ops::Range<u32>| -> Vec<Sample> {
            dates
                .step_by(5)
                .flat_map(|t| (0..tickers as u32).map(move |ticker| (ticker, t)))
                .map(|(ticker, t)| Sample {
                    ticker,
                    t,
                    target: table.values[ticker as usize][t as usize],
                })
                .collect()
        };
        let (train, valid) = (samples(9..150), samples(154..200));
        let w = |s| Windows::new(&features, s, WindowShape::new(5, 1), Some(&table));
        let mut layers = vec![
            LayerSpec::lstm(4, true, Activation::Tanh),
            LayerSpec::dense(1, Activation::Linear),
            LayerSpec::CrossSectionalNorm(crate::CrossSectionalNormSpec::default()),
        ];
        let training = TrainConfig {
            epochs: 25,
            loss: Loss::CrossSectionalSharpe,
            batches: crate::train::Batching::ByDate,
            patience: 0,
            optimizer: crate::optim::OptimizerConfig { lr: 0.01, ..Default::default() },
            ..TrainConfig::default()
        };
        let spec = RecurrentSpec {
            ticker_embedding: None,
            static_features: vec![],
            head: vec![],
            layers: layers.clone(),
            init: InitScheme::Keras,
            training: training.clone(),
        };
        spec.check_build(&["x".to_string()]).unwrap();
        // the batches: one per date, its 12 stocks
        let windows = w(&train);
        let (columns, scaling) = one_column();
        let source = per_step_source(&windows, &columns, &scaling);
        let order: Vec<usize> = (0..train.len()).rev().collect();
        let batches = crate::train::batches(&source, &order, 64, crate::train::Batching::ByDate);
        assert_eq!(batches.len(), train.len() / tickers);
        assert!(batches
            .iter()
            .all(|b| b.len() == tickers && b.iter().all(|&i| train[i].t == train[b[0]].t)));
        let mut f = RecurrentForecaster::new(spec);
        f.fit(&w(&train), &w(&valid)).unwrap();
        let h = f.history().unwrap();
        let (first, best) =
            (h.epochs[0].loss, h.epochs.iter().map(|e| e.loss).fold(f64::MAX, f64::min));
        assert!(
            best < first && best < -20.0,
            "annualised Sharpe of the daily portfolio: {first} -> {best}"
        );
        // the loss needs date batches and a sequence output
        let mut wrong = RecurrentSpec {
            layers: layers.clone(),
            training: TrainConfig { batches: crate::train::Batching::Samples, ..training.clone() },
            ..f.spec.clone()
        };
        assert!(wrong
            .check_build(&["x".to_string()])
            .unwrap_err()
            .to_string()
            .contains("training.batches"));
        layers[0] = LayerSpec::lstm(4, false, Activation::Tanh);
        wrong = RecurrentSpec { layers, training, ..f.spec.clone() };
        assert!(wrong
            .check_build(&["x".to_string()])
            .unwrap_err()
            .to_string()
            .contains("training.loss"));
    }

    #[test]
    fn a_static_column_is_read_once_from_the_as_of_row() {
        let mut rng = Rng::new(5);
        let (n_dates, k) = (120, 3);
        let names = vec!["a".to_string(), "m".to_string(), "b".to_string()];
        let values: Vec<f64> = (0..n_dates * k).map(|_| rng.normal()).collect();
        let matrix = |v: Vec<f64>| FeatureMatrix::from_blocks(names.clone(), n_dates, vec![v]);
        let features = matrix(values.clone()).unwrap();
        let samples: Vec<Sample> = (10..n_dates as u32)
            .map(|t| Sample { ticker: 0, t, target: rng.normal() * 0.01 })
            .collect();
        let (train, valid) = samples.split_at(80);
        let w = |f, s| Windows::new(f, s, WindowShape::new(4, 1), None);
        let spec = RecurrentSpec {
            ticker_embedding: None,
            static_features: vec!["m".into(), "b".into()],
            head: vec![LayerSpec::dense(1, Activation::Linear)],
            layers: vec![LayerSpec::lstm(3, false, Activation::Tanh)],
            init: InitScheme::Keras,
            training: TrainConfig { epochs: 2, ..TrainConfig::default() },
        };
        let mut f = RecurrentForecaster::new(spec);
        f.fit(&w(&features, train), &w(&features, valid)).unwrap();
        let model = f.model().unwrap().spec();
        assert_eq!((model.features, model.static_features), (1, 2));
        let base = f.predict(&w(&features, valid)).unwrap();
        // a window's prediction does not depend on the other windows of its batch
        let few = f.predict(&w(&features, &valid[3..8])).unwrap();
        assert!(few.iter().zip(&base[3..8]).all(|(a, b)| a.to_bits() == b.to_bits()));
        // m on every row but the as-of rows of the validation windows: predictions unchanged
        let as_of: Vec<usize> = valid.iter().map(|s| s.t as usize).collect();
        let mut other = values.clone();
        for t in (0..n_dates).filter(|t| !as_of.contains(t)) {
            other[t * k + 1] += 10.0;
        }
        let other = matrix(other).unwrap();
        let p = f.predict(&w(&other, valid)).unwrap();
        assert!(base.iter().zip(&p).all(|(a, b)| a.to_bits() == b.to_bits()));
        // m on the as-of rows: they move
        let mut at = values;
        for &t in &as_of {
            at[t * k + 1] += 10.0;
        }
        let at = matrix(at).unwrap();
        let q = f.predict(&w(&at, valid)).unwrap();
        assert!(base.iter().zip(&q).any(|(a, b)| a != b));
    }
}
