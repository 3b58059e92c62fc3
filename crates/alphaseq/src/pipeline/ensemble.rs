//! The ensemble of a run's seeds (`training.ensemble`): each fold's predictions averaged over
//! the models trained with each seed, fold by fold, before they are traded.
//!
//! - `mean`: the prediction (and each target column's) is the mean of the seeds' predictions.
//! - `rank`: per part and date, each seed's predictions are ranked across the names (average
//!   ranks for ties) and scaled to `(rank - 1) / (n - 1) - 1/2`, from -1/2 (lowest) to 1/2
//!   (highest), 0 for a lone name; the prediction is the mean of these scores, so every seed
//!   counts the same whatever the scale of its forecasts. Target columns are averaged as by
//!   `mean`.
//!
//! The folds' splits, sample counts, scalers and selections do not depend on the seed (they
//! are fitted on the data alone), so they are the first seed's; a fold whose samples differ
//! between seeds is an error. The ensemble's training loss and the models' own validation loss
//! are the seeds' means; its validation MSE is that of the ensemble's validation predictions
//! (with `mean`; with `rank`, whose scores are not on the target's scale, the seeds' mean);
//! permutation importance is the seeds' mean per feature.

use serde::{Deserialize, Serialize};

use super::types::{FoldResult, Part, Prediction};
use crate::error::{Error, Result};
use crate::numeric::average_ranks;

/// How the seeds' forecasts combine into the traded one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ensemble {
    /// None: the first seed's forecasts are traded; the others give the spread.
    #[default]
    None,
    /// The mean of the seeds' predictions.
    Mean,
    /// The mean of the seeds' cross-sectional rank scores.
    Rank,
}

impl Ensemble {
    /// What is traded, in words: "the first seed's", "the seeds' mean", "the seeds' mean rank".
    pub fn describe(self) -> &'static str {
        match self {
            Ensemble::None => "the first seed's",
            Ensemble::Mean => "the seeds' mean",
            Ensemble::Rank => "the seeds' mean rank",
        }
    }
}

/// `training.seeds`: a count N (the seeds `training.seed`, `training.seed + 1`, ...) or a list
/// of seeds (`seeds = 5`, `seeds = [1, 7, 42]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Seeds {
    /// This many seeds, counting up from the configured one.
    Count(usize),
    /// These seeds.
    List(Vec<u64>),
}

impl Seeds {
    /// The seeds, counting from `base` for a count.
    pub fn resolve(&self, base: u64) -> Vec<u64> {
        match self {
            Seeds::Count(n) => (0..*n as u64).map(|k| base.wrapping_add(k)).collect(),
            Seeds::List(v) => v.clone(),
        }
    }

    /// At least one seed, none twice.
    ///
    /// # Errors
    /// [`Error::Config`] (key `training.seeds`).
    pub fn check(&self) -> Result<()> {
        let seeds = self.resolve(0);
        if seeds.is_empty() {
            return Err(Error::config("training.seeds", "needs at least one seed"));
        }
        let mut sorted = seeds.clone();
        sorted.sort_unstable();
        if let Some(w) = sorted.windows(2).find(|w| w[0] == w[1]) {
            return Err(Error::config("training.seeds", format!("seed {} is listed twice", w[0])));
        }
        Ok(())
    }
}

