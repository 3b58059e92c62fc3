//! The feature panel as a long table, one row per (ticker, date) from the ticker's first to its
//! last bar with a close, ordered by ticker then date: `date, ticker, <feature columns>`, a
//! missing value empty (CSV) or null (Parquet). [`write_csv`] and [`write_parquet`] compute and
//! write [`CHUNK`] tickers at a time, so memory holds the panel and those tickers' features,
//! whatever the number of tickers; [`to_csv`] and [`to_parquet`] give the bytes of a computed
//! matrix.

use std::sync::Arc;

use chrono::NaiveDate;
use parquet::basic::{Compression, LogicalType, Repetition, Type as Physical, ZstdLevel};
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int32Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;

use super::FeatureMatrix;
use crate::data::Panel;
use crate::error::{Error, Result};

/// Tickers computed and written at a time by the streaming writers.
pub const CHUNK: usize = 64;

/// (ticker, date index) of every row of tickers `range`, in output order.
fn rows(panel: &Panel, range: std::ops::Range<usize>) -> Vec<(usize, usize)> {
    let mut out = vec![];
    for i in range {
        let bars = &panel.all_bars()[i];
        let first = bars.adj_close.iter().position(|v| !v.is_nan());
        let last = bars.adj_close.iter().rposition(|v| !v.is_nan());
        if let (Some(a), Some(b)) = (first, last) {
            out.extend((a..=b).map(|t| (i, t)));
        }
    }
    out
}

/// The CSV header.
fn csv_header(names: &[String]) -> String {
    let mut s = String::from("date,ticker");
    for name in names {
        s.push(',');
        s.push_str(name);
    }
    s.push('\n');
    s
}

/// The CSV lines of tickers `range` (`m` holds their blocks from `range.start`), appended to `s`.
fn csv_rows(panel: &Panel, m: &FeatureMatrix, range: std::ops::Range<usize>, s: &mut String) {
    use std::fmt::Write;
    let first = range.start;
    for (i, t) in rows(panel, range) {
        let _ = write!(s, "{},{}", panel.dates()[t], panel.tickers()[i]);
        for v in m.row(i - first, t) {
            s.push(',');
            if !v.is_nan() {
                let _ = write!(s, "{v}");
            }
        }
        s.push('\n');
    }
}

/// The table of a computed matrix as CSV (values in Rust's shortest round-trip form).
pub fn to_csv(panel: &Panel, m: &FeatureMatrix) -> String {
    let mut s = csv_header(m.names());
    csv_rows(panel, m, 0..panel.tickers().len(), &mut s);
    s
}

/// Computes the features of `spec` on `panel` [`CHUNK`] tickers at a time and writes the table
/// as CSV to `out`; returns the number of feature columns.
///
/// # Errors
/// As [`FeatureMatrix::compute`]; [`Error::Io`] (naming `path`) when writing fails.
pub fn write_csv(
    panel: &Panel,
    spec: &crate::features::FeatureSpec,
    out: &mut dyn std::io::Write,
    path: &std::path::Path,
) -> Result<usize> {
    write_csv_in_chunks(panel, spec, out, path, CHUNK)
}

/// [`write_csv`] `chunk` tickers at a time (the bytes do not depend on it).
///
/// # Errors
/// As [`write_csv`].
pub fn write_csv_in_chunks(
    panel: &Panel,
    spec: &crate::features::FeatureSpec,
    out: &mut dyn std::io::Write,
    path: &std::path::Path,
    chunk: usize,
) -> Result<usize> {
    let chunk = chunk.max(1);
    let names: Vec<String> = spec.columns().into_iter().map(|(n, _)| n).collect();
    let io = |e| Error::io(path, e);
    out.write_all(csv_header(&names).as_bytes()).map_err(io)?;
    let n = panel.tickers().len();
    for start in (0..n).step_by(chunk) {
        let range = start..(start + chunk).min(n);
        let m = FeatureMatrix::compute_tickers(panel, spec, range.clone())?;
        let mut s = String::new();
        csv_rows(panel, &m, range, &mut s);
        out.write_all(s.as_bytes()).map_err(io)?;
    }
    Ok(names.len())
}

