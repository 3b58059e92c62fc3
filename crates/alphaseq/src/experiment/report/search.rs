//! The search's sections of the run report: the trials by the objective (search.csv), and every
//! trial's test-span statistics with the correlation of their returns, their cumulative returns,
//! and their returns and turnover through the 2008 and 2020 crises (the deep-momentum paper's
//! Figures 5, 6 and 8).

use std::collections::BTreeMap;
use std::path::Path;

use alphaseq_report::{Cell, LineChart, Section, Series, Table, XAxis};
use chrono::NaiveDate;

use super::dates_of;
use super::files::Csv;
use crate::error::{Error, Result};
use crate::record::RunRecord;

/// Every trial on the test span in the layout of the cross-sectional study's Table 3 (one row
/// per trial: Sharpe after and before costs, Calmar, Sortino, volatility, tail ratio, alpha,
/// beta, drawdown, turnover, holding period, break-even cost, bias, R2 and t-stat of returns on
/// the signal), the correlation of their returns, their
/// cumulative returns, and their returns and turnover in the [`CRISES`]. For comparing
/// architectures with a grid over `model.layers`; never used to choose.
pub(super) fn comparison_sections(dir: &Path, search: &Csv) -> Result<Vec<Section>> {
    let fixed = first_key(search);
    let mut any_seeds = false;
    let mut rows: Vec<(String, Vec<Cell>)> = vec![];
    let mut series: Vec<(String, BTreeMap<NaiveDate, f64>)> = vec![];
    let mut turnovers: Vec<(String, BTreeMap<NaiveDate, f64>)> = vec![];
    let mut classifiers = Classifiers::default();
    for r in &search.rows {
        let tdir = dir.join("trials").join(format!(
            "trial-{:03}",
            r[1].parse::<usize>().map_err(|_| {
                Error::record(&search.path, format!("trial {:?} is not a number", r[1]))
            })?
        ));
        let Some(equity) = Csv::read(&tdir.join("equity.csv"))? else { continue };
        let record = RunRecord::read(&tdir)?;
        let seeds = record.seeds.as_ref().and_then(|s| s.spread.get("sharpe").copied());
        any_seeds |= seeds.is_some();
        classifiers.add(&format!("{}: {}", r[1], trial_values(search, r, fixed)), &record);
        let m = record.strategy;
        let returns = equity.required_floats("strategy")?;
        let stats = &m.net;
        let reg = m.signal_regression;
        let label = format!("trial {}", r[1]);
        rows.push((
            format!("{}: {}", r[1], trial_values(search, r, fixed)),
            vec![
                Cell::Number(stats.summary.sharpe_ratio, 2),
                Cell::Number(m.gross.sharpe_ratio, 2),
                Cell::Number(stats.calmar_ratio, 2),
                Cell::Number(stats.sortino_ratio, 2),
                Cell::Percent(stats.summary.annual_volatility),
                Cell::Number(stats.tail_ratio, 2),
                Cell::Percent(stats.alpha),
                Cell::Number(stats.beta, 2),
                Cell::Percent(stats.summary.max_drawdown),
                Cell::Number(m.mean_turnover, 3),
                Cell::Number(m.trading.and_then(|t| t.holding_period), 1),
                Cell::Number(m.trading.and_then(|t| t.break_even_bps), 2),
                Cell::Number(m.bias_bps, 2),
                Cell::Number(reg.map(|r| r.r2), 4),
                Cell::Number(reg.map(|r| r.t_stat).filter(|t| t.is_finite()), 2),
                Cell::Text(seeds.map_or(String::new(), |s| match s.sd {
                    Some(sd) => format!("{:.2} \u{b1} {sd:.2}", s.mean),
                    None => format!("{:.2}", s.mean),
                })),
            ],
        ));
        let dates = dates_of(&equity)?;
        let turnover = equity.required_floats("turnover")?;
        series.push((label.clone(), dates.iter().copied().zip(returns).collect()));
        turnovers.push((label, dates.into_iter().zip(turnover).collect()));
    }
    if rows.len() < 2 {
        return Ok(vec![]);
    }
    // the seeds' spread of each trial's Sharpe ratio, when trained with several
    let mut header = vec![
        "trial: values",
        "Sharpe",
        "Sharpe (gross)",
        "Calmar",
        "Sortino",
        "Ann. vol",
        "Tail ratio",
        "Alpha",
        "Beta",
        "Max DD",
        "Turnover",
        "Holding (bars)",
        "Break-even (bps)",
        "Bias (bps)",
        "R2",
        "t-stat",
    ];
    if any_seeds {
        header.push("Sharpe over seeds (mean \u{b1} sd)");
    } else {
        for (_, cells) in &mut rows {
            cells.pop();
        }
    }
    let table = Table {
        title: "Every trial on the test span (the cross-sectional study's Table 3 layout; for comparison only)".into(),
        columns: header.iter().map(|s| s.to_string()).collect(),
        rows,
    };
    // correlations on the dates both trials have
    let corr = |a: &BTreeMap<NaiveDate, f64>, b: &BTreeMap<NaiveDate, f64>| {
        let (x, y): (Vec<f64>, Vec<f64>) =
            a.iter().filter_map(|(d, v)| b.get(d).map(|w| (*v, *w))).unzip();
        crate::metrics::ic::pearson(&x, &y).unwrap_or(f64::NAN)
    };
    let heatmap = alphaseq_report::Heatmap {
        title: "Correlation of the trials' test-span returns (Pearson)".into(),
        rows: series.iter().map(|(l, _)| l.clone()).collect(),
        columns: series.iter().map(|(l, _)| l.trim_start_matches("trial ").to_string()).collect(),
        values: series
            .iter()
            .map(|(_, a)| series.iter().map(|(_, b)| corr(a, b)).collect())
            .collect(),
        percent: false,
        decimals: 2,
    };
    let mut sections = vec![Section::Table(table), Section::Heatmap(heatmap)];
    sections.extend(classifiers.sections());
    let all: Vec<NaiveDate> = {
        let mut d: Vec<NaiveDate> = series.iter().flat_map(|(_, s)| s.keys().copied()).collect();
        d.sort_unstable();
        d.dedup();
        d
    };
    sections.push(cumulative_chart(
        "Cumulative return of every trial on the test span (compounded)".into(),
        &all,
        &series,
    ));
    for (name, from, to) in CRISES {
        let (from, to) = (date(from), date(to));
        let days: Vec<NaiveDate> = all.iter().copied().filter(|d| *d >= from && *d <= to).collect();
        if days.len() < 21 {
            continue;
        }
        sections.push(cumulative_chart(
            format!("{name}: cumulative return of every trial from {from} to {to}"),
            &days,
            &series,
        ));
        sections.push(Section::Chart(LineChart {
            title: format!(
                "{name}: turnover of every trial (sum of |weight changes| a day, 21-day mean)"
            ),
            x: XAxis::Dates(days.clone()),
            series: turnovers
                .iter()
                .map(|(label, t)| Series {
                    name: label.clone(),
                    values: trailing_mean(
                        &days.iter().map(|d| value(t, d)).collect::<Vec<_>>(),
                        21,
                    ),
                })
                .collect(),
            percent: false,
        }));
    }
    Ok(sections)
}

