//! The training loop: epochs of seeded-shuffled mini-batches gathered from index lists (a data
//! set never has to exist as one 3-D array), Adam, a validation pass per epoch, early stopping on
//! `val_loss` or `loss` with patience, and restoration of the best weights (Keras
//! `EarlyStopping(restore_best_weights=True)` semantics: the best epoch's weights, not the last).

use alphaseq::pipeline::{Ensemble, Seeds};
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::loss::Loss;
use crate::model::{Inputs, Sequential, Shape};
use crate::optim::{Optimizer, OptimizerConfig};
use crate::parallel::StepRunner;
use crate::rng::Rng;
use crate::source::SampleSource;

/// Which quantity early stopping watches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Monitor {
    /// The validation loss (falls back to the training loss without validation data).
    #[default]
    ValLoss,
    /// The training loss.
    Loss,
}

/// How the targets of a regression loss (`mse`, `mae`) are scaled for training, per target
/// column, on the training windows' targets (`training.target_scaling`); the other losses train
/// on the targets as they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetScaling {
    /// (y - mean) / sd.
    #[default]
    Standard,
    /// (y - min) / (max - min), into [0, 1] (scikit-learn's MinMaxScaler, as the Keras
    /// tutorials scale a price target).
    MinMax,
    /// As they are.
    None,
}

/// How the training samples are put into batches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Batching {
    /// `batch_size` samples at a time, in the (shuffled) sample order.
    #[default]
    Samples,
    /// Batches of the windows ending on one as-of date: that date's stocks, `batch_size` at a
    /// time (a random subset when shuffled; all of them when `batch_size` is at least the
    /// cross-section): the deep-momentum paper's cross-sectional batches, for
    /// `cross_sectional_norm` and the `cross_sectional_sharpe` loss. Validation takes each
    /// date's whole cross-section.
    ByDate,
}

fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

/// Options of the training loop.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TrainConfig {
    /// Passes over the training data (at most, with early stopping).
    pub epochs: usize,
    /// Samples per gradient step.
    pub batch_size: usize,
    /// How samples are put into batches.
    #[serde(skip_serializing_if = "is_default")]
    pub batches: Batching,
    /// Shuffle the training samples every epoch (seeded).
    pub shuffle: bool,
    /// Seed of initialisation, shuffling and dropout.
    pub seed: u64,
    /// The loss.
    pub loss: Loss,
    /// How a regression target is scaled for training (predictions are scaled back).
    #[serde(skip_serializing_if = "is_default")]
    pub target_scaling: TargetScaling,
    /// Binary cross-entropy: weights `[w0, w1]` of the two classes in the training loss.
    pub class_weights: Option<[f64; 2]>,
    /// Binary cross-entropy: weight the classes by the `n / (2 * count)` rule on the training
    /// targets (overrides `class_weights`).
    pub balanced_class_weights: bool,
    /// The optimiser.
    pub optimizer: OptimizerConfig,
    /// Epochs without improvement before stopping (0 = never stop early).
    pub patience: usize,
    /// What early stopping watches.
    pub monitor: Monitor,
    /// Smallest decrease that counts as an improvement.
    pub min_delta: f64,
    /// Keep the weights of the best epoch at the end.
    pub restore_best_weights: bool,
    /// Replicas one model trains on: each batch is split into this many parts, one per model
    /// replica (see [`crate::parallel`]), each on its own thread unless `workers` says fewer; 1
    /// for models that mix samples (batch or cross-sectional normalisation). Part of the
    /// experiment: the split changes the order of floating-point sums (and dropout's streams),
    /// so the same seed and `threads` give the same numbers, on any number of workers.
    pub threads: usize,
    /// Operating-system threads the replicas run on (default: one per replica). Only speed:
    /// never the numbers. Not part of the experiment file; a run sets it (one worker per model
    /// when folds, tickers or trials train in parallel).
    #[serde(skip)]
    pub workers: Option<usize>,
    /// Walk-forward refits after the first start from the previous refit's weights (and batch
    /// normalisation statistics), with their own epoch limit and patience; a fresh optimiser
    /// each time. Off by default: every refit starts from the seed's initialisation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warm_start: Option<WarmStart>,
    /// Train every model (each fold, ticker and trial) with several seeds: a count N (`seed`,
    /// `seed + 1`, ...) or a list. The run reports each seed and their spread.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seeds: Option<Seeds>,
    /// How the seeds' forecasts combine into the traded one: `"none"` (the first seed's is
    /// traded), `"mean"` or `"rank"` (see [`alphaseq::pipeline::Ensemble`]).
    #[serde(skip_serializing_if = "is_default")]
    pub ensemble: Ensemble,
}

