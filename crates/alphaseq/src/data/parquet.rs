//! Reading daily bars from Parquet files with the same columns as the long CSV format (any case,
//! the same aliases). Dates may be Parquet DATE, TIMESTAMP or ISO strings; prices any numeric type.
//! The "line" of an issue is the 1-based row number.

use std::path::Path;

use chrono::NaiveDate;
use parquet::basic::{LogicalType, TimeUnit};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field as PqField;

use crate::data::date::parse_date;
use crate::data::records::{Records, Row};
use crate::data::Field;
use crate::error::{Error, Result};
use crate::issue::{Issue, IssueKind, Severity};

/// Reads a Parquet file of daily bars into `records`, collecting problems into `issues`.
pub fn read_parquet(path: &Path, records: &mut Records, issues: &mut Vec<Issue>) -> Result<()> {
    let pq_err = |e: parquet::errors::ParquetError| Error::Parquet {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let reader = SerializedFileReader::new(file).map_err(pq_err)?;
    let schema = reader.metadata().file_metadata().schema_descr();
    let names: Vec<String> = schema.columns().iter().map(|c| c.name().to_string()).collect();
    let index = match Field::columns(&names) {
        Ok(index) => index,
        Err(msg) => {
            let issue = Issue::new(Severity::Error, IssueKind::DuplicateColumn, msg);
            issues.push(issue.in_file(path));
            return Ok(());
        }
    };
    let required = [Field::Date, Field::Ticker, Field::Open, Field::High, Field::Low, Field::Close];
    let missing: Vec<&str> =
        required.iter().filter(|f| index[**f as usize].is_none()).map(|f| f.name()).collect();
    if !missing.is_empty() {
        let msg = format!(
            "missing required column(s) {}; the schema has: {}",
            missing.join(", "),
            names.join(",")
        );
        issues.push(Issue::new(Severity::Error, IssueKind::MissingColumn, msg).in_file(path));
        return Ok(());
    }
    // an INT64 timestamp without a converted type (nanoseconds, as pandas before 3.0 writes
    // them) reaches us as a plain integer: its unit comes from the logical type
    let date_unit =
        index[Field::Date as usize].and_then(|c| match schema.column(c).logical_type_ref() {
            Some(LogicalType::Timestamp(t)) => Some(t.unit),
            _ => None,
        });
    let file_id = records.add_file(path.to_path_buf());
    let rows = reader.get_row_iter(None).map_err(pq_err)?;
    for (i, row) in rows.enumerate() {
        let row = row.map_err(pq_err)?;
        let values: Vec<&PqField> = row.get_column_iter().map(|(_, v)| v).collect();
        let cells = Cells { path, line: i as u64 + 1, index: &index, values: &values, date_unit };
        if let Some((ticker, date, [open, high, low, close, adj_close, volume])) =
            cells.read(issues)
        {
            let ticker = records.ticker_id(&ticker);
            records.rows.push(Row {
                file: file_id,
                line: cells.line,
                ticker,
                date,
                open,
                high,
                low,
                close,
                adj_close,
                volume,
            });
        }
    }
    Ok(())
}

/// One row of a Parquet file, its cells found by field.
struct Cells<'a> {
    path: &'a Path,
    /// The row's number, from 1 (its "line" in issues).
    line: u64,
    /// The column of each field, if the file has it.
    index: &'a [Option<usize>; Field::COUNT],
    values: &'a [&'a PqField],
    /// The date column's timestamp unit, when its logical type has one.
    date_unit: Option<TimeUnit>,
}

impl Cells<'_> {
    fn cell(&self, f: Field) -> Option<&PqField> {
        self.index[f as usize].map(|c| self.values[c])
    }

    fn bad(&self, col: usize, what: &str, v: &PqField) -> Issue {
        Issue::new(
            Severity::Error,
            IssueKind::UnparseableValue,
            format!("column {} ({what}): cannot read {v} as a {what}", col + 1),
        )
        .at(self.path, self.line)
        .column(col + 1)
    }

    /// The row's ticker, date and open, high, low, close, adjusted close and volume (NaN when
    /// the file has no volume; the close when it has no adjusted close), or `None` with its
    /// problems pushed to `issues`.
    fn read(&self, issues: &mut Vec<Issue>) -> Option<(String, NaiveDate, [f64; 6])> {
        let ticker = match self.cell(Field::Ticker)? {
            PqField::Str(s) => s.clone(),
            v => {
                let col = self.index[Field::Ticker as usize].unwrap_or(0);
                issues.push(self.bad(col, "ticker", v));
                return None;
            }
        };
        let Some(date) = self.cell(Field::Date).and_then(|v| field_date(v, self.date_unit)) else {
            if let Some(v) = self.cell(Field::Date) {
                let col = self.index[Field::Date as usize].unwrap_or(0);
                issues.push(self.bad(col, "date", v).ticker(&ticker));
            }
            return None;
        };
        let mut ok = true;
        let mut price = |f: Field| -> f64 {
            let Some(col) = self.index[f as usize] else { return f64::NAN };
            match field_number(self.values[col]) {
                Some(v) if v.is_finite() => v,
                Some(v) if v.is_nan() => {
                    if f != Field::Volume {
                        let msg = format!("column {} ({}): empty or NaN price", col + 1, f.name());
                        issues.push(
                            Issue::new(Severity::Error, IssueKind::EmptyPrice, msg)
                                .at(self.path, self.line)
                                .column(col + 1)
                                .ticker(&ticker)
                                .date(date),
                        );
                        ok = false;
                    }
                    f64::NAN
                }
                _ => {
                    issues
                        .push(self.bad(col, f.name(), self.values[col]).ticker(&ticker).date(date));
                    ok = false;
                    f64::NAN
                }
            }
        };
        let (open, high, low, close) =
            (price(Field::Open), price(Field::High), price(Field::Low), price(Field::Close));
        let has_adj = self.index[Field::AdjClose as usize].is_some();
        let adj = if has_adj { price(Field::AdjClose) } else { close };
        let volume = price(Field::Volume);
        ok.then_some((ticker, date, [open, high, low, close, adj, volume]))
    }
}

/// A date from a date, timestamp or text cell; a plain integer counts `unit`s since the epoch
/// when the column's logical type is a timestamp.
fn field_date(v: &PqField, unit: Option<TimeUnit>) -> Option<NaiveDate> {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1)?;
    match v {
        PqField::Long(n) => {
            let since = match unit? {
                TimeUnit::MILLIS => chrono::Duration::milliseconds(*n),
                TimeUnit::MICROS => chrono::Duration::microseconds(*n),
                TimeUnit::NANOS => chrono::Duration::nanoseconds(*n),
            };
            epoch.checked_add_signed(since)
        }
        PqField::Date(days) => epoch.checked_add_signed(chrono::Duration::days(*days as i64)),
        PqField::TimestampMillis(ms) => {
            epoch.checked_add_signed(chrono::Duration::milliseconds(*ms))
        }
        PqField::TimestampMicros(us) => {
            epoch.checked_add_signed(chrono::Duration::microseconds(*us))
        }
        PqField::Str(s) => parse_date(s),
        _ => None,
    }
}

fn field_number(v: &PqField) -> Option<f64> {
    Some(match v {
        PqField::Double(x) => *x,
        PqField::Float(x) => *x as f64,
        PqField::Int(x) => *x as f64,
        PqField::Long(x) => *x as f64,
        PqField::UInt(x) => *x as f64,
        PqField::ULong(x) => *x as f64,
        PqField::Short(x) => *x as f64,
        PqField::Null => f64::NAN,
        _ => return None,
    })
}
