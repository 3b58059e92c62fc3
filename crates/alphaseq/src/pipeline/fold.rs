//! Fitting one fold: selection and scaling on its training span, the model, importance, and its
//! validation and test predictions.

use super::types::*;
use crate::data::Panel;
use crate::dataset::{Dataset, PriceUnits, Scaler};
use crate::error::{Error, Result};
use crate::features::FeatureMatrix;
use crate::forecast::{permutation_importance, Forecaster, Windows};
use crate::selection::{self, BorutaReport, SelectionCache};
use std::borrow::Cow;

/// Fits one fold: feature selection and scaling on its training span, the model, importance,
/// and its validation and test predictions. `raw` is scaled in place when owned, else copied.
pub(super) fn fit_fold(
    panel: &Panel,
    raw: Cow<'_, FeatureMatrix>,
    mut ds: Dataset,
    spec: &PipelineSpec,
    model: &mut dyn Forecaster,
    cache: &SelectionCache,
) -> Result<FoldResult> {
    let universe: Vec<usize> = {
        let mut u: Vec<usize> = ds.train.iter().map(|s| s.ticker as usize).collect();
        u.sort_unstable();
        u.dedup();
        u
    };
    let boruta = boruta_selection(&raw, &ds, spec, cache)?;
    let mut features = selected(raw, &boruta, spec);
    let scaler = Scaler::fit(
        &features,
        &universe,
        ds.split.train_start..=ds.split.train_end,
        spec.dataset.scaler,
    )?;
    scaler.transform(&mut features)?;
    keep_scaled(&mut ds, &scaler, panel, spec)?;
    // every target column, and the targets of every step of a window for many-to-many models
    let table = Some(&*ds.targets);
    let view = |samples| Windows::new(&features, samples, spec.dataset.window(), table);
    let (train_w, valid_w, test_w) = (view(&ds.train), view(&ds.valid), view(&ds.test));
    let fit = model.fit(&train_w, &valid_w)?;
    check_fit(&fit, &ds.split.describe(panel.dates()))?;
    let importance = match &spec.importance {
        Some(imp) => Some(permutation_importance(model, &valid_w, imp)?),
        None => None,
    };
    let mut predictions =
        predict(panel, model, &valid_w, Part::Valid, spec.dataset.next_prices_as)?;
    predictions.extend(predict(panel, model, &test_w, Part::Test, spec.dataset.next_prices_as)?);
    let fold = FoldResult {
        split: ds.split,
        sample_counts: [ds.train.len(), ds.valid.len(), ds.test.len()],
        fit,
        scaler,
        boruta,
        importance,
        predictions,
    };
    Ok(fold)
}

/// A stored fold ([`Stored::Model`](super::Stored::Model)) for the split of `ds`, whose
/// training and validation data are those it was fitted on: its fitted `model` predicts the
/// test span of `ds` with the stored selection and scaler; everything else is kept.
pub(super) fn predict_again(
    panel: &Panel,
    raw: Cow<'_, FeatureMatrix>,
    mut ds: Dataset,
    spec: &PipelineSpec,
    model: &dyn Forecaster,
    stored: FoldResult,
) -> Result<FoldResult> {
    let mut features = selected(raw, &stored.boruta, spec);
    stored.scaler.transform(&mut features)?;
    keep_scaled(&mut ds, &stored.scaler, panel, spec)?;
    let table = Some(&*ds.targets);
    let test_w = Windows::new(&features, &ds.test, spec.dataset.window(), table);
    let mut predictions: Vec<Prediction> =
        stored.predictions.into_iter().filter(|p| p.part == Part::Valid).collect();
    predictions.extend(predict(panel, model, &test_w, Part::Test, spec.dataset.next_prices_as)?);
    Ok(FoldResult {
        split: ds.split,
        sample_counts: [stored.sample_counts[0], stored.sample_counts[1], ds.test.len()],
        predictions,
        ..stored
    })
}