/// The table of a computed matrix as a Parquet file (zstd): `date` DATE, `ticker` UTF8 string,
/// one optional DOUBLE per feature.
///
/// # Errors
/// [`Error::Invalid`] if the Parquet writer fails.
pub fn to_parquet(panel: &Panel, m: &FeatureMatrix) -> Result<Vec<u8>> {
    let run = || -> parquet::errors::Result<Vec<u8>> {
        let mut writer = parquet_writer(Vec::new(), m.names())?;
        row_group(&mut writer, panel, m, 0..panel.tickers().len())?;
        writer.into_inner()
    };
    run().map_err(|e| Error::Invalid(format!("writing Parquet: {e}")))
}

/// Computes the features of `spec` on `panel` [`CHUNK`] tickers at a time and writes the table
/// as Parquet to `out`, one row group per chunk; returns the number of feature columns.
///
/// # Errors
/// As [`FeatureMatrix::compute`]; [`Error::Invalid`] if the Parquet writer fails.
pub fn write_parquet<W: std::io::Write + Send>(
    panel: &Panel,
    spec: &crate::features::FeatureSpec,
    out: W,
) -> Result<usize> {
    let names: Vec<String> = spec.columns().into_iter().map(|(n, _)| n).collect();
    let pq = |e: parquet::errors::ParquetError| Error::Invalid(format!("writing Parquet: {e}"));
    let mut writer = parquet_writer(out, &names).map_err(pq)?;
    let n = panel.tickers().len();
    for start in (0..n).step_by(CHUNK) {
        let range = start..(start + CHUNK).min(n);
        let m = FeatureMatrix::compute_tickers(panel, spec, range.clone())?;
        row_group(&mut writer, panel, &m, range).map_err(pq)?;
    }
    writer.close().map_err(pq)?;
    Ok(names.len())
}

fn parquet_writer<W: std::io::Write + Send>(
    out: W,
    names: &[String],
) -> parquet::errors::Result<SerializedFileWriter<W>> {
    let required = |name: &str, physical, logical| {
        Type::primitive_type_builder(name, physical)
            .with_repetition(Repetition::REQUIRED)
            .with_logical_type(logical)
            .build()
            .map(Arc::new)
    };
    let mut fields = vec![
        required("date", Physical::INT32, Some(LogicalType::Date))?,
        required("ticker", Physical::BYTE_ARRAY, Some(LogicalType::String))?,
    ];
    for name in names {
        let f = Type::primitive_type_builder(name, Physical::DOUBLE)
            .with_repetition(Repetition::OPTIONAL)
            .build()?;
        fields.push(Arc::new(f));
    }
    let schema = Arc::new(Type::group_type_builder("features").with_fields(fields).build()?);
    let props = WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::try_new(3)?))
        .build();
    SerializedFileWriter::new(out, schema, Arc::new(props))
}

/// One row group: the rows of tickers `range` (`m` holds their blocks from `range.start`).
fn row_group<W: std::io::Write + Send>(
    writer: &mut SerializedFileWriter<W>,
    panel: &Panel,
    m: &FeatureMatrix,
    range: std::ops::Range<usize>,
) -> parquet::errors::Result<()> {
    let first = range.start;
    let rows = rows(panel, range);
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    let mut group = writer.next_row_group()?;
    let days: Vec<i32> =
        rows.iter().map(|&(_, t)| (panel.dates()[t] - epoch).num_days() as i32).collect();
    if let Some(mut c) = group.next_column()? {
        c.typed::<Int32Type>().write_batch(&days, None, None)?;
        c.close()?;
    }
    let tickers: Vec<ByteArray> =
        rows.iter().map(|&(i, _)| ByteArray::from(panel.tickers()[i].as_str())).collect();
    if let Some(mut c) = group.next_column()? {
        c.typed::<ByteArrayType>().write_batch(&tickers, None, None)?;
        c.close()?;
    }
    for j in 0..m.n_features() {
        let column: Vec<f64> = rows.iter().map(|&(i, t)| m.row(i - first, t)[j]).collect();
        let levels: Vec<i16> = column.iter().map(|v| i16::from(!v.is_nan())).collect();
        let present: Vec<f64> = column.into_iter().filter(|v| !v.is_nan()).collect();
        if let Some(mut c) = group.next_column()? {
            c.typed::<DoubleType>().write_batch(&present, Some(&levels), None)?;
            c.close()?;
        }
    }
    group.close()?;
    Ok(())
}
