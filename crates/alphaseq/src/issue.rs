//! Data problems found while reading or validating prices. Each [`Issue`] names its file, line
//! (and column for parse errors), ticker and date, and renders like a compiler diagnostic:
//!
//! ```text
//! prices.csv:12:6: error[unparseable-value] AAPL 2020-01-02: column 6 (close): cannot parse "1O2.5" as a number
//! ```

use std::fmt;
use std::path::PathBuf;

use chrono::NaiveDate;
use serde::Serialize;

/// How serious an issue is: errors make the data unusable as it is, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; the data can still be used.
    Warning,
    /// The data cannot be used until this is fixed (or an option allows it).
    Error,
}

/// The catalogue of problems `alphaseq data check` knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum IssueKind {
    /// A value (date, price, volume) that cannot be parsed, or a row with the wrong field count.
    UnparseableValue,
    /// A required column is not in the header (or a Parquet schema).
    MissingColumn,
    /// The same (ticker, date) appears twice.
    DuplicateRow,
    /// A ticker's dates go backwards in its file.
    DatesOutOfOrder,
    /// A price is zero or negative (allowed only with `allow_non_positive`).
    NonPositivePrice,
    /// high < low.
    HighBelowLow,
    /// open or close lies outside [low, high].
    PriceOutsideRange,
    /// A price field is empty or NaN.
    EmptyPrice,
    /// volume is 0.
    ZeroVolume,
    /// volume is negative (an error: no feed reports it).
    NegativeVolume,
    /// A file with a header and no rows.
    NoRows,
    /// Two columns of the header (or Parquet schema) name the same field, e.g. `close` and
    /// `Close`: which one holds the prices is unknown.
    DuplicateColumn,
    /// A trading day of the calendar is missing inside a ticker's own date range.
    MissingTradingDay,
    /// A date that is not on the named calendar (the row is dropped from the panel).
    OffCalendar,
    /// The adjusted close moves by more than the threshold in one day.
    SuspiciousMove,
    /// The adj_close/close factor jumps although the raw close does not move the other way
    /// (a split) and the jump is too large for a dividend.
    AdjustmentJump,
    /// A one-day move of the adjusted close by a split ratio (2:1, 3:2, 1:5, ...), with volume
    /// scaled by its inverse and no change of the adjustment factor: a split the prices were
    /// not adjusted for.
    UnadjustedSplit,
    /// Fewer rows than `min_history`.
    ShortHistory,
}

impl IssueKind {
    /// The stable kebab-case code shown in messages and JSON.
    pub fn code(self) -> &'static str {
        match self {
            IssueKind::UnparseableValue => "unparseable-value",
            IssueKind::MissingColumn => "missing-column",
            IssueKind::DuplicateRow => "duplicate-row",
            IssueKind::DatesOutOfOrder => "dates-out-of-order",
            IssueKind::NonPositivePrice => "non-positive-price",
            IssueKind::HighBelowLow => "high-below-low",
            IssueKind::PriceOutsideRange => "price-outside-range",
            IssueKind::EmptyPrice => "empty-price",
            IssueKind::ZeroVolume => "zero-volume",
            IssueKind::NegativeVolume => "negative-volume",
            IssueKind::NoRows => "no-rows",
            IssueKind::DuplicateColumn => "duplicate-column",
            IssueKind::MissingTradingDay => "missing-trading-day",
            IssueKind::OffCalendar => "off-calendar",
            IssueKind::SuspiciousMove => "suspicious-move",
            IssueKind::AdjustmentJump => "adjustment-jump",
            IssueKind::UnadjustedSplit => "unadjusted-split",
            IssueKind::ShortHistory => "short-history",
        }
    }
}

/// One problem in the input data, with everything needed to find it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Issue {
    /// Error or warning.
    pub severity: Severity,
    /// What kind of problem.
    pub kind: IssueKind,
    /// The file it is in, when it comes from a file.
    pub file: Option<PathBuf>,
    /// 1-based line of a CSV file (the header is line 1), or 1-based row of a Parquet file.
    pub line: Option<u64>,
    /// 1-based field number, for parse errors.
    pub column: Option<usize>,
    /// The ticker concerned, when known.
    pub ticker: Option<String>,
    /// The date concerned, when known.
    pub date: Option<NaiveDate>,
    /// What is wrong, in words.
    pub message: String,
}

impl Issue {
    /// A new issue with no location yet.
    pub fn new(severity: Severity, kind: IssueKind, message: impl Into<String>) -> Self {
        Issue {
            severity,
            kind,
            file: None,
            line: None,
            column: None,
            ticker: None,
            date: None,
            message: message.into(),
        }
    }

    /// Sets the file and line.
    pub fn at(mut self, file: impl Into<PathBuf>, line: u64) -> Self {
        self.file = Some(file.into());
        self.line = Some(line);
        self
    }

    /// Sets the file only.
    pub fn in_file(mut self, file: impl Into<PathBuf>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// Sets the column (1-based field number).
    pub fn column(mut self, column: usize) -> Self {
        self.column = Some(column);
        self
    }

    /// Sets the ticker.
    pub fn ticker(mut self, ticker: impl Into<String>) -> Self {
        self.ticker = Some(ticker.into());
        self
    }

    /// Sets the date.
    pub fn date(mut self, date: NaiveDate) -> Self {
        self.date = Some(date);
        self
    }

    /// True for error-level issues.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{}", file.display())?;
            if let Some(line) = self.line {
                write!(f, ":{line}")?;
                if let Some(col) = self.column {
                    write!(f, ":{col}")?;
                }
            }
            write!(f, ": ")?;
        }
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{sev}[{}]", self.kind.code())?;
        match (&self.ticker, self.date) {
            (Some(t), Some(d)) => write!(f, " {t} {d}")?,
            (Some(t), None) => write!(f, " {t}")?,
            (None, Some(d)) => write!(f, " {d}")?,
            (None, None) => {}
        }
        write!(f, ": {}", self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_a_compiler_diagnostic() {
        let d = NaiveDate::from_ymd_opt(2020, 1, 2).unwrap();
        let issue = Issue::new(Severity::Error, IssueKind::UnparseableValue, "bad")
            .at("p.csv", 12)
            .column(6)
            .ticker("AAPL")
            .date(d);
        assert_eq!(issue.to_string(), "p.csv:12:6: error[unparseable-value] AAPL 2020-01-02: bad");
        let warning = Issue::new(Severity::Warning, IssueKind::ShortHistory, "few").ticker("VTRS");
        assert_eq!(warning.to_string(), "warning[short-history] VTRS: few");
    }
}
