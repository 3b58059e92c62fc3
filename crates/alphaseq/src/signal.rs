//! Positions from a fitted run on new prices: `alphaseq signal` and the production loop. The
//! caller loads the prices up to the as-of date (nothing later), the run's stored folds and their
//! models; this module chooses, for the as-of date, the fold whose model traded that date in the
//! backtest ([`fold_for`]), computes the features, scales them with that fold's training-span
//! scaler, predicts for every traded ticker whose window is complete (the data set's rule), and
//! applies the run's strategy as the backtest would have on that date. Past dates reproduce the
//! backtest's positions; dates after the last fold use the last fold's model.

use chrono::NaiveDate;

use crate::data::Panel;
use crate::dataset::{Sample, Scaler};
use crate::error::{Error, Result};
use crate::features::FeatureMatrix;
use crate::forecast::{Forecaster, Windows};
use crate::pipeline::{Ensemble, FoldResult, Part, PipelineSpec};
use crate::strategy;

/// A fitted model with its scaler and the panel indices of the tickers it serves.
pub struct ModelGroup {
    /// The scaler fitted on the model's training span.
    pub scaler: Scaler,
    /// The fitted model.
    pub model: Box<dyn Forecaster>,
    /// Panel indices of the tickers it predicts.
    pub tickers: Vec<usize>,
}

/// One target position.
#[derive(Debug, Clone, PartialEq)]
pub struct Position {
    /// Ticker.
    pub ticker: String,
    /// Target weight.
    pub weight: f64,
    /// The model's prediction.
    pub prediction: f64,
}

/// The first date of a fold's test predictions: the fold's model trades from there on.
pub fn first_test_date(fold: &FoldResult) -> Option<NaiveDate> {
    fold.predictions.iter().filter(|p| p.part == Part::Test).map(|p| p.date).min()
}

/// The fold (index into `first_tests`, the folds' first test dates in fold order) whose model
/// traded `asof`: the last fold whose test span starts on or before it. Dates after the last
/// fold's test span use the last fold.
///
/// # Errors
/// [`Error::NotEnoughData`] for a date before the first fold's test span: no model of the run
/// was chosen on data before it.
pub fn fold_for(first_tests: &[Option<NaiveDate>], asof: NaiveDate) -> Result<usize> {
    let found = first_tests.iter().rposition(|d| d.is_some_and(|d| d <= asof));
    found.ok_or_else(|| {
        let first = first_tests.iter().flatten().min();
        Error::NotEnoughData(match first {
            Some(first) => format!(
                "{asof} is before the run's first test date {first}: every model of the run was trained or validated on data after it"
            ),
            None => "the run has no fold with test predictions".into(),
        })
    })
}

/// The traded tickers of `panel` (all but the spec's benchmark), as panel indices.
pub fn traded(panel: &Panel, spec: &PipelineSpec) -> Vec<usize> {
    let benchmark = spec.benchmark.as_ref().and_then(|b| panel.ticker_index(b));
    (0..panel.tickers().len()).filter(|&i| Some(i) != benchmark).collect()
}

/// The positions at the last date of `panel` (the as-of date) from `groups`.
///
/// # Errors
/// When the strategy's weights depend on earlier predictions or holdings (smoothing, turnover
/// control: one date's predictions cannot reproduce them), a scaler's column is not among the
/// features, a model cannot predict, or no traded ticker has a complete window at the as-of
/// date.
pub fn positions(
    panel: &Panel,
    spec: &PipelineSpec,
    groups: &[ModelGroup],
) -> Result<Vec<Position>> {
    ensemble_positions(panel, spec, std::slice::from_ref(&groups.iter().collect()))
}

