//! Calendar and identity inputs: functions of the as-of date (known in advance, so never
//! look-ahead) and of the ticker. They are not scaled: a one-hot or a sine is already on its
//! scale, and an id is a category for an embedding, not a quantity.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// A calendar input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CalendarFeature {
    /// `month_1` .. `month_12`: one-hot month of the as-of date.
    Month,
    /// `dow_sin`, `dow_cos`: sin and cos of 2 pi d / 7, d = weekday (Monday 0, pandas `dayofweek`).
    DayOfWeek,
    /// `doy_sin`, `doy_cos`: sin and cos of 2 pi (j - 1) / N, j = day of the year (1 = 1 January,
    /// pandas `dayofyear`), N = days in that year (365 or 366), so each year is one full cycle.
    DayOfYear,
}

impl CalendarFeature {
    /// Column names.
    pub fn names(self) -> Vec<String> {
        match self {
            CalendarFeature::Month => (1..=12).map(|m| format!("month_{m}")).collect(),
            CalendarFeature::DayOfWeek => vec!["dow_sin".into(), "dow_cos".into()],
            CalendarFeature::DayOfYear => vec!["doy_sin".into(), "doy_cos".into()],
        }
    }

    /// The columns over `dates`.
    pub fn compute(self, dates: &[NaiveDate]) -> Vec<Vec<f64>> {
        let tau = std::f64::consts::TAU;
        match self {
            CalendarFeature::Month => (1..=12)
                .map(|m| dates.iter().map(|d| f64::from(u8::from(d.month() == m))).collect())
                .collect(),
            CalendarFeature::DayOfWeek => {
                let angle =
                    |d: &NaiveDate| tau * f64::from(d.weekday().num_days_from_monday()) / 7.0;
                sin_cos(dates, angle)
            }
            CalendarFeature::DayOfYear => {
                let angle = |d: &NaiveDate| {
                    let days = if d.leap_year() { 366.0 } else { 365.0 };
                    tau * f64::from(d.ordinal0()) / days
                };
                sin_cos(dates, angle)
            }
        }
    }
}

fn sin_cos(dates: &[NaiveDate], angle: impl Fn(&NaiveDate) -> f64) -> Vec<Vec<f64>> {
    let a: Vec<f64> = dates.iter().map(angle).collect();
    vec![a.iter().map(|x| x.sin()).collect(), a.iter().map(|x| x.cos()).collect()]
}

/// An identity input: a category id, constant over a ticker's dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentityFeature {
    /// `ticker_id`: the ticker's position in the panel (tickers sorted alphabetically).
    Ticker,
    /// `sector_id`: the position of the ticker's sector among the panel's sectors, sorted; tickers
    /// without a sector get the next id after the last sector.
    Sector,
}

impl IdentityFeature {
    /// Column name.
    pub fn name(self) -> &'static str {
        match self {
            IdentityFeature::Ticker => "ticker_id",
            IdentityFeature::Sector => "sector_id",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_columns_follow_their_definitions() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        // 2021-01-01 was a Friday (pandas dayofweek 4); 2020-12-31 is day 366 of a leap year.
        let dates = [d(2021, 1, 1), d(2020, 12, 31), d(2021, 7, 2)];
        let month = CalendarFeature::Month.compute(&dates);
        assert_eq!((month[0][0], month[11][1], month[6][2], month[0][2]), (1.0, 1.0, 1.0, 0.0));
        let dow = CalendarFeature::DayOfWeek.compute(&dates);
        assert!((dow[0][0] - (std::f64::consts::TAU * 4.0 / 7.0).sin()).abs() < 1e-15);
        let doy = CalendarFeature::DayOfYear.compute(&dates);
        assert_eq!((doy[0][0], doy[1][0]), (0.0, 1.0));
        assert!((doy[0][1] - (std::f64::consts::TAU * 365.0 / 366.0).sin()).abs() < 1e-15);
        assert_eq!(CalendarFeature::Month.names().len(), 12);
    }
}
