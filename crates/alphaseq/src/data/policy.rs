//! The experiment's data policy (`[data]`): which files, tickers, dates and calendar, what to do
//! with invalid rows and missing days, adjustment and bar frequency; and [`load`], which reads,
//! validates, drops, selects, adjusts and resamples the prices as the policy says. `alphaseq run`,
//! `signal` and the Python package all load their panel here.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{
    read_sources, resample, sectors, validate, CalendarSpec, Frequency, Issue, MissingPolicy,
    Panel, PanelOptions, Records, ValidateOptions,
};
use crate::error::{Error, Result};

/// `[data]` of an experiment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataSpec {
    /// Price sources: long CSV (optionally gzipped), Parquet, or a folder of Yahoo CSVs.
    pub prices: Vec<PathBuf>,
    /// Optional `ticker,sector` file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sectors: Option<PathBuf>,
    /// Ticker whose dates form the trading calendar (default: union of all dates), or `"own"`:
    /// the union, each ticker counting its own bars.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar: Option<String>,
    /// Buy-and-hold benchmark ticker; never traded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub benchmark: Option<String>,
    /// Tickers to trade (default: all but the benchmark and the calendar ticker).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tickers: Option<Vec<String>>,
    /// Tickers left out (their data errors then do not matter), e.g. those with a split the
    /// source did not adjust for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
    /// First date used.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "super::date::serde_opt")]
    pub start: Option<NaiveDate>,
    /// Last date used.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "super::date::serde_opt")]
    pub end: Option<NaiveDate>,
    /// Missing trading days inside a ticker's range: error, drop, ffill or interpolate.
    #[serde(default)]
    pub missing: MissingPolicy,
    /// Use split- and dividend-adjusted prices (default true).
    #[serde(default = "yes")]
    pub adjusted: bool,
    /// daily, weekly or monthly bars.
    #[serde(default)]
    pub frequency: Frequency,
    /// Periods a year that ratios are annualised with (default: the frequency's, 252 for daily
    /// bars); 365 for a calendar that trades every day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub periods_per_year: Option<f64>,
    /// Accept zero or negative prices (futures, spreads).
    #[serde(default)]
    pub allow_non_positive: bool,
    /// What to do with a row that has an error (high below low, a non-positive price, ...):
    /// refuse the data (`"error"`) or drop the row, listing it in run.log (`"drop"`; the day
    /// then counts as missing and `missing` applies).
    #[serde(default, skip_serializing_if = "InvalidRows::is_error")]
    pub invalid_rows: InvalidRows,
}

/// `data.invalid_rows`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvalidRows {
    /// Refuse data with errors.
    #[default]
    Error,
    /// Drop each row that has an error.
    Drop,
}

impl InvalidRows {
    fn is_error(&self) -> bool {
        *self == InvalidRows::Error
    }
}

fn yes() -> bool {
    true
}

/// A loaded panel and what loading it found.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The panel the experiment uses: selected tickers (and the benchmark), adjusted when asked,
    /// resampled to the frequency.
    pub panel: Panel,
    /// Every validation issue of the files (for the run log).
    pub issues: Vec<Issue>,
    /// Rows and tickers read, with the counts of errors and warnings.
    pub summary: String,
    /// What the policy did, one line each (dropped rows, tickers without a sector).
    pub notes: Vec<String>,
}

impl DataSpec {
    /// Periods a year that ratios are annualised with: `periods_per_year`, else the frequency's.
    pub fn periods_per_year(&self) -> f64 {
        self.periods_per_year.unwrap_or_else(|| self.frequency.periods_per_year())
    }

    /// Whether a ticker's issues matter to the experiment (it is traded, the benchmark or the
    /// calendar); a file's issue without a ticker always does.
    fn uses(&self, ticker: Option<&String>, date: Option<NaiveDate>) -> bool {
        let in_range = date
            .is_none_or(|d| self.start.is_none_or(|s| d >= s) && self.end.is_none_or(|e| d <= e));
        let ticker_used = match (ticker, &self.tickers) {
            (Some(t), _) if self.exclude.contains(t) => false,
            (Some(t), Some(list)) => {
                list.contains(t)
                    || Some(t) == self.benchmark.as_ref()
                    || Some(t) == self.calendar.as_ref()
            }
            _ => true,
        };
        in_range && ticker_used
    }
}

