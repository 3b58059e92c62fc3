//! Hyperparameter search (`[search]`): grid or seeded random search over any keys of the
//! experiment file. Each trial is the experiment with the trial's values put in at their key
//! paths (`"model.layers.0.units"`, `"training.optimizer.lr"`, `"dataset.sequence_length"`, ...),
//! checked like any experiment and run as a whole run folder under `RUN_DIR/trials/trial-NNN`.
//! Trials are chosen by a validation objective only (the validation loss, or the Sharpe ratio
//! of trading the validation predictions); the best trial's test-span results are the search's.

use std::collections::BTreeMap;

use crate::error::{Error, Result};
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

/// What the search minimises or maximises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Objective {
    /// The validation loss of the fitted model (lower is better; averaged over folds).
    #[default]
    ValLoss,
    /// The Sharpe ratio of the strategy on the validation predictions (higher is better).
    ValSharpe,
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
        }
        if self.method == Method::Random && self.trials == 0 {
            return Err(Error::config("search.trials", "must be at least 1"));
        }
        if self.method == Method::Hyperband && (self.max_epochs == 0 || self.factor < 2) {
            return Err(Error::config("search", "hyperband needs max_epochs >= 1 and factor >= 2"));
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

    /// Combination number `n` of the grid (mixed radix, last key fastest).
    fn point(&self, mut n: usize) -> Point {
        let mut point: Point = vec![];
        for (k, values) in self.space.iter().rev() {
            point.push((k.clone(), values[n % values.len()].clone()));
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

/// A value as shown in logs and tables: a list of layer tables as `lstm(16,seq)-dropout(0.1)-...`,
/// anything else as TOML.
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
}
