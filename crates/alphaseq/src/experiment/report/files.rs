//! Reading the CSV files of a run folder back (the report is built from the folder alone).

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// A CSV file: header and rows of fields (RFC 4180 quoting).
pub struct Csv {
    /// Where it was read from.
    pub path: PathBuf,
    /// Column names.
    pub header: Vec<String>,
    /// Rows of fields.
    pub rows: Vec<Vec<String>>,
}

/// Splits one line into fields, honouring double quotes.
fn fields(line: &str) -> Vec<String> {
    let mut out = vec![];
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out
}

impl Csv {
    /// Reads `path`; `None` if the file does not exist.
    pub fn read(path: &Path) -> Result<Option<Csv>> {
        if !path.exists() {
            return Ok(None);
        }
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let mut lines = text.lines();
        let header = lines.next().map(fields).unwrap_or_default();
        let rows = lines.filter(|l| !l.is_empty()).map(fields).collect();
        Ok(Some(Csv { path: path.to_path_buf(), header, rows }))
    }

    /// Index of column `name`.
    pub fn col(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    /// Column `name` as text.
    pub fn strings(&self, name: &str) -> Option<Vec<&str>> {
        let c = self.col(name)?;
        Some(self.rows.iter().map(|r| r.get(c).map_or("", String::as_str)).collect())
    }

    /// Column `name` as text, or an error naming the file and the column.
    ///
    /// # Errors
    /// [`Error::Record`] when there is no such column.
    pub fn required_strings(&self, name: &str) -> Result<Vec<&str>> {
        self.strings(name).ok_or_else(|| self.no_column(name))
    }

    /// Column `name` as numbers, or an error naming the file and the column.
    ///
    /// # Errors
    /// [`Error::Record`] when there is no such column.
    pub fn required_floats(&self, name: &str) -> Result<Vec<f64>> {
        self.floats(name).ok_or_else(|| self.no_column(name))
    }

    fn no_column(&self, name: &str) -> Error {
        Error::record(&self.path, format!("has no column {name:?}"))
    }

    /// Column `name` as numbers (empty or unparsable fields are NaN).
    pub fn floats(&self, name: &str) -> Option<Vec<f64>> {
        Some(self.strings(name)?.iter().map(|s| s.parse::<f64>().unwrap_or(f64::NAN)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_fields_keep_commas_and_quotes() {
        assert_eq!(
            fields(r#"2020-01-02,"BRK,B","say ""hi""",1.5"#),
            ["2020-01-02", "BRK,B", "say \"hi\"", "1.5"]
        );
    }
}
