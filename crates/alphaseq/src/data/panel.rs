//! The [`Panel`]: tickers x dates on one trading calendar, columnar per ticker. A missing bar is
//! explicit: all its fields are NaN (a ticker before its first or after its last trade is
//! missing too). Prices are as read (raw); [`Panel::adjusted`] gives split- and dividend-adjusted
//! OHLC from the adj_close/close factor.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::data::own_calendar::OwnCalendar;
use crate::data::records::Records;
use crate::data::validate::calendar_dates;
use crate::error::{Error, Result};
use crate::issue::{Issue, IssueKind, Severity};

/// What to do with a trading day missing inside a ticker's own date range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingPolicy {
    /// Refuse the data, naming every missing (ticker, date).
    Error,
    /// Keep the day missing (NaN); samples that need it are dropped downstream. The default.
    #[default]
    Drop,
    /// Carry the previous close forward: open = high = low = close = previous close, adj_close =
    /// previous adj_close, volume 0 (nothing traded).
    Ffill,
    /// Linear interpolation in trading-day index between the neighbouring bars, field by field.
    Interpolate,
}

/// Which dates make up the calendar.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum CalendarSpec {
    /// The union of all dates of all tickers.
    #[default]
    Union,
    /// The dates of this ticker (for example `^GSPC`); other tickers' rows on other dates are dropped.
    Ticker(String),
    /// The union of all dates, each ticker counting its own bars ([`OwnCalendar`]): no day of
    /// a ticker is missing, so the missing-day policy does not apply.
    Own,
}

impl CalendarSpec {
    /// `data.calendar` (or `--calendar`): none is the union, `"own"` each ticker's own, else
    /// the ticker whose dates are the calendar.
    pub fn parse(calendar: Option<&str>) -> CalendarSpec {
        match calendar {
            None => CalendarSpec::Union,
            Some("own") => CalendarSpec::Own,
            Some(t) => CalendarSpec::Ticker(t.to_string()),
        }
    }

    /// The calendar ticker, if the calendar is one.
    pub fn ticker(&self) -> Option<&str> {
        match self {
            CalendarSpec::Ticker(t) => Some(t),
            _ => None,
        }
    }
}

/// How to build a panel from records.
#[derive(Debug, Clone, Default)]
pub struct PanelOptions {
    /// The calendar.
    pub calendar: CalendarSpec,
    /// Missing-day policy.
    pub missing: MissingPolicy,
    /// First date kept (inclusive).
    pub start: Option<NaiveDate>,
    /// Last date kept (inclusive).
    pub end: Option<NaiveDate>,
}

/// Simple or log returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReturnKind {
    /// p(t) / p(t-1) - 1.
    Simple,
    /// ln(p(t) / p(t-1)).
    Log,
}

/// One ticker's bars, aligned to the panel's dates; NaN = missing.
#[derive(Debug, Clone, PartialEq)]
pub struct Bars {
    /// Open.
    pub open: Vec<f64>,
    /// High.
    pub high: Vec<f64>,
    /// Low.
    pub low: Vec<f64>,
    /// Close.
    pub close: Vec<f64>,
    /// Adjusted close.
    pub adj_close: Vec<f64>,
    /// Volume (NaN where the source had none).
    pub volume: Vec<f64>,
}

impl Bars {
    /// `n` missing bars.
    pub fn missing(n: usize) -> Bars {
        Bars::flat(&vec![f64::NAN; n])
    }

    /// Bars whose every field is `values` (open = high = low = close = adj_close = volume):
    /// flat bars for tests and placeholders.
    pub fn flat(values: &[f64]) -> Bars {
        let v = values.to_vec();
        Bars {
            open: v.clone(),
            high: v.clone(),
            low: v.clone(),
            close: v.clone(),
            adj_close: v.clone(),
            volume: v,
        }
    }

    /// Number of dates.
    pub fn len(&self) -> usize {
        self.close.len()
    }

    /// True when there are no dates.
    pub fn is_empty(&self) -> bool {
        self.close.is_empty()
    }

    /// Whether the bar at `i` is present.
    pub fn is_present(&self, i: usize) -> bool {
        !self.close[i].is_nan()
    }

    /// Index of the first present bar.
    pub fn first_present(&self) -> Option<usize> {
        (0..self.len()).find(|&i| self.is_present(i))
    }

    /// Index of the last present bar.
    pub fn last_present(&self) -> Option<usize> {
        (0..self.len()).rev().find(|&i| self.is_present(i))
    }