/// The stress periods the deep-momentum paper looks at (its Figure 8): name, first and last day.
const CRISES: [(&str, &str, &str); 2] =
    [("2008", "2008-01-01", "2009-06-30"), ("2020", "2020-01-01", "2020-12-31")];

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
}

/// A series' value on `d`, NaN where it has none.
fn value(s: &BTreeMap<NaiveDate, f64>, d: &NaiveDate) -> f64 {
    s.get(d).copied().unwrap_or(f64::NAN)
}

/// Each series' compounded return from the first of `days` (missing days earn nothing).
pub(super) fn cumulative_chart(
    title: String,
    days: &[NaiveDate],
    series: &[(String, BTreeMap<NaiveDate, f64>)],
) -> Section {
    let cumulative = |s: &BTreeMap<NaiveDate, f64>| {
        let mut level = 1.0;
        days.iter()
            .map(|d| {
                let r = value(s, d);
                if r.is_finite() {
                    level *= 1.0 + r;
                }
                level - 1.0
            })
            .collect()
    };
    Section::Chart(LineChart {
        title,
        x: XAxis::Dates(days.to_vec()),
        series: series
            .iter()
            .map(|(label, s)| Series { name: label.clone(), values: cumulative(s) })
            .collect(),
        percent: true,
    })
}

/// The mean of the last `n` finite values at each point (fewer at the start).
fn trailing_mean(values: &[f64], n: usize) -> Vec<f64> {
    (0..values.len())
        .map(|i| {
            let w: Vec<f64> = values[i.saturating_sub(n - 1)..=i]
                .iter()
                .copied()
                .filter(|v| v.is_finite())
                .collect();
            if w.is_empty() {
                f64::NAN
            } else {
                w.iter().sum::<f64>() / w.len() as f64
            }
        })
        .collect()
}

/// The trials' test-span classification quality side by side, for a classifier's search (the
/// direction study's three depths in one table and one ROC chart).
#[derive(Default)]
struct Classifiers {
    rows: Vec<(String, Vec<Cell>)>,
    curves: Vec<(String, crate::metrics::classification::RocCurve)>,
}

impl Classifiers {
    /// The ROC chart draws the best this many trials (by the objective).
    const CURVES: usize = 8;

