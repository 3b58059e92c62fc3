//! Hyperparameter search (`[search]`): grid or seeded random search over any keys of the
//! experiment file. Each trial is the experiment with the trial's values put in at their key
//! paths (`"model.layers.0.units"`, `"training.optimizer.lr"`, `"dataset.sequence_length"`, ...),
//! checked like any experiment and run as a whole run folder under `RUN_DIR/trials/trial-NNN`.
//! Trials are chosen by a validation objective only (the validation loss, or the Sharpe ratio
//! of trading the validation predictions); the best trial's test-span results are the search's.

use std::collections::BTreeMap;

use super::{Experiment, ModelConfig};
use crate::error::{Error, Result};
use crate::record::RunRecord;
use crate::rng::Rng;
use serde::{Deserialize, Serialize};

/// How trials are chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Every combination, in key order (last key fastest).
    #[default]
    Grid,
    /// `trials` distinct combinations drawn uniformly (seeded), as keras-tuner's RandomSearch
    /// over `Choice` hyperparameters.
    Random,
    /// Hyperband (successive halving over brackets of epoch budgets up to `max_epochs`,
    /// keeping 1/`factor` per round); configurations drawn as `random` (seeded).
    Hyperband,
}

/// Hyperband's bracket sizes (`search.brackets`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Brackets {
    /// Li et al. (2018): bracket s starts ceil((s_max + 1) / (s + 1) * factor^s) configurations
    /// and each round keeps floor(n / factor^i).
    #[default]
    Paper,
    /// keras-tuner's `HyperbandOracle`: round sizes ceil(ceil(1 + log_factor(max_epochs)) /
    /// (s + 1) * factor^(s - i)) and epochs ceil(max_epochs / factor^(s - i)), so max_epochs =
    /// 5, factor = 3 runs 10 trainings an iteration (the paper's schedule: 6).
    KerasTuner,
}

/// What the search minimises or maximises (`search.objective`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Objective {
    /// `"val_loss"`: the validation loss of the fitted model, at the epoch it ends with (lower is
    /// better; averaged over folds).
    #[default]
    ValLoss,
    /// `"val_sharpe"`: the Sharpe ratio of the strategy on the validation predictions (higher
    /// is better).
    ValSharpe,
    /// Any other column of the model's training history (`history.csv`: `val_accuracy`,
    /// `val_auc`, `val_precision`, `val_recall`, `loss`, `accuracy`, ...), at its best epoch
    /// and averaged over folds, as keras-tuner scores a trial: a loss is minimised, a score
    /// maximised.
    History(String),
}

impl Objective {
    /// The name as the config writes it.
    pub fn name(&self) -> &str {
        match self {
            Objective::ValLoss => "val_loss",
            Objective::ValSharpe => "val_sharpe",
            Objective::History(column) => column,
        }
    }

    /// Whether a larger value is better.
    pub fn maximises(&self) -> bool {
        match self {
            Objective::ValLoss => false,
            Objective::ValSharpe => true,
            Objective::History(column) => !column.ends_with("loss"),
        }
    }

    /// Whether it needs the validation part.
    pub fn needs_validation(&self) -> bool {
        self.name().starts_with("val_")
    }
}

impl Serialize for Objective {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Objective {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        Ok(match name.as_str() {
            "val_loss" => Objective::ValLoss,
            "val_sharpe" => Objective::ValSharpe,
            _ => Objective::History(name),
        })
    }
}

