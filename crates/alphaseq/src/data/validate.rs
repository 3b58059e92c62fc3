//! The validation catalogue behind `alphaseq data check`: every problem is an [`Issue`] naming
//! file, line, ticker and date. Row checks look at one bar; series checks look at a ticker's bars
//! in date order; calendar checks compare each ticker with the trading calendar.

use std::collections::{BTreeSet, HashMap};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::data::records::{Records, Row};
use crate::issue::{Issue, IssueKind, Severity};

/// Thresholds and switches of the validation catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ValidateOptions {
    /// Ticker whose dates define the trading calendar; `None` = the union of all dates.
    pub calendar: Option<String>,
    /// Allow zero or negative prices (futures, spreads). Default false.
    pub allow_non_positive: bool,
    /// One-day adjusted-close move (absolute, as a fraction) above which a move is suspicious.
    pub max_daily_move: f64,
    /// Change of the adj_close/close factor (as a fraction) above which it needs an explanation.
    pub adjustment_jump: f64,
    /// Fewest rows a ticker should have.
    pub min_history: usize,
}

impl Default for ValidateOptions {
    fn default() -> Self {
        ValidateOptions {
            calendar: None,
            allow_non_positive: false,
            max_daily_move: 0.4,
            adjustment_jump: 0.04,
            min_history: 252,
        }
    }
}

/// Runs the whole catalogue over `records`. Issues come sorted by file, line, then kind.
pub fn validate(records: &Records, options: &ValidateOptions) -> Vec<Issue> {
    let mut issues = Vec::new();
    let ctx = Ctx { records, options };
    for row in &records.rows {
        ctx.check_row(row, &mut issues);
    }
    let groups = records.rows_by_ticker();
    let calendar = calendar_dates(records, options.calendar.as_deref());
    for (ticker, rows) in groups.iter().enumerate() {
        let sorted = ctx.check_order(rows, &mut issues);
        ctx.check_series(&sorted, &mut issues);
        if let Some(calendar) = &calendar {
            ctx.check_calendar(ticker as u32, &sorted, calendar, &mut issues);
        }
        if sorted.len() < options.min_history && !sorted.is_empty() {
            let msg =
                format!("only {} rows; at least {} expected", sorted.len(), options.min_history);
            let first = &records.rows[sorted[0]];
            issues
                .push(ctx.issue(Severity::Warning, IssueKind::ShortHistory, first, msg).no_date());
        }
    }
    issues.sort_by(|a, b| (&a.file, a.line, a.kind).cmp(&(&b.file, b.line, b.kind)));
    issues
}

/// The trading calendar: the named ticker's dates, or the union of all dates.
/// `None` when a calendar ticker is named but absent (the caller reports that).
pub fn calendar_dates(records: &Records, calendar: Option<&str>) -> Option<BTreeSet<NaiveDate>> {
    match calendar {
        Some(name) => {
            let id = records.find_ticker(name)?;
            Some(records.rows.iter().filter(|r| r.ticker == id).map(|r| r.date).collect())
        }
        None => Some(records.rows.iter().map(|r| r.date).collect()),
    }
}

trait NoDate {
    fn no_date(self) -> Self;
}

impl NoDate for Issue {
    fn no_date(mut self) -> Self {
        self.date = None;
        self
    }
}

struct Ctx<'a> {
    records: &'a Records,
    options: &'a ValidateOptions,
}

