//! A returns series from CSV (`date,returns`, as pyfolio users export them; gzip detected by
//! content): one return per date, dates increasing, the header naming the two columns in any case
//! (`returns` may also be `return` or `ret`). An empty value is a missing return (NaN). Every bad
//! line is named.

use std::io::Read;
use std::path::Path;

use chrono::NaiveDate;

use crate::error::{Error, Result};

/// The text of a small CSV file, gunzipped when its content is gzip.
///
/// # Errors
/// [`Error::Io`] if it cannot be read.
pub(crate) fn read_text(path: &Path) -> Result<String> {
    let io = |source| Error::Io { path: path.to_path_buf(), source };
    let mut bytes = vec![];
    std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut bytes)).map_err(io)?;
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = vec![];
        flate2::read::MultiGzDecoder::new(&bytes[..]).read_to_end(&mut out).map_err(io)?;
        bytes = out;
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Dates and returns, in date order.
#[derive(Debug, Clone, PartialEq)]
pub struct ReturnSeries {
    /// Dates, strictly increasing.
    pub dates: Vec<NaiveDate>,
    /// Simple returns per period (NaN = missing).
    pub returns: Vec<f64>,
}

/// Reads `path`.
///
/// # Errors
/// [`Error::Io`] if it cannot be read; [`Error::Invalid`] naming the file, line and problem for a
/// missing column, an unparseable date or number, or a date not after the previous one.
pub fn read_returns(path: &Path) -> Result<ReturnSeries> {
    let text = read_text(path)?;
    let bad =
        |line: usize, message: String| Error::Parse { path: path.to_path_buf(), line, message };
    let mut lines = text.lines().enumerate();
    let (_, header) = lines.next().ok_or_else(|| bad(1, "empty file".into()))?;
    let names: Vec<String> =
        header.split(',').map(|h| h.trim().trim_matches('"').to_lowercase()).collect();
    let col = |wanted: &[&str]| names.iter().position(|n| wanted.contains(&n.as_str()));
    let d = col(&["date", "timestamp", "datetime"])
        .ok_or_else(|| bad(1, format!("no date column in header {header:?}")))?;
    let r = col(&["returns", "return", "ret"])
        .ok_or_else(|| bad(1, format!("no returns column in header {header:?}")))?;
    let mut out = ReturnSeries { dates: vec![], returns: vec![] };
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
        let rs = field(r)?;
        let value = if rs.is_empty() || rs.eq_ignore_ascii_case("nan") {
            f64::NAN
        } else {
            rs.parse::<f64>().map_err(|_| bad(no, format!("unparseable return {rs:?}")))?
        };
        if out.dates.last().is_some_and(|last| *last >= date) {
            return Err(bad(no, format!("date {date} is not after the previous one")));
        }
        out.dates.push(date);
        out.returns.push(value);
    }
    if out.dates.is_empty() {
        return Err(bad(2, "no returns".into()));
    }
    Ok(out)
}