    fn add(&mut self, label: &str, record: &RunRecord) {
        let Some(c) = &record.evaluation.classification else { return };
        let r = &c.report;
        let [[tn, fp], [fn_, tp]] = r.confusion;
        let n = (tn + fp + fn_ + tp).max(1) as f64;
        self.rows.push((
            label.to_string(),
            vec![
                Cell::Number(Some(r.accuracy), 3),
                Cell::Number(Some(r.class_1.precision), 3),
                Cell::Number(Some(r.class_1.recall), 3),
                Cell::Number(c.roc_auc, 3),
                Cell::Percent(Some((fp + tp) as f64 / n)),
                Cell::Text(format!("[[{tn}, {fp}], [{fn_}, {tp}]]")),
                Cell::Number(record.strategy.net.summary.sharpe_ratio, 2),
            ],
        ));
        if let Some(roc) = c.roc.clone().filter(|_| self.curves.len() < Self::CURVES) {
            self.curves.push((label.to_string(), roc));
        }
    }

    fn sections(self) -> Vec<Section> {
        if self.rows.len() < 2 {
            return vec![];
        }
        let table = Table {
            title: "Every trial's test-span classification (scikit-learn: \"up\" when p > the strategy's threshold; precision and recall of \"up\")".into(),
            columns: ["trial: values", "accuracy", "precision", "recall", "ROC AUC", "called up", "confusion [[TN, FP], [FN, TP]]", "Sharpe"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            rows: self.rows,
        };
        // each curve linearly between its points (scikit-learn drops only collinear ones) on
        // one grid of false positive rates
        let grid: Vec<f64> = (0..=100).map(|i| f64::from(i) / 100.0).collect();
        let mut series: Vec<Series> = self
            .curves
            .iter()
            .map(|(label, roc)| Series {
                name: label.clone(),
                values: grid.iter().map(|&x| interpolate(&roc.fpr, &roc.tpr, x)).collect(),
            })
            .collect();
        series.push(Series { name: "chance".into(), values: grid.clone() });
        let chart = LineChart {
            title: format!("ROC curves of the best {} trials on the test span", series.len() - 1),
            x: XAxis::Values { name: "false positive rate".into(), values: grid },
            series,
            percent: false,
        };
        vec![Section::Table(table), Section::Chart(chart)]
    }
}

/// The piecewise-linear curve through (`xs`, `ys`) (xs ascending) at `x`; at a vertical step,
/// the highest y.
fn interpolate(xs: &[f64], ys: &[f64], x: f64) -> f64 {
    let k = xs.partition_point(|&v| v <= x);
    if k == 0 {
        return ys.first().copied().unwrap_or(f64::NAN);
    }
    if k == xs.len() || xs[k - 1] == x {
        return ys[k - 1];
    }
    let (x0, x1, y0, y1) = (xs[k - 1], xs[k], ys[k - 1], ys[k]);
    y0 + (y1 - y0) * (x - x0) / (x1 - x0)
}

/// A trial's values as `key=value` pairs (the last part of each key).
fn trial_values(search: &Csv, row: &[String], fixed: usize) -> String {
    (fixed..row.len())
        .map(|c| format!("{}={}", search.header[c].rsplit('.').next().unwrap_or(""), row[c]))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The column of search.csv where the trials' values start: after the five fixed columns and
/// a history objective's `objective_<name>`.
fn first_key(csv: &Csv) -> usize {
    5 + usize::from(csv.header.get(5).is_some_and(|h| h.starts_with("objective_")))
}

/// The trials of a search, best first (search.csv).
pub(super) fn table(csv: &Csv, refit: bool) -> Table {
    let fixed = first_key(csv);
    let params: Vec<usize> = (fixed..csv.header.len()).collect();
    let mut columns: Vec<String> =
        vec!["rank".into(), "trial".into(), "valid loss".into(), "valid Sharpe".into()];
    if fixed > 5 {
        columns.push(csv.header[5].trim_start_matches("objective_").replace('_', " "));
    }
    columns.extend(params.iter().map(|&c| csv.header[c].clone()));
    columns.push("test Sharpe".into());
    let num = |s: &str| s.parse::<f64>().ok();
    let shown = if refit {
        "the report below is the best trial's configuration trained again with the experiment's own training (search.refit_best)"
    } else {
        "the report below is the best trial's"
    };
    Table {
        title: format!(
            "{} trials by the validation objective; {shown} (test Sharpe shown for reference, never used to choose)",
            csv.rows.len()
        ),
        columns,
        rows: csv
            .rows
            .iter()
            .map(|r| {
                let mut cells = vec![
                    Cell::Text(r[1].clone()),
                    Cell::Text(num(&r[2]).map_or("\u{2013}".into(), |v| format!("{v:.5e}"))),
                    Cell::Number(num(&r[3]), 3),
                ];
                if fixed > 5 {
                    cells.push(Cell::Number(num(&r[5]), 4));
                }
                cells.extend(params.iter().map(|&c| Cell::Text(r[c].clone())));
                cells.push(Cell::Number(num(&r[4]), 3));
                (r[0].clone(), cells)
            })
            .collect(),
    }
}
