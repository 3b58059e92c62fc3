//! What stands between a rule's target weights and the book: smoothing of the signal, the
//! volatility target on the strategy's own realised volatility, and turnover control (a
//! rebalancing schedule, no-trade bands and a maximum trade per bar).
//!
//! Every step is causal. Smoothing at t averages predictions made at t or earlier; the realised
//! volatility at t is that of returns booked at t or earlier (the return of bar t is known at its
//! close); the book held at t depends on the targets of t and earlier only.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// When the book may trade; between rebalancing dates it holds its weights (the ledger does not
/// model drift, so holding costs nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "RebalanceRepr", into = "RebalanceRepr")]
pub enum Rebalance {
    /// Every bar.
    #[default]
    Daily,
    /// The first bar of each ISO week.
    Weekly,
    /// The first bar of each calendar month.
    Monthly,
    /// Every n-th bar of the calendar (bar index divisible by n, so `signal` finds the same
    /// dates).
    Every(usize),
}

/// How a schedule reads in TOML: `"daily"`, `"weekly"`, `"monthly"` or a number of bars.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
enum RebalanceRepr {
    Bars(usize),
    Named(String),
}

impl TryFrom<RebalanceRepr> for Rebalance {
    type Error = String;

    fn try_from(r: RebalanceRepr) -> Result<Rebalance, String> {
        match r {
            RebalanceRepr::Bars(0) => Err("0 bars: rebalance every 1 bar or more".into()),
            RebalanceRepr::Bars(1) => Ok(Rebalance::Daily),
            RebalanceRepr::Bars(n) => Ok(Rebalance::Every(n)),
            RebalanceRepr::Named(s) => match s.as_str() {
                "daily" => Ok(Rebalance::Daily),
                "weekly" => Ok(Rebalance::Weekly),
                "monthly" => Ok(Rebalance::Monthly),
                other => Err(format!(
                    "unknown schedule {other:?}: expected \"daily\", \"weekly\", \"monthly\" or a number of bars"
                )),
            },
        }
    }
}

impl From<Rebalance> for RebalanceRepr {
    fn from(r: Rebalance) -> RebalanceRepr {
        match r {
            Rebalance::Daily => RebalanceRepr::Named("daily".into()),
            Rebalance::Weekly => RebalanceRepr::Named("weekly".into()),
            Rebalance::Monthly => RebalanceRepr::Named("monthly".into()),
            Rebalance::Every(n) => RebalanceRepr::Bars(n),
        }
    }
}

impl Rebalance {
    /// Whether the book may trade at bar `t` of `dates`.
    pub fn trades_at(self, dates: &[NaiveDate], t: usize) -> bool {
        let first = t == 0 || t >= dates.len();
        match self {
            Rebalance::Daily => true,
            Rebalance::Every(n) => t.is_multiple_of(n),
            Rebalance::Weekly => first || dates[t].iso_week() != dates[t - 1].iso_week(),
            Rebalance::Monthly => {
                first
                    || (dates[t].year(), dates[t].month())
                        != (dates[t - 1].year(), dates[t - 1].month())
            }
        }
    }
}

/// Each ticker's predictions smoothed in date order by an exponentially weighted mean with
/// half-life `halflife` bars: pandas `Series.ewm(halflife=h, adjust=False).mean()` over the
/// ticker's predictions (`s = x` at its first, then `s = (1 - a) s + a x` with
/// `a = 1 - 0.5^(1/h)`). Non-finite predictions are left as they are and skipped.
pub fn smooth(predictions: &[(usize, usize, f64)], halflife: f64) -> Vec<(usize, usize, f64)> {
    let a = 1.0 - 0.5f64.powf(1.0 / halflife);
    let mut order: Vec<usize> = (0..predictions.len()).collect();
    order.sort_by_key(|&k| (predictions[k].0, predictions[k].1));
    let mut out = predictions.to_vec();
    let mut state: Option<(usize, f64)> = None;
    for k in order {
        let (i, _, x) = predictions[k];
        if !x.is_finite() {
            continue;
        }
        let s = match state {
            Some((j, s)) if j == i => (1.0 - a) * s + a * x,
            _ => x,
        };
        state = Some((i, s));
        out[k].2 = s;
    }
    out
}