/// The positions at the last date of `panel` from the models of several seeds (`by_seed[s]`:
/// seed s's groups), their predictions combined as the run's `training.ensemble` says
/// ([`crate::pipeline::Ensemble`]; one seed's groups: its predictions as they are).
///
/// # Errors
/// As [`positions`], or when the seeds' models predict different tickers.
pub fn ensemble_positions(
    panel: &Panel,
    spec: &PipelineSpec,
    by_seed: &[Vec<&ModelGroup>],
) -> Result<Vec<Position>> {
    if let Some(key) = spec.strategy.path_dependent_key() {
        return Err(Error::config(
            key,
            "the book at a date depends on earlier predictions and holdings, which `signal` does not replay yet: read the run's positions.csv, or run without this key",
        ));
    }
    let dates = panel.dates();
    let t = dates.len().checked_sub(1).ok_or_else(|| Error::NotEnoughData("no prices".into()))?;
    let raw = FeatureMatrix::compute(panel, &spec.features)?;
    let mut each: Vec<(Vec<Sample>, Vec<f64>)> = vec![];
    for groups in by_seed {
        each.push(predict(panel, &raw, spec, groups, t)?);
    }
    let Some((samples, first)) = each.first() else {
        return Err(Error::Invalid("no models to serve".into()));
    };
    if samples.is_empty() {
        return Err(Error::NotEnoughData(format!(
            "no ticker has a complete feature window at {}",
            dates[t]
        )));
    }
    let preds: Vec<f64> = if each.len() == 1 {
        first.clone()
    } else {
        let tickers = |s: &[Sample]| s.iter().map(|x| x.ticker).collect::<Vec<_>>();
        if each.iter().any(|(s, _)| tickers(s) != tickers(samples)) {
            return Err(Error::Invalid(
                "the seeds' models predict different tickers, which an ensemble cannot average"
                    .into(),
            ));
        }
        let scores: Vec<Vec<f64>> = each
            .iter()
            .map(|(_, p)| match spec.ensemble {
                Ensemble::Rank => crate::pipeline::rank_scores_of(p),
                _ => p.clone(),
            })
            .collect();
        (0..samples.len())
            .map(|i| scores.iter().map(|s| s[i]).sum::<f64>() / scores.len() as f64)
            .collect()
    };
    let triples: Vec<(usize, usize, f64)> =
        samples.iter().zip(&preds).map(|(s, p)| (s.ticker as usize, t, *p)).collect();
    let (returns, sectors) = crate::pipeline::market_inputs(panel);
    let costs = spec.strategy.costs(panel.tickers());
    let market = strategy::Market {
        dates,
        returns: &returns,
        sectors: &sectors,
        periods_per_year: spec.periods_per_year(),
        costs: &costs,
        // every forecast is the latest of its ticker, all placed on the as-of date: the target
        // weights of the whole cross-section, a closed market's trade waiting for its open
        own: None,
    };
    let weights = strategy::weights(&spec.strategy, &triples, &market, dates.len());
    Ok(samples
        .iter()
        .zip(&preds)
        .map(|(s, p)| Position {
            ticker: panel.tickers()[s.ticker as usize].clone(),
            weight: weights[t][s.ticker as usize],
            prediction: *p,
        })
        .collect())
}

/// The date index of ticker `i`'s forecast for date `t`: `t`, or on its own calendar its last
/// bar when its market is closed at `t` (`None` when it is no longer listed).
fn as_of(features: &FeatureMatrix, i: usize, t: usize) -> Option<usize> {
    match features.own_calendar(i) {
        Some(own) if !own.is_bar(t) => own.latest(t).filter(|_| own.is_closed(t)),
        _ => Some(t),
    }
}

/// The samples with a complete window at date `t` (on own calendars: at each ticker's last bar
/// on or before it, [`as_of`]) and the groups' predictions for them (as returns from the as-of
/// adjusted close, as the run trades them).
fn predict(
    panel: &Panel,
    raw: &FeatureMatrix,
    spec: &PipelineSpec,
    groups: &[&ModelGroup],
    t: usize,
) -> Result<(Vec<Sample>, Vec<f64>)> {
    let shape = spec.dataset.window();
    let mut samples: Vec<Sample> = vec![];
    let mut preds: Vec<f64> = vec![];
    for group in groups {
        let keep: Vec<usize> = group
            .scaler
            .columns
            .iter()
            .map(|c| {
                raw.names().iter().position(|n| n == c).ok_or_else(|| {
                    Error::Invalid(format!("the features lack column {c} the scaler was fitted on"))
                })
            })
            .collect::<Result<_>>()?;
        let mut features = raw.select_columns(&keep);
        group.scaler.transform(&mut features)?;
        let ready: Vec<Sample> = group
            .tickers
            .iter()
            .filter_map(|&i| Some((i, as_of(&features, i, t)?)))
            .filter(|&(i, u)| group.scaler.group(i).is_some() && shape.is_complete(&features, i, u))
            .map(|(i, u)| Sample { ticker: i as u32, t: u as u32, target: f64::NAN })
            .collect();
        if ready.is_empty() {
            continue;
        }
        let units = spec.dataset.next_prices_as;
        let forecasts = group.model.predict(&Windows::new(&features, &ready, shape, None))?;
        preds.extend(
            ready
                .iter()
                .zip(forecasts)
                .map(|(s, p)| units.as_return(panel, s.ticker as usize, s.t as usize, p)),
        );
        samples.extend(ready);
    }
    Ok((samples, preds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_is_served_by_the_fold_that_traded_it() {
        let d = |m: u32, day: u32| NaiveDate::from_ymd_opt(2020, m, day).unwrap();
        let firsts = [Some(d(1, 2)), Some(d(4, 1)), None, Some(d(7, 1))];
        assert_eq!(fold_for(&firsts, d(1, 2)).unwrap(), 0);
        assert_eq!(fold_for(&firsts, d(3, 31)).unwrap(), 0);
        assert_eq!(fold_for(&firsts, d(4, 1)).unwrap(), 1);
        assert_eq!(fold_for(&firsts, d(6, 30)).unwrap(), 1, "a fold without test dates is skipped");
        assert_eq!(fold_for(&firsts, d(12, 31)).unwrap(), 3, "after the last fold: the last");
        let err = fold_for(&firsts, d(1, 1)).unwrap_err().to_string();
        assert!(err.contains("before the run's first test date 2020-01-02"), "{err}");
    }
}