/// `[training.warm_start]`: how a refit that starts from the previous refit's weights trains.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WarmStart {
    /// Epochs at most (default: `training.epochs`).
    pub epochs: Option<usize>,
    /// Early-stopping patience (default: `training.patience`).
    pub patience: Option<usize>,
}

impl TrainConfig {
    /// The training of a refit warm-started from the previous one: `warm_start`'s epochs and
    /// patience in place of the cold ones.
    pub fn warm(&self) -> TrainConfig {
        let w = self.warm_start.unwrap_or_default();
        TrainConfig {
            epochs: w.epochs.unwrap_or(self.epochs),
            patience: w.patience.unwrap_or(self.patience),
            ..self.clone()
        }
    }
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            epochs: 20,
            batch_size: 64,
            batches: Batching::Samples,
            shuffle: true,
            seed: 42,
            loss: Loss::Mse,
            target_scaling: TargetScaling::Standard,
            class_weights: None,
            balanced_class_weights: false,
            optimizer: OptimizerConfig::default(),
            patience: 5,
            monitor: Monitor::ValLoss,
            min_delta: 0.0,
            restore_best_weights: true,
            threads: 1,
            workers: None,
            warm_start: None,
            seeds: None,
            ensemble: Ensemble::None,
        }
    }
}

/// One epoch's record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EpochRecord {
    /// 1-based epoch.
    pub epoch: usize,
    /// Mean training loss over the epoch's batches (weighted by batch size).
    pub loss: f64,
    /// Validation loss after the epoch.
    pub val_loss: Option<f64>,
    /// A binary classifier's scores on the epoch's training batches, as the steps saw them
    /// (training mode, weights moving: Keras' training metrics).
    pub scores: Option<BinaryScores>,
    /// Its scores on the validation samples after the epoch.
    pub val_scores: Option<BinaryScores>,
    /// Wall time of the epoch in seconds.
    pub seconds: f64,
}

/// A binary classifier's scores over a set of (probability, label) pairs, as Keras' metrics
/// `accuracy`, `Precision()`, `Recall()` and `AUC()` name them, with scikit-learn's
/// definitions: a probability above 0.5 calls "up" (class 1), precision and recall are class
/// 1's (0 when undefined, as scikit-learn's default), and the AUC is the exact area under the
/// ROC curve (`roc_auc_score`; Keras interpolates over 200 thresholds). Unweighted: Keras'
/// `metrics` ignore `class_weight`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BinaryScores {
    /// Share of correct calls.
    pub accuracy: f64,
    /// Of the "up" calls, the share that went up.
    pub precision: f64,
    /// Of the days that went up, the share called "up".
    pub recall: f64,
    /// Area under the ROC curve (`None` with one class only).
    pub auc: Option<f64>,
}

impl BinaryScores {
    /// The history columns of a classifier's scores, in order.
    pub const COLUMNS: [&'static str; 4] = ["accuracy", "precision", "recall", "auc"];

    /// The scores of `pairs` of (probability, label); `None` without pairs.
    pub fn of(pairs: &[(f32, f32)]) -> Option<BinaryScores> {
        use alphaseq::metrics::classification::{classification_report, roc_auc};
        let p: Vec<f64> = pairs.iter().map(|&(p, _)| f64::from(p)).collect();
        let y: Vec<f64> = pairs.iter().map(|&(_, y)| f64::from(y)).collect();
        let report = classification_report(&p, &y, 0.5)?;
        Some(BinaryScores {
            accuracy: report.accuracy,
            precision: report.class_1.precision,
            recall: report.class_1.recall,
            auc: roc_auc(&p, &y),
        })
    }

    /// The scores in [`BinaryScores::COLUMNS`]' order (NaN for an undefined AUC).
    pub fn values(&self) -> [f64; 4] {
        [self.accuracy, self.precision, self.recall, self.auc.unwrap_or(f64::NAN)]
    }
}

/// What training did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct History {
    /// Per-epoch records.
    pub epochs: Vec<EpochRecord>,
    /// The epoch whose weights the model ends with (1-based).
    pub best_epoch: usize,
    /// The monitored value at that epoch.
    pub best_value: f64,
    /// True if early stopping ended training before `epochs`.
    pub stopped_early: bool,
}

impl History {
    /// The history's columns in `history.csv`'s order: `loss`, `val_loss`, then a classifier's
    /// `accuracy`, `precision`, `recall`, `auc` and the same with `val_` (Keras' names); a
    /// value missing at an epoch is NaN.
    pub fn columns(&self) -> Vec<(String, Vec<f64>)> {
        let nan = f64::NAN;
        let mut columns = vec![
            ("loss".to_string(), self.epochs.iter().map(|e| e.loss).collect()),
            (
                "val_loss".to_string(),
                self.epochs.iter().map(|e| e.val_loss.unwrap_or(nan)).collect(),
            ),
        ];
        for (prefix, valid) in [("", false), ("val_", true)] {
            let scores = |e: &EpochRecord| if valid { e.val_scores } else { e.scores };
            if self.epochs.iter().any(|e| scores(e).is_some()) {
                for (k, name) in BinaryScores::COLUMNS.iter().enumerate() {
                    let values =
                        self.epochs.iter().map(|e| scores(e).map_or(nan, |s| s.values()[k]));
                    columns.push((format!("{prefix}{name}"), values.collect()));
                }
            }
        }
        columns
    }