/// Scales the weights of every bar by `target / realised`, `realised` the annualised volatility
/// (ddof 1) of the returns the same weights earned over the trailing `window` bars booked at
/// or before t, clamped to `[1/4, 4]`: the risk model's bias, measured on its own book, taken
/// out. Bars with fewer than `max(window / 3, 2)` such returns keep their weights.
pub fn target_realised_volatility(
    weights: &mut [Vec<f64>],
    returns: &[Vec<f64>],
    target: f64,
    window: usize,
    periods_per_year: f64,
) {
    let n = weights.len();
    // the return booked at u of the weights decided at u - 1 (none while they hold nothing)
    let mut book = vec![f64::NAN; n];
    for u in 1..n {
        let w = &weights[u - 1];
        if w.iter().any(|v| *v != 0.0) {
            book[u] = w
                .iter()
                .enumerate()
                .filter(|(i, v)| **v != 0.0 && returns[*i][u].is_finite())
                .map(|(i, v)| v * returns[i][u])
                .sum();
        }
    }
    let needed = (window / 3).max(2);
    let factors: Vec<f64> = (0..n)
        .map(|t| {
            let from = (t + 1).saturating_sub(window);
            let seen: Vec<f64> = book[from..=t].iter().copied().filter(|r| r.is_finite()).collect();
            if seen.len() < needed {
                return 1.0;
            }
            realised_volatility(&seen, periods_per_year)
                .map_or(1.0, |realised| (target / realised).clamp(0.25, 4.0))
        })
        .collect();
    for (row, f) in weights.iter_mut().zip(factors) {
        row.iter_mut().for_each(|v| *v *= f);
    }
}

/// The annualised sample standard deviation (ddof 1) of `returns` (all finite); `None` with
/// fewer than two or when it is zero.
pub fn realised_volatility(returns: &[f64], periods_per_year: f64) -> Option<f64> {
    if returns.len() < 2 {
        return None;
    }
    let n = returns.len() as f64;
    let mean = returns.iter().sum::<f64>() / n;
    let var = returns.iter().map(|r| (r - mean) * (r - mean)).sum::<f64>() / (n - 1.0);
    let vol = (var * periods_per_year).sqrt();
    (vol > 0.0 && vol.is_finite()).then_some(vol)
}

/// Turnover control: how the held book follows the targets.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TurnoverControl {
    /// When the book may trade.
    pub rebalance: Rebalance,
    /// No-trade band: a name whose target is within `band` (absolute weight) of its holding is
    /// not traded; a name whose target is 0 is always closed.
    pub band: f64,
    /// Maximum turnover (sum of absolute weight changes) per bar: a larger trade moves every
    /// name the same fraction of the way to its target.
    pub max_trade: Option<f64>,
}

impl TurnoverControl {
    /// Whether the book simply follows the targets.
    pub fn is_off(&self) -> bool {
        self.rebalance == Rebalance::Daily && self.band == 0.0 && self.max_trade.is_none()
    }

    /// Replaces the targets `weights[t]` by the book held at t, starting flat.
    pub fn apply(&self, weights: &mut [Vec<f64>], dates: &[NaiveDate]) {
        if self.is_off() {
            return;
        }
        let p = weights.first().map_or(0, Vec::len);
        let mut held = vec![0.0; p];
        for (t, row) in weights.iter_mut().enumerate() {
            if self.rebalance.trades_at(dates, t) {
                held = self.trade(row, &held);
            }
            row.clone_from(&held);
        }
    }