impl<'de> Deserialize<'de> for Seeds {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Seeds, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Seeds;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number of seeds (5) or a list of seeds ([1, 7, 42])")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<Seeds, E> {
                usize::try_from(v).map(Seeds::Count).map_err(|_| E::custom(format!("{v} seeds")))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<Seeds, E> {
                usize::try_from(v).map(Seeds::Count).map_err(|_| E::custom(format!("{v} seeds")))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<Seeds, A::Error> {
                let mut v = vec![];
                while let Some(s) = seq.next_element::<u64>()? {
                    v.push(s);
                }
                Ok(Seeds::List(v))
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// The ensemble's folds from `by_seed[s][k]`, fold k of seed s (at least one seed, each with
/// the same folds).
///
/// # Errors
/// [`Error::Invalid`] when the seeds' folds or samples differ.
pub fn combine(by_seed: &[Vec<FoldResult>], how: Ensemble) -> Result<Vec<FoldResult>> {
    let Some(first) = by_seed.first() else {
        return Err(Error::Invalid("an ensemble of no seeds".into()));
    };
    if by_seed.iter().any(|folds| folds.len() != first.len()) {
        return Err(Error::Invalid("the seeds have different numbers of folds".into()));
    }
    (0..first.len())
        .map(|k| fold(&by_seed.iter().map(|f| &f[k]).collect::<Vec<_>>(), how))
        .collect()
}

fn mean(v: impl Iterator<Item = f64>) -> f64 {
    let (sum, n) = v.fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
    sum / n as f64
}

/// One fold of the ensemble from the seeds' versions of it.
fn fold(seeds: &[&FoldResult], how: Ensemble) -> Result<FoldResult> {
    let first = seeds[0];
    for other in &seeds[1..] {
        let same = other.split == first.split
            && other.predictions.len() == first.predictions.len()
            && other
                .predictions
                .iter()
                .zip(&first.predictions)
                .all(|(a, b)| a.date == b.date && a.ticker == b.ticker && a.part == b.part);
        if !same {
            return Err(Error::Invalid(format!(
                "fold ending {:?}: the seeds' models predicted different samples, which an ensemble cannot average",
                first.split.test_end
            )));
        }
    }
    let scores: Vec<Vec<f64>> = match how {
        Ensemble::Rank => {
            let scores: Vec<(Vec<f64>, usize)> =
                seeds.iter().map(|f| rank_scores(&f.predictions)).collect();
            if scores.iter().all(|(_, widest)| *widest < 2) {
                return Err(Error::config(
                    "training.ensemble",
                    "\"rank\" ranks each date's names, but every date of this fold has one name (one ticker, or one model per ticker); use \"mean\"",
                ));
            }
            scores.into_iter().map(|(s, _)| s).collect()
        }
        _ => seeds.iter().map(|f| f.predictions.iter().map(|p| p.prediction).collect()).collect(),
    };
    let predictions: Vec<Prediction> = first
        .predictions
        .iter()
        .enumerate()
        .map(|(i, p)| Prediction {
            prediction: mean(scores.iter().map(|s| s[i])),
            columns: (0..p.columns.len())
                .map(|c| {
                    (mean(seeds.iter().map(|f| f.predictions[i].columns[c].0)), p.columns[c].1)
                })
                .collect(),
            ..p.clone()
        })
        .collect();
    let mut fit = first.fit.clone();
    fit.train_loss = mean(seeds.iter().map(|f| f.fit.train_loss));
    fit.valid_loss = match how {
        Ensemble::Rank => mean(seeds.iter().map(|f| f.fit.valid_loss)),
        _ => validation_mse(&predictions),
    };
    fit.valid_objective = first
        .fit
        .valid_objective
        .is_some()
        .then(|| mean(seeds.iter().map(|f| f.fit.valid_objective.unwrap_or(f64::NAN))));
    for (column, best) in &mut fit.history_best {
        *best =
            mean(seeds.iter().map(|f| f.fit.history_best.get(column).copied().unwrap_or(f64::NAN)));
    }
    let importance = first.importance.as_ref().map(|(_, rows)| {
        let baseline = mean(seeds.iter().map(|f| f.importance.as_ref().map_or(f64::NAN, |i| i.0)));
        let rows = rows
            .iter()
            .enumerate()
            .map(|(j, r)| {
                let each = |g: fn(&crate::forecast::Importance) -> f64| {
                    mean(seeds.iter().map(|f| {
                        f.importance.as_ref().and_then(|i| i.1.get(j)).map_or(f64::NAN, g)
                    }))
                };
                crate::forecast::Importance {
                    feature: r.feature.clone(),
                    mean_increase: each(|i| i.mean_increase),
                    std_increase: each(|i| i.std_increase),
                }
            })
            .collect();
        (baseline, rows)
    });
    Ok(FoldResult {
        split: first.split,
        sample_counts: first.sample_counts,
        fit,
        scaler: first.scaler.clone(),
        boruta: first.boruta.clone(),
        importance,
        predictions,
    })
}

/// The mean squared error of the validation predictions with a realised target.
fn validation_mse(predictions: &[Prediction]) -> f64 {
    mean(
        predictions
            .iter()
            .filter(|p| p.part == Part::Valid && p.target.is_finite() && p.prediction.is_finite())
            .map(|p| (p.prediction - p.target).powi(2)),
    )
}

/// Each prediction's cross-sectional rank score among the predictions of its part and date:
/// `(rank - 1) / (n - 1) - 1/2` with average ranks, 0 for a lone name, NaN for a NaN prediction
/// (not ranked); and the most names any date has.
fn rank_scores(predictions: &[Prediction]) -> (Vec<f64>, usize) {
    let mut out = vec![f64::NAN; predictions.len()];
    let mut groups: std::collections::BTreeMap<(chrono::NaiveDate, bool), Vec<usize>> =
        std::collections::BTreeMap::new();
    for (i, p) in predictions.iter().enumerate() {
        if p.prediction.is_finite() {
            groups.entry((p.date, p.part == Part::Valid)).or_default().push(i);
        }
    }
    for idx in groups.values() {
        let values: Vec<f64> = idx.iter().map(|&i| predictions[i].prediction).collect();
        for (&i, score) in idx.iter().zip(rank_scores_of(&values)) {
            out[i] = score;
        }
    }
    (out, groups.values().map(Vec::len).max().unwrap_or(0))
}

/// The rank scores of one cross-section of finite values: `(rank - 1) / (n - 1) - 1/2` with
/// average ranks, 0 for a lone value.
pub fn rank_scores_of(values: &[f64]) -> Vec<f64> {
    let n = values.len();
    average_ranks(values)
        .into_iter()
        .map(|r| if n > 1 { (r - 1.0) / (n - 1) as f64 - 0.5 } else { 0.0 })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::Split;
    use crate::forecast::FitReport;

    fn prediction(date: &str, ticker: &str, prediction: f64, part: Part) -> Prediction {
        Prediction {
            date: date.parse().unwrap_or_default(),
            ticker: ticker.into(),
            prediction,
            target: 0.01,
            part,
            columns: vec![],
        }
    }

    fn fold_of(predictions: Vec<Prediction>, train_loss: f64) -> FoldResult {
        FoldResult {
            split: Split { train_start: 0, train_end: 0, valid_end: 1, test_end: 2, embargo: 0 },
            sample_counts: [1, 1, 1],
            fit: FitReport {
                train_loss,
                valid_loss: 1.0,
                valid_objective: None,
                parameters: 3,
                history_best: Default::default(),
            },
            scaler: crate::dataset::Scaler {
                spec: Default::default(),
                columns: vec![],
                groups: vec![],
            },
            boruta: None,
            importance: None,
            predictions,
        }
    }

    #[test]
    fn the_mean_and_the_rank_scores_average_the_seeds() {
        let a = fold_of(
            vec![
                prediction("2020-01-02", "A", 1.0, Part::Valid),
                prediction("2020-01-02", "B", 3.0, Part::Valid),
                prediction("2020-01-03", "A", 0.5, Part::Test),
            ],
            1.0,
        );
        let b = fold_of(
            vec![
                prediction("2020-01-02", "A", 30.0, Part::Valid),
                prediction("2020-01-02", "B", 10.0, Part::Valid),
                prediction("2020-01-03", "A", 1.5, Part::Test),
            ],
            3.0,
        );
        let seeds = vec![vec![a.clone()], vec![b.clone()]];
        let m = combine(&seeds, Ensemble::Mean).unwrap();
        let p: Vec<f64> = m[0].predictions.iter().map(|p| p.prediction).collect();
        assert_eq!(p, vec![15.5, 6.5, 1.0]);
        assert_eq!(m[0].fit.train_loss, 2.0);
        let mse = ((15.5f64 - 0.01).powi(2) + (6.5f64 - 0.01).powi(2)) / 2.0;
        assert!((m[0].fit.valid_loss - mse).abs() < 1e-12);
        // seed a ranks B over A, seed b A over B: they cancel; the lone test name scores 0
        let r = combine(&seeds, Ensemble::Rank).unwrap();
        let p: Vec<f64> = r[0].predictions.iter().map(|p| p.prediction).collect();
        assert_eq!(p, vec![0.0, 0.0, 0.0]);
        let r = combine(&[vec![a.clone()], vec![a.clone()]], Ensemble::Rank).unwrap();
        let p: Vec<f64> = r[0].predictions.iter().map(|p| p.prediction).collect();
        assert_eq!(p, vec![-0.5, 0.5, 0.0]);
        let lone = fold_of(vec![prediction("2020-01-03", "A", 0.5, Part::Test)], 1.0);
        assert!(combine(&[vec![lone.clone()], vec![lone]], Ensemble::Rank).is_err(), "one name");
        let mut other = b;
        other.predictions[2].ticker = "C".into();
        assert!(combine(&[vec![a], vec![other]], Ensemble::Mean).is_err(), "samples differ");
    }
}
