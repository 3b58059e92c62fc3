//! Forecast evaluation of a run's test predictions (the rows of predictions.csv): information
//! coefficients per date (scipy `spearmanr`, Pearson as Qlib's IC), their summary, rolling IC,
//! quantile returns (pandas `qcut`, duplicates dropped) and, for a direction target, the
//! classification report, confusion matrix and ROC curve at the strategy's threshold. The same
//! function feeds metrics.json and the report, so both show the same numbers.

use std::collections::BTreeMap;

use alphaseq::metrics::classification::{
    classification_report, roc_auc, roc_curve, ClassificationReport, RocCurve,
};
use alphaseq::metrics::ic::{self, IcSummary};
use alphaseq_report::{BarChart, Cell, Heatmap, LineChart, Section, Series, Table, XAxis};
use chrono::NaiveDate;
use serde::Serialize;

/// Information coefficients of a cross-sectional forecast.
#[derive(Debug, Clone, Serialize)]
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

/// Classification quality of a probability forecast of a 0/1 target.
#[derive(Debug, Clone, Serialize)]
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
#[derive(Debug, Clone, Serialize)]
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

impl Evaluation {
    /// The report sections, as the data allows.
    pub fn sections(&self, periods_per_year: f64) -> Vec<Section> {
        let mut out = vec![];
        if let Some(ics) = &self.ics {
            out.extend(ic_sections(ics, periods_per_year));
        }
        if let Some(c) = &self.classification {
            out.extend(classification_sections(c));
        }
        out
    }
}

fn ic_sections(ics: &Ics, periods_per_year: f64) -> Vec<Section> {
    let row = |name: &str, f: fn(&IcSummary) -> Cell| {
        (name.to_string(), vec![f(&ics.rank_ic), f(&ics.ic)])
    };
    let table = Table {
        title: "Information coefficient per date on the test span".into(),
        columns: vec!["statistic".into(), "Rank IC (Spearman)".into(), "IC (Pearson)".into()],
        rows: vec![
            row("Dates", |s| Cell::Number(Some(s.dates as f64), 0)),
            row("Mean", |s| Cell::Number(s.mean, 4)),
            row("Std", |s| Cell::Number(s.std, 4)),
            row("ICIR (mean / std)", |s| Cell::Number(s.icir, 3)),
            row("t-stat (ICIR x sqrt(dates))", |s| Cell::Number(s.t_stat, 2)),
            (
                "Overall (all pairs pooled)".into(),
                vec![Cell::Number(ics.overall_spearman, 4), Cell::Text(String::new())],
            ),
        ],
    };
    let daily: Vec<f64> = ics.spearman.iter().map(|v| v.unwrap_or(f64::NAN)).collect();
    let short = (periods_per_year / 12.0).round().max(2.0) as usize;
    let long = (periods_per_year / 4.0).round().max(3.0) as usize;
    let rolling = LineChart {
        title: format!("Rolling Rank IC ({short}- and {long}-date means)"),
        x: XAxis::Dates(ics.dates.clone()),
        series: vec![
            Series { name: format!("{short}-date mean"), values: ic::rolling_mean(&daily, short) },
            Series { name: format!("{long}-date mean"), values: ic::rolling_mean(&daily, long) },
        ],
        percent: false,
    };
    // histogram of daily Rank IC in bins of 0.1 from -1 to 1
    let mut counts = [0.0f64; 20];
    for v in daily.iter().filter(|v| v.is_finite()) {
        counts[(((v + 1.0) * 10.0).floor() as usize).min(19)] += 1.0;
    }
    let histogram = BarChart {
        title:
            "Distribution of the daily Rank IC (dates per bin of 0.1, labelled by its lower edge)"
                .into(),
        categories: (0..20).map(|k| format!("{:.1}", -1.0 + 0.1 * k as f64)).collect(),
        series: vec![Series { name: "dates".into(), values: counts.to_vec() }],
        percent: false,
    };
    let quantiles = |q: &[Option<f64>], name: &str| {
        BarChart {
        title: format!(
            "Mean realised target by prediction {name} per date (pandas qcut; 1 = lowest prediction)"
        ),
        categories: (1..=q.len()).map(|k| k.to_string()).collect(),
        series: vec![Series {
            name: "mean realised target".into(),
            values: q.iter().map(|v| v.unwrap_or(f64::NAN)).collect(),
        }],
        percent: true,
    }
    };
    vec![
        Section::Table(table),
        Section::Chart(rolling),
        Section::Bars(histogram),
        Section::Bars(quantiles(&ics.quintiles, "quintile")),
        Section::Bars(quantiles(&ics.deciles, "decile")),
    ]
}

fn classification_sections(c: &Classification) -> Vec<Section> {
    let r = &c.report;
    let scores = |name: &str, s: &alphaseq::metrics::classification::ClassScores| {
        (
            name.to_string(),
            vec![
                Cell::Number(Some(s.precision), 3),
                Cell::Number(Some(s.recall), 3),
                Cell::Number(Some(s.f1), 3),
                Cell::Number(Some(s.support as f64), 0),
            ],
        )
    };
    let table = Table {
        title: format!(
            "Classification report at threshold {} (scikit-learn); accuracy {:.4}, ROC AUC {}",
            c.threshold,
            r.accuracy,
            c.roc_auc.map_or("\u{2013}".into(), |a| format!("{a:.4}"))
        ),
        columns: vec![
            "class".into(),
            "precision".into(),
            "recall".into(),
            "f1-score".into(),
            "support".into(),
        ],
        rows: vec![
            scores("0 (down)", &r.class_0),
            scores("1 (up)", &r.class_1),
            scores("macro avg", &r.macro_avg),
            scores("weighted avg", &r.weighted_avg),
        ],
    };
    let confusion = Heatmap {
        title: "Confusion matrix (rows: actual, columns: predicted)".into(),
        rows: vec!["actual 0".into(), "actual 1".into()],
        columns: vec!["predicted 0".into(), "predicted 1".into()],
        values: r.confusion.iter().map(|row| row.iter().map(|v| *v as f64).collect()).collect(),
        percent: false,
        decimals: 0,
    };
    let mut out = vec![Section::Table(table), Section::Heatmap(confusion)];
    if let Some(roc) = &c.roc {
        out.push(Section::Chart(LineChart {
            title: format!(
                "ROC curve (AUC {})",
                c.roc_auc.map_or("\u{2013}".into(), |a| format!("{a:.4}"))
            ),
            x: XAxis::Values { name: "false positive rate".into(), values: roc.fpr.clone() },
            series: vec![
                Series { name: "true positive rate".into(), values: roc.tpr.clone() },
                Series { name: "chance".into(), values: roc.fpr.clone() },
            ],
            percent: false,
        }));
    }
    out
}