    /// Each column at its best epoch: the lowest of a loss, the highest of a score (NaN epochs
    /// skipped; columns with no value left out). keras-tuner scores a trial this way.
    pub fn best(&self) -> std::collections::BTreeMap<String, f64> {
        self.columns()
            .into_iter()
            .filter_map(|(name, values)| {
                let finite = values.into_iter().filter(|v| v.is_finite());
                let best = if name.ends_with("loss") {
                    finite.reduce(f64::min)
                } else {
                    finite.reduce(f64::max)
                };
                best.map(|b| (name, b))
            })
            .collect()
    }

    /// `history.csv`: an `epoch` column and [`History::columns`] (an empty field for NaN).
    pub fn csv(&self) -> String {
        let columns = self.columns();
        let mut csv = String::from("epoch");
        for (name, _) in &columns {
            csv.push(',');
            csv.push_str(name);
        }
        csv.push('\n');
        for (i, e) in self.epochs.iter().enumerate() {
            csv.push_str(&e.epoch.to_string());
            for (_, values) in &columns {
                csv.push(',');
                if values[i].is_finite() {
                    csv.push_str(&values[i].to_string());
                }
            }
            csv.push('\n');
        }
        csv
    }
}

/// Reused buffers of one batch.
#[derive(Default)]
struct Batch {
    x: Vec<f32>,
    y: Vec<f32>,
    categorical: Vec<Vec<u32>>,
    statics: Vec<f32>,
}

impl Batch {
    fn gather(&mut self, data: &dyn SampleSource, idx: &[usize]) {
        data.gather(idx, &mut self.x, &mut self.y);
        data.gather_side(idx, &mut self.categorical, &mut self.statics);
    }

    /// The model's evaluation-mode outputs on the gathered batch (no backward follows).
    fn infer<'m>(&self, model: &'m mut Sequential<f32>, steps: usize, batch: usize) -> &'m [f32] {
        let inputs = Inputs {
            sequence: &self.x,
            steps,
            batch,
            categorical: &self.categorical,
            statics: &self.statics,
        };
        model.infer_inputs(inputs).expect("gathered batches fit the model")
    }
}

/// Mean loss of `model` on all samples of `data`, in evaluation mode, in batches of
/// `batch_size` (or one per date, as `batching` says), weighted by their sizes; the
/// (prediction, target) pairs go into `outputs` when given.
pub fn evaluate(
    model: &mut Sequential<f32>,
    data: &dyn SampleSource,
    (batch_size, batching): (usize, Batching),
    loss: Loss,
    mut outputs: Option<&mut Vec<(f32, f32)>>,
) -> f64 {
    let mut batch = Batch::default();
    let idx: Vec<usize> = (0..data.len()).collect();
    let mut total = 0.0;
    // by date, validation takes each date's whole cross-section
    let size = if batching == Batching::ByDate { usize::MAX } else { batch_size };
    for chunk in batches(data, &idx, size, batching) {
        batch.gather(data, &chunk);
        let group = cross_section(model, chunk.len());
        let pred = batch.infer(model, data.steps(), chunk.len());
        if let Some(o) = outputs.as_deref_mut() {
            o.extend(pred.iter().copied().zip(batch.y.iter().copied()));
        }
        total += loss.value_and_grad_grouped(pred, &batch.y, None, group).0 * chunk.len() as f64;
    }
    total / data.len().max(1) as f64
}

/// The samples `order` in batches: `batch_size` at a time in that order, or by date: each
/// date's samples (the dates in the order their first sample comes in `order`, the samples in
/// theirs) in batches of at most `batch_size` stocks.
pub fn batches(
    data: &dyn SampleSource,
    order: &[usize],
    batch_size: usize,
    batching: Batching,
) -> Vec<Vec<usize>> {
    match batching {
        Batching::Samples => order.chunks(batch_size.max(1)).map(<[usize]>::to_vec).collect(),
        Batching::ByDate => {
            let mut position: std::collections::HashMap<u32, usize> = Default::default();
            let mut dates: Vec<Vec<usize>> = vec![];
            for &i in order {
                let k = *position.entry(data.date(i)).or_insert_with(|| {
                    dates.push(vec![]);
                    dates.len() - 1
                });
                dates[k].push(i);
            }
            dates.iter().flat_map(|d| d.chunks(batch_size.max(1)).map(<[usize]>::to_vec)).collect()
        }
    }
}

