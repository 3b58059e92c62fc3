//! Own calendars (`data.calendar = "own"`): assets that trade on different days (crypto every
//! day, currencies five days a week, stocks on their exchange's days) in one panel. The panel
//! keeps the union of their dates; each ticker counts its own bars, so its features, windows
//! and targets are those of its series alone: a five-bar window of a stock on a Monday reaches
//! back to the previous Monday, not across an empty weekend, and its next-bar target is
//! Tuesday's close, whatever the crypto did on Saturday.

use chrono::NaiveDate;

use super::Bars;

/// Calendar days after a ticker's last bar within which the data's end still counts as a closed
/// market (a weekend or a holiday at the end of the prices) rather than the end of its listing.
pub const LISTED_TO_THE_END_DAYS: i64 = 7;

/// Where one ticker's bars lie on the panel's dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnCalendar {
    /// Panel indices of the ticker's bars, increasing.
    bars: Vec<u32>,
    /// Per panel index t: how many of the ticker's bars are dated on or before t.
    count: Vec<u32>,
    /// The last date index the ticker is listed: its last bar, or the last date of the data
    /// when that lies at most [`LISTED_TO_THE_END_DAYS`] after it.
    listed_to: Option<usize>,
}

impl OwnCalendar {
    /// The calendar of the bars present (a close that is not NaN) in `bars`, on `dates`.
    pub fn of(bars: &Bars, dates: &[NaiveDate]) -> OwnCalendar {
        let mut own = vec![];
        let mut count = Vec::with_capacity(bars.len());
        for t in 0..bars.len() {
            if bars.is_present(t) {
                own.push(t as u32);
            }
            count.push(own.len() as u32);
        }
        let listed_to = own.last().map(|&last| {
            let end = dates.len() - 1;
            match (dates[end] - dates[last as usize]).num_days() <= LISTED_TO_THE_END_DAYS {
                true => end,
                false => last as usize,
            }
        });
        OwnCalendar { bars: own, count, listed_to }
    }

    /// Whether the ticker is listed but has no bar at `t` (its market is closed): after its
    /// first bar, up to its last (or the end of the data, when that is only days later).
    pub fn is_closed(&self, t: usize) -> bool {
        let (Some(&first), Some(to)) = (self.bars.first(), self.listed_to) else { return false };
        t > first as usize && t <= to && !self.is_bar(t)
    }

    /// The dates from bar `t` (excluded) to the ticker's next bar (excluded) on which it is
    /// closed: those its last forecast and position carry over.
    pub fn closed_after(&self, t: usize) -> std::ops::Range<usize> {
        let next = self.ahead(t, 1).or_else(|| self.listed_to.map(|to| to + 1));
        t + 1..next.unwrap_or(t + 1).max(t + 1)
    }

    /// Panel indices of the ticker's bars.
    pub fn bars(&self) -> &[u32] {
        &self.bars
    }

    /// Number of panel dates.
    pub fn n_dates(&self) -> usize {
        self.count.len()
    }

    /// The position of bar `t` among the ticker's bars (0 = its first), `None` when the ticker
    /// has no bar at `t`.
    pub fn ordinal(&self, t: usize) -> Option<usize> {
        let c = *self.count.get(t)? as usize;
        (c > 0 && self.bars[c - 1] as usize == t).then(|| c - 1)
    }

    /// Whether the ticker has a bar at `t`.
    pub fn is_bar(&self, t: usize) -> bool {
        self.ordinal(t).is_some()
    }

    /// The panel index of the ticker's bar `n` bars before its bar `t` (`n = 0`: `t`); `None`
    /// when that is before its first bar or `t` is not a bar.
    pub fn back(&self, t: usize, n: usize) -> Option<usize> {
        let k = self.ordinal(t)?.checked_sub(n)?;
        Some(self.bars[k] as usize)
    }

    /// The panel index of the ticker's bar `h` bars after its bar `t`; `None` past its last bar
    /// or when `t` is not a bar.
    pub fn ahead(&self, t: usize, h: usize) -> Option<usize> {
        let k = self.ordinal(t)? + h;
        self.bars.get(k).map(|&b| b as usize)
    }

    /// The ticker's last bar on or before `t`.
    pub fn latest(&self, t: usize) -> Option<usize> {
        let c = *self.count.get(t)? as usize;
        c.checked_sub(1).map(|k| self.bars[k] as usize)
    }

    /// The values of `x` (one per panel date) on the ticker's bars.
    pub fn compress(&self, x: &[f64]) -> Vec<f64> {
        self.bars.iter().map(|&t| x[t as usize]).collect()
    }

    /// The bars on the ticker's own dates only.
    pub fn compress_bars(&self, b: &Bars) -> Bars {
        Bars {
            open: self.compress(&b.open),
            high: self.compress(&b.high),
            low: self.compress(&b.low),
            close: self.compress(&b.close),
            adj_close: self.compress(&b.adj_close),
            volume: self.compress(&b.volume),
        }
    }

