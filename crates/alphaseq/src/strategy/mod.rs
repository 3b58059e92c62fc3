//! Trading rules: from predictions to target weights. A weight decided at the close of t uses only
//! predictions made at t. Names are equally weighted so that gross exposure is at most 1.
//!
//! Benchmarks ([`Benchmark`]) are weights on the same dates and names as the strategy.
//!
//! Between the rule and the book ([`control`]): the signal may be smoothed, the volatility
//! target corrected by the strategy's own realised volatility, and the book's trades held back
//! by a rebalancing schedule, no-trade bands and a maximum trade per bar.
//!
//! Depends on [`crate::numeric`] and [`crate::portfolio`] only.

pub mod control;
pub mod optimized;
pub mod topk;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use control::{Rebalance, TurnoverControl};
pub use optimized::{Alpha, OptimizerSpec};
pub use topk::TopkDropoutSpec;

use crate::backtest::Costs;
use crate::data::OwnCalendar;
use crate::portfolio::{self, Estimator, MeanVarianceSpec, Neutrality};

/// How predictions become positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// +1 if the prediction is positive, -1 if negative, 0 if zero; divided by the number of names
    /// with a prediction that date.
    #[default]
    LongShort,
    /// +1 if the prediction is positive, else 0; divided by the number of names with a prediction.
    LongFlat,
    /// +1 if the prediction (a probability) is above `threshold`, else 0; divided by the number
    /// of names with a prediction (the threshold strategies of direction classifiers).
    LongAbove,
    /// +1 above `threshold`, -1 at or below it; divided by the number of names with a prediction.
    LongShortAround,
    /// Cross-sectional: long the top and short the bottom of `quantiles` prediction quantiles
    /// that date (pandas `qcut`, duplicate edges dropped), each side equally weighted to 1/2, so
    /// gross exposure is 1 and the book is dollar neutral.
    TopBottom,
    /// Cross-sectional mean-variance weights `C^-1 mu` with the predictions as `mu`, under the
    /// `neutral` constraint, covariance by `covariance` over `cov_window` bars, gross 1.
    MeanVariance,
    /// Qlib's TopkDropout: hold the `topk` best names, replace at most `n_drop` a rebalance
    /// ([`topk`], `[strategy.topk_dropout]`).
    TopkDropout,
}

impl Rule {
    /// How the rule reads in a report.
    pub fn label(self) -> &'static str {
        match self {
            Rule::LongShort => "long/short on the sign of the prediction",
            Rule::LongFlat => "long/flat on the sign of the prediction",
            Rule::LongAbove => "long when the prediction is above the threshold, else flat",
            Rule::LongShortAround => "long above the threshold, short at or below",
            Rule::TopBottom => "long the top, short the bottom prediction quantile",
            Rule::MeanVariance => "mean-variance weights on the predictions",
            Rule::TopkDropout => "Qlib's TopkDropout: the top k names, at most n replaced a day",
        }
    }
}

