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

use crate::data::returns::read_text;
use crate::data::Panel;
use crate::error::{Error, Result};
use crate::metrics::factor::{analyse, FactorAnalysis, FactorRow, FactorSpec, Prices};

/// Reads `path`.
///
/// # Errors
/// [`Error::Io`] if it cannot be read; [`Error::Parse`] naming the file, line and problem for a
/// missing column, an unparseable date or number, or a (date, ticker) given twice.
pub fn read_factor(path: &Path) -> Result<Vec<FactorRow>> {
    let text = read_text(path)?;
    let bad =
        |line: usize, message: String| Error::Parse { path: path.to_path_buf(), line, message };
    let mut lines = text.lines().enumerate();
    let (_, header) = lines.next().ok_or_else(|| bad(1, "empty file".into()))?;
    let names: Vec<String> =
        header.split(',').map(|h| h.trim().trim_matches('"').to_lowercase()).collect();
    let col = |wanted: &[&str], what: &str| {
        names.iter().position(|n| wanted.contains(&n.as_str())).ok_or_else(|| {
            bad(1, format!("no {what} column ({}) in header {header:?}", wanted.join(", ")))
        })
    };
    let d = col(&["date", "timestamp", "datetime"], "date")?;
    let t = col(&["ticker", "asset", "symbol"], "ticker")?;
    let v = col(&["factor", "value", "score", "prediction"], "factor")?;
    let mut rows = vec![];
    let mut seen: HashMap<(NaiveDate, String), usize> = HashMap::new();
    for (k, line) in lines {
        let no = k + 1;
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split(',').map(|f| f.trim().trim_matches('"')).collect();
        let field = |i: usize| {
            fields.get(i).copied().ok_or_else(|| {
                bad(no, format!("expected {} fields, found {}", names.len(), fields.len()))
            })
        };
        let ds = field(d)?;
        let date = crate::data::date::parse_date(ds.get(..10).unwrap_or(ds))
            .ok_or_else(|| bad(no, format!("unparseable date {ds:?}")))?;
        let ticker = field(t)?.to_string();
        if ticker.is_empty() {
            return Err(bad(no, "empty ticker".into()));
        }
        let vs = field(v)?;
        let value = if vs.is_empty() || vs.eq_ignore_ascii_case("nan") {
            f64::NAN
        } else {
            vs.parse::<f64>().map_err(|_| bad(no, format!("unparseable factor value {vs:?}")))?
        };
        if let Some(first) = seen.insert((date, ticker.clone()), no) {
            return Err(bad(
                no,
                format!("{ticker} on {date} is given twice (first on line {first})"),
            ));
        }
        rows.push(FactorRow { date, ticker, value });
    }
    if rows.is_empty() {
        return Err(bad(2, "no factor values".into()));
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