/// How many consecutive outputs of a batch of `batch` samples are one date's cross-section: the
/// batch for a sequence output (step-major), else 1.
pub fn cross_section(model: &Sequential<f32>, batch: usize) -> usize {
    match model.output_shape() {
        Shape::Sequence(_) => batch,
        Shape::Rows(_) => 1,
    }
}

/// Predictions for all samples of `data` (evaluation mode), sample by sample (`[n][width]`);
/// a sequence output predicts from its last step. A model whose output depends on the other
/// samples of its batch in evaluation (cross-sectional normalisation) predicts each date's
/// cross-section as one batch, so a sample's prediction depends only on the stocks of its own
/// date, never on other dates (later ones included) that would share a batch of `batch_size`.
pub fn predict(
    model: &mut Sequential<f32>,
    data: &dyn SampleSource,
    batch_size: usize,
) -> Vec<f32> {
    let idx: Vec<usize> = (0..data.len()).collect();
    let chunks = if model.mixes_samples(false) {
        batches(data, &idx, usize::MAX, Batching::ByDate)
    } else {
        idx.chunks(batch_size.max(1)).map(<[usize]>::to_vec).collect()
    };
    let shape = model.output_shape();
    let width = shape.width();
    let mut out = vec![0.0; data.len() * width];
    let mut batch = Batch::default();
    for chunk in &chunks {
        batch.gather(data, chunk);
        let pred = batch.infer(model, data.steps(), chunk.len());
        let b = chunk.len();
        let (offset, ld) = match shape {
            Shape::Rows(_) => (0, b),
            Shape::Sequence(_) => ((data.steps() - 1) * b, data.steps() * b),
        };
        for (col, &i) in chunk.iter().enumerate() {
            for r in 0..width {
                out[i * width + r] = pred[r * ld + offset + col];
            }
        }
    }
    out
}

