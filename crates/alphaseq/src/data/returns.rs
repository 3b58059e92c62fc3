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
fn read_text(path: &Path) -> Result<String> {
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

/// A small CSV table (a returns series, a factor) read whole: the header's names (trimmed,
/// unquoted, lower case) and every non-empty line's fields, with errors that name the file and
/// line.
pub(crate) struct SmallCsv {
    path: std::path::PathBuf,
    header: String,
    names: Vec<String>,
    /// (1-based line number, fields) of every non-empty data line.
    pub rows: Vec<(usize, Vec<String>)>,
}

impl SmallCsv {
    /// Reads `path` (gunzipped when gzip).
    ///
    /// # Errors
    /// [`Error::Io`] if it cannot be read, [`Error::Parse`] for an empty file.
    pub(crate) fn read(path: &Path) -> Result<SmallCsv> {
        let text = read_text(path)?;
        let mut lines = text.lines().enumerate();
        let header = match lines.next() {
            Some((_, h)) => h.to_string(),
            None => {
                return Err(Error::Parse {
                    path: path.to_path_buf(),
                    line: 1,
                    message: "empty file".into(),
                })
            }
        };
        let names = header.split(',').map(|h| h.trim().trim_matches('"').to_lowercase()).collect();
        let rows = lines
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(k, l)| {
                (k + 1, l.split(',').map(|f| f.trim().trim_matches('"').to_string()).collect())
            })
            .collect();
        Ok(SmallCsv { path: path.to_path_buf(), header, names, rows })
    }

    /// An error at `line` of the file.
    pub(crate) fn bad(&self, line: usize, message: String) -> Error {
        Error::Parse { path: self.path.clone(), line, message }
    }

    /// The first column named one of `wanted`, else an error naming `what`.
    pub(crate) fn column(&self, wanted: &[&str], what: &str) -> Result<usize> {
        self.names.iter().position(|n| wanted.contains(&n.as_str())).ok_or_else(|| {
            self.bad(
                1,
                format!("no {what} column ({}) in header {:?}", wanted.join(", "), self.header),
            )
        })
    }

    /// Field `i` of the row `(line, fields)`.
    pub(crate) fn field<'a>(
        &self,
        (line, fields): &'a (usize, Vec<String>),
        i: usize,
    ) -> Result<&'a str> {
        fields.get(i).map(String::as_str).ok_or_else(|| {
            self.bad(*line, format!("expected {} fields, found {}", self.names.len(), fields.len()))
        })
    }

    /// Field `i` of the row as a date (its first 10 characters).
    pub(crate) fn date(&self, row: &(usize, Vec<String>), i: usize) -> Result<NaiveDate> {
        let ds = self.field(row, i)?;
        crate::data::date::parse_date(ds.get(..10).unwrap_or(ds))
            .ok_or_else(|| self.bad(row.0, format!("unparseable date {ds:?}")))
    }

    /// Field `i` of the row as a number, NaN when empty or `nan`; `what` names it in errors.
    pub(crate) fn number(&self, row: &(usize, Vec<String>), i: usize, what: &str) -> Result<f64> {
        let v = self.field(row, i)?;
        if v.is_empty() || v.eq_ignore_ascii_case("nan") {
            return Ok(f64::NAN);
        }
        v.parse::<f64>().map_err(|_| self.bad(row.0, format!("unparseable {what} {v:?}")))
    }
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
/// [`Error::Io`] if it cannot be read; [`Error::Parse`] naming the file, line and problem for a
/// missing column, an unparseable date or number, or a date not after the previous one.
pub fn read_returns(path: &Path) -> Result<ReturnSeries> {
    let csv = SmallCsv::read(path)?;
    let d = csv.column(&["date", "timestamp", "datetime"], "date")?;
    let r = csv.column(&["returns", "return", "ret"], "returns")?;
    let mut out = ReturnSeries { dates: vec![], returns: vec![] };
    for row in &csv.rows {
        let date = csv.date(row, d)?;
        let value = csv.number(row, r, "return")?;
        if out.dates.last().is_some_and(|last| *last >= date) {
            return Err(csv.bad(row.0, format!("date {date} is not after the previous one")));
        }
        out.dates.push(date);
        out.returns.push(value);
    }
    if out.dates.is_empty() {
        return Err(csv.bad(2, "no returns".into()));
    }
    Ok(out)
}
