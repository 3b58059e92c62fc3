//! Forecast evaluation of a run's test predictions: information coefficients per date (scipy
//! `spearmanr`, Pearson as Qlib's IC), their summary, quantile returns (pandas `qcut`, duplicates
//! dropped) and, for a direction target, scikit-learn's classification report, confusion matrix
//! and ROC curve at the strategy's threshold. The run record carries it; the report renders it.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::classification::{
    classification_report, roc_auc, roc_curve, ClassificationReport, RocCurve,
};
use super::ic::{self, IcSummary};

/// Information coefficients of a cross-sectional forecast.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ics {
    /// Dates with at least two pairs.
    pub dates: Vec<NaiveDate>,
    /// Spearman IC per date (scipy `spearmanr`, average ranks for ties).
    pub spearman: Vec<Option<f64>>,
    /// Pearson IC per date.
    pub pearson: Vec<Option<f64>>,
    /// Summary of the Spearman ICs (Rank IC).
    pub rank_ic: IcSummary,
    /// Summary of the Pearson ICs (Qlib's IC).
    pub ic: IcSummary,
    /// Spearman correlation over every (date, name) pair.
    pub overall_spearman: Option<f64>,
    /// Mean realised target by prediction quintile (low to high), averaged over dates.
    pub quintiles: Vec<Option<f64>>,
    /// The same by decile.
    pub deciles: Vec<Option<f64>>,
}

impl Ics {
    /// The daily Rank IC as a series (NaN on dates without one).
    pub fn rank_ic_series(&self) -> Vec<f64> {
        self.spearman.iter().map(|v| v.unwrap_or(f64::NAN)).collect()
    }

    /// The trailing `window`-date mean of the daily Rank IC ([`super::ic::rolling_mean`]).
    pub fn rolling_rank_ic(&self, window: usize) -> Vec<f64> {
        super::ic::rolling_mean(&self.rank_ic_series(), window)
    }

    /// Dates per bin of the daily Rank IC: 20 bins of 0.1 from -1 (bin k holds
    /// `[-1 + 0.1 k, -1 + 0.1 (k + 1))`, the last one also 1).
    pub fn rank_ic_histogram(&self) -> Vec<f64> {
        let mut counts = vec![0.0f64; 20];
        for v in self.rank_ic_series().iter().filter(|v| v.is_finite()) {
            counts[(((v + 1.0) * 10.0).floor().max(0.0) as usize).min(19)] += 1.0;
        }
        counts
    }
}

/// Classification quality of a probability forecast of a 0/1 target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Classification {
    /// The threshold above which the forecast says 1.
    pub threshold: f64,
    /// scikit-learn's classification report and confusion matrix.
    pub report: ClassificationReport,
    /// ROC AUC.
    pub roc_auc: Option<f64>,
    /// The ROC curve.
    pub roc: Option<RocCurve>,
}

/// Everything the report says about the test forecasts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evaluation {
    /// Test predictions with a realised target.
    pub samples: usize,
    /// Information coefficients, when some date has at least two names.
    pub ics: Option<Ics>,
    /// Classification quality, when the target is 0/1.
    pub classification: Option<Classification>,
}

/// One date's predictions and realised values.
type Pairs = (Vec<f64>, Vec<f64>);

/// Evaluates `(date, prediction, realised)` rows of the test span.
pub fn evaluate(rows: &[(NaiveDate, f64, f64)], threshold: f64) -> Evaluation {
    let ok: Vec<&(NaiveDate, f64, f64)> =
        rows.iter().filter(|(_, p, r)| p.is_finite() && r.is_finite()).collect();
    let mut by_date: BTreeMap<NaiveDate, Pairs> = BTreeMap::new();
    for (d, p, r) in &ok {
        let e = by_date.entry(*d).or_default();
        e.0.push(*p);
        e.1.push(*r);
    }
    let cross: Vec<(NaiveDate, Pairs)> =
        by_date.into_iter().filter(|(_, (p, _))| p.len() >= 2).collect();
    let ics = (!cross.is_empty()).then(|| {
        let spearman: Vec<Option<f64>> =
            cross.iter().map(|(_, (p, r))| ic::spearman(p, r)).collect();
        let pearson: Vec<Option<f64>> = cross.iter().map(|(_, (p, r))| ic::pearson(p, r)).collect();
        let pairs: Vec<Pairs> = cross.iter().map(|(_, v)| v.clone()).collect();
        let (all_p, all_r): (Vec<f64>, Vec<f64>) = ok.iter().map(|(_, p, r)| (*p, *r)).unzip();
        Ics {
            dates: cross.iter().map(|(d, _)| *d).collect(),
            rank_ic: IcSummary::of(&spearman),
            ic: IcSummary::of(&pearson),
            spearman,
            pearson,
            overall_spearman: ic::spearman(&all_p, &all_r),
            quintiles: ic::quantile_returns(&pairs, 5),
            deciles: ic::quantile_returns(&pairs, 10),
        }
    });
    // a 0/1 target: the predictions are scores (probabilities, or a linear model's fit)
    let binary = !ok.is_empty() && ok.iter().all(|(_, _, r)| *r == 0.0 || *r == 1.0);
    let classification = binary.then(|| {
        let (p, r): (Vec<f64>, Vec<f64>) = ok.iter().map(|(_, p, r)| (*p, *r)).unzip();
        classification_report(&p, &r, threshold).map(|report| Classification {
            threshold,
            report,
            roc_auc: roc_auc(&p, &r),
            roc: roc_curve(&p, &r),
        })
    });
    Evaluation { samples: ok.len(), ics, classification: classification.flatten() }
}