impl std::fmt::Display for Objective {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// `[search]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchSpec {
    /// Grid or random.
    #[serde(default)]
    pub method: Method,
    /// Random search: the number of trials (at most the grid's size).
    #[serde(default = "default_trials")]
    pub trials: usize,
    /// Random search: the seed of the draw.
    #[serde(default)]
    pub seed: u64,
    /// The objective.
    #[serde(default)]
    pub objective: Objective,
    /// Hyperband: the largest epoch budget of a trial.
    #[serde(default = "default_max_epochs")]
    pub max_epochs: usize,
    /// Hyperband: the reduction factor between rounds.
    #[serde(default = "default_factor")]
    pub factor: usize,
    /// Hyperband: how many times the whole schedule of brackets runs, each time on fresh draws
    /// (keras-tuner's `hyperband_iterations`).
    #[serde(default = "default_iterations")]
    pub iterations: usize,
    /// Hyperband: whose bracket sizes (the paper's or keras-tuner's).
    #[serde(default)]
    pub brackets: Brackets,
    /// Hyperband: train the chosen configuration again from scratch with the experiment's own
    /// `[training]` (its epochs and early stopping, where the trials had their epoch budgets),
    /// on the same split, into `trials/refit`; the search's results are the refit's. This is
    /// what keras-tuner's guide does after a search (`tuner.hypermodel.build(best_hps)`, then
    /// `fit`); the trial's weights are not reused and validation is not folded into training.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub refit_best: bool,
    /// Trials run at once (default: the number of cores); each trains on one thread.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parallel: Option<usize>,
    /// Key path -> candidate values.
    pub space: BTreeMap<String, Vec<toml::Value>>,
}

fn default_trials() -> usize {
    10
}

fn default_max_epochs() -> usize {
    27
}

fn default_factor() -> usize {
    3
}

fn default_iterations() -> usize {
    1
}

/// One trial: a value per key of the space.
pub type Point = Vec<(String, toml::Value)>;

impl SearchSpec {
    /// Checks the space: non-empty lists, and a random search asks for at most the grid's size.
    pub fn check(&self) -> Result<()> {
        if self.space.is_empty() {
            return Err(Error::config(
                "search.space",
                "give at least one key with a list of values",
            ));
        }
        for (k, v) in &self.space {
            if v.is_empty() {
                return Err(Error::config(
                    format!("search.space.{k:?}"),
                    "the list of values is empty",
                ));
            }
            let parts = joint_keys(k);
            if parts.len() > 1 {
                let bad = v.iter().find(|x| x.as_array().is_none_or(|a| a.len() != parts.len()));
                if let Some(bad) = bad {
                    return Err(Error::config(
                        format!("search.space.{k:?}"),
                        format!(
                            "a joint key takes lists of {} values, one per key in order; found {bad}",
                            parts.len()
                        ),
                    ));
                }
            }
        }
        if self.method == Method::Random && self.trials == 0 {
            return Err(Error::config("search.trials", "must be at least 1"));
        }
        if self.method == Method::Hyperband && (self.max_epochs == 0 || self.factor < 2) {
            return Err(Error::config("search", "hyperband needs max_epochs >= 1 and factor >= 2"));
        }
        if self.method != Method::Hyperband && self.refit_best {
            return Err(Error::config(
                "search.refit_best",
                "only for method = \"hyperband\": a grid or random trial already trains as the experiment does, so a refit would repeat it",
            ));
        }
        if self.iterations == 0 {
            return Err(Error::config("search.iterations", "must be at least 1"));
        }
        if self.method == Method::Hyperband && self.space.contains_key("training.epochs") {
            return Err(Error::config(
                "search.space",
                "hyperband sets training.epochs itself; use max_epochs",
            ));
        }
        Ok(())
    }

    /// The grid's size.
    fn grid_size(&self) -> usize {
        self.space.values().map(Vec::len).product()
    }

    /// The keys a trial sets, in order: a joint key (`"a, b"`) as its parts.
    pub fn keys(&self) -> Vec<String> {
        self.space.keys().flat_map(|k| joint_keys(k)).collect()
    }

    /// Combination number `n` of the grid (mixed radix, last key fastest); a joint key's value
    /// set as its keys' values.
    fn point(&self, mut n: usize) -> Point {
        let mut point: Point = vec![];
        for (k, values) in self.space.iter().rev() {
            let value = values[n % values.len()].clone();
            let parts = joint_keys(k);
            match value {
                toml::Value::Array(items) if parts.len() > 1 => {
                    point.extend(parts.into_iter().zip(items).rev());
                }
                value => point.push((k.clone(), value)),
            }
            n /= values.len();
        }
        point.reverse();
        point
    }

    /// Every combination of the grid, in order.
    pub fn points_all(&self) -> Vec<Point> {
        (0..self.grid_size()).map(|n| self.point(n)).collect()
    }