/// Strategy options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StrategySpec {
    /// The rule.
    pub rule: Rule,
    /// Transaction cost in basis points of the absolute change of each weight.
    pub cost_bps: f64,
    /// Costs by side and by name, and a minimum per trade (`cost_bps` is then the default
    /// rate of both sides).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub costs: Option<CostSpec>,
    /// Extra bars between the decision and the first return it earns (0 = earn t -> t+1).
    pub execution_lag: usize,
    /// The threshold of `long_above` and `long_short_around`.
    pub threshold: f64,
    /// `long_above` and `long_short_around`: choose the threshold among the sweep's
    /// ([`crate::pipeline::SWEEP_THRESHOLDS`]) by the Sharpe ratio traded on the validation
    /// predictions (averaged over the folds), instead of `threshold`; never on the test span.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub choose_threshold: bool,
    /// The number of quantiles of `top_bottom`.
    pub quantiles: usize,
    /// `mean_variance` and volatility targeting: the covariance estimator.
    pub covariance: Estimator,
    /// `mean_variance` and volatility targeting: trailing bars of returns for the covariance.
    pub cov_window: usize,
    /// `mean_variance`: the neutrality constraint.
    pub neutral: Neutrality,
    /// Scale every date's weights (of the strategy and the benchmarks) to this ex-ante annual
    /// volatility, e.g. 0.15; none keeps gross exposure at most 1.
    pub vol_target: Option<f64>,
    /// Cap on gross exposure after volatility targeting.
    pub max_gross: Option<f64>,
    /// With `vol_target`: also scale by the target over the realised volatility of the
    /// volatility-targeted weights' own returns over this many trailing bars (lagged: returns
    /// booked by t), correcting the covariance's bias ([`control::target_realised_volatility`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub realised_vol_window: Option<usize>,
    /// Smooth each ticker's predictions by an exponentially weighted mean with this half-life in
    /// bars before the rule ([`control::smooth`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub smoothing_halflife: Option<f64>,
    /// When the book trades: `"daily"`, `"weekly"`, `"monthly"` or every N bars.
    #[serde(skip_serializing_if = "is_daily")]
    pub rebalance: Rebalance,
    /// No-trade band in absolute weight: names whose target is this close to their holding are
    /// not traded.
    #[serde(skip_serializing_if = "is_zero")]
    pub no_trade_band: f64,
    /// Maximum turnover (sum of absolute weight changes) per bar.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_trade: Option<f64>,
    /// `mean_variance` only: the cost-aware program from the held book instead of the closed
    /// form ([`optimized`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub optimizer: Option<OptimizerSpec>,
    /// `topk_dropout`'s settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topk_dropout: Option<TopkDropoutSpec>,
    /// Benchmarks run on the same dates and names (besides buy and hold of `data.benchmark`).
    pub benchmarks: Vec<Benchmark>,
    /// The momentum benchmarks' trailing returns are traded by the strategy's own rule (for
    /// `mean_variance`: the same covariance, neutrality and volatility target), as the
    /// deep-momentum paper compares them, instead of as dollar-neutral signal weights.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub benchmarks_through_rule: bool,
}

/// `[strategy.costs]`: Qlib's exchange cost model (`open_cost`, `close_cost`, `min_cost`) with
/// rates per name: a buy (a weight going up) pays `buy_bps`, a sell `sell_bps`, a name listed
/// in `by_ticker` its own rate (one number for both sides, or `[buy, sell]`), and every trade
/// at least `min_cost / capital` of capital (currency units, as Qlib's `min_cost` of 5 on an
/// account of `capital`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CostSpec {
    /// Basis points of a buy; default `strategy.cost_bps`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buy_bps: Option<f64>,
    /// Basis points of a sell; default `strategy.cost_bps`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sell_bps: Option<f64>,
    /// The least a trade costs, in currency (needs `capital`).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub min_cost: f64,
    /// The book's capital in currency, for `min_cost`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capital: Option<f64>,
    /// Rates of single names.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub by_ticker: std::collections::BTreeMap<String, TickerCost>,
}

/// A name's own cost rate: one number of basis points for both sides, or `[buy, sell]`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum TickerCost {
    /// Both sides.
    Both(f64),
    /// `[buy, sell]`.
    Sides([f64; 2]),
}

impl TickerCost {
    /// `(buy, sell)` basis points.
    pub fn sides(self) -> (f64, f64) {
        match self {
            TickerCost::Both(b) => (b, b),
            TickerCost::Sides([b, s]) => (b, s),
        }
    }
}

/// A benchmark strategy on the names the strategy trades each date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Benchmark {
    /// Long every name with a prediction, equally weighted.
    EqualWeight,
    /// Market-neutral momentum: weights proportional to each name's trailing 21-bar return
    /// minus the cross-sectional mean, gross 1.
    #[serde(rename = "momentum_21")]
    Momentum21,
    /// As `momentum_21` over 63 bars.
    #[serde(rename = "momentum_63")]
    Momentum63,
    /// As `momentum_21` over 126 bars.
    #[serde(rename = "momentum_126")]
    Momentum126,
}

