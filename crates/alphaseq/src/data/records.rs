//! Raw price rows as read from files, before they are put on a calendar. Every row remembers the
//! file and line it came from, so that validation can point at it.

use std::collections::HashMap;
use std::path::PathBuf;

use chrono::NaiveDate;

/// One daily bar as read from a file. Prices are raw (as in the file); `volume` is NaN when the
/// file has no volume for the row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Row {
    /// Index into [`Records::files`].
    pub file: u32,
    /// 1-based line (CSV, header = line 1) or row (Parquet).
    pub line: u64,
    /// Index into [`Records::tickers`].
    pub ticker: u32,
    /// Trading date.
    pub date: NaiveDate,
    /// Open.
    pub open: f64,
    /// High.
    pub high: f64,
    /// Low.
    pub low: f64,
    /// Close.
    pub close: f64,
    /// Split- and dividend-adjusted close (equal to close when the file has none).
    pub adj_close: f64,
    /// Volume, NaN when absent.
    pub volume: f64,
}

/// All rows read from one or more files, with interned ticker names.
#[derive(Debug, Default, Clone)]
pub struct Records {
    /// The files the rows came from.
    pub files: Vec<PathBuf>,
    /// Ticker names; [`Row::ticker`] indexes this.
    pub tickers: Vec<String>,
    /// The rows, in file order.
    pub rows: Vec<Row>,
    ticker_ids: HashMap<String, u32>,
}

impl Records {
    /// Registers a file and returns its index.
    pub fn add_file(&mut self, path: PathBuf) -> u32 {
        self.files.push(path);
        (self.files.len() - 1) as u32
    }

    /// The id of `ticker`, interning it on first sight.
    pub fn ticker_id(&mut self, ticker: &str) -> u32 {
        if let Some(&id) = self.ticker_ids.get(ticker) {
            return id;
        }
        let id = self.tickers.len() as u32;
        self.tickers.push(ticker.to_string());
        self.ticker_ids.insert(ticker.to_string(), id);
        id
    }

    /// The id of `ticker` if any row has it.
    pub fn find_ticker(&self, ticker: &str) -> Option<u32> {
        self.ticker_ids.get(ticker).copied()
    }

    /// Row indices grouped by ticker (in ticker-id order), each group in file order.
    pub fn rows_by_ticker(&self) -> Vec<Vec<usize>> {
        let mut groups = vec![Vec::new(); self.tickers.len()];
        for (i, row) in self.rows.iter().enumerate() {
            groups[row.ticker as usize].push(i);
        }
        groups
    }
}