    /// The trials in order (grid or random).
    pub fn points(&self) -> Vec<Point> {
        let size = self.grid_size();
        let picks: Vec<usize> = match self.method {
            Method::Grid | Method::Hyperband => (0..size).collect(),
            Method::Random => {
                // a seeded partial Fisher-Yates shuffle of the grid's indices
                let mut idx: Vec<usize> = (0..size).collect();
                let mut rng = Rng::new(self.seed);
                let k = self.trials.min(size);
                for i in 0..k {
                    let j = i + (rng.next_u64() % (size - i) as u64) as usize;
                    idx.swap(i, j);
                }
                idx.truncate(k);
                idx
            }
        };
        picks.into_iter().map(|n| self.point(n)).collect()
    }
}

/// The keys of a space key: several, comma-separated, for values that go together
/// (`"dataset.sequence_length, dataset.train_stride" = [[21, 21], [63, 63]]`).
fn joint_keys(key: &str) -> Vec<String> {
    key.split(',').map(|k| k.trim().to_string()).collect()
}

/// Sets `value` at the dotted `path` of a TOML document (numbers index arrays of tables). A `*`
/// in place of an index means every entry of the list that already has the rest of the path
/// (`model.layers.*.units` sets the units of every layer that has units, and no other).
pub fn set_path(doc: &mut toml::Value, path: &str, value: toml::Value) -> Result<()> {
    let parts: Vec<&str> = path.split('.').collect();
    let hits = set_parts(doc, &parts, &value, path, false)?;
    if hits == 0 {
        return Err(Error::config(path, "no list entry has this key"));
    }
    Ok(())
}

/// Sets `value` at `parts` under `node`; returns how many places were set. Under a `*`
/// (`existing`), only keys that are already there are set.
fn set_parts(
    node: &mut toml::Value,
    parts: &[&str],
    value: &toml::Value,
    path: &str,
    existing: bool,
) -> Result<usize> {
    let (part, rest) = (parts[0], &parts[1..]);
    match node {
        toml::Value::Table(t) => {
            if existing && !t.contains_key(part) {
                return Ok(0);
            }
            if rest.is_empty() {
                t.insert(part.to_string(), value.clone());
                return Ok(1);
            }
            let child = t
                .entry(part.to_string())
                .or_insert_with(|| toml::Value::Table(toml::map::Map::new()));
            set_parts(child, rest, value, path, existing)
        }
        toml::Value::Array(a) if part == "*" => {
            if rest.is_empty() {
                return Err(Error::config(path, "a * must be followed by a key"));
            }
            let mut hits = 0;
            for entry in a.iter_mut() {
                hits += set_parts(entry, rest, value, path, true)?;
            }
            Ok(hits)
        }
        toml::Value::Array(a) => {
            let i: usize = part
                .parse()
                .map_err(|_| Error::config(path, format!("{part:?} should index a list")))?;
            let len = a.len();
            let slot = a.get_mut(i).ok_or_else(|| {
                Error::config(path, format!("index {i} is past the list's {len} entries"))
            })?;
            if rest.is_empty() {
                *slot = value.clone();
                return Ok(1);
            }
            set_parts(slot, rest, value, path, existing)
        }
        _ if existing => Ok(0),
        _ => Err(Error::config(path, format!("{part:?} is inside a value, not a table or list"))),
    }
}

/// A value as shown in logs and tables: a string as it is, a list of layer tables as
/// `lstm(16,seq)-dropout(0.1)-...`, anything else as TOML.
pub fn short(value: &toml::Value) -> String {
    let layer = |t: &toml::map::Map<String, toml::Value>| {
        let kind = t.get("type")?.as_str()?;
        let mut args = vec![];
        for key in ["units", "rate", "activation"] {
            if let Some(v) = t.get(key) {
                args.push(v.as_str().map_or_else(|| v.to_string(), str::to_string));
            }
        }
        if t.get("return_sequences").and_then(toml::Value::as_bool) == Some(true) {
            args.push("seq".into());
        }
        Some(format!("{kind}({})", args.join(",")))
    };
    if let toml::Value::String(s) = value {
        return s.clone();
    }
    if let toml::Value::Array(items) = value {
        let layers: Option<Vec<String>> =
            items.iter().map(|i| i.as_table().and_then(layer)).collect();
        if let Some(l) = layers.filter(|l| !l.is_empty()) {
            return l.join("-");
        }
    }
    value.to_string()
}