impl Benchmark {
    /// Display name, as traded by the strategy's rule (`through_rule`) or by its own weights.
    pub fn label_for(self, through_rule: bool) -> &'static str {
        match (self, through_rule) {
            (Benchmark::Momentum21, true) => "momentum 21 (through the strategy's rule)",
            (Benchmark::Momentum63, true) => "momentum 63 (through the strategy's rule)",
            (Benchmark::Momentum126, true) => "momentum 126 (through the strategy's rule)",
            _ => self.label(),
        }
    }

    /// Display name.
    pub fn label(self) -> &'static str {
        match self {
            Benchmark::EqualWeight => "equal weight long-only",
            Benchmark::Momentum21 => "momentum 21 (market neutral)",
            Benchmark::Momentum63 => "momentum 63 (market neutral)",
            Benchmark::Momentum126 => "momentum 126 (market neutral)",
        }
    }

    /// Identifier in files (as in the config).
    pub fn key(self) -> &'static str {
        match self {
            Benchmark::EqualWeight => "equal_weight",
            Benchmark::Momentum21 => "momentum_21",
            Benchmark::Momentum63 => "momentum_63",
            Benchmark::Momentum126 => "momentum_126",
        }
    }
}

fn is_daily(r: &Rebalance) -> bool {
    *r == Rebalance::Daily
}

fn is_zero(v: &f64) -> bool {
    *v == 0.0
}

impl StrategySpec {
    /// The turnover control the spec asks for.
    pub fn turnover_control(&self) -> TurnoverControl {
        TurnoverControl {
            rebalance: self.rebalance,
            band: self.no_trade_band,
            max_trade: self.max_trade,
        }
    }

    /// The costs of trading `tickers` (the panel's, in order): `cost_bps` on every trade, or
    /// `[strategy.costs]`.
    pub fn costs(&self, tickers: &[String]) -> Costs {
        let Some(c) = &self.costs else { return Costs::flat(self.cost_bps) };
        Costs {
            buy_bps: c.buy_bps.unwrap_or(self.cost_bps),
            sell_bps: c.sell_bps.unwrap_or(self.cost_bps),
            per_name: tickers.iter().map(|t| c.by_ticker.get(t).map(|r| r.sides())).collect(),
            min_cost: c.capital.map_or(0.0, |k| c.min_cost / k),
        }
    }

    /// Whether any trade pays anything.
    pub fn charges_costs(&self) -> bool {
        self.cost_bps != 0.0 || self.costs.is_some()
    }

    /// The costs in words, e.g. `5 bps costs` or `buy 5 / sell 15 bps, 3 names at their own
    /// rates, at least 5 a trade on 100000000`.
    pub fn cost_label(&self) -> String {
        let Some(c) = &self.costs else { return format!("{} bps costs", self.cost_bps) };
        let (buy, sell) = (c.buy_bps.unwrap_or(self.cost_bps), c.sell_bps.unwrap_or(self.cost_bps));
        let mut out = if buy == sell {
            format!("{buy} bps costs")
        } else {
            format!("costs: buy {buy} / sell {sell} bps")
        };
        if !c.by_ticker.is_empty() {
            out.push_str(&format!(", {} names at their own rates", c.by_ticker.len()));
        }
        if let (Some(capital), true) = (c.capital, c.min_cost > 0.0) {
            out.push_str(&format!(", at least {} a trade on {capital}", c.min_cost));
        }
        out
    }

    /// The first key whose weights at t depend on predictions or holdings before t (the
    /// optimizer, smoothing, turnover control), if any.
    pub fn path_dependent_key(&self) -> Option<&'static str> {
        if self.optimizer.is_some() {
            return Some("strategy.optimizer");
        }
        if self.rule == Rule::TopkDropout {
            return Some("strategy.rule");
        }
        if self.smoothing_halflife.is_some() {
            return Some("strategy.smoothing_halflife");
        }
        let c = self.turnover_control();
        if c.rebalance != Rebalance::Daily {
            return Some("strategy.rebalance");
        }
        if c.band != 0.0 {
            return Some("strategy.no_trade_band");
        }
        c.max_trade.map(|_| "strategy.max_trade")
    }
}