/// Trains `model` on `train`, validating on `valid`; `on_epoch` sees each record as it is made.
///
/// # Errors
/// [`Error::Diverged`] naming the first epoch whose training loss is not finite.
pub fn fit(
    model: &mut Sequential<f32>,
    train: &dyn SampleSource,
    valid: Option<&dyn SampleSource>,
    cfg: &TrainConfig,
    on_epoch: &mut dyn FnMut(&EpochRecord),
) -> Result<History, Error> {
    let mut adam = Optimizer::new(cfg.optimizer);
    let mut order: Vec<usize> = (0..train.len()).collect();
    let mut runner = StepRunner::new(model, cfg.threads, cfg.workers, cfg.seed);
    let mut history =
        History { epochs: vec![], best_epoch: 0, best_value: f64::INFINITY, stopped_early: false };
    let mut best_weights: Option<Vec<Vec<f32>>> = None;
    let mut since_best = 0;
    // a classifier's history has Keras' accuracy, precision, recall and AUC beside its losses
    let scored = cfg.loss == Loss::BinaryCrossentropy;
    if scored {
        runner.keep_outputs();
    }
    let class_weights = if cfg.balanced_class_weights {
        Some(crate::loss::balanced_class_weights(&train.targets()))
    } else {
        cfg.class_weights
    };
    for epoch in 1..=cfg.epochs {
        let started = std::time::Instant::now();
        if cfg.shuffle {
            Rng::derive(cfg.seed, 1_000 + epoch as u64).shuffle(&mut order);
        }
        let mut total = 0.0;
        for chunk in batches(train, &order, cfg.batch_size, cfg.batches) {
            let loss = runner.step(model, train, &chunk, cfg.loss, class_weights, &mut adam);
            total += loss * chunk.len() as f64;
        }
        let loss = total / train.len().max(1) as f64;
        if !loss.is_finite() {
            return Err(Error::Diverged(format!(
                "epoch {epoch}: the training loss is {loss}; likely causes: a learning rate too large (training.optimizer.lr = {}), or extreme prices or features (see `alphaseq data check`)",
                cfg.optimizer.lr
            )));
        }
        let scores = scored.then(|| BinaryScores::of(&runner.take_outputs())).flatten();
        // as Keras reports it: the weight penalties are part of the validation loss too
        let mut val_outputs = vec![];
        let val_loss = valid.filter(|v| !v.is_empty()).map(|v| {
            let outputs = scored.then_some(&mut val_outputs);
            evaluate(model, v, (cfg.batch_size.max(256), cfg.batches), cfg.loss, outputs)
                + model.penalty()
        });
        let val_scores = BinaryScores::of(&val_outputs);
        let seconds = started.elapsed().as_secs_f64();
        let record = EpochRecord { epoch, loss, val_loss, scores, val_scores, seconds };
        on_epoch(&record);
        let watched = match cfg.monitor {
            Monitor::ValLoss => val_loss.unwrap_or(loss),
            Monitor::Loss => loss,
        };
        history.epochs.push(record);
        if watched < history.best_value - cfg.min_delta {
            history.best_value = watched;
            history.best_epoch = epoch;
            since_best = 0;
            if cfg.restore_best_weights {
                // the weights and batch normalisation's moving statistics (Keras' get_weights)
                let mut state: Vec<Vec<f32>> =
                    model.params().iter().map(|p| p.value.to_vec()).collect();
                state.extend(model.buffers().iter().map(|b| b.to_vec()));
                best_weights = Some(state);
            }
        } else {
            since_best += 1;
            if cfg.patience > 0 && since_best >= cfg.patience {
                history.stopped_early = epoch < cfg.epochs;
                break;
            }
        }
    }
    if let Some(best) = best_weights {
        let n = model.params().len();
        for (p, w) in model.params().iter_mut().zip(&best) {
            p.value.copy_from_slice(w);
        }
        for (b, w) in model.buffers().into_iter().zip(&best[n..]) {
            b.copy_from_slice(w);
        }
    } else {
        history.best_epoch = history.epochs.len();
    }
    Ok(history)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activation::Activation;
    use crate::init::InitScheme;
    use crate::model::{LayerSpec, ModelSpec};

    /// Sequences of 5 standard-normal values; the target is a function of the last two.
    struct Toy {
        x: Vec<[f32; 5]>,
        y: Vec<f32>,
    }

    impl Toy {
        fn new(n: usize, seed: u64, target: impl Fn(&[f32; 5], f32) -> f32) -> Toy {
            let mut rng = Rng::new(seed);
            let x: Vec<[f32; 5]> =
                (0..n).map(|_| std::array::from_fn(|_| rng.normal() as f32)).collect();
            let y = x.iter().map(|s| target(s, rng.normal() as f32)).collect();
            Toy { x, y }
        }
    }

    impl SampleSource for Toy {
        fn len(&self) -> usize {
            self.x.len()
        }
        fn steps(&self) -> usize {
            5
        }
        fn gather(&self, idx: &[usize], x: &mut Vec<f32>, y: &mut Vec<f32>) {
            x.clear();
            x.extend((0..5).flat_map(|t| idx.iter().map(move |&i| self.x[i][t])));
            y.clear();
            y.extend(idx.iter().map(|&i| self.y[i]));
        }
    }

    fn model(out: Activation, seed: u64) -> Sequential<f32> {
        let layers = vec![LayerSpec::gru(8, false, Activation::Tanh), LayerSpec::dense(1, out)];
        Sequential::new(
            &ModelSpec { features: 1, layers, ..ModelSpec::default() },
            InitScheme::Keras,
            seed,
        )
        .unwrap()
    }

    #[test]
    fn a_step_adds_the_penalty_to_the_loss_and_its_gradient_to_the_update() {
        // plain SGD at lr 1: the update is the gradient, so the penalised model moves by the
        // plain model's step plus the penalty's gradient at the starting weights
        use crate::optim::OptimizerKind;
        use crate::parallel::StepRunner;
        use crate::penalty::Penalty;
        let data = Toy::new(32, 5, |s, e| s[4] + 0.1 * e);
        let build = |penalised: bool| {
            let mut gru = crate::gru::GruSpec::new(4, false, Activation::Tanh);
            let mut dense = crate::dense::DenseSpec::new(1, Activation::Linear);
            if penalised {
                gru.kernel_regularizer = Some(Penalty { l1: 0.01, l2: 0.02 });
                gru.bias_regularizer = Some(Penalty { l1: 0.03, l2: 0.0 });
                dense.kernel_regularizer = Some(Penalty { l1: 0.0, l2: 0.5 });
            }
            let layers = vec![LayerSpec::Gru(gru), LayerSpec::Dense(dense)];
            let spec = ModelSpec { features: 1, layers, ..ModelSpec::default() };
            Sequential::<f32>::new(&spec, InitScheme::Keras, 9).unwrap()
        };
        let sgd =
            OptimizerConfig { kind: OptimizerKind::Sgd, lr: 1.0, ..OptimizerConfig::default() };
        let chunk: Vec<usize> = (0..32).collect();
        let (mut plain, mut penalised) = (build(false), build(true));
        let before: Vec<Vec<f32>> = penalised.params().iter().map(|p| p.value.to_vec()).collect();
        let (penalty, penalties) = (penalised.penalty(), penalised.penalties());
        assert!(penalty > 0.0 && penalties.iter().filter(|p| !p.is_zero()).count() == 4);
        let step = |m: &mut Sequential<f32>| {
            let mut runner = StepRunner::new(m, 1, None, 0);
            runner.step(m, &data, &chunk, Loss::Mse, None, &mut Optimizer::new(sgd))
        };
        let (a, b) = (step(&mut plain), step(&mut penalised));
        assert!((b - a - penalty).abs() < 1e-9, "loss {b} = {a} + penalty {penalty}");
        for (k, ((p, q), w)) in
            plain.params().iter().zip(penalised.params()).zip(&before).enumerate()
        {
            let mut expected = vec![0.0f32; w.len()];
            penalties[k].add_gradient(w, &mut expected);
            for i in 0..w.len() {
                let moved = q.value[i] - p.value[i];
                assert!(
                    (moved + expected[i]).abs() < 1e-6,
                    "tensor {k} element {i}: {moved} vs {}",
                    -expected[i]
                );
            }
        }
    }

    #[test]
    fn a_classifier_records_keras_metrics_per_epoch() {
        // up when the last value is positive (10% noise): accuracy well above a coin flip
        let label = |s: &[f32; 5], e: f32| f32::from(u8::from(s[4] + 0.3 * e > 0.0));
        let (train, valid) = (Toy::new(600, 1, label), Toy::new(200, 2, label));
        let cfg = TrainConfig {
            loss: Loss::BinaryCrossentropy,
            epochs: 4,
            batch_size: 50,
            patience: 0,
            restore_best_weights: false,
            optimizer: OptimizerConfig { lr: 0.01, ..OptimizerConfig::default() },
            ..TrainConfig::default()
        };
        let mut m = model(Activation::Sigmoid, 3);
        let h = fit(&mut m, &train, Some(&valid), &cfg, &mut |_| {}).unwrap();
        let csv = h.csv();
        let header = csv.lines().next().unwrap();
        assert_eq!(
            header,
            "epoch,loss,val_loss,accuracy,precision,recall,auc,val_accuracy,val_precision,val_recall,val_auc"
        );
        assert_eq!(csv.lines().count(), 5);
        // the last epoch's validation scores are those of the final model's predictions
        let p = predict(&mut m, &valid, 64);
        let pairs: Vec<(f32, f32)> = p.iter().copied().zip(valid.y.iter().copied()).collect();
        let last = h.epochs.last().unwrap();
        assert_eq!(last.val_scores, BinaryScores::of(&pairs));
        let scores = last.val_scores.unwrap();
        assert!(scores.accuracy > 0.7 && scores.auc.unwrap() > 0.8, "{scores:?}");
        // training scores come from the steps' own outputs, one pair per training sample
        assert!(last.scores.unwrap().accuracy > 0.6);
        // the best of each column: the lowest loss, the highest score
        let best = h.best();
        let column = |name: &str| -> Vec<f64> {
            let at = header.split(',').position(|c| c == name).unwrap();
            csv.lines().skip(1).map(|l| l.split(',').nth(at).unwrap().parse().unwrap()).collect()
        };
        assert_eq!(best["val_loss"], column("val_loss").into_iter().fold(f64::INFINITY, f64::min));
        assert_eq!(best["val_auc"], column("val_auc").into_iter().fold(0.0, f64::max));
        assert_eq!(best.len(), 10);
    }

    #[test]
    fn the_sharpe_loss_learns_to_trade_a_predictable_return() {
        // next return = 1% * sign(last value) + noise: the best position follows the last value.
        let data = Toy::new(2_000, 1, |s, e| 0.01 * s[4].signum() + 0.01 * e);
        let cfg = TrainConfig {
            loss: Loss::Sharpe,
            epochs: 8,
            batch_size: 100,
            patience: 0,
            optimizer: OptimizerConfig { lr: 0.01, ..OptimizerConfig::default() },
            ..TrainConfig::default()
        };
        let mut m = model(Activation::Tanh, 3);
        let h = fit(&mut m, &data, None, &cfg, &mut |_| {}).unwrap();
        let (first, last) = (h.epochs[0].loss, h.epochs.last().unwrap().loss);
        assert!(
            last < first && last < -10.0,
            "annualised Sharpe should rise well above 10: {first} -> {last}"
        );
        let mut again = model(Activation::Tanh, 3);
        fit(&mut again, &data, None, &cfg, &mut |_| {}).unwrap();
        let bits = |m: &mut Sequential<f32>| {
            m.params()
                .iter()
                .flat_map(|p| p.value.iter().map(|v| v.to_bits()))
                .collect::<Vec<u32>>()
        };
        assert!(bits(&mut m) == bits(&mut again), "same seed, bit-identical weights");
    }

    #[test]
    fn weighted_cross_entropy_learns_an_unbalanced_direction() {
        // 1 when the last value exceeds 0.8 (about 21% of samples).
        let data = Toy::new(2_000, 2, |s, _| if s[4] > 0.8 { 1.0 } else { 0.0 });
        let cfg = TrainConfig {
            loss: Loss::BinaryCrossentropy,
            balanced_class_weights: true,
            epochs: 10,
            batch_size: 64,
            patience: 0,
            optimizer: OptimizerConfig { lr: 0.01, ..OptimizerConfig::default() },
            ..TrainConfig::default()
        };
        let mut m = model(Activation::Sigmoid, 4);
        fit(&mut m, &data, None, &cfg, &mut |_| {}).unwrap();
        let p = predict(&mut m, &data, 512);
        let correct = p.iter().zip(&data.y).filter(|(p, y)| (**p > 0.5) == (**y > 0.5)).count();
        let recall = p.iter().zip(&data.y).filter(|(p, y)| **y > 0.5 && **p > 0.5).count() as f64
            / data.y.iter().filter(|y| **y > 0.5).count() as f64;
        assert!(
            correct as f64 / 2_000.0 > 0.9 && recall > 0.85,
            "accuracy {} recall {recall}",
            correct as f64 / 2_000.0
        );
    }

    #[test]
    fn models_trained_at_once_equal_models_trained_alone() {
        let data = Toy::new(600, 9, |s, e| 0.5 * s[4] - 0.3 * s[3] + 0.1 * e);
        let cfg = |seed| TrainConfig {
            seed,
            epochs: 3,
            batch_size: 32,
            patience: 0,
            ..TrainConfig::default()
        };
        let train_one = |seed: u64| {
            let mut m = model(Activation::Linear, seed);
            fit(&mut m, &data, None, &cfg(seed), &mut |_| {}).unwrap();
            m.params()
                .iter()
                .flat_map(|p| p.value.iter().map(|v| v.to_bits()).collect::<Vec<u32>>())
                .collect::<Vec<u32>>()
        };
        let alone: Vec<Vec<u32>> = (0..3).map(train_one).collect();
        let together: Vec<Vec<u32>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..3).map(|seed| s.spawn(move || train_one(seed))).collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert!(alone == together, "threads must not change a single bit");
        assert!(alone[0] != alone[1], "different seeds, different models");
    }

    fn weights(m: &mut Sequential<f32>) -> Vec<f32> {
        m.params().iter().flat_map(|p| p.value.to_vec()).collect()
    }

    #[test]
    fn the_workers_never_change_the_numbers_of_a_replica_split() {
        let data = Toy::new(512, 21, |s, e| 0.01 * s[4] - 0.005 * s[2] + 0.002 * e);
        let run = |workers| {
            let cfg = TrainConfig {
                threads: 3,
                workers,
                epochs: 2,
                batch_size: 64,
                patience: 0,
                ..TrainConfig::default()
            };
            let mut m = model(Activation::Tanh, 5);
            fit(&mut m, &data, None, &cfg, &mut |_| {}).unwrap();
            weights(&mut m)
        };
        let three = run(None);
        for workers in [Some(1), Some(2)] {
            let w = run(workers);
            assert!(
                three.iter().zip(&w).all(|(a, b)| a.to_bits() == b.to_bits()),
                "3 replicas on {workers:?} workers differ from 3 on 3"
            );
        }
    }

    #[test]
    fn one_model_on_two_threads_trains_like_one_thread() {
        for loss in [Loss::Mse, Loss::Sharpe] {
            let data = Toy::new(512, 21, |s, e| 0.01 * s[4] - 0.005 * s[2] + 0.002 * e);
            let cfg = |threads| TrainConfig {
                loss,
                threads,
                epochs: 3,
                batch_size: 64,
                patience: 0,
                ..TrainConfig::default()
            };
            let run = |threads| {
                let mut m = model(Activation::Tanh, 5);
                fit(&mut m, &data, None, &cfg(threads), &mut |_| {}).unwrap();
                weights(&mut m)
            };
            let (one, two, again) = (run(1), run(2), run(2));
            assert!(
                two.iter().zip(&again).all(|(a, b)| a.to_bits() == b.to_bits()),
                "{loss:?}: same threads, same bits"
            );
            let scale = one.iter().fold(0.0f32, |m, v| m.max(v.abs()));
            let diff = one.iter().zip(&two).fold(0.0f32, |m, (a, b)| m.max((a - b).abs()));
            assert!(
                diff <= 1e-4 * scale,
                "{loss:?}: two threads differ from one by {diff:e} (scale {scale:e})"
            );
        }
    }

    #[test]
    fn batch_norm_models_train_on_one_thread() {
        let layers = vec![
            LayerSpec::lstm(4, false, Activation::Tanh),
            LayerSpec::batch_norm(0.99, 1e-3),
            LayerSpec::dense(1, Activation::Linear),
        ];
        let m = Sequential::<f32>::new(
            &ModelSpec { features: 1, layers, ..ModelSpec::default() },
            InitScheme::Keras,
            1,
        )
        .unwrap();
        assert_eq!(crate::parallel::StepRunner::new(&m, 2, None, 1).threads(), 1);
        assert_eq!(
            crate::parallel::StepRunner::new(&model(Activation::Tanh, 1), 2, None, 1).threads(),
            2
        );
    }

    #[test]
    fn restored_best_epoch_includes_batch_norm_moving_statistics() {
        // a validation set the model fits worse and worse, so the best epoch is an early one
        let train = Toy::new(1_000, 5, |s, e| s[4] + 0.1 * e);
        let valid = Toy::new(300, 6, |s, e| -s[4] + 3.0 + e);
        let layers = vec![
            LayerSpec::lstm(4, false, Activation::Tanh),
            LayerSpec::batch_norm(0.9, 1e-3),
            LayerSpec::dense(1, Activation::Linear),
        ];
        let mut m = Sequential::<f32>::new(
            &ModelSpec { features: 1, layers, ..ModelSpec::default() },
            InitScheme::Keras,
            2,
        )
        .unwrap();
        let cfg = TrainConfig {
            epochs: 12,
            batch_size: 50,
            patience: 3,
            optimizer: OptimizerConfig { lr: 0.01, ..OptimizerConfig::default() },
            ..TrainConfig::default()
        };
        let h = fit(&mut m, &train, Some(&valid), &cfg, &mut |_| {}).unwrap();
        assert!(h.best_epoch < h.epochs.len(), "the run went past its best epoch");
        // the restored model's validation loss is the best epoch's, to rounding
        let again = evaluate(&mut m, &valid, (512, Batching::Samples), Loss::Mse, None);
        assert!(
            (again - h.best_value).abs() <= 1e-5 * h.best_value.abs().max(1.0),
            "restored {again} vs best epoch {}",
            h.best_value
        );
    }

    #[test]
    fn inference_split_over_threads_equals_one_forward_pass() {
        let data = Toy::new(96, 4, |s, _| s[4]);
        let mut m = model(Activation::Linear, 8);
        let mut runner = crate::parallel::StepRunner::new(&m, 2, None, 8);
        runner.sync(&mut m);
        let idx: Vec<usize> = (0..96).collect();
        let split = runner.infer(&mut m, &data, &idx);
        let whole = predict(&mut m, &data, 96);
        assert_eq!(split.len(), whole.len());
        assert!(split.iter().zip(&whole).all(|(a, b)| (a - b).abs() <= 1e-6 * b.abs().max(1.0)));
    }

    /// Toy sequences with an as-of date each.
    struct Dated {
        toy: Toy,
        dates: Vec<u32>,
    }

    impl SampleSource for Dated {
        fn len(&self) -> usize {
            self.toy.len()
        }
        fn steps(&self) -> usize {
            5
        }
        fn date(&self, i: usize) -> u32 {
            self.dates[i]
        }
        fn gather(&self, idx: &[usize], x: &mut Vec<f32>, y: &mut Vec<f32>) {
            self.toy.gather(idx, x, y)
        }
    }

    #[test]
    fn cross_sectional_predictions_use_their_own_date_only() {
        // 6 stocks x 4 dates, stock-major, so a batch of any size would mix dates
        let layers = vec![
            LayerSpec::rnn(4, true, Activation::Tanh),
            LayerSpec::dense(1, Activation::Tanh),
            LayerSpec::CrossSectionalNorm(crate::xsnorm::CrossSectionalNormSpec::default()),
        ];
        let mut m =
            Sequential::<f32>::new(&ModelSpec::sequence(1, layers), InitScheme::Keras, 5).unwrap();
        assert!(m.mixes_samples(false));
        let dates: Vec<u32> = (0..24).map(|i| i % 4).collect();
        let data = Dated { toy: Toy::new(24, 8, |_, _| 0.0), dates: dates.clone() };
        let p = predict(&mut m, &data, 1024);
        for d in 0..4 {
            let day: Vec<f32> = (0..24).filter(|&i| dates[i] == d).map(|i| p[i]).collect();
            assert_eq!(day.len(), 6);
            assert!(day.iter().sum::<f32>().abs() < 1e-6, "date {d}: {day:?}");
            assert!((day.iter().map(|v| v.abs()).sum::<f32>() - 1.0).abs() < 1e-5);
        }
        // the future perturbed: date 3's sequences replaced, dates 0-2 predict the same bits
        let mut moved = Dated { toy: Toy::new(24, 8, |_, _| 0.0), dates };
        for i in (3..24).step_by(4) {
            moved.toy.x[i] = [9.0; 5];
        }
        let q = predict(&mut m, &moved, 7);
        for i in 0..24 {
            if i % 4 != 3 {
                assert_eq!(p[i].to_bits(), q[i].to_bits(), "sample {i}");
            }
        }
        assert!((3..24).step_by(4).any(|i| p[i] != q[i]));
    }
}