    /// Mutable views of all six fields.
    pub fn fields_mut(&mut self) -> [&mut Vec<f64>; 6] {
        [
            &mut self.open,
            &mut self.high,
            &mut self.low,
            &mut self.close,
            &mut self.adj_close,
            &mut self.volume,
        ]
    }

    /// Returns of the adjusted close; element 0 and any element next to a missing bar are NaN.
    pub fn returns(&self, kind: ReturnKind) -> Vec<f64> {
        let p = &self.adj_close;
        let mut out = vec![f64::NAN; p.len()];
        for t in 1..p.len() {
            out[t] = match kind {
                ReturnKind::Simple => p[t] / p[t - 1] - 1.0,
                ReturnKind::Log => (p[t] / p[t - 1]).ln(),
            };
        }
        out
    }
}

/// Tickers x dates of daily (or resampled) bars on one calendar.
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    dates: Vec<NaiveDate>,
    tickers: Vec<String>,
    sectors: Vec<Option<String>>,
    bars: Vec<Bars>,
    /// With `data.calendar = "own"`: where each ticker's bars lie.
    own: Option<Arc<Vec<OwnCalendar>>>,
}

impl Panel {
    /// Builds a panel from columns. All `bars` must have `dates.len()` elements.
    ///
    /// # Errors
    /// [`Error::Invalid`] if lengths disagree or dates are not strictly increasing.
    pub fn new(dates: Vec<NaiveDate>, tickers: Vec<String>, bars: Vec<Bars>) -> Result<Panel> {
        if tickers.len() != bars.len() || bars.iter().any(|b| b.len() != dates.len()) {
            return Err(Error::Invalid("panel: every ticker needs one bar per date".into()));
        }
        if dates.windows(2).any(|w| w[0] >= w[1]) {
            return Err(Error::Invalid("panel: dates must be strictly increasing".into()));
        }
        let sectors = vec![None; tickers.len()];
        Ok(Panel { dates, tickers, sectors, bars, own: None })
    }

    /// Puts records on a calendar, tickers in alphabetical order, and applies the missing-day
    /// policy inside each ticker's own range.
    ///
    /// # Errors
    /// [`Error::Invalid`] for an unknown calendar ticker; [`Error::InvalidData`] for duplicate
    /// (ticker, date) rows, or for missing days under [`MissingPolicy::Error`].
    pub fn from_records(records: &Records, options: &PanelOptions) -> Result<Panel> {
        let calendar_name = options.calendar.ticker();
        let calendar: BTreeSet<NaiveDate> = calendar_dates(records, calendar_name)
            .ok_or_else(|| Error::unknown_ticker("calendar", calendar_name.unwrap_or_default()))?;
        let dates: Vec<NaiveDate> = calendar
            .into_iter()
            .filter(|d| {
                options.start.is_none_or(|s| *d >= s) && options.end.is_none_or(|e| *d <= e)
            })
            .collect();
        let position: BTreeMap<NaiveDate, usize> =
            dates.iter().enumerate().map(|(i, d)| (*d, i)).collect();
        let mut order: Vec<usize> = (0..records.tickers.len()).collect();
        order.sort_by(|&a, &b| records.tickers[a].cmp(&records.tickers[b]));
        let mut rank = vec![0usize; order.len()];
        for (r, &t) in order.iter().enumerate() {
            rank[t] = r;
        }
        let mut bars: Vec<Bars> = (0..order.len()).map(|_| Bars::missing(dates.len())).collect();
        let mut issues = Vec::new();
        for row in &records.rows {
            let Some(&i) = position.get(&row.date) else { continue };
            let b = &mut bars[rank[row.ticker as usize]];
            if b.is_present(i) {
                let msg = "duplicate (ticker, date)".to_string();
                issues.push(
                    Issue::new(Severity::Error, IssueKind::DuplicateRow, msg)
                        .at(&records.files[row.file as usize], row.line)
                        .ticker(&records.tickers[row.ticker as usize])
                        .date(row.date),
                );
                continue;
            }
            let values = [row.open, row.high, row.low, row.close, row.adj_close, row.volume];
            for (field, v) in b.fields_mut().into_iter().zip(values) {
                field[i] = v;
            }
        }
        let tickers: Vec<String> = order.iter().map(|&t| records.tickers[t].clone()).collect();
        if options.calendar != CalendarSpec::Own {
            for (bars, ticker) in bars.iter_mut().zip(&tickers) {
                apply_missing_policy(bars, options.missing, ticker, &dates, &mut issues);
            }
        }
        if !issues.is_empty() {
            return Err(Error::InvalidData { issues });
        }
        let mut panel = Panel::new(dates, tickers, bars)?;
        if options.calendar == CalendarSpec::Own {
            panel.keep_own_calendars();
        }
        Ok(panel)
    }