/// What rules need besides predictions: simple returns `returns[ticker][t]` (bar t's return is
/// known at the close of t), a sector id per ticker, the calendar, and the annualisation.
#[derive(Debug, Clone, Copy)]
pub struct Market<'a> {
    /// The calendar's dates (rebalancing schedules).
    pub dates: &'a [NaiveDate],
    /// Simple returns per ticker and date.
    pub returns: &'a [Vec<f64>],
    /// Sector id per ticker (none: no sector).
    pub sectors: &'a [Option<usize>],
    /// 252 daily, 52 weekly, 12 monthly.
    pub periods_per_year: f64,
    /// What trading each ticker costs (the cost-aware program's cost term).
    pub costs: &'a Costs,
    /// On own calendars (`data.calendar = "own"`): each ticker's bars. A ticker whose market
    /// is closed on a date keeps its forecast and its weight of its last bar.
    pub own: Option<&'a [OwnCalendar]>,
}

impl Default for StrategySpec {
    fn default() -> Self {
        StrategySpec {
            rule: Rule::LongShort,
            cost_bps: 0.0,
            costs: None,
            execution_lag: 0,
            threshold: 0.5,
            choose_threshold: false,
            quantiles: 5,
            covariance: Estimator::LedoitWolf,
            cov_window: 63,
            neutral: Neutrality::Sector,
            vol_target: None,
            max_gross: None,
            realised_vol_window: None,
            smoothing_halflife: None,
            rebalance: Rebalance::Daily,
            no_trade_band: 0.0,
            max_trade: None,
            optimizer: None,
            topk_dropout: None,
            benchmarks: vec![
                Benchmark::EqualWeight,
                Benchmark::Momentum21,
                Benchmark::Momentum63,
                Benchmark::Momentum126,
            ],
            benchmarks_through_rule: false,
        }
    }
}

/// Target weights `weights[t][ticker]` (0 where no position) from predictions
/// `(ticker, t, prediction)` on a calendar of `n_dates` dates, volatility-targeted when the
/// spec asks.
pub fn weights(
    spec: &StrategySpec,
    predictions: &[(usize, usize, f64)],
    market: &Market,
    n_dates: usize,
) -> Vec<Vec<f64>> {
    on_own_calendars(market, predictions, |p| weights_on_dates(spec, p, market, n_dates))
}

/// `weigh(predictions)` on one calendar; on own calendars ([`Market::own`]) a ticker's forecast
/// of its last bar stands on the dates its market is closed, so the rule sees every listed
/// ticker every day, and its weight is held there (nothing can trade in a closed market), so
/// that a position taken on Friday earns Monday's return, measured from Friday's close.
fn on_own_calendars(
    market: &Market,
    predictions: &[(usize, usize, f64)],
    weigh: impl FnOnce(&[(usize, usize, f64)]) -> Vec<Vec<f64>>,
) -> Vec<Vec<f64>> {
    let Some(own) = market.own else { return weigh(predictions) };
    let mut carried = predictions.to_vec();
    for &(i, t, p) in predictions.iter().filter(|&&(i, t, _)| own[i].is_bar(t)) {
        carried.extend(own[i].closed_after(t).map(|u| (i, u, p)));
    }
    let mut w = weigh(&carried);
    for t in 1..w.len() {
        for (i, own) in own.iter().enumerate() {
            if own.is_closed(t) {
                w[t][i] = w[t - 1][i];
            }
        }
    }
    w
}

