//! Market data: reading daily OHLCV bars (long CSV, gzip, a folder of Yahoo per-ticker CSVs,
//! Parquet), validating them ([`validate()`]), and putting them on a trading calendar as a
//! [`Panel`] with adjusted prices, returns and weekly/monthly resampling.
//!
//! Depends on nothing else in the crate; everything else depends on it.

pub mod csv;
pub mod date;

pub mod own_calendar;
pub mod panel;
pub mod parquet;
pub mod policy;
pub mod records;
pub mod resample;
pub mod returns;
pub mod sectors;
pub mod validate;

use std::path::{Path, PathBuf};

pub use crate::issue::{Issue, IssueKind, Severity};
pub use own_calendar::OwnCalendar;
pub use panel::{Bars, CalendarSpec, MissingPolicy, Panel, PanelOptions, ReturnKind};
pub use records::{Records, Row};
pub use resample::Frequency;
pub use validate::{validate, ValidateOptions};

use crate::error::{Error, Result};

/// The columns alphaseq knows, in their canonical names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// `date` (aliases `timestamp`, `datetime`).
    Date = 0,
    /// `ticker` (alias `symbol`).
    Ticker,
    /// `open`.
    Open,
    /// `high`.
    High,
    /// `low`.
    Low,
    /// `close`.
    Close,
    /// `adj_close` (aliases `Adj Close`, `adjusted_close`, `adjclose`).
    AdjClose,
    /// `volume`.
    Volume,
}

impl Field {
    /// Number of fields.
    pub const COUNT: usize = 8;

    /// The canonical column name.
    pub fn name(self) -> &'static str {
        match self {
            Field::Date => "date",
            Field::Ticker => "ticker",
            Field::Open => "open",
            Field::High => "high",
            Field::Low => "low",
            Field::Close => "close",
            Field::AdjClose => "adj_close",
            Field::Volume => "volume",
        }
    }

    /// Recognises a header name, case-insensitively and with the usual aliases.
    pub fn from_column_name(name: &str) -> Option<Field> {
        let norm: String = name
            .trim()
            .chars()
            .map(|c| if c == ' ' || c == '-' { '_' } else { c.to_ascii_lowercase() })
            .collect();
        Some(match norm.as_str() {
            "date" | "timestamp" | "datetime" => Field::Date,
            "ticker" | "symbol" => Field::Ticker,
            "open" => Field::Open,
            "high" => Field::High,
            "low" => Field::Low,
            "close" => Field::Close,
            "adj_close" | "adjclose" | "adjusted_close" | "adj_close_price" => Field::AdjClose,
            "volume" | "vol" => Field::Volume,
            _ => return None,
        })
    }

    /// The column of each field in `names` (a header or a Parquet schema), or the message for
    /// two columns naming one field (e.g. `close` and `Close`).
    ///
    /// # Errors
    /// The duplicate's message (for a [`crate::issue::IssueKind::DuplicateColumn`] issue).
    pub fn columns(names: &[String]) -> std::result::Result<[Option<usize>; Field::COUNT], String> {
        let mut index = [None; Field::COUNT];
        for (i, name) in names.iter().enumerate() {
            let Some(field) = Field::from_column_name(name) else { continue };
            if let Some(first) = index[field as usize] {
                return Err(format!(
                    "columns {} ({:?}) and {} ({:?}) both name {}: keep one",
                    first + 1,
                    names[first],
                    i + 1,
                    name,
                    field.name()
                ));
            }
            index[field as usize] = Some(i);
        }
        Ok(index)
    }
}

/// The kind of a price source, detected from the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// A long-format CSV, possibly gzipped.
    LongCsv,
    /// A folder of per-ticker CSVs in Yahoo layout; the ticker is the file name.
    YahooFolder,
    /// A Parquet file in long format.
    Parquet,
}

impl SourceKind {
    /// Detects the kind of `path`: a folder, a `.parquet`/`.pq` file, or anything else as CSV.
    pub fn detect(path: &Path) -> SourceKind {
        let name = path.file_name().map(|n| n.to_string_lossy().to_lowercase()).unwrap_or_default();
        if path.is_dir() {
            SourceKind::YahooFolder
        } else if name.ends_with(".parquet") || name.ends_with(".pq") {
            SourceKind::Parquet
        } else {
            SourceKind::LongCsv
        }
    }
}

/// Reads every source into one set of [`Records`]. Problems in the content are returned as
/// issues (nothing is dropped silently); only unreadable files are errors.
pub fn read_sources(paths: &[PathBuf]) -> Result<(Records, Vec<Issue>)> {
    let mut records = Records::default();
    let mut issues = Vec::new();
    for path in paths {
        if !path.exists() {
            return Err(Error::io(
                path,
                std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or folder"),
            ));
        }
        match SourceKind::detect(path) {
            SourceKind::LongCsv => csv::read_csv(path, None, &mut records, &mut issues)?,
            SourceKind::Parquet => parquet::read_parquet(path, &mut records, &mut issues)?,
            SourceKind::YahooFolder => {
                for (file, ticker) in yahoo_files(path)? {
                    csv::read_csv(&file, Some(&ticker), &mut records, &mut issues)?;
                }
            }
        }
    }
    Ok((records, issues))
}

/// The `*.csv` / `*.csv.gz` files of a folder, sorted by name, with the ticker each names.
fn yahoo_files(dir: &Path) -> Result<Vec<(PathBuf, String)>> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| Error::io(dir, e))?.path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let lower = name.to_lowercase();
        let stem_len = if lower.ends_with(".csv.gz") {
            name.len() - 7
        } else if lower.ends_with(".csv") {
            name.len() - 4
        } else {
            continue;
        };
        files.push((path.clone(), name[..stem_len].to_string()));
    }
    files.sort();
    if files.is_empty() {
        return Err(Error::Invalid(format!(
            "{}: the folder has no .csv or .csv.gz files",
            dir.display()
        )));
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_column_aliases() {
        assert_eq!(Field::from_column_name("Adj Close"), Some(Field::AdjClose));
        assert_eq!(Field::from_column_name("adjusted_close"), Some(Field::AdjClose));
        assert_eq!(Field::from_column_name(" Timestamp "), Some(Field::Date));
        assert_eq!(Field::from_column_name("SYMBOL"), Some(Field::Ticker));
        assert_eq!(Field::from_column_name("dividend_amount"), None);
    }
}
