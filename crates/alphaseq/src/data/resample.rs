//! Resampling daily panels to weekly or monthly bars. A period's bar is labelled with the last
//! trading day of the calendar in that period (so a weekly bar is known at its label date and
//! never earlier): open = first open, high = max, low = min, close and adj_close = last, volume =
//! sum, all over the ticker's present days in the period.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::data::panel::{Bars, Panel};

/// Bar frequency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    /// One bar per trading day (no resampling).
    #[default]
    Daily,
    /// One bar per ISO week, labelled with the week's last trading day.
    Weekly,
    /// One bar per calendar month, labelled with the month's last trading day.
    Monthly,
}

impl Frequency {
    /// Calendar days a bar may lag a requested date and still count as current: 5 for daily
    /// bars (a long weekend), 10 weekly, 35 monthly.
    pub fn stale_days(self) -> i64 {
        match self {
            Frequency::Daily => 5,
            Frequency::Weekly => 10,
            Frequency::Monthly => 35,
        }
    }

    /// Periods per year, for annualisation (252, 52, 12).
    pub fn periods_per_year(self) -> f64 {
        match self {
            Frequency::Daily => 252.0,
            Frequency::Weekly => 52.0,
            Frequency::Monthly => 12.0,
        }
    }

    /// The frequency of a series of dates, from the median gap between consecutive dates: up to
    /// 4 days daily, up to 10 weekly, else monthly (daily when there is no gap).
    pub fn infer(dates: &[NaiveDate]) -> Frequency {
        let mut gaps: Vec<i64> = dates.windows(2).map(|w| (w[1] - w[0]).num_days()).collect();
        gaps.sort_unstable();
        match gaps.get(gaps.len() / 2).copied().unwrap_or(1) {
            ..=4 => Frequency::Daily,
            5..=10 => Frequency::Weekly,
            _ => Frequency::Monthly,
        }
    }

    /// Its name in configurations and reports: `daily`, `weekly`, `monthly`.
    pub fn name(self) -> &'static str {
        match self {
            Frequency::Daily => "daily",
            Frequency::Weekly => "weekly",
            Frequency::Monthly => "monthly",
        }
    }

    fn period(self, d: NaiveDate) -> (i32, u32) {
        match self {
            Frequency::Daily => (d.num_days_from_ce(), 0),
            Frequency::Weekly => (d.iso_week().year(), d.iso_week().week()),
            Frequency::Monthly => (d.year(), d.month()),
        }
    }
}

/// Resamples `panel` to `freq`. Daily returns a copy.
pub fn resample(panel: Panel, freq: Frequency) -> Panel {
    if freq == Frequency::Daily {
        return panel;
    }
    let dates = panel.dates();
    let mut groups: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    for i in 1..=dates.len() {
        if i == dates.len() || freq.period(dates[i]) != freq.period(dates[start]) {
            groups.push((start, i));
            start = i;
        }
    }
    let labels: Vec<NaiveDate> = groups.iter().map(|&(_, end)| dates[end - 1]).collect();
    let bars = panel.all_bars().iter().map(|b| resample_bars(b, &groups)).collect();
    let mut out =
        Panel::from_parts(labels, panel.tickers().to_vec(), panel.sectors().to_vec(), bars);
    if panel.own_calendars().is_some() {
        out.keep_own_calendars();
    }
    out
}

fn resample_bars(b: &Bars, groups: &[(usize, usize)]) -> Bars {
    let mut out = Bars::missing(groups.len());
    for (g, &(start, end)) in groups.iter().enumerate() {
        let present: Vec<usize> = (start..end).filter(|&i| b.is_present(i)).collect();
        let (Some(&first), Some(&last)) = (present.first(), present.last()) else { continue };
        out.open[g] = b.open[first];
        out.high[g] = present.iter().map(|&i| b.high[i]).fold(f64::NEG_INFINITY, f64::max);
        out.low[g] = present.iter().map(|&i| b.low[i]).fold(f64::INFINITY, f64::min);
        out.close[g] = b.close[last];
        out.adj_close[g] = b.adj_close[last];
        let vols: Vec<f64> = present.iter().map(|&i| b.volume[i]).filter(|v| !v.is_nan()).collect();
        out.volume[g] = if vols.is_empty() { f64::NAN } else { vols.iter().sum() };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekly_bars_are_labelled_with_the_last_trading_day() {
        // Wed 2021-03-31 .. Tue 2021-04-06, with Friday 2021-04-02 a holiday.
        let dates: Vec<NaiveDate> = ["2021-03-31", "2021-04-01", "2021-04-05", "2021-04-06"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        let mut b = Bars::missing(4);
        b.open = vec![1.0, 2.0, 3.0, 4.0];
        b.high = vec![5.0, 9.0, 6.0, 7.0];
        b.low = vec![0.5, 1.5, 2.5, 0.1];
        b.close = vec![1.1, 2.1, 3.1, 4.1];
        b.adj_close = b.close.clone();
        b.volume = vec![10.0, 20.0, f64::NAN, 5.0];
        let p = Panel::new(dates, vec!["X".into()], vec![b]).unwrap();
        let w = resample(p.clone(), Frequency::Weekly);
        assert_eq!(
            w.dates(),
            ["2021-04-01".parse::<NaiveDate>().unwrap(), "2021-04-06".parse().unwrap()]
        );
        let wb = w.bars(0);
        assert_eq!(
            (wb.open[0], wb.high[0], wb.low[0], wb.close[0], wb.volume[0]),
            (1.0, 9.0, 0.5, 2.1, 30.0)
        );
        assert_eq!(
            (wb.open[1], wb.high[1], wb.low[1], wb.close[1], wb.volume[1]),
            (3.0, 7.0, 0.1, 4.1, 5.0)
        );
        let m = resample(p.clone(), Frequency::Monthly);
        assert_eq!(m.dates().len(), 2);
        assert_eq!(m.bars(0).close[0], 1.1);
    }
}