/// Reads, validates and shapes the prices as `spec` says. Errors of tickers the experiment does
/// not use are reported in the issues, not fatal; with `invalid_rows = "drop"` the bad rows of
/// used tickers are dropped and named in the notes.
///
/// # Errors
/// Unreadable files; [`Error::InvalidData`] with the errors of used tickers when the policy
/// refuses them; [`Error::NotEnoughData`] when `start` and `end` leave no dates; a
/// `data.tickers` entry not in the data; an unreadable sectors file.
pub fn load(spec: &DataSpec) -> Result<Loaded> {
    let (mut records, mut issues) = read_sources(&spec.prices)?;
    if let Some(p) = spec.periods_per_year.filter(|p| !(p.is_finite() && *p >= 1.0)) {
        return Err(Error::config("data.periods_per_year", format!("{p} must be at least 1")));
    }
    let calendar = CalendarSpec::parse(spec.calendar.as_deref());
    if calendar == CalendarSpec::Own && spec.missing != MissingPolicy::Drop {
        return Err(Error::config(
            "data.missing",
            "with data.calendar = \"own\" every ticker's dates are its calendar, so no day of it is missing: leave data.missing out",
        ));
    }
    let options = ValidateOptions {
        calendar: calendar.ticker().map(str::to_string),
        allow_non_positive: spec.allow_non_positive,
        ..Default::default()
    };
    issues.extend(validate(&records, &options));
    let mut notes = vec![];
    let all_errors = issues.iter().filter(|i| i.is_error()).count();
    let mut errors: Vec<&Issue> =
        issues.iter().filter(|i| i.is_error() && spec.uses(i.ticker.as_ref(), i.date)).collect();
    let summary = format!(
        "read {} rows of {} tickers: {} error(s) ({} in the tickers and dates the experiment uses), {} warning(s)",
        records.rows.len(),
        records.tickers.len(),
        all_errors,
        errors.len(),
        issues.len() - all_errors,
    );
    if spec.invalid_rows == InvalidRows::Drop {
        drop_invalid_rows(&mut records, &mut errors, &mut notes);
    }
    if !errors.is_empty() {
        return Err(Error::InvalidData { issues: errors.into_iter().cloned().collect() });
    }
    let panel_options = PanelOptions {
        calendar: calendar.clone(),
        missing: spec.missing,
        start: spec.start,
        end: spec.end,
    };
    let panel = Panel::from_records(&records, &panel_options)?;
    if panel.dates().is_empty() {
        let day = |d: Option<NaiveDate>| d.map_or("-".into(), |d| d.to_string());
        let first = records.rows.iter().map(|r| r.date).min();
        let last = records.rows.iter().map(|r| r.date).max();
        return Err(Error::NotEnoughData(format!(
            "no price dates between data.start {} and data.end {} (signal: --asof): the prices span {} .. {}",
            day(spec.start),
            day(spec.end),
            day(first),
            day(last)
        )));
    }
    drop(records); // the rows are as large as the panel
    let mut panel = select_tickers(panel, spec)?;
    if let Some(path) = &spec.sectors {
        attach_sectors(&mut panel, path, spec, &mut notes)?;
    }
    if spec.adjusted {
        panel.adjust();
    }
    let panel = resample::resample(panel, spec.frequency);
    if calendar == CalendarSpec::Own {
        notes.push(own_calendar_note(&panel, spec));
    }
    Ok(Loaded { panel, issues, summary, notes })
}

/// What own calendars mean for the run, and whether the union of the tickers' dates has about
/// as many dates a year as the run annualises with (a ticker trading every day makes it 365,
/// against 252 for daily bars).
fn own_calendar_note(panel: &Panel, spec: &DataSpec) -> String {
    let dates = panel.dates();
    let years = match (dates.first(), dates.last()) {
        (Some(a), Some(b)) => (*b - *a).num_days() as f64 / 365.25,
        _ => 0.0,
    };
    let per_year = (dates.len().saturating_sub(1)) as f64 / years;
    let ppy = spec.periods_per_year();
    let mut note = format!(
        "data.calendar = \"own\": {} dates (the union of the tickers' own), {per_year:.0} a year; each ticker's features, windows and targets count its own bars; a closed market holds its position",
        dates.len()
    );
    if years > 0.0 && (per_year / ppy - 1.0).abs() > 0.05 {
        note.push_str(&format!(
            "; note: ratios are annualised with {ppy} periods a year, not the calendar's {per_year:.0}: set data.periods_per_year to change it"
        ));
    }
    note
}

/// `data.invalid_rows = "drop"`: the rows of `errors` that name a ticker and a date are dropped
/// from `records` (and from `errors`), each named in `notes`.
fn drop_invalid_rows(records: &mut Records, errors: &mut Vec<&Issue>, notes: &mut Vec<String>) {
    let bad: HashSet<(u32, NaiveDate)> = errors
        .iter()
        .filter_map(|e| {
            let id = records.tickers.iter().position(|t| Some(t) == e.ticker.as_ref())?;
            Some((id as u32, e.date?))
        })
        .collect();
    let before = records.rows.len();
    records.rows.retain(|r| !bad.contains(&(r.ticker, r.date)));
    for e in errors.iter().filter(|e| e.ticker.is_some() && e.date.is_some()) {
        notes.push(format!("dropped (data.invalid_rows = \"drop\"): {e}"));
    }
    notes.push(format!(
        "data.invalid_rows = \"drop\": {} row(s) dropped",
        before - records.rows.len()
    ));
    errors.retain(|e| e.ticker.is_none() || e.date.is_none());
}