    /// From now on each ticker counts its own bars ([`CalendarSpec::Own`]): computed from the
    /// bars present now, so call it again after changing which bars are present.
    pub fn keep_own_calendars(&mut self) {
        self.own =
            Some(Arc::new(self.bars.iter().map(|b| OwnCalendar::of(b, &self.dates)).collect()));
    }

    /// Each ticker's own calendar, when the panel keeps them.
    pub fn own_calendars(&self) -> Option<&Arc<Vec<OwnCalendar>>> {
        self.own.as_ref()
    }

    /// Ticker `i`'s own calendar, when the panel keeps them.
    pub fn own_calendar(&self, i: usize) -> Option<&OwnCalendar> {
        self.own.as_ref().map(|c| &c[i])
    }

    /// Simple returns of ticker `i`'s adjusted close as a held position earns them, bar t's
    /// return known at the close of t: on one calendar from the previous date (NaN next to a
    /// missing bar); on own calendars from the ticker's previous bar, 0 on the dates it does
    /// not trade ([`OwnCalendar::holding_returns`]).
    pub fn holding_returns(&self, i: usize) -> Vec<f64> {
        match self.own_calendar(i) {
            Some(c) => c.holding_returns(&self.bars[i]),
            None => self.bars[i].returns(ReturnKind::Simple),
        }
    }

    /// The calendar.
    pub fn dates(&self) -> &[NaiveDate] {
        &self.dates
    }

    /// Ticker names, in panel order.
    pub fn tickers(&self) -> &[String] {
        &self.tickers
    }

    /// The bars of ticker number `i`.
    pub fn bars(&self, i: usize) -> &Bars {
        &self.bars[i]
    }

    /// All tickers' bars.
    pub fn all_bars(&self) -> &[Bars] {
        &self.bars
    }

    /// Mutable bars of ticker number `i` (for tests and adjustments).
    pub fn bars_mut(&mut self, i: usize) -> &mut Bars {
        &mut self.bars[i]
    }

    /// Position of `ticker` in the panel.
    pub fn ticker_index(&self, ticker: &str) -> Option<usize> {
        self.tickers.iter().position(|t| t == ticker)
    }

    /// Sector of ticker number `i`, when a sectors file was joined.
    pub fn sector(&self, i: usize) -> Option<&str> {
        self.sectors[i].as_deref()
    }

    /// Joins sectors by ticker; tickers not in the map get none. Returns the tickers left without.
    pub fn set_sectors(&mut self, sectors: &BTreeMap<String, String>) -> Vec<String> {
        let mut missing = Vec::new();
        for (i, t) in self.tickers.iter().enumerate() {
            self.sectors[i] = sectors.get(t).cloned();
            if self.sectors[i].is_none() {
                missing.push(t.clone());
            }
        }
        missing
    }

    /// Number of rows (present bars) in the panel.
    pub fn n_present(&self) -> usize {
        self.bars.iter().map(|b| (0..b.len()).filter(|&i| b.is_present(i)).count()).sum()
    }

    /// A panel with split- and dividend-adjusted OHLC: open, high, low and close multiplied by
    /// adj_close/close of the same row (so close becomes adj_close). Volume is left raw.
    pub fn adjusted(&self) -> Panel {
        let mut out = self.clone();
        out.adjust();
        out
    }

    /// Adjusts the panel in place, as [`Panel::adjusted`] returns it (no copy of the bars).
    pub fn adjust(&mut self) {
        for b in &mut self.bars {
            for i in 0..b.len() {
                let f = b.adj_close[i] / b.close[i];
                b.open[i] *= f;
                b.high[i] *= f;
                b.low[i] *= f;
                b.close[i] = b.adj_close[i];
            }
        }
    }