/// A short label of a point, e.g. `units=60 lr=0.001`.
pub fn label(point: &Point) -> String {
    point
        .iter()
        .map(|(k, v)| format!("{}={}", k.rsplit('.').next().unwrap_or(k), short(v)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Hyperband's schedule (Li et al. 2018, as keras-tuner runs it with one iteration):
/// brackets s = s_max .. 0 with s_max = floor(log_factor(max_epochs)); bracket s starts
/// n = ceil((s_max + 1) / (s + 1) * factor^s) configurations at r = max_epochs / factor^s
/// epochs, and each round keeps the best 1/factor and trains them factor times longer.
/// Returns per bracket the rounds' (configurations kept, epochs).
pub fn hyperband_schedule(max_epochs: usize, factor: usize) -> Vec<Vec<(usize, usize)>> {
    let f = factor.max(2) as f64;
    let s_max = ((max_epochs.max(1) as f64).ln() / f.ln() + 1e-9).floor() as u32;
    (0..=s_max)
        .rev()
        .map(|s| {
            let n = ((f64::from(s_max) + 1.0) / (f64::from(s) + 1.0) * f.powi(s as i32)).ceil();
            let r = max_epochs as f64 / f.powi(s as i32);
            (0..=s)
                .map(|i| {
                    let keep = (n / f.powi(i as i32)).floor().max(1.0) as usize;
                    let epochs = (r * f.powi(i as i32)).round().clamp(1.0, max_epochs as f64);
                    (keep, epochs as usize)
                })
                .collect()
        })
        .collect()
}

/// keras-tuner's Hyperband schedule (`HyperbandOracle`, one iteration): brackets from the
/// most rounds down, bracket s with rounds i = 0..=s of ceil(ceil(1 + log_factor(max_epochs)) /
/// (s + 1) * factor^(s - i)) configurations at ceil(max_epochs / factor^(s - i)) epochs; as many
/// brackets as divisions by `factor` keep max_epochs at least 1.
pub fn keras_tuner_schedule(max_epochs: usize, factor: usize) -> Vec<Vec<(usize, usize)>> {
    let f = factor.max(2) as f64;
    let (mut epochs, mut brackets) = (max_epochs.max(1) as f64, 0u32);
    while epochs >= 1.0 {
        epochs /= f;
        brackets += 1;
    }
    let end_size = (1.0 + (max_epochs.max(1) as f64).ln() / f.ln()).ceil();
    (0..brackets)
        .rev()
        .map(|s| {
            (0..=s)
                .map(|i| {
                    let size = (end_size / f64::from(s + 1) * f.powi((s - i) as i32)).ceil();
                    let epochs = (max_epochs as f64 / f.powi((s - i) as i32)).ceil();
                    (size as usize, epochs as usize)
                })
                .collect()
        })
        .collect()
}

impl SearchSpec {
    /// The Hyperband schedule this search runs (one iteration).
    pub fn schedule(&self) -> Vec<Vec<(usize, usize)>> {
        match self.brackets {
            Brackets::Paper => hyperband_schedule(self.max_epochs, self.factor),
            Brackets::KerasTuner => keras_tuner_schedule(self.max_epochs, self.factor),
        }
    }
}

/// A bracket's `n` configurations: distinct draws from `grid` (a partial Fisher-Yates shuffle
/// of its indices from `rng`, as keras-tuner samples a bracket).
pub fn bracket_points(grid: &[Point], n: usize, rng: &mut Rng) -> Vec<Point> {
    let mut idx: Vec<usize> = (0..grid.len()).collect();
    let n = n.min(grid.len());
    for i in 0..n {
        let j = i + (rng.next_u64() % (grid.len() - i) as u64) as usize;
        idx.swap(i, j);
    }
    idx[..n].iter().map(|&i| grid[i].clone()).collect()
}

/// One trial's outcome, from its run record.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The trial's number.
    pub index: usize,
    /// Its values.
    pub point: Point,
    /// Mean validation loss over its folds.
    pub valid_loss: Option<f64>,
    /// Sharpe ratio of trading its validation predictions.
    pub valid_sharpe: Option<f64>,
    /// A history objective's value (`val_accuracy`, ...): the column at each fold's best epoch,
    /// averaged over the folds.
    pub score: Option<f64>,
    /// Its test-span Sharpe ratio (reported, never used to choose).
    pub test_sharpe: Option<f64>,
}

impl Outcome {
    /// Trial `index` at `point` as its run record says, scored by `objective`.
    pub fn of(index: usize, point: Point, record: &RunRecord, objective: &Objective) -> Outcome {
        let score = match objective {
            Objective::History(column) => record.mean_history_best(column),
            _ => None,
        };
        Outcome {
            index,
            point,
            valid_loss: record.mean_valid_loss(),
            valid_sharpe: record.strategy.valid_sharpe,
            score,
            test_sharpe: record.strategy.net.summary.sharpe_ratio,
        }
    }

    /// The objective's value (`None` when the trial has none).
    pub fn value(&self, objective: &Objective) -> Option<f64> {
        match objective {
            Objective::ValLoss => self.valid_loss,
            Objective::ValSharpe => self.valid_sharpe,
            Objective::History(_) => self.score,
        }
    }

    /// The objective as a number to minimise (a trial without one last).
    pub fn key(&self, objective: &Objective) -> f64 {
        match self.value(objective).filter(|v| !v.is_nan()) {
            Some(v) if objective.maximises() => -v,
            Some(v) => v,
            None => f64::INFINITY,
        }
    }
}

/// Sorts outcomes best first by `objective` (ties by trial number).
pub fn rank(outcomes: &mut [Outcome], objective: &Objective) {
    outcomes
        .sort_by(|a, b| a.key(objective).total_cmp(&b.key(objective)).then(a.index.cmp(&b.index)));
}

/// `search.csv`: one row per ranked outcome with its objective values (a history objective's in
/// a column `objective_<name>` after `test_sharpe`) and its point under `keys`.
pub fn search_csv(keys: &[String], ranked: &[Outcome], objective: &Objective) -> String {
    let history = matches!(objective, Objective::History(_));
    let mut csv = String::from("rank,trial,valid_loss,valid_sharpe,test_sharpe");
    if history {
        csv.push_str(&format!(",objective_{objective}"));
    }
    for k in keys {
        csv.push_str(&format!(",{k}"));
    }
    csv.push('\n');
    let num = |v: Option<f64>| v.map_or(String::new(), |x| x.to_string());
    for (rank, o) in ranked.iter().enumerate() {
        csv.push_str(&format!(
            "{},{},{},{},{}",
            rank + 1,
            o.index,
            num(o.valid_loss),
            num(o.valid_sharpe),
            num(o.test_sharpe)
        ));
        if history {
            csv.push_str(&format!(",{}", num(o.score)));
        }
        for (_, v) in &o.point {
            csv.push_str(&format!(",\"{}\"", short(v).replace('"', "\"\"")));
        }
        csv.push('\n');
    }
    csv
}

impl<M: ModelConfig> Experiment<M> {
    /// Trial `k` of the experiment's search: the experiment without `[search]`, with the point's
    /// values put in (whole values first, e.g. a `model.layers` list, then keys inside them,
    /// `model.layers.*.units`), checked like any experiment and named `<name>-trial-NNN`.
    ///
    /// # Errors
    /// [`Error::Config`] naming `search.space.<key>` for a path that does not exist, or the
    /// trial's own configuration errors.
    pub fn trial(&self, k: usize, point: &Point) -> Result<Experiment<M>> {
        let mut doc: toml::Value = toml::Value::try_from(self)
            .map_err(|e| Error::config("search", format!("the resolved config: {e}")))?;
        if let Some(t) = doc.as_table_mut() {
            t.remove("search");
        }
        let mut ordered: Vec<&(String, toml::Value)> = point.iter().collect();
        ordered.sort_by_key(|(path, _)| path.split('.').count());
        for (path, value) in ordered {
            set_path(&mut doc, path, value.clone()).map_err(|e| match e {
                Error::Config { message, .. } => {
                    Error::config(format!("search.space.{path}"), message)
                }
                other => other,
            })?;
        }
        let text = toml::to_string(&doc)
            .map_err(|e| Error::config("search", format!("trial {k}: {e}")))?;
        let mut trial = Experiment::parse(&text).map_err(|e| match e {
            Error::Config { key, message } => {
                Error::config(key, format!("{message} (search trial {k}: {})", label(point)))
            }
            other => other,
        })?;
        trial.name = format!("{}-trial-{k:03}", self.name);
        Ok(trial)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(method: Method, trials: usize) -> SearchSpec {
        let mut space = BTreeMap::new();
        space.insert("a".to_string(), vec![toml::Value::Integer(1), toml::Value::Integer(2)]);
        space.insert(
            "b.c".to_string(),
            vec![toml::Value::Float(0.1), toml::Value::Float(0.2), toml::Value::Float(0.3)],
        );
        SearchSpec {
            method,
            trials,
            seed: 3,
            objective: Objective::ValLoss,
            max_epochs: 27,
            factor: 3,
            iterations: 1,
            brackets: Brackets::Paper,
            refit_best: false,
            parallel: None,
            space,
        }
    }

    #[test]
    fn grid_covers_every_combination_and_random_draws_distinct_ones() {
        let grid = spec(Method::Grid, 0).points();
        assert_eq!(grid.len(), 6);
        assert_eq!(label(&grid[0]), "a=1 c=0.1");
        assert_eq!(label(&grid[5]), "a=2 c=0.3");
        let random = spec(Method::Random, 4).points();
        assert_eq!(random.len(), 4);
        let mut labels: Vec<String> = random.iter().map(label).collect();
        labels.sort();
        labels.dedup();
        assert_eq!(labels.len(), 4, "distinct");
        assert_eq!(spec(Method::Random, 4).points(), random, "seeded");
        assert_eq!(spec(Method::Random, 99).points().len(), 6, "at most the grid");
    }

    #[test]
    fn values_go_into_tables_and_lists_of_tables() {
        let mut doc: toml::Value =
            toml::from_str("[model]\n[[model.layers]]\nunits = 4\n[[model.layers]]\nrate = 0.1\n")
                .unwrap();
        set_path(&mut doc, "model.layers.1.rate", toml::Value::Float(0.3)).unwrap();
        set_path(&mut doc, "training.optimizer.lr", toml::Value::Float(0.01)).unwrap();
        assert_eq!(doc["model"]["layers"][1]["rate"].as_float(), Some(0.3));
        assert_eq!(doc["training"]["optimizer"]["lr"].as_float(), Some(0.01));
        assert!(set_path(&mut doc, "model.layers.5.units", toml::Value::Integer(1)).is_err());
    }

    #[test]
    fn a_joint_key_sets_its_values_together() {
        let mut space = BTreeMap::new();
        let pairs = toml::Value::try_from(vec![vec![21, 21], vec![63, 63]]).unwrap();
        space.insert("d.length, d.stride".to_string(), pairs.as_array().unwrap().clone());
        space.insert("lr".to_string(), vec![toml::Value::Float(0.1), toml::Value::Float(0.2)]);
        let s = SearchSpec { space, ..spec(Method::Grid, 0) };
        s.check().unwrap();
        assert_eq!(s.keys(), ["d.length", "d.stride", "lr"]);
        let points = s.points();
        assert_eq!(points.len(), 4, "2 pairs x 2 rates");
        let shown: Vec<String> = points.iter().map(label).collect();
        assert_eq!(shown[0], "length=21 stride=21 lr=0.1");
        assert_eq!(shown[3], "length=63 stride=63 lr=0.2");
        let mut bad = s.clone();
        bad.space.insert("a, b".into(), vec![toml::Value::Integer(1)]);
        let err = bad.check().unwrap_err().to_string();
        assert!(err.contains("lists of 2 values"), "{err}");
    }

    #[test]
    fn a_star_sets_every_list_entry_that_has_the_key() {
        let mut doc: toml::Value = toml::from_str(
            "[[model.layers]]\ntype = \"lstm\"\nunits = 8\n[[model.layers]]\ntype = \"dropout\"\nrate = 0.1\n[[model.layers]]\ntype = \"gru\"\nunits = 4\n",
        )
        .unwrap();
        set_path(&mut doc, "model.layers.*.units", toml::Value::Integer(90)).unwrap();
        set_path(&mut doc, "model.layers.*.rate", toml::Value::Float(0.3)).unwrap();
        let layers = doc["model"]["layers"].as_array().unwrap();
        let units: Vec<Option<i64>> =
            layers.iter().map(|l| l.get("units").and_then(toml::Value::as_integer)).collect();
        assert_eq!(units, [Some(90), None, Some(90)]);
        assert_eq!(layers[1]["rate"].as_float(), Some(0.3));
        assert!(layers[0].get("rate").is_none());
        let err = set_path(&mut doc, "model.layers.*.momentum", toml::Value::Float(0.9));
        assert!(err.unwrap_err().to_string().contains("no list entry"));
    }

    #[test]
    fn hyperband_brackets_are_the_papers_for_27_epochs_and_factor_3() {
        // Li et al. (2018), table 1: R = 27, eta = 3
        let s = hyperband_schedule(27, 3);
        assert_eq!(s[0], [(27, 1), (9, 3), (3, 9), (1, 27)]);
        assert_eq!(s[1], [(12, 3), (4, 9), (1, 27)]);
        assert_eq!(s[2], [(6, 9), (2, 27)]);
        assert_eq!(s[3], [(4, 27)]);
        assert_eq!(hyperband_schedule(3, 3), [vec![(3, 1), (1, 3)], vec![(2, 3)]]);
    }

    #[test]
    fn keras_tuners_brackets_run_ten_trainings_for_5_epochs_and_factor_3() {
        // HyperbandOracle(max_epochs=5, factor=3): 2 brackets; 5 at 2 epochs -> 2 at 5; 3 at 5.
        // With hyperband_iterations=15, the 150 trials the study's tuner runs.
        let s = keras_tuner_schedule(5, 3);
        assert_eq!(s, [vec![(5, 2), (2, 5)], vec![(3, 5)]]);
        let trainings: usize = s.iter().flatten().map(|r| r.0).sum();
        assert_eq!(trainings * 15, 150);
        // for 27 epochs keras-tuner rounds every size up where the paper floors
        let k = keras_tuner_schedule(27, 3);
        assert_eq!(k[0], [(27, 1), (9, 3), (3, 9), (1, 27)]);
        assert_eq!(k[1], [(12, 3), (4, 9), (2, 27)]);
        assert_eq!(k[2], [(6, 9), (2, 27)]);
        assert_eq!(k[3], [(4, 27)]);
    }

    #[test]
    fn history_objectives_maximise_scores_and_minimise_losses() {
        let parse =
            |name: &str| -> Objective { toml::Value::String(name.into()).try_into().unwrap() };
        assert_eq!(parse("val_loss"), Objective::ValLoss);
        assert_eq!(parse("val_sharpe"), Objective::ValSharpe);
        let acc = parse("val_accuracy");
        assert_eq!(acc, Objective::History("val_accuracy".into()));
        assert!(acc.maximises() && acc.needs_validation());
        assert!(!parse("loss").maximises() && !parse("loss").needs_validation());
        let outcome = |index: usize, score: Option<f64>| Outcome {
            index,
            point: vec![],
            valid_loss: Some(1.0 / (index + 1) as f64),
            valid_sharpe: None,
            score,
            test_sharpe: None,
        };
        let mut o = vec![outcome(0, Some(0.52)), outcome(1, None), outcome(2, Some(0.55))];
        rank(&mut o, &acc);
        let order: Vec<usize> = o.iter().map(|o| o.index).collect();
        assert_eq!(order, [2, 0, 1], "highest accuracy first, a trial without one last");
        rank(&mut o, &Objective::ValLoss);
        assert_eq!(o[0].index, 2, "lowest validation loss first");
        let csv = search_csv(&[], &o, &acc);
        let header = "rank,trial,valid_loss,valid_sharpe,test_sharpe,objective_val_accuracy\n";
        assert!(csv.starts_with(header), "{csv}");
        assert!(csv.contains("\n1,2,0.3333333333333333,,,0.55\n"), "{csv}");
    }
}