impl Ctx<'_> {
    fn issue(&self, severity: Severity, kind: IssueKind, row: &Row, message: String) -> Issue {
        Issue::new(severity, kind, message)
            .at(&self.records.files[row.file as usize], row.line)
            .ticker(&self.records.tickers[row.ticker as usize])
            .date(row.date)
    }

    fn check_row(&self, row: &Row, issues: &mut Vec<Issue>) {
        let prices = [
            ("open", row.open),
            ("high", row.high),
            ("low", row.low),
            ("close", row.close),
            ("adj_close", row.adj_close),
        ];
        if !self.options.allow_non_positive {
            let bad: Vec<String> =
                prices.iter().filter(|(_, v)| *v <= 0.0).map(|(n, v)| format!("{n}={v}")).collect();
            if !bad.is_empty() {
                let msg = format!(
                    "non-positive price {} (set allow_non_positive for futures or spreads)",
                    bad.join(", ")
                );
                issues.push(self.issue(Severity::Error, IssueKind::NonPositivePrice, row, msg));
            }
        }
        if row.high < row.low {
            let msg = format!("high {} is below low {}", row.high, row.low);
            issues.push(self.issue(Severity::Error, IssueKind::HighBelowLow, row, msg));
        } else {
            for (name, v) in [("open", row.open), ("close", row.close)] {
                if v < row.low || v > row.high {
                    let msg = format!("{name} {v} is outside [low {}, high {}]", row.low, row.high);
                    issues.push(self.issue(
                        Severity::Warning,
                        IssueKind::PriceOutsideRange,
                        row,
                        msg,
                    ));
                }
            }
        }
        if row.volume < 0.0 {
            let msg = format!("volume {} is negative", row.volume);
            issues.push(self.issue(Severity::Error, IssueKind::NegativeVolume, row, msg));
        } else if row.volume == 0.0 {
            issues.push(self.issue(
                Severity::Warning,
                IssueKind::ZeroVolume,
                row,
                "volume is 0".to_string(),
            ));
        }
    }

    /// Reports dates that go backwards within a file and duplicate dates; returns the ticker's
    /// row indices sorted by date with duplicates removed (the first occurrence is kept).
    fn check_order(&self, rows: &[usize], issues: &mut Vec<Issue>) -> Vec<usize> {
        let all = &self.records.rows;
        let mut last_in_file: HashMap<u32, NaiveDate> = HashMap::new();
        for &i in rows {
            let row = &all[i];
            if let Some(prev) = last_in_file.get(&row.file) {
                if row.date < *prev {
                    let msg = format!("date comes after {prev} in the file; dates must increase");
                    issues.push(self.issue(Severity::Error, IssueKind::DatesOutOfOrder, row, msg));
                }
            }
            last_in_file.insert(row.file, row.date);
        }
        let mut sorted = rows.to_vec();
        sorted.sort_by_key(|&i| (all[i].date, all[i].file, all[i].line));
        let mut unique: Vec<usize> = Vec::with_capacity(sorted.len());
        for i in sorted {
            match unique.last() {
                Some(&first) if all[first].date == all[i].date => {
                    let f = &all[first];
                    let msg = format!(
                        "duplicate (ticker, date); first seen at {}:{}",
                        self.records.files[f.file as usize].display(),
                        f.line
                    );
                    issues.push(self.issue(Severity::Error, IssueKind::DuplicateRow, &all[i], msg));
                }
                _ => unique.push(i),
            }
        }
        unique
    }

    /// Suspicious moves of the adjusted close, unexplained jumps of the adjustment factor and
    /// splits the prices were not adjusted for.
    fn check_series(&self, sorted: &[usize], issues: &mut Vec<Issue>) {
        let all = &self.records.rows;
        for (k, pair) in sorted.windows(2).enumerate() {
            let (prev, row) = (&all[pair[0]], &all[pair[1]]);
            if prev.adj_close <= 0.0
                || row.adj_close <= 0.0
                || prev.close <= 0.0
                || row.close <= 0.0
            {
                continue;
            }
            let adj_move = row.adj_close / prev.adj_close - 1.0;
            if adj_move.abs() > self.options.max_daily_move {
                let msg = format!(
                    "adj_close moves {:+.1}% from {} ({} -> {})",
                    adj_move * 100.0,
                    prev.date,
                    prev.adj_close,
                    row.adj_close
                );
                issues.push(self.issue(Severity::Warning, IssueKind::SuspiciousMove, row, msg));
            }
            let q = ((row.adj_close / row.close) / (prev.adj_close / prev.close)).ln();
            if q.abs() <= (1.0 + self.options.adjustment_jump).ln() {
                if let Some(issue) = self.unadjusted_split(sorted, k + 1) {
                    issues.push(issue);
                }
                continue;
            }
            let adj_log = (row.adj_close / prev.adj_close).ln();
            let is_split = q.abs() >= 1.2f64.ln() && adj_log.abs() < q.abs() / 2.0;
            if is_split {
                continue;
            }
            let (raw_pct, adj_pct) =
                (((row.close / prev.close) - 1.0) * 100.0, (adj_log.exp() - 1.0) * 100.0);
            let why = if q.abs() >= 1.2f64.ln() {
                format!("a split-sized change with no matching price move (raw close {raw_pct:+.1}%, adj_close {adj_pct:+.1}%): probably an adjustment error in the source")
            } else {
                format!(
                    "an implied one-day dividend of {:.1}% of the close, more than an ordinary dividend (raw close {raw_pct:+.1}%, adj_close {adj_pct:+.1}%): a special dividend or spin-off, or an adjustment error in the source",
                    (1.0 - (-q).exp()) * 100.0
                )
            };
            let msg = format!(
                "the adj_close/close factor changes x{:.4} from {} to {}: {why}",
                q.exp(),
                prev.date,
                row.date
            );
            issues.push(self.issue(Severity::Warning, IssueKind::AdjustmentJump, row, msg));
        }
    }

    /// The move into `sorted[at]` as a split the prices were not adjusted for: the adjusted close
    /// moves by a split ratio's inverse (within 5%), the day opens already at the new level (the
    /// open within 5% of the previous close over the ratio: a crash opens near the last close
    /// and falls during the day), and the median volume of the ten bars from that day on is the
    /// ten bars' before times the ratio (within a factor 2: trading in shares after a split
    /// rarely keeps its value, AAPL's 7:1 of 2014 gave x4.5). Ratios of 2 and more (2:1, 1:2,
    /// ...) are errors; the small ones (3:2, 4:3, 5:4, 2:3: bonus issues) look like an earnings
    /// gap and are warnings, and only with the open within 1.5% and the volume within a factor
    /// 1.25 of the ratio. Without volume or an open there is no verdict.
    fn unadjusted_split(&self, sorted: &[usize], at: usize) -> Option<Issue> {
        /// New shares per old: splits, bonus issues (1:2 is 3/2) and reverse splits.
        const RATIOS: [(f64, &str); 22] = [
            (2.0, "2:1"),
            (3.0, "3:1"),
            (4.0, "4:1"),
            (5.0, "5:1"),
            (6.0, "6:1"),
            (7.0, "7:1"),
            (8.0, "8:1"),
            (10.0, "10:1"),
            (15.0, "15:1"),
            (20.0, "20:1"),
            (1.5, "3:2"),
            (4.0 / 3.0, "4:3"),
            (1.25, "5:4"),
            (2.5, "5:2"),
            (0.5, "1:2"),
            (1.0 / 3.0, "1:3"),
            (0.25, "1:4"),
            (0.2, "1:5"),
            (0.125, "1:8"),
            (0.1, "1:10"),
            (0.05, "1:20"),
            (2.0 / 3.0, "2:3"),
        ];
        let all = &self.records.rows;
        let (prev, row) = (&all[sorted[at - 1]], &all[sorted[at]]);
        let price = (prev.adj_close / row.adj_close).ln();
        // most days move far less than the smallest ratio (5:4, 22%) minus the 5% tolerance
        if price.abs() < (1.25f64 / 1.05).ln() {
            return None;
        }
        let &(ratio, name) = RATIOS
            .iter()
            .min_by(|a, b| (a.0.ln() - price).abs().total_cmp(&(b.0.ln() - price).abs()))?;
        let gap = (prev.close / row.open).ln();
        let strong = !(0.55..1.8).contains(&ratio);
        let open_tolerance = if strong { 1.05f64 } else { 1.015 };
        if (ratio.ln() - price).abs() > 1.05f64.ln()
            || (ratio.ln() - gap).abs() > open_tolerance.ln()
        {
            return None;
        }
        let median = |range: &[usize]| {
            let mut v: Vec<f64> =
                range.iter().map(|&i| all[i].volume).filter(|v| *v > 0.0).collect();
            v.sort_by(f64::total_cmp);
            (v.len() >= 3).then(|| v[v.len() / 2])
        };
        let before = median(&sorted[at.saturating_sub(10)..at])?;
        let after = median(&sorted[at..(at + 10).min(sorted.len())])?;
        let volume = after / before;
        let volume_tolerance = if strong { 2.0f64 } else { 1.25 };
        if (volume.ln() - ratio.ln()).abs() > volume_tolerance.ln() {
            return None;
        }
        let (likely, severity) = if strong {
            ("likely", Severity::Error)
        } else {
            ("possibly (or an earnings gap)", Severity::Warning)
        };
        let msg = format!(
            "adj_close moves {:+.1}% from {} ({} -> {}), opening at the new level, and the median volume x{volume:.2}: {likely} a {name} split or bonus issue the prices are not adjusted for; adjust them (or give an adj_close column), or leave the ticker out (data.exclude)",
            ((-price).exp() - 1.0) * 100.0,
            prev.date,
            prev.adj_close,
            row.adj_close
        );
        Some(self.issue(severity, IssueKind::UnadjustedSplit, row, msg))
    }

    /// Calendar days missing inside the ticker's own range, and dates not on a named calendar.
    fn check_calendar(
        &self,
        ticker: u32,
        sorted: &[usize],
        calendar: &BTreeSet<NaiveDate>,
        issues: &mut Vec<Issue>,
    ) {
        let all = &self.records.rows;
        let (Some(&first), Some(&last)) = (sorted.first(), sorted.last()) else { return };
        let have: BTreeSet<NaiveDate> = sorted.iter().map(|&i| all[i].date).collect();
        let name = &self.records.tickers[ticker as usize];
        let file = &self.records.files[all[first].file as usize];
        // the weekdays this ticker trades on: a stock beside a cryptocurrency (which trades every
        // day) does not miss the weekends, a special Saturday session does not make it a weekend
        // trader. A weekday counts when it has at least half the rows of the busiest one, once
        // the ticker has eight weeks of rows to tell (before that, every calendar day counts).
        let mut per_weekday = [0usize; 7];
        for day in &have {
            per_weekday[day.weekday().num_days_from_monday() as usize] += 1;
        }
        let busiest = per_weekday.iter().copied().max().unwrap_or(0);
        let enough = (all[last].date - all[first].date).num_days() >= 56;
        let trades = |day: &NaiveDate| {
            !enough || 2 * per_weekday[day.weekday().num_days_from_monday() as usize] >= busiest
        };
        for &day in calendar.range(all[first].date..=all[last].date) {
            if !have.contains(&day) && trades(&day) {
                let msg = "trading day of the calendar is missing for this ticker".to_string();
                issues.push(
                    Issue::new(Severity::Warning, IssueKind::MissingTradingDay, msg)
                        .in_file(file)
                        .ticker(name)
                        .date(day),
                );
            }
        }
        if self.options.calendar.is_some() {
            for &i in sorted {
                if !calendar.contains(&all[i].date) {
                    let msg = format!(
                        "date is not on the {} calendar; the row is dropped from the panel",
                        self.options.calendar.as_deref().unwrap_or_default()
                    );
                    issues.push(self.issue(
                        Severity::Warning,
                        IssueKind::OffCalendar,
                        &all[i],
                        msg,
                    ));
                }
            }
        }
    }
}