    /// The book after trading from `held` towards `target` on a rebalancing date: the band,
    /// then the trade limit.
    pub fn trade(&self, target: &[f64], held: &[f64]) -> Vec<f64> {
        let mut next: Vec<f64> = target
            .iter()
            .zip(held)
            .map(
                |(&target, &h)| {
                    if target == 0.0 || (target - h).abs() > self.band {
                        target
                    } else {
                        h
                    }
                },
            )
            .collect();
        if let Some(max) = self.max_trade {
            let traded: f64 = next.iter().zip(held).map(|(a, b)| (a - b).abs()).sum();
            if traded > max {
                let f = max / traded;
                for (x, h) in next.iter_mut().zip(held) {
                    *x = h + (*x - h) * f;
                }
            }
        }
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn days(n: usize) -> Vec<NaiveDate> {
        let start = NaiveDate::from_ymd_opt(2021, 1, 1).unwrap_or_default();
        (0..n).map(|k| start + chrono::Days::new(k as u64)).collect()
    }

    #[test]
    fn smoothing_is_a_per_ticker_recursive_ewm() {
        // pandas: pd.Series([1., 0., 0., 4.]).ewm(halflife=1, adjust=False).mean()
        //   -> 1.0, 0.5, 0.25, 2.125
        let preds =
            [(0, 0, 1.0), (1, 0, 9.0), (0, 1, 0.0), (0, 2, 0.0), (1, 2, f64::NAN), (0, 3, 4.0)];
        let s = smooth(&preds, 1.0);
        let of0: Vec<f64> = s.iter().filter(|p| p.0 == 0).map(|p| p.2).collect();
        assert_eq!(of0, vec![1.0, 0.5, 0.25, 2.125]);
        assert_eq!(s[1], (1, 0, 9.0), "another ticker starts its own average");
        assert!(s[4].2.is_nan(), "a missing prediction stays missing");
    }

    #[test]
    fn schedules_trade_on_their_dates_only() {
        let d = days(40); // 2021-01-01 is a Friday
        let at = |r: Rebalance| (0..40).filter(|&t| r.trades_at(&d, t)).collect::<Vec<_>>();
        assert_eq!(at(Rebalance::Every(10)), vec![0, 10, 20, 30]);
        assert_eq!(at(Rebalance::Weekly), vec![0, 3, 10, 17, 24, 31, 38], "Mondays");
        assert_eq!(at(Rebalance::Monthly), vec![0, 31]);
        assert_eq!(at(Rebalance::Daily).len(), 40);
    }

    #[test]
    fn bands_and_trade_limits_slow_the_book_down() {
        let d = days(4);
        let mut w = vec![vec![0.5, -0.5], vec![0.52, -0.3], vec![0.0, -0.3], vec![0.0, -0.3]];
        let banded = TurnoverControl { rebalance: Rebalance::Daily, band: 0.05, max_trade: None };
        banded.apply(&mut w, &d);
        assert_eq!(w[1], vec![0.5, -0.3], "0.02 is inside the band, 0.2 is not");
        assert_eq!(w[2], vec![0.0, -0.3], "a target of 0 closes the name");
        let mut w = vec![vec![1.0, -1.0], vec![1.0, -1.0], vec![-1.0, 1.0]];
        let limited =
            TurnoverControl { rebalance: Rebalance::Daily, band: 0.0, max_trade: Some(0.5) };
        limited.apply(&mut w, &d);
        assert_eq!(w[0], vec![0.25, -0.25]);
        assert_eq!(w[1], vec![0.5, -0.5]);
        assert_eq!(w[2], vec![0.25, -0.25], "half a unit towards the reversed target");
    }

    #[test]
    fn realised_volatility_targeting_takes_out_the_risk_models_bias() {
        // one name held at weight 1 whose returns alternate +-2%: realised volatility
        // 0.02 * sqrt(252) * sqrt(n / (n - 1)) over n returns
        let n = 100;
        let returns = vec![(0..n).map(|t| if t % 2 == 0 { 0.02 } else { -0.02 }).collect()];
        let mut w = vec![vec![1.0]; n];
        target_realised_volatility(&mut w, &returns, 0.15, 20, 252.0);
        assert_eq!(w[5][0], 1.0, "too few returns at t = 5");
        let seen: f64 = 20.0;
        let realised = 0.02 * 252f64.sqrt() * (seen / (seen - 1.0)).sqrt();
        assert!((w[50][0] - 0.15 / realised).abs() < 1e-12, "{}", w[50][0]);
    }
}
