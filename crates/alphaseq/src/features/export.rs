//! The feature panel as a long table, one row per (ticker, date) from the ticker's first to its
//! last bar with a close, ordered by ticker then date: `date, ticker, <feature columns>`, a
//! missing value empty (CSV) or null (Parquet). Bytes are returned, not written, so the caller
//! decides how to write them (atomically, in the binary).

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

/// (ticker, date index) of every row, in output order.
fn rows(panel: &Panel) -> Vec<(usize, usize)> {
    let mut out = vec![];
    for (i, bars) in panel.all_bars().iter().enumerate() {
        let first = bars.adj_close.iter().position(|v| !v.is_nan());
        let last = bars.adj_close.iter().rposition(|v| !v.is_nan());
        if let (Some(a), Some(b)) = (first, last) {
            out.extend((a..=b).map(|t| (i, t)));
        }
    }
    out
}

/// The table as CSV (values in Rust's shortest round-trip form).
pub fn to_csv(panel: &Panel, m: &FeatureMatrix) -> String {
    use std::fmt::Write;
    let mut s = String::from("date,ticker");
    for name in m.names() {
        s.push(',');
        s.push_str(name);
    }
    s.push('\n');
    for (i, t) in rows(panel) {
        let _ = write!(s, "{},{}", panel.dates()[t], panel.tickers()[i]);
        for v in m.row(i, t) {
            s.push(',');
            if !v.is_nan() {
                let _ = write!(s, "{v}");
            }
        }
        s.push('\n');
    }
    s
}

/// The table as a Parquet file (zstd): `date` DATE, `ticker` UTF8 string, one optional DOUBLE per
/// feature.
///
/// # Errors
/// [`Error::Invalid`] if the Parquet writer fails.
pub fn to_parquet(panel: &Panel, m: &FeatureMatrix) -> Result<Vec<u8>> {
    write_parquet(panel, m).map_err(|e| Error::Invalid(format!("writing Parquet: {e}")))
}

fn write_parquet(panel: &Panel, m: &FeatureMatrix) -> parquet::errors::Result<Vec<u8>> {
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
    for name in m.names() {
        let f = Type::primitive_type_builder(name, Physical::DOUBLE)
            .with_repetition(Repetition::OPTIONAL)
            .build()?;
        fields.push(Arc::new(f));
    }
    let schema = Arc::new(Type::group_type_builder("features").with_fields(fields).build()?);
    let props = WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::try_new(3)?))
        .build();
    let rows = rows(panel);
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    let mut writer = SerializedFileWriter::new(Vec::new(), schema, Arc::new(props))?;
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
        let column: Vec<f64> = rows.iter().map(|&(i, t)| m.row(i, t)[j]).collect();
        let levels: Vec<i16> = column.iter().map(|v| i16::from(!v.is_nan())).collect();
        let present: Vec<f64> = column.into_iter().filter(|v| !v.is_nan()).collect();
        if let Some(mut c) = group.next_column()? {
            c.typed::<DoubleType>().write_batch(&present, Some(&levels), None)?;
            c.close()?;
        }
    }
    group.close()?;
    writer.into_inner()
}