/// The tickers the experiment trades (`data.tickers`, or every ticker but the benchmark and the
/// calendar's) and the benchmark.
fn select_tickers(panel: Panel, spec: &DataSpec) -> Result<Panel> {
    let mut keep: Vec<String> = match &spec.tickers {
        Some(list) => list.iter().filter(|t| !spec.exclude.contains(t)).cloned().collect(),
        None => panel
            .tickers()
            .iter()
            .filter(|t| Some(*t) != spec.benchmark.as_ref() && Some(*t) != spec.calendar.as_ref())
            .filter(|t| !spec.exclude.contains(t))
            .cloned()
            .collect(),
    };
    if let Some(b) = &spec.benchmark {
        if !keep.contains(b) {
            keep.push(b.clone());
        }
    }
    panel.into_selection(&keep).map_err(|e| match e {
        Error::UnknownTicker { ticker, .. } => Error::unknown_ticker("data.tickers", ticker),
        other => other,
    })
}

/// The sectors of `path` on the panel's tickers; traded tickers without one are named in
/// `notes`.
fn attach_sectors(
    panel: &mut Panel,
    path: &Path,
    spec: &DataSpec,
    notes: &mut Vec<String>,
) -> Result<()> {
    let map = sectors::read_sectors(path)?;
    let index_like = [spec.benchmark.as_ref(), spec.calendar.as_ref()];
    let missing: Vec<String> =
        panel.set_sectors(&map).into_iter().filter(|t| !index_like.contains(&Some(t))).collect();
    if !missing.is_empty() {
        notes.push(format!("no sector for {} ticker(s): {}", missing.len(), missing.join(", ")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(dir: &std::path::Path, invalid_rows: InvalidRows) -> DataSpec {
        let mut text = String::from("date,ticker,open,high,low,close,volume\n");
        for (i, day) in ["2020-01-02", "2020-01-03", "2020-01-06", "2020-01-07"].iter().enumerate()
        {
            for t in ["A", "B"] {
                // B's high is below its low on 2020-01-03
                let high = if t == "B" && i == 1 { "0.1" } else { "2" };
                text.push_str(&format!("{day},{t},1,{high},0.5,1.5,100\n"));
            }
        }
        let path = dir.join("p.csv");
        std::fs::write(&path, text).unwrap();
        DataSpec {
            prices: vec![path],
            sectors: None,
            calendar: None,
            benchmark: None,
            tickers: None,
            exclude: vec![],
            start: None,
            end: None,
            missing: MissingPolicy::Drop,
            adjusted: true,
            frequency: Frequency::Daily,
            periods_per_year: None,
            allow_non_positive: false,
            invalid_rows,
        }
    }

    #[test]
    fn errors_stop_a_run_unless_dropped_excluded_or_out_of_its_dates() {
        let dir = tempfile::tempdir().unwrap();
        let refused = load(&spec(dir.path(), InvalidRows::Error)).unwrap_err();
        assert!(matches!(refused, Error::InvalidData { .. }), "{refused}");
        let dropped = load(&spec(dir.path(), InvalidRows::Drop)).unwrap();
        assert!(dropped.notes.iter().any(|n| n.starts_with("dropped (data.invalid_rows")));
        let mut excluded = spec(dir.path(), InvalidRows::Error);
        excluded.exclude = vec!["B".into()];
        assert_eq!(load(&excluded).unwrap().panel.tickers(), ["A"]);
        let mut later = spec(dir.path(), InvalidRows::Error);
        later.start = NaiveDate::from_ymd_opt(2020, 1, 6);
        assert_eq!(load(&later).unwrap().panel.tickers(), ["A", "B"]);
    }

    #[test]
    fn own_calendars_refuse_a_missing_day_policy_and_name_their_annualisation() {
        let dir = tempfile::tempdir().unwrap();
        let own = DataSpec {
            calendar: Some("own".into()),
            invalid_rows: InvalidRows::Drop,
            ..spec(dir.path(), InvalidRows::Drop)
        };
        let loaded = load(&own).unwrap();
        assert!(loaded.panel.own_calendars().is_some());
        // B's dropped row leaves it three bars: its calendar, not a missing day
        assert_eq!(loaded.panel.own_calendar(1).unwrap().bars(), [0, 2, 3]);
        let note = loaded.notes.iter().find(|n| n.starts_with("data.calendar = \"own\"")).unwrap();
        assert!(note.contains("4 dates"), "{note}");
        let ffill = DataSpec { missing: MissingPolicy::Ffill, ..own.clone() };
        let err = load(&ffill).unwrap_err().to_string();
        assert!(err.contains("data.missing") && err.contains("own"), "{err}");
        let zero = DataSpec { periods_per_year: Some(0.0), ..own.clone() };
        assert!(load(&zero).unwrap_err().to_string().contains("data.periods_per_year"));
        let crypto = DataSpec { periods_per_year: Some(365.0), ..own };
        assert_eq!(crypto.periods_per_year(), 365.0);
        assert_eq!(spec(dir.path(), InvalidRows::Drop).periods_per_year(), 252.0);
    }
}