/// [`weights`] on one calendar.
fn weights_on_dates(
    spec: &StrategySpec,
    predictions: &[(usize, usize, f64)],
    market: &Market,
    n_dates: usize,
) -> Vec<Vec<f64>> {
    let smoothed = spec.smoothing_halflife.map(|h| control::smooth(predictions, h));
    let predictions = smoothed.as_deref().unwrap_or(predictions);
    if let (Rule::MeanVariance, Some(opt)) = (spec.rule, &spec.optimizer) {
        return optimized::weights(spec, opt, predictions, market, n_dates);
    }
    let mut w = if let (Rule::TopkDropout, Some(topk)) = (spec.rule, &spec.topk_dropout) {
        let n_tickers = market.returns.len();
        // its own schedule: the book it holds between rebalances is the one it trades from
        let rebalance = spec.rebalance;
        topk::weights(topk, predictions, n_dates, n_tickers, |t| {
            rebalance.trades_at(market.dates, t)
        })
    } else if spec.rule == Rule::MeanVariance {
        let mv = MeanVarianceSpec {
            estimator: spec.covariance,
            window: spec.cov_window,
            neutral: spec.neutral,
        };
        portfolio::mean_variance_weights(predictions, market.returns, market.sectors, &mv, n_dates)
    } else {
        rule_weights(spec, predictions, n_dates, market.returns.len())
    };
    scale(spec, &mut w, market);
    spec.turnover_control().apply(&mut w, market.dates);
    w
}

/// Applies the spec's volatility target, if any: ex ante, then on the weights' realised
/// volatility when asked, then the gross cap.
fn scale(spec: &StrategySpec, w: &mut [Vec<f64>], market: &Market) {
    let Some(target) = spec.vol_target else { return };
    portfolio::target_volatility(
        w,
        market.returns,
        target,
        spec.cov_window,
        spec.covariance,
        market.periods_per_year,
        spec.max_gross,
    );
    if let Some(window) = spec.realised_vol_window {
        control::target_realised_volatility(
            w,
            market.returns,
            target,
            window,
            market.periods_per_year,
        );
        if let Some(cap) = spec.max_gross {
            for row in w.iter_mut() {
                let gross: f64 = row.iter().map(|v| v.abs()).sum();
                if gross > cap {
                    row.iter_mut().for_each(|v| *v *= cap / gross);
                }
            }
        }
    }
}

/// The weights of `benchmark` on the dates and names of `predictions` (their values unused),
/// volatility-targeted like the strategy when the spec asks; with `benchmarks_through_rule`,
/// a momentum benchmark's trailing returns are the predictions of the strategy's own rule.
pub fn benchmark_weights(
    benchmark: Benchmark,
    spec: &StrategySpec,
    predictions: &[(usize, usize, f64)],
    market: &Market,
    n_dates: usize,
) -> Vec<Vec<f64>> {
    on_own_calendars(market, predictions, |p| {
        benchmark_on_dates(benchmark, spec, p, market, n_dates)
    })
}

/// [`benchmark_weights`] on one calendar.
fn benchmark_on_dates(
    benchmark: Benchmark,
    spec: &StrategySpec,
    predictions: &[(usize, usize, f64)],
    market: &Market,
    n_dates: usize,
) -> Vec<Vec<f64>> {
    let n_tickers = market.returns.len();
    let mut w = vec![vec![0.0; n_tickers]; n_dates];
    let mut by_date: Vec<Vec<usize>> = vec![vec![]; n_dates];
    for &(i, t, p) in predictions {
        if p.is_finite() {
            by_date[t].push(i);
        }
    }
    let lookback = match benchmark {
        Benchmark::EqualWeight => 0,
        Benchmark::Momentum21 => 21,
        Benchmark::Momentum63 => 63,
        Benchmark::Momentum126 => 126,
    };
    if lookback > 0 && spec.benchmarks_through_rule {
        let signals: Vec<(usize, usize, f64)> = by_date
            .iter()
            .enumerate()
            .flat_map(|(t, names)| {
                names.iter().filter_map(move |&i| {
                    trailing_return(&market.returns[i], t, lookback).map(|r| (i, t, r))
                })
            })
            .collect();
        return weights_on_dates(spec, &signals, market, n_dates);
    }
    for (t, names) in by_date.iter().enumerate() {
        if lookback == 0 {
            for &i in names {
                w[t][i] = 1.0 / names.len() as f64;
            }
            continue;
        }
        let signals: Vec<(usize, f64)> = names
            .iter()
            .filter_map(|&i| trailing_return(&market.returns[i], t, lookback).map(|r| (i, r)))
            .collect();
        let mean = signals.iter().map(|(_, r)| r).sum::<f64>() / signals.len().max(1) as f64;
        let gross: f64 = signals.iter().map(|(_, r)| (r - mean).abs()).sum();
        if gross > 0.0 {
            for &(i, r) in &signals {
                w[t][i] = (r - mean) / gross;
            }
        }
    }
    scale(spec, &mut w, market);
    w
}

