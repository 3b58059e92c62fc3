//! The report's forecast sections, rendered from the run record's evaluation
//! ([`crate::metrics::evaluation`]): the IC table, rolling IC, its histogram, quantile
//! returns and, for a direction target, the classification report and ROC curve.

use crate::metrics::evaluation::{Classification, Evaluation, Ics};
use crate::metrics::ic::IcSummary;
use alphaseq_report::{BarChart, Cell, Heatmap, LineChart, Section, Series, Table, XAxis};

/// The report sections of an evaluation, as the data allows.
pub fn sections(evaluation: &Evaluation, periods_per_year: f64) -> Vec<Section> {
    let mut out = vec![];
    if let Some(ics) = &evaluation.ics {
        out.extend(ic_sections(ics, periods_per_year));
    }
    if let Some(c) = &evaluation.classification {
        out.extend(classification_sections(c));
    }
    out
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
                format!("t-stat (Newey-West, {} lags)", ics.rank_ic.nw_lags),
                vec![Cell::Number(ics.rank_ic.nw_t_stat, 2), Cell::Number(ics.ic.nw_t_stat, 2)],
            ),
            (
                "Overall (all pairs pooled)".into(),
                vec![Cell::Number(ics.overall_spearman, 4), Cell::Text(String::new())],
            ),
        ],
    };
    let short = (periods_per_year / 12.0).round().max(2.0) as usize;
    let long = (periods_per_year / 4.0).round().max(3.0) as usize;
    let rolling = LineChart {
        title: format!("Rolling Rank IC ({short}- and {long}-date means)"),
        x: XAxis::Dates(ics.dates.clone()),
        series: vec![
            Series { name: format!("{short}-date mean"), values: ics.rolling_rank_ic(short) },
            Series { name: format!("{long}-date mean"), values: ics.rolling_rank_ic(long) },
        ],
        percent: false,
    };
    let histogram = BarChart {
        title:
            "Distribution of the daily Rank IC (dates per bin of 0.1, labelled by its lower edge)"
                .into(),
        categories: (0..20).map(|k| format!("{:.1}", -1.0 + 0.1 * k as f64)).collect(),
        series: vec![Series { name: "dates".into(), values: ics.rank_ic_histogram() }],
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
    let scores = |name: &str, s: &crate::metrics::classification::ClassScores| {
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
