//! The report's seed sections (`training.seeds`): every seed's headline figures beside their
//! mean, standard deviation and range and the traded forecast's (the ensemble's, or the first
//! seed's), and the cumulative returns of every seed with the traded one.

use std::collections::BTreeMap;
use std::path::Path;

use alphaseq_report::{Cell, Section, Table};
use chrono::NaiveDate;

use super::files::Csv;
use super::{dates_of, search};
use crate::error::Result;
use crate::pipeline::Ensemble;
use crate::record::{Headline, SeedsRecord};

/// How a headline figure is shown: a percentage, or a number with these decimals.
fn cell(name: &str, v: Option<f64>) -> Cell {
    match name {
        "annual_return" | "max_drawdown" | "accuracy" => Cell::Percent(v),
        "sharpe" | "gross_sharpe" => Cell::Number(v, 2),
        "turnover" => Cell::Number(v, 3),
        _ => Cell::Number(v, 4),
    }
}

fn text(name: &str, v: f64) -> String {
    cell(name, Some(v)).display()
}

/// The label of a headline figure.
fn label(name: &str) -> &'static str {
    match name {
        "sharpe" => "Sharpe ratio",
        "gross_sharpe" => "Sharpe ratio (gross)",
        "annual_return" => "Annual return",
        "max_drawdown" => "Max drawdown",
        "ic" => "Mean IC",
        "rank_ic" => "Mean rank IC",
        "accuracy" => "Accuracy",
        "auc" => "ROC AUC",
        "r2" => "R2 (test)",
        _ => "Turnover",
    }
}

/// What the run trades, as a column header.
fn traded(ensemble: Ensemble) -> String {
    format!("traded: {}", ensemble.describe())
}

/// The sections of a run trained with several seeds.
pub(super) fn sections(dir: &Path, seeds: &SeedsRecord) -> Result<Vec<Section>> {
    let mut columns = vec!["figure".to_string()];
    columns.extend(seeds.each.iter().map(|s| format!("seed {}", s.seed)));
    columns.extend(["mean \u{b1} sd".into(), "min \u{2013} max".into(), traded(seeds.ensemble)]);
    let names = Headline::fields(&seeds.traded).map(|(name, _)| name);
    let rows = names
        .iter()
        .enumerate()
        .filter_map(|(k, name)| {
            let spread = seeds.spread.get(*name)?;
            let mut cells: Vec<Cell> =
                seeds.each.iter().map(|s| cell(name, s.headline.fields()[k].1)).collect();
            cells.push(Cell::Text(match spread.sd {
                Some(sd) => format!("{} \u{b1} {}", text(name, spread.mean), text(name, sd)),
                None => text(name, spread.mean),
            }));
            cells.push(Cell::Text(format!(
                "{} \u{2013} {}",
                text(name, spread.min),
                text(name, spread.max)
            )));
            cells.push(cell(name, seeds.traded.fields()[k].1));
            Some((label(name).to_string(), cells))
        })
        .collect();
    let table = Table {
        title: format!(
            "{} seeds: each seed's model on the test span, the spread over the seeds (sd with ddof 1) and the traded forecast",
            seeds.each.len()
        ),
        columns,
        rows,
    };
    let mut series: Vec<(String, BTreeMap<NaiveDate, f64>)> = vec![];
    for s in &seeds.each {
        let path = dir.join("seeds").join(format!("seed-{}", s.seed));
        if let Some(equity) = Csv::read(&path.join("equity.csv"))? {
            let returns = equity.required_floats("strategy")?;
            series.push((
                format!("seed {}", s.seed),
                dates_of(&equity)?.into_iter().zip(returns).collect(),
            ));
        }
    }
    if let Some(equity) = Csv::read(&dir.join("equity.csv"))? {
        let returns = equity.required_floats("strategy")?;
        series
            .push((traded(seeds.ensemble), dates_of(&equity)?.into_iter().zip(returns).collect()));
    }
    let mut days: Vec<NaiveDate> = series.iter().flat_map(|(_, s)| s.keys().copied()).collect();
    days.sort_unstable();
    days.dedup();
    Ok(vec![
        Section::Table(table),
        search::cumulative_chart(
            "Cumulative net return of every seed and of the traded forecast".into(),
            &days,
            &series,
        ),
    ])
}
