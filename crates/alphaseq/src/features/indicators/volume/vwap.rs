//! VWAP (pandas-ta `vwap`, anchor "D"): the volume-weighted mean of the typical price HLC3,
//! cumulated from the start of each anchor period (day, week, month, quarter, year, as pandas'
//! `to_period`: weeks run Monday to Sunday) up to and including the bar, so it never reads past
//! the bar. **On daily bars pandas-ta's default anchor "D" makes every bar its own period, so
//! `VWAP_D` is just HLC3 (NaN on zero-volume days)**; anchors W, M, Q, Y give the useful daily
//! variants. Missing bars are skipped by the running sums, as pandas' `cumsum`. TA-Lib has no VWAP.

use chrono::{Datelike, NaiveDate};

use crate::features::indicators::{Family, Indicator, Memory, Ohlcv};

/// The period a VWAP accumulates over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Anchor {
    /// Each day (pandas-ta's default).
    #[serde(rename = "D")]
    Day,
    /// Monday to Sunday.
    #[serde(rename = "W")]
    Week,
    /// Calendar month.
    #[serde(rename = "M")]
    Month,
    /// Calendar quarter.
    #[serde(rename = "Q")]
    Quarter,
    /// Calendar year.
    #[serde(rename = "Y")]
    Year,
}

impl Anchor {
    /// pandas' period alias.
    pub fn alias(self) -> &'static str {
        match self {
            Anchor::Day => "D",
            Anchor::Week => "W",
            Anchor::Month => "M",
            Anchor::Quarter => "Q",
            Anchor::Year => "Y",
        }
    }

    /// A key equal for two dates exactly when they fall in the same period.
    fn period(self, d: NaiveDate) -> i64 {
        let (y, m) = (i64::from(d.year()), i64::from(d.month0()));
        match self {
            Anchor::Day => i64::from(d.num_days_from_ce()),
            Anchor::Week => {
                i64::from(d.num_days_from_ce()) - i64::from(d.weekday().num_days_from_monday())
            }
            Anchor::Month => 12 * y + m,
            Anchor::Quarter => 4 * y + m / 3,
            Anchor::Year => y,
        }
    }
}

/// Anchored volume-weighted average price.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vwap {
    /// The period the sums restart at.
    pub anchor: Anchor,
}

impl Indicator for Vwap {
    fn family(&self) -> Family {
        Family::Volume
    }

    fn columns(&self) -> Vec<String> {
        vec![format!("VWAP_{}", self.anchor.alias())]
    }

    fn params(&self) -> String {
        format!("anchor={}", self.anchor.alias())
    }

    fn warm_up(&self) -> usize {
        0
    }

    /// A longer anchor sums from the start of the period, so a series cut inside one agrees
    /// from the next period on.
    fn memory(&self) -> Memory {
        if self.anchor == Anchor::Day {
            Memory::Window
        } else {
            Memory::Path
        }
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let (mut pv_sum, mut v_sum, mut current) = (0.0, 0.0, None);
        let mut out = Vec::with_capacity(x.close.len());
        for (t, &date) in x.dates.iter().enumerate() {
            let key = self.anchor.period(date);
            if current != Some(key) {
                (pv_sum, v_sum, current) = (0.0, 0.0, Some(key));
            }
            let tp = (x.high[t] + x.low[t] + x.close[t]) / 3.0;
            let (pv, v) = (tp * x.volume[t], x.volume[t]);
            if pv.is_nan() || v.is_nan() {
                out.push(f64::NAN);
                pv_sum += if pv.is_nan() { 0.0 } else { pv };
                v_sum += if v.is_nan() { 0.0 } else { v };
                continue;
            }
            pv_sum += pv;
            v_sum += v;
            out.push(pv_sum / v_sum);
        }
        vec![out]
    }
}