/// The feature columns Boruta kept (all without selection).
fn selected(
    raw: Cow<'_, FeatureMatrix>,
    boruta: &Option<BorutaReport>,
    spec: &PipelineSpec,
) -> FeatureMatrix {
    match (boruta, &spec.selection.boruta) {
        (Some(report), Some(b)) => raw.select_columns(&report.kept_by(b)),
        _ => raw.into_owned(),
    }
}

/// Drops the samples of tickers without a fitted scaler; an error when a part is left empty
/// (the validation part may be, in a walk forward without validation dates).
fn keep_scaled(
    ds: &mut Dataset,
    scaler: &Scaler,
    panel: &Panel,
    spec: &PipelineSpec,
) -> Result<()> {
    for part in [&mut ds.train, &mut ds.valid, &mut ds.test] {
        part.retain(|s| scaler.group(s.ticker as usize).is_some());
    }
    let no_validation = spec.dataset.without_validation();
    if ds.train.is_empty() || (ds.valid.is_empty() && !no_validation) || ds.test.is_empty() {
        return Err(Error::NotEnoughData(format!(
            "fold {}: no training, validation or test samples are left for tickers with a fitted scaler",
            ds.split.describe(panel.dates())
        )));
    }
    Ok(())
}

/// The model's predictions of `windows` (with every target column's, for a target with
/// several), as `part`.
fn predict(
    panel: &Panel,
    model: &dyn Forecaster,
    windows: &Windows,
    part: Part,
    units: PriceUnits,
) -> Result<Vec<Prediction>> {
    let preds = model.predict(windows)?;
    let all = if windows.target_width() > 1 { model.predict_all(windows)? } else { vec![] };
    Ok(windows
        .samples
        .iter()
        .zip(preds)
        .enumerate()
        .map(|(i, (s, p))| {
            let ret = |v: f64| units.as_return(panel, s.ticker as usize, s.t as usize, v);
            Prediction {
                date: panel.dates()[s.t as usize],
                ticker: panel.tickers()[s.ticker as usize].clone(),
                prediction: ret(p),
                target: ret(s.target),
                part,
                columns: match all.get(i) {
                    Some(row) => row
                        .iter()
                        .zip(windows.target_row(i))
                        .map(|(p, y)| (ret(*p), ret(y)))
                        .collect(),
                    None => vec![],
                },
            }
        })
        .collect())
}

/// Boruta's report on the fold's training samples, when the spec selects; an error naming the
/// most frequent hits when it keeps no feature.
fn boruta_selection(
    raw: &FeatureMatrix,
    ds: &Dataset,
    spec: &PipelineSpec,
    cache: &SelectionCache,
) -> Result<Option<BorutaReport>> {
    let Some(b) = &spec.selection.boruta else { return Ok(None) };
    let report = selection::boruta_on(raw, &ds.train, b, cache)?;
    if !report.kept_by(b).is_empty() {
        return Ok(Some(report));
    }
    let mut best: Vec<usize> = (0..report.names.len()).collect();
    best.sort_by_key(|&j| std::cmp::Reverse(report.hits[j]));
    let top: Vec<String> = best
        .iter()
        .take(3)
        .map(|&j| format!("{} {} hits", report.names[j], report.hits[j]))
        .collect();
    Err(Error::NotEnoughData(format!(
        "selection.boruta kept no feature of {} after {} rounds (most hits: {}); nothing beats its shuffled copy reliably{}",
        report.names.len(),
        report.rounds,
        top.join(", "),
        if b.keep_tentative { "; fallback = N keeps the N best by rank" } else { "; keep_tentative = true keeps the undecided, fallback = N the N best by rank" }
    )))
}

/// A fit whose training error is not finite is an error naming the fold and the likely causes,
/// not a result. (Finite divergence is the forecaster's to judge: only it knows its loss.)
fn check_fit(fit: &crate::forecast::FitReport, fold: &str) -> Result<()> {
    if !fit.train_loss.is_finite() {
        return Err(Error::Numerical(format!(
            "fold {fold}: the training MSE is {}; likely causes: extreme prices or features (see `alphaseq data check`), or a learning rate too large (training.optimizer.lr)",
            fit.train_loss
        )));
    }
    Ok(())
}