    /// A panel with only the given tickers (in the given order).
    ///
    /// # Errors
    /// [`Error::Invalid`] naming the first unknown ticker.
    pub fn select(&self, tickers: &[String]) -> Result<Panel> {
        let mut out = Panel {
            dates: self.dates.clone(),
            tickers: vec![],
            sectors: vec![],
            bars: vec![],
            own: None,
        };
        for t in tickers {
            let i = self.ticker_index(t).ok_or_else(|| Error::unknown_ticker("tickers", t))?;
            out.tickers.push(t.clone());
            out.sectors.push(self.sectors[i].clone());
            out.bars.push(self.bars[i].clone());
        }
        if self.own.is_some() {
            out.keep_own_calendars();
        }
        Ok(out)
    }

    /// [`Panel::select`] consuming the panel: the selected tickers' bars move, none is copied
    /// (the panel of 5,000 tickers is over a gigabyte).
    ///
    /// # Errors
    /// As [`Panel::select`].
    pub fn into_selection(self, tickers: &[String]) -> Result<Panel> {
        let index: HashMap<&str, usize> =
            self.tickers.iter().enumerate().map(|(i, t)| (t.as_str(), i)).collect();
        let picks: Vec<usize> = tickers
            .iter()
            .map(|t| {
                index.get(t.as_str()).copied().ok_or_else(|| Error::unknown_ticker("tickers", t))
            })
            .collect::<Result<_>>()?;
        drop(index);
        let Panel { dates, tickers: names, sectors, bars, own } = self;
        let mut slots: Vec<Option<Bars>> = bars.into_iter().map(Some).collect();
        let mut out = Panel { dates, tickers: vec![], sectors: vec![], bars: vec![], own: None };
        for (k, &i) in picks.iter().enumerate() {
            // a ticker listed twice: its second copy is cloned from the first
            let bars = match slots[i].take() {
                Some(b) => b,
                None => out.bars[picks[..k].iter().position(|&j| j == i).unwrap_or(0)].clone(),
            };
            out.tickers.push(names[i].clone());
            out.sectors.push(sectors[i].clone());
            out.bars.push(bars);
        }
        if own.is_some() {
            out.keep_own_calendars();
        }
        Ok(out)
    }

    pub(crate) fn from_parts(
        dates: Vec<NaiveDate>,
        tickers: Vec<String>,
        sectors: Vec<Option<String>>,
        bars: Vec<Bars>,
    ) -> Panel {
        Panel { dates, tickers, sectors, bars, own: None }
    }

    pub(crate) fn sectors(&self) -> &[Option<String>] {
        &self.sectors
    }
}

fn apply_missing_policy(
    b: &mut Bars,
    policy: MissingPolicy,
    ticker: &str,
    dates: &[NaiveDate],
    issues: &mut Vec<Issue>,
) {
    let (Some(first), Some(last)) = (b.first_present(), b.last_present()) else { return };
    let gaps: Vec<usize> = (first..=last).filter(|&i| !b.is_present(i)).collect();
    if gaps.is_empty() {
        return;
    }
    match policy {
        MissingPolicy::Drop => {}
        MissingPolicy::Error => {
            for i in gaps {
                let msg =
                    "trading day missing (missing = \"error\"; choose drop, ffill or interpolate)";
                issues.push(
                    Issue::new(Severity::Error, IssueKind::MissingTradingDay, msg)
                        .ticker(ticker)
                        .date(dates[i]),
                );
            }
        }
        MissingPolicy::Ffill => {
            for i in gaps {
                let (c, a) = (b.close[i - 1], b.adj_close[i - 1]);
                b.open[i] = c;
                b.high[i] = c;
                b.low[i] = c;
                b.close[i] = c;
                b.adj_close[i] = a;
                b.volume[i] = if b.volume[i - 1].is_nan() { f64::NAN } else { 0.0 };
            }
        }
        MissingPolicy::Interpolate => {
            for field in b.fields_mut() {
                interpolate_gaps(field, &gaps);
            }
        }
    }
}

