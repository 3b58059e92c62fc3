//! The sectors file: CSV with header `ticker,sector` (any case), joined to the panel on ticker.

use std::collections::BTreeMap;
use std::path::Path;

use crate::data::csv::{read_maybe_gzip, split_fields};
use crate::error::{Error, Result};

/// Reads `ticker,sector` rows. A ticker listed twice with different sectors is an error naming
/// both lines.
pub fn read_sectors(path: &Path) -> Result<BTreeMap<String, String>> {
    let bytes = read_maybe_gzip(path)?;
    let text = String::from_utf8_lossy(&bytes);
    let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
    let bad = |line: usize, msg: String| Error::Parse {
        path: path.to_path_buf(),
        line: line + 1,
        message: msg,
    };
    let (_, header) = lines.next().ok_or_else(|| bad(0, "empty sectors file".into()))?;
    let names: Vec<String> = split_fields(header.trim_start_matches('\u{feff}'))
        .iter()
        .map(|f| f.trim().to_lowercase())
        .collect();
    let col = |want: &[&str]| names.iter().position(|n| want.contains(&n.as_str()));
    let (Some(t), Some(s)) = (col(&["ticker", "symbol"]), col(&["sector", "gics_sector"])) else {
        return Err(bad(
            0,
            format!("the header must have ticker and sector columns, found {}", names.join(",")),
        ));
    };
    let mut out = BTreeMap::new();
    let mut seen_at = BTreeMap::new();
    for (i, line) in lines {
        let f = split_fields(line.trim_end_matches('\r'));
        if f.len() != names.len() {
            return Err(bad(i, format!("expected {} fields, found {}", names.len(), f.len())));
        }
        let (ticker, sector) = (f[t].trim().to_string(), f[s].trim().to_string());
        if let Some(prev) = out.insert(ticker.clone(), sector.clone()) {
            if prev != sector {
                return Err(bad(
                    i,
                    format!(
                        "{ticker} has sector {sector:?} here and {prev:?} at line {}",
                        seen_at[&ticker]
                    ),
                ));
            }
        }
        seen_at.insert(ticker, i + 1);
    }
    Ok(out)
}