/// The compounded return of bars `t - h + 1 ..= t` (from the close of t - h to the close of t),
/// or `None` if any is missing or the window starts before the calendar.
fn trailing_return(returns: &[f64], t: usize, h: usize) -> Option<f64> {
    let from = (t + 1).checked_sub(h)?;
    let window = &returns[from..=t];
    window
        .iter()
        .all(|r| r.is_finite())
        .then(|| window.iter().map(|r| 1.0 + r).product::<f64>() - 1.0)
}

/// The per-date rules (all but `mean_variance`).
fn rule_weights(
    spec: &StrategySpec,
    predictions: &[(usize, usize, f64)],
    n_dates: usize,
    n_tickers: usize,
) -> Vec<Vec<f64>> {
    let mut w = vec![vec![0.0; n_tickers]; n_dates];
    let mut by_date: Vec<Vec<(usize, f64)>> = vec![vec![]; n_dates];
    for &(i, t, p) in predictions {
        if p.is_finite() {
            by_date[t].push((i, p));
        }
    }
    for (t, names) in by_date.iter().enumerate() {
        let n = names.len() as f64;
        if spec.rule == Rule::TopBottom {
            let preds: Vec<f64> = names.iter().map(|(_, p)| *p).collect();
            let (bins, count) = crate::numeric::qcut(&preds, spec.quantiles);
            if count < 2 {
                continue;
            }
            let side = |b: usize| {
                if b == count - 1 {
                    1.0
                } else if b == 0 {
                    -1.0
                } else {
                    0.0
                }
            };
            let longs = bins.iter().filter(|b| **b == Some(count - 1)).count() as f64;
            let shorts = bins.iter().filter(|b| **b == Some(0)).count() as f64;
            for ((i, _), b) in names.iter().zip(&bins) {
                if let Some(b) = b {
                    let s = side(*b);
                    let size = if s > 0.0 { 0.5 / longs } else { 0.5 / shorts };
                    w[t][*i] = s * size;
                }
            }
            continue;
        }
        for &(i, p) in names {
            let side = match spec.rule {
                Rule::LongShort => p.signum() * f64::from(u8::from(p != 0.0)),
                Rule::LongFlat => f64::from(u8::from(p > 0.0)),
                Rule::LongAbove => f64::from(u8::from(p > spec.threshold)),
                Rule::LongShortAround => {
                    if p > spec.threshold {
                        1.0
                    } else {
                        -1.0
                    }
                }
                Rule::TopBottom | Rule::MeanVariance | Rule::TopkDropout => 0.0,
            };
            w[t][i] = side / n;
        }
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_weights_by_sign() {
        let preds = [(0, 0, 0.2), (1, 0, -0.1), (2, 0, 0.0), (0, 1, 0.3)];
        let spec = |rule| StrategySpec { rule, ..StrategySpec::default() };
        let ls = rule_weights(&spec(Rule::LongShort), &preds, 2, 3);
        assert_eq!(ls[0], vec![1.0 / 3.0, -1.0 / 3.0, 0.0]);
        assert_eq!(ls[1], vec![1.0, 0.0, 0.0]);
        let lf = rule_weights(&spec(Rule::LongFlat), &preds, 2, 3);
        assert_eq!(lf[0], vec![1.0 / 3.0, 0.0, 0.0]);
        let probs = [(0, 0, 0.7), (1, 0, 0.5), (2, 0, 0.2)];
        let above =
            rule_weights(&StrategySpec { threshold: 0.6, ..spec(Rule::LongAbove) }, &probs, 1, 3);
        assert_eq!(above[0], vec![1.0 / 3.0, 0.0, 0.0]);
        let around = rule_weights(&spec(Rule::LongShortAround), &probs, 1, 3);
        assert_eq!(around[0], vec![1.0 / 3.0, -1.0 / 3.0, -1.0 / 3.0], "at the threshold is short");
    }

    #[test]
    fn top_bottom_is_dollar_neutral_with_unit_gross() {
        let preds: Vec<(usize, usize, f64)> = (0..10).map(|i| (i, 0, i as f64)).collect();
        let w = rule_weights(
            &StrategySpec { rule: Rule::TopBottom, ..StrategySpec::default() },
            &preds,
            1,
            10,
        );
        // quintiles of 0..9: bottom {0, 1}, top {8, 9}
        assert_eq!(w[0][..2], [-0.25, -0.25]);
        assert_eq!(w[0][8..], [0.25, 0.25]);
        assert_eq!(w[0].iter().sum::<f64>(), 0.0);
        assert_eq!(w[0].iter().map(|x| x.abs()).sum::<f64>(), 1.0);
        assert!(w[0][2..8].iter().all(|x| *x == 0.0));
    }

    #[test]
    fn momentum_benchmark_is_market_neutral_on_trailing_returns() {
        // three names, 30 dates; name 0 rises 1% a bar, name 1 is flat, name 2 falls 1%
        let returns: Vec<Vec<f64>> = [0.01, 0.0, -0.01].iter().map(|r| vec![*r; 30]).collect();
        let sectors = [None; 3];
        let costs = Costs::flat(0.0);
        let market = Market {
            dates: &[],
            returns: &returns,
            sectors: &sectors,
            periods_per_year: 252.0,
            costs: &costs,
            own: None,
        };
        let preds = [(0, 25, 0.0), (1, 25, 0.0), (2, 25, 0.0), (0, 10, 0.0), (1, 10, 0.0)];
        let spec = StrategySpec::default();
        let w = benchmark_weights(Benchmark::Momentum21, &spec, &preds, &market, 30);
        assert!(w[10].iter().all(|x| *x == 0.0), "no 21-bar history at t = 10");
        assert!(w[25].iter().sum::<f64>().abs() < 1e-15, "market neutral");
        assert!((w[25].iter().map(|x| x.abs()).sum::<f64>() - 1.0).abs() < 1e-15);
        assert!(w[25][0] > 0.0 && w[25][2] < 0.0 && w[25][0] > w[25][1] && w[25][1] > w[25][2]);
        let ew = benchmark_weights(Benchmark::EqualWeight, &spec, &preds, &market, 30);
        assert_eq!(ew[10], vec![0.5, 0.5, 0.0]);
        assert_eq!(trailing_return(&returns[0], 25, 2), Some(1.01 * 1.01 - 1.0));
        // through the strategy's rule: the trailing returns are its predictions (long/short on
        // the sign: long the riser, short the faller, the flat name not held)
        let through = StrategySpec { benchmarks_through_rule: true, ..spec.clone() };
        let w = benchmark_weights(Benchmark::Momentum21, &through, &preds, &market, 30);
        assert_eq!(w[25], vec![1.0 / 3.0, 0.0, -1.0 / 3.0]);
        assert!(w[10].iter().all(|x| *x == 0.0), "no 21-bar history at t = 10");
        let ew = benchmark_weights(Benchmark::EqualWeight, &through, &preds, &market, 30);
        assert_eq!(ew[10], vec![0.5, 0.5, 0.0], "equal weight has no signal to pass on");
    }
}