    /// Rows of `width` values, one per own bar, put back on the panel's dates (NaN on the dates
    /// the ticker has no bar).
    pub fn scatter(&self, rows: &[f64], width: usize) -> Vec<f64> {
        let mut out = vec![f64::NAN; self.n_dates() * width];
        for (k, &t) in self.bars.iter().enumerate() {
            let t = t as usize;
            out[t * width..(t + 1) * width].copy_from_slice(&rows[k * width..(k + 1) * width]);
        }
        out
    }

    /// Simple returns of the adjusted close as a book holding the ticker earns them: at each
    /// bar, from its previous bar (across the dates it does not trade); 0 on a date it is
    /// closed ([`OwnCalendar::is_closed`]: a held position neither gains nor loses); NaN before
    /// its second bar and after its listing.
    pub fn holding_returns(&self, b: &Bars) -> Vec<f64> {
        let mut out = vec![f64::NAN; self.n_dates()];
        let (Some(&first), Some(to)) = (self.bars.first(), self.listed_to) else {
            return out;
        };
        out[first as usize + 1..=to].fill(0.0);
        for w in self.bars.windows(2) {
            let (prev, t) = (w[0] as usize, w[1] as usize);
            out[t] = b.adj_close[t] / b.adj_close[prev] - 1.0;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bars(close: &[f64]) -> Bars {
        Bars::flat(close)
    }

    fn week() -> Vec<NaiveDate> {
        // Thursday 2021-01-07 to Wednesday 2021-01-13
        (7..=13).map(|d| NaiveDate::from_ymd_opt(2021, 1, d).unwrap()).collect()
    }

    #[test]
    fn a_tickers_bars_are_counted_on_its_own_dates() {
        let nan = f64::NAN;
        // a stock on a seven-day calendar: Friday (1), weekend (2, 3), Monday (4), Tuesday (5)
        let b = bars(&[nan, 10.0, nan, nan, 11.0, 12.1, nan]);
        let c = OwnCalendar::of(&b, &week());
        assert_eq!(c.bars(), [1, 4, 5]);
        assert_eq!((c.ordinal(4), c.ordinal(3), c.ordinal(0)), (Some(1), None, None));
        assert_eq!((c.back(5, 1), c.back(5, 2), c.back(5, 3)), (Some(4), Some(1), None));
        assert_eq!((c.ahead(1, 1), c.ahead(1, 2), c.ahead(5, 1)), (Some(4), Some(5), None));
        assert_eq!((c.latest(3), c.latest(0), c.latest(6)), (Some(1), None, Some(5)));
        assert_eq!(c.back(3, 0), None, "no bar on Sunday");
        assert_eq!(c.compress(&b.close), [10.0, 11.0, 12.1]);
        let back = c.scatter(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 2);
        assert_eq!(&back[2..4], [1.0, 2.0]);
        assert_eq!(&back[8..12], [3.0, 4.0, 5.0, 6.0]);
        assert!(back[..2].iter().chain(&back[4..8]).chain(&back[12..]).all(|v| v.is_nan()));
        let r = c.holding_returns(&b);
        assert!(r[0].is_nan() && r[1].is_nan());
        assert_eq!(&r[2..4], [0.0, 0.0], "closed over the weekend");
        assert!((r[4] - 0.1).abs() < 1e-15, "Monday's return is from Friday's close");
        assert!((r[5] - 0.1).abs() < 1e-12);
        assert_eq!(r[6], 0.0, "Wednesday, the data's last day, one day after its last bar");
        let closed: Vec<bool> = (0..7).map(|t| c.is_closed(t)).collect();
        assert_eq!(closed, [false, false, true, true, false, false, true]);
        assert_eq!((c.closed_after(1), c.closed_after(4), c.closed_after(5)), (2..4, 5..5, 6..7));
    }

    #[test]
    fn a_ticker_whose_bars_stop_long_before_the_data_ends_is_no_longer_listed() {
        let nan = f64::NAN;
        let dates: Vec<NaiveDate> = (1..=10)
            .map(|d| NaiveDate::from_ymd_opt(2021, 1, 1).unwrap() + chrono::Days::new(d * 3))
            .collect();
        let mut close = vec![nan; 10];
        close[..3].copy_from_slice(&[1.0, 1.1, 1.2]);
        let c = OwnCalendar::of(&bars(&close), &dates);
        assert!((3..10).all(|t| !c.is_closed(t)), "delisted: not closed, gone");
        assert_eq!(c.closed_after(2), 3..3);
        assert!(c.holding_returns(&bars(&close))[3..].iter().all(|v| v.is_nan()));
    }
}