/// Fills `gaps` by linear interpolation between the nearest present neighbours (which exist,
/// because gaps lie strictly inside the present range).
fn interpolate_gaps(v: &mut [f64], gaps: &[usize]) {
    for &i in gaps {
        let lo = (0..i).rev().find(|&j| !gaps.contains(&j)).unwrap_or(i);
        let hi = (i + 1..v.len()).find(|&j| !gaps.contains(&j)).unwrap_or(i);
        if lo == i || hi == i {
            continue;
        }
        let w = (i - lo) as f64 / (hi - lo) as f64;
        v[i] = v[lo] + w * (v[hi] - v[lo]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::records::Row;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2021, 1, day).unwrap()
    }

    fn records(rows: &[(&str, u32, f64)]) -> Records {
        let mut r = Records::default();
        let file = r.add_file("t.csv".into());
        for (line, &(t, day, px)) in rows.iter().enumerate() {
            let ticker = r.ticker_id(t);
            let (close, adj) = (px, px / 2.0);
            r.rows.push(Row {
                file,
                line: line as u64 + 2,
                ticker,
                date: d(day),
                open: px,
                high: px + 1.0,
                low: px - 1.0,
                close,
                adj_close: adj,
                volume: 100.0,
            });
        }
        r
    }

    fn sample() -> Records {
        records(&[
            ("B", 4, 10.0),
            ("B", 5, 11.0),
            ("B", 7, 13.0),
            ("A", 4, 1.0),
            ("A", 5, 2.0),
            ("A", 6, 3.0),
            ("A", 7, 4.0),
            ("A", 8, 5.0),
        ])
    }

    #[test]
    fn aligns_tickers_alphabetically_on_the_union_calendar() {
        let p = Panel::from_records(&sample(), &PanelOptions::default()).unwrap();
        assert_eq!(p.tickers(), ["A", "B"]);
        assert_eq!(p.dates(), [d(4), d(5), d(6), d(7), d(8)]);
        let b = p.bars(1);
        assert_eq!(b.close[..2], [10.0, 11.0]);
        assert!(b.close[2].is_nan() && b.close[4].is_nan());
    }

    #[test]
    fn missing_policies_fill_only_inside_the_ticker_range() {
        let opts = |missing| PanelOptions { missing, ..Default::default() };
        let ff = Panel::from_records(&sample(), &opts(MissingPolicy::Ffill)).unwrap();
        let b = ff.bars(1);
        assert_eq!((b.open[2], b.close[2], b.adj_close[2], b.volume[2]), (11.0, 11.0, 5.5, 0.0));
        assert!(b.close[4].is_nan(), "no fill after the last trade");
        let li = Panel::from_records(&sample(), &opts(MissingPolicy::Interpolate)).unwrap();
        assert_eq!(li.bars(1).close[2], 12.0);
        let err = Panel::from_records(&sample(), &opts(MissingPolicy::Error)).unwrap_err();
        match err {
            Error::InvalidData { issues } => {
                assert_eq!(issues.len(), 1);
                assert_eq!((issues[0].ticker.as_deref(), issues[0].date), (Some("B"), Some(d(6))));
            }
            other => panic!("unexpected {other}"),
        }
    }

    #[test]
    fn named_calendar_drops_other_dates() {
        let opts =
            PanelOptions { calendar: CalendarSpec::Ticker("B".into()), ..Default::default() };
        let p = Panel::from_records(&sample(), &opts).unwrap();
        assert_eq!(p.dates(), [d(4), d(5), d(7)]);
        assert_eq!(p.bars(0).close, vec![1.0, 2.0, 4.0]);
        let bad =
            PanelOptions { calendar: CalendarSpec::Ticker("ZZ".into()), ..Default::default() };
        assert!(Panel::from_records(&sample(), &bad).unwrap_err().to_string().contains("ZZ"));
    }

    #[test]
    fn adjusted_prices_use_the_row_factor_and_returns_use_adj_close() {
        let p = Panel::from_records(&sample(), &PanelOptions::default()).unwrap().adjusted();
        let a = p.bars(0);
        assert_eq!((a.open[0], a.high[0], a.low[0], a.close[0]), (0.5, 1.0, 0.0, 0.5));
        let r = a.returns(ReturnKind::Simple);
        assert!(r[0].is_nan());
        assert!((r[1] - 1.0).abs() < 1e-15);
        let l = a.returns(ReturnKind::Log);
        assert!((l[1] - 2f64.ln()).abs() < 1e-15);
    }

    #[test]
    fn a_selection_moves_the_bars_and_equals_the_copying_one() {
        let p = Panel::from_records(&sample(), &PanelOptions::default()).unwrap();
        for pick in [&["B", "A"][..], &["A"][..], &["B", "B", "A"][..]] {
            let pick: Vec<String> = pick.iter().map(|t| t.to_string()).collect();
            // as text: the missing days are NaN, which no == equals
            let (moved, copied) = (p.clone().into_selection(&pick), p.select(&pick));
            assert_eq!(format!("{:?}", moved.unwrap()), format!("{:?}", copied.unwrap()));
        }
        let err = p.into_selection(&["ZZ".into()]).unwrap_err();
        assert!(err.to_string().contains("ZZ"), "{err}");
    }
}
