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
use crate::error::Result;
use crate::metrics::factor::{analyse, FactorAnalysis, FactorRow, FactorSpec, Prices};

/// Reads `path`.
///
/// # Errors
/// [`Error::Io`](crate::error::Error::Io) if it cannot be read;
/// [`Error::Parse`](crate::error::Error::Parse) naming the file, line and problem for a missing
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

/// The factor tear sheet of `rows` against the adjusted closes of `panel` (every ticker of it;
/// each ticker's sector as its group when the panel has sectors).
pub fn analyse_panel(rows: &[FactorRow], panel: &Panel, spec: &FactorSpec) -> FactorAnalysis {
    let n = panel.tickers().len();
    let values: Vec<Vec<f64>> = (0..n).map(|i| panel.bars(i).adj_close.clone()).collect();
    let groups: Vec<Option<String>> = (0..n).map(|i| panel.sector(i).map(str::to_string)).collect();
    let prices = Prices {
        dates: panel.dates(),
        tickers: panel.tickers(),
        values: &values,
        groups: groups.iter().any(Option::is_some).then_some(&groups[..]),
    };
    analyse(rows, &prices, spec)
}
