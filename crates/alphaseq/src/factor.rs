//! Any signal's factor tear sheet (`alphaseq factor`, and the Python package): the factor read
//! from CSV ([`read_factor`]) measured against a panel's prices ([`analyse_panel`]) with
//! [`crate::metrics::factor`]'s alphalens-reloaded definitions.
//!
//! The CSV is `date,ticker,factor` (gzip detected by content): one value per date and ticker,
//! the header naming the columns in any case (`ticker` may also be `asset` or `symbol`; `factor`
//! may also be `value`, `score` or `prediction`). An empty value or `nan` is a missing value
//! (alphalens drops it and counts it). Every bad line is named.

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;

use crate::data::returns::SmallCsv;
use crate::data::Panel;
use crate::error::{Error, Result};
use crate::metrics::factor::{analyse, FactorAnalysis, FactorRow, FactorSpec, Prices};

/// Reads `path`.
///
/// # Errors
/// [`Error::Io`] if it cannot be read;
/// [`Error::Parse`] naming the file, line and problem for a missing
/// column, an unparseable date or number, or a (date, ticker) given twice.
pub fn read_factor(path: &Path) -> Result<Vec<FactorRow>> {
    let csv = SmallCsv::read(path)?;
    let d = csv.column(&["date", "timestamp", "datetime"], "date")?;
    let t = csv.column(&["ticker", "asset", "symbol"], "ticker")?;
    let v = csv.column(&["factor", "value", "score", "prediction"], "factor")?;
    let mut rows = vec![];
    let mut seen: HashMap<(NaiveDate, String), usize> = HashMap::new();
    for row in &csv.rows {
        let date = csv.date(row, d)?;
        let ticker = csv.field(row, t)?.to_string();
        if ticker.is_empty() {
            return Err(csv.bad(row.0, "empty ticker".into()));
        }
        let value = csv.number(row, v, "factor value")?;
        if let Some(first) = seen.insert((date, ticker.clone()), row.0) {
            return Err(csv
                .bad(row.0, format!("{ticker} on {date} is given twice (first on line {first})")));
        }
        rows.push(FactorRow { date, ticker, value });
    }
    if rows.is_empty() {
        return Err(csv.bad(2, "no factor values".into()));
    }
    Ok(rows)
}

/// The settings of a tear sheet from what a user gives: horizons (sorted, each once) and
/// quantiles.
///
/// # Errors
/// [`Error::Config`] (key `periods` or `quantiles`) for no horizon,
/// a horizon of 0 or fewer than 2 quantiles.
pub fn spec(periods: &[usize], quantiles: usize) -> Result<FactorSpec> {
    let mut periods = periods.to_vec();
    periods.sort_unstable();
    periods.dedup();
    if periods.first().is_none_or(|&p| p == 0) {
        return Err(Error::config("periods", "give horizons of at least 1 bar"));
    }
    if quantiles < 2 {
        return Err(Error::config("quantiles", format!("needs at least 2, got {quantiles}")));
    }
    Ok(FactorSpec { periods, quantiles })
}

/// The tear sheet of `rows` against `prices`, refused when no row could be used.
///
/// # Errors
/// [`Error::NotEnoughData`] saying how many rows were dropped and why.
pub fn analyse_used(
    rows: &[FactorRow],
    prices: &Prices<'_>,
    spec: &FactorSpec,
) -> Result<FactorAnalysis> {
    let analysis = analyse(rows, prices, spec);
    if analysis.rows_used == 0 {
        return Err(Error::NotEnoughData(format!(
            "no factor value has a price on its date and every forward return ({} rows given, {} without a value, price or forward return, {} on dates that could not be cut into {} quantiles)",
            analysis.rows_in, analysis.dropped_forward, analysis.dropped_binning, spec.quantiles
        )));
    }
    Ok(analysis)
}

/// The factor tear sheet of `rows` against the adjusted closes of `panel` (every ticker of it;
/// each ticker's sector as its group when the panel has sectors).
///
/// # Errors
/// As [`analyse_used`].
pub fn analyse_panel(
    rows: &[FactorRow],
    panel: &Panel,
    spec: &FactorSpec,
) -> Result<FactorAnalysis> {
    let n = panel.tickers().len();
    let values: Vec<Vec<f64>> = (0..n).map(|i| panel.bars(i).adj_close.clone()).collect();
    let groups: Vec<Option<String>> = (0..n).map(|i| panel.sector(i).map(str::to_string)).collect();
    let prices = Prices {
        dates: panel.dates(),
        tickers: panel.tickers(),
        values: &values,
        groups: groups.iter().any(Option::is_some).then_some(&groups[..]),
    };
    analyse_used(rows, &prices, spec)
}
