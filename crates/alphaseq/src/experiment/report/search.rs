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
    let fixed = 5;
    let mut any_seeds = false;
    let mut rows: Vec<(String, Vec<Cell>)> = vec![];
    let mut series: Vec<(String, BTreeMap<NaiveDate, f64>)> = vec![];
    let mut turnovers: Vec<(String, BTreeMap<NaiveDate, f64>)> = vec![];
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
        let m = record.strategy;
        let returns = equity.required_floats("strategy")?;
        let stats = &m.net;
        let reg = m.signal_regression;
        let params: Vec<String> = (fixed..r.len())
            .map(|c| format!("{}={}", search.header[c].rsplit('.').next().unwrap_or(""), r[c]))
            .collect();
        let label = format!("trial {}", r[1]);
        rows.push((
            format!("{}: {}", r[1], params.join(" ")),
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

/// The trials of a search, best first (search.csv).
pub(super) fn table(csv: &Csv) -> Table {
    let fixed = ["rank", "trial", "valid_loss", "valid_sharpe", "test_sharpe"];
    let params: Vec<usize> = (0..csv.header.len()).filter(|&c| c >= fixed.len()).collect();
    let mut columns: Vec<String> =
        vec!["rank".into(), "trial".into(), "valid loss".into(), "valid Sharpe".into()];
    columns.extend(params.iter().map(|&c| csv.header[c].clone()));
    columns.push("test Sharpe".into());
    let num = |s: &str| s.parse::<f64>().ok();
    Table {
        title: format!(
            "{} trials by the validation objective; the report below is the best trial's (test Sharpe shown for reference, never used to choose)",
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
                cells.extend(params.iter().map(|&c| Cell::Text(r[c].clone())));
                cells.push(Cell::Number(num(&r[4]), 3));
                (r[0].clone(), cells)
            })
            .collect(),
    }
}
