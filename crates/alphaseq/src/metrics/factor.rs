//! A factor tear sheet with alphalens-reloaded's definitions (`alphalens.utils`,
//! `alphalens.performance`, the tables of `alphalens.plotting`, and the conversions of
//! `create_full_tear_sheet(long_short=True, group_neutral=False)`), for any signal given as
//! (date, ticker, value) rows and a panel of prices.
//!
//! - Forward returns over `p` bars: `price[t + p] / price[t] - 1` on the forward-filled prices
//!   (`prices.ffill().pct_change(p).shift(-p)`), on the price calendar.
//! - Cleaning (`get_clean_factor_and_forward_returns`): rows with a non-finite value, a date or
//!   ticker the prices lack, or any missing forward return are dropped (the "forward returns"
//!   phase); then each date's values are cut into `quantiles` equal-count bins (pandas `qcut`
//!   with numpy's linear quantiles); a date whose bin edges repeat cannot be cut and all its rows
//!   are dropped (the "binning" phase, alphalens' `no_raise`).
//! - IC: per date and horizon the Spearman correlation of value and forward return (scipy
//!   `spearmanr`); its mean, standard deviation (ddof 1), mean / sd, the one-sample t-test
//!   against 0 (scipy `ttest_1samp`: t and the two-sided p-value), skewness and excess kurtosis
//!   (scipy, biased) over the dates with an IC; the mean IC per calendar month (every month
//!   from the first to the last, empty ones missing); per group (sector) the mean over dates of
//!   the IC within the group; sector-neutral: the IC after each forward return has its date and
//!   group's mean taken off.
//! - Returns by quantile: forward returns less their date's mean over all rows (`demeaned`);
//!   per quantile and date their mean, then per quantile the mean over dates and its standard
//!   error (sd over dates with ddof 1 / sqrt(dates)); per date the standard error within the
//!   quantile (sd over its names / sqrt(names)). Reported per base period (the shortest
//!   horizon b): a p-bar return r as `(1 + r)^(b/p) - 1`, a standard error as `se / sqrt(p/b)`.
//!   The spread per date is (top - bottom) / 2, with the standard error
//!   `sqrt(se_top^2 + se_bottom^2) / 2` (alphalens-reloaded 0.5's `compute_mean_returns_spread`).
//! - The factor-weighted long/short portfolio: per date weights `(v - mean) / sum |v - mean|`,
//!   its return the weighted sum of forward returns; alpha and beta by least squares on the mean
//!   forward return of every row of the date, alpha annualised as `(1 + a)^(252/p) - 1`.
//!   Cumulative returns (1-bar horizon) compound from 1 (empyrical `cum_returns`).
//! - Turnover of quantile q over `p` dates: the share of its names on a date that were not in
//!   it `p` dates before (dates with rows, in order); the factor rank autocorrelation: the
//!   Pearson correlation, over the names both dates have, of each name's rank on the date and
//!   `p` dates before. Both averaged over the dates that have them.
//! - The quantile statistics: min, max, mean, sd (ddof 1) and count of the values per quantile,
//!   and each quantile's share of the rows.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::ic::{pearson, spearman};
use super::{kurtosis, mean_std, skew};
use crate::numeric::{average_ranks, qcut};

/// The settings of a factor tear sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct FactorSpec {
    /// Forward-return horizons in bars (ascending; the first is the base period).
    pub periods: Vec<usize>,
    /// Equal-count bins per date.
    pub quantiles: usize,
}

/// The prices a factor is measured against.
#[derive(Debug, Clone, Copy)]
pub struct Prices<'a> {
    /// The calendar.
    pub dates: &'a [NaiveDate],
    /// The tickers.
    pub tickers: &'a [String],
    /// `[ticker][date]` prices (adjusted closes), NaN where none.
    pub values: &'a [Vec<f64>],
    /// Each ticker's group (sector), when known.
    pub groups: Option<&'a [Option<String>]>,
}

/// One factor value.
#[derive(Debug, Clone, PartialEq)]
pub struct FactorRow {
    /// Its date.
    pub date: NaiveDate,
    /// Its ticker.
    pub ticker: String,
    /// The value.
    pub value: f64,
}

/// alphalens' information table for one horizon.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct IcTable {
    /// Dates with an IC.
    pub dates: usize,
    /// IC Mean.
    pub mean: Option<f64>,
    /// IC Std. (ddof 1).
    pub std: Option<f64>,
    /// Risk-Adjusted IC: mean / std.
    pub risk_adjusted: Option<f64>,
    /// t-stat(IC): scipy `ttest_1samp(ic, 0)`.
    pub t_stat: Option<f64>,
    /// p-value(IC), two-sided.
    pub p_value: Option<f64>,
    /// IC Skew (scipy, biased).
    pub skew: Option<f64>,
    /// IC Kurtosis (scipy, excess, biased).
    pub kurtosis: Option<f64>,
}

/// alphalens' returns table for one horizon.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ReturnsTable {
    /// Ann. alpha of the factor-weighted portfolio on the universe's mean return.
    pub alpha: Option<f64>,
    /// Its beta.
    pub beta: Option<f64>,
    /// Mean period-wise return of the top quantile, bps (per base period, demeaned).
    pub top_bps: Option<f64>,
    /// Of the bottom quantile.
    pub bottom_bps: Option<f64>,
    /// Mean period-wise spread, bps ((top - bottom) / 2 per date, averaged).
    pub spread_bps: Option<f64>,
}

/// One quantile's values.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct QuantileStats {
    /// Smallest value.
    #[serde(with = "crate::numeric::nan_as_null")]
    pub min: f64,
    /// Largest value.
    #[serde(with = "crate::numeric::nan_as_null")]
    pub max: f64,
    /// Mean value.
    #[serde(with = "crate::numeric::nan_as_null")]
    pub mean: f64,
    /// Standard deviation (ddof 1).
    pub std: Option<f64>,
    /// Rows.
    pub count: usize,
    /// Share of all rows, in percent.
    pub count_pct: f64,
}

/// Everything the factor tear sheet shows. Per-horizon vectors follow `periods`; per-quantile
/// ones run from the lowest quantile (1) up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FactorAnalysis {
    /// Horizons in bars.
    pub periods: Vec<usize>,
    /// Quantiles.
    pub quantiles: usize,
    /// Rows given.
    pub rows_in: usize,
    /// Rows dropped for a non-finite value, an unknown date or ticker, or a missing forward
    /// return.
    pub dropped_forward: usize,
    /// Rows dropped because their date could not be cut into quantiles (repeated edges).
    pub dropped_binning: usize,
    /// Rows analysed.
    pub rows_used: usize,
    /// The dates with rows.
    pub dates: Vec<NaiveDate>,
    /// `[period][date]` IC (None where undefined).
    pub ic_by_date: Vec<Vec<Option<f64>>>,
    /// Per period: the information table.
    pub information: Vec<IcTable>,
    /// Per period: the sector-neutral information table (with groups).
    pub sector_neutral: Option<Vec<IcTable>>,
    /// Calendar months (year, month) from the first date's to the last's.
    pub months: Vec<(i32, u32)>,
    /// `[period][month]` mean IC.
    pub monthly_ic: Vec<Vec<Option<f64>>>,
    /// Per group: its mean IC per period.
    pub ic_by_group: Vec<(String, Vec<Option<f64>>)>,
    /// `[period][quantile]` mean demeaned return per base period.
    pub mean_return_by_quantile: Vec<Vec<Option<f64>>>,
    /// `[period][quantile]` its standard error.
    pub std_error_by_quantile: Vec<Vec<Option<f64>>>,
    /// Per period: the returns table.
    pub returns: Vec<ReturnsTable>,
    /// `[period][date]` top-minus-bottom spread (halved), per base period.
    pub spread_by_date: Vec<Vec<Option<f64>>>,
    /// `[period][date]` its standard error.
    pub spread_se_by_date: Vec<Vec<Option<f64>>>,
    /// `[period][date]` the factor-weighted long/short portfolio's return.
    pub factor_returns: Vec<Vec<Option<f64>>>,
    /// `[quantile][date]` mean demeaned return of the first horizon per date (for the
    /// cumulative returns by quantile).
    pub quantile_returns_by_date: Vec<Vec<Option<f64>>>,
    /// `[period][quantile]` mean turnover.
    pub turnover: Vec<Vec<Option<f64>>>,
    /// Per period: the mean factor rank autocorrelation.
    pub rank_autocorrelation: Vec<Option<f64>>,
    /// `[period][date]` the factor rank autocorrelation.
    pub rank_autocorrelation_by_date: Vec<Vec<Option<f64>>>,
    /// Per quantile: its values' statistics.
    pub quantile_statistics: Vec<QuantileStats>,
}

/// A cleaned row: date position (in `dates`), ticker, value, forward returns, quantile (0-based).
struct Row {
    date: usize,
    ticker: usize,
    value: f64,
    forward: Vec<f64>,
    quantile: usize,
}

fn mean(v: &[f64]) -> Option<f64> {
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

fn finite(v: Option<f64>) -> Option<f64> {
    v.filter(|x| x.is_finite())
}

/// The information table of per-date ICs.
fn ic_table(ics: &[Option<f64>]) -> IcTable {
    let v: Vec<f64> = ics.iter().flatten().copied().collect();
    let n = v.len();
    let (m, sd) = mean_std(&v).map_or((mean(&v), None), |(m, s)| (Some(m), Some(s)));
    let t = m.zip(sd).and_then(|(m, s)| (s > 0.0).then(|| m / (s / (n as f64).sqrt())));
    IcTable {
        dates: n,
        mean: m,
        std: sd,
        risk_adjusted: m.zip(sd).and_then(|(m, s)| (s > 0.0).then(|| m / s)),
        t_stat: t,
        p_value: t.map(|t| student_t_two_sided(t, (n - 1) as f64)),
        skew: skew(&v),
        kurtosis: kurtosis(&v),
    }
}

/// The two-sided p-value of Student's t with `df` degrees of freedom: `I_{df/(df+t^2)}(df/2,
/// 1/2)`.
pub fn student_t_two_sided(t: f64, df: f64) -> f64 {
    incomplete_beta(df / 2.0, 0.5, df / (df + t * t))
}

/// The regularised incomplete beta function `I_x(a, b)` (continued fraction by Lentz's method,
/// as Numerical Recipes' `betai`).
pub fn incomplete_beta(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let ln_front =
        libm::lgamma(a + b) - libm::lgamma(a) - libm::lgamma(b) + a * x.ln() + b * (1.0 - x).ln();
    let front = ln_front.exp();
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_fraction(a, b, x) / a
    } else {
        1.0 - front * beta_fraction(b, a, 1.0 - x) / b
    }
}

fn beta_fraction(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let floor = |v: f64| if v.abs() < TINY { TINY } else { v };
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 / floor(1.0 - qab * x / qap);
    let mut h = d;
    // one of Lentz's updates with the fraction's next coefficient; the factor h grows by
    let mut step = |aa: f64| {
        d = 1.0 / floor(1.0 + aa * d);
        c = floor(1.0 + aa / c);
        d * c
    };
    for m in 1..=300 {
        let m = m as f64;
        let m2 = 2.0 * m;
        h *= step(m * (b - m) * x / ((qam + m2) * (a + m2)));
        let del = step(-(a + m) * (qab + m) * x / ((a + m2) * (qap + m2)));
        h *= del;
        if (del - 1.0).abs() < 1e-16 {
            break;
        }
    }
    h
}

/// The factor tear sheet of `rows` against `prices`.
pub fn analyse(rows: &[FactorRow], prices: &Prices, spec: &FactorSpec) -> FactorAnalysis {
    let np = spec.periods.len();
    let q = spec.quantiles;
    let date_of: HashMap<NaiveDate, usize> =
        prices.dates.iter().enumerate().map(|(k, d)| (*d, k)).collect();
    let ticker_of: HashMap<&str, usize> =
        prices.tickers.iter().enumerate().map(|(k, t)| (t.as_str(), k)).collect();
    // forward-filled prices
    let filled: Vec<Vec<f64>> = prices
        .values
        .iter()
        .map(|p| {
            let mut last = f64::NAN;
            p.iter()
                .map(|v| {
                    if !v.is_nan() {
                        last = *v;
                    }
                    last
                })
                .collect()
        })
        .collect();
    let forward = |i: usize, t: usize, p: usize| -> f64 {
        let s = &filled[i];
        match s.get(t + p) {
            Some(end) => end / s[t] - 1.0,
            None => f64::NAN,
        }
    };
    // (calendar date, ticker, value, forward returns) of the rows that keep everything
    let mut kept: BTreeMap<usize, Vec<(usize, f64, Vec<f64>)>> = BTreeMap::new();
    let mut dropped_forward = 0;
    for r in rows {
        let found = date_of.get(&r.date).zip(ticker_of.get(r.ticker.as_str()));
        let Some((&t, &i)) = found.filter(|_| r.value.is_finite()) else {
            dropped_forward += 1;
            continue;
        };
        let fwd: Vec<f64> = spec.periods.iter().map(|&p| forward(i, t, p)).collect();
        if fwd.iter().any(|v| !v.is_finite()) {
            dropped_forward += 1;
            continue;
        }
        kept.entry(t).or_default().push((i, r.value, fwd));
    }
    // quantiles per date; a date whose edges repeat is dropped whole
    let mut dropped_binning = 0;
    let mut dates = vec![];
    let mut all: Vec<Row> = vec![];
    for (t, mut day) in kept {
        day.sort_by_key(|(i, _, _)| *i);
        let values: Vec<f64> = day.iter().map(|(_, v, _)| *v).collect();
        let (bins, count) = qcut(&values, q);
        if count != q {
            dropped_binning += day.len();
            continue;
        }
        let k = dates.len();
        dates.push(prices.dates[t]);
        for ((i, value, forward), bin) in day.into_iter().zip(bins) {
            all.push(Row { date: k, ticker: i, value, forward, quantile: bin.unwrap_or(0) });
        }
    }
    let nd = dates.len();
    let mut by_date: Vec<Vec<usize>> = vec![vec![]; nd];
    for (k, r) in all.iter().enumerate() {
        by_date[r.date].push(k);
    }
    let group_of = |r: &Row| prices.groups.and_then(|g| g[r.ticker].clone());
    // ICs
    let ic_of = |idx: &[usize], j: usize, adjust: Option<&[f64]>| -> Option<f64> {
        let v: Vec<f64> = idx.iter().map(|&k| all[k].value).collect();
        let f: Vec<f64> =
            idx.iter().map(|&k| all[k].forward[j] - adjust.map_or(0.0, |a| a[k])).collect();
        finite(spearman(&f, &v))
    };
    let ic_by_date: Vec<Vec<Option<f64>>> =
        (0..np).map(|j| by_date.iter().map(|idx| ic_of(idx, j, None)).collect()).collect();
    let information: Vec<IcTable> = ic_by_date.iter().map(|ic| ic_table(ic)).collect();
    // months from the first date's to the last's
    let mut months: Vec<(i32, u32)> = vec![];
    if let (Some(first), Some(last)) = (dates.first(), dates.last()) {
        let (mut y, mut m) = (first.year(), first.month());
        while (y, m) <= (last.year(), last.month()) {
            months.push((y, m));
            (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        }
    }
    let monthly_ic: Vec<Vec<Option<f64>>> = ic_by_date
        .iter()
        .map(|ic| {
            months
                .iter()
                .map(|&(y, m)| {
                    let v: Vec<f64> = dates
                        .iter()
                        .zip(ic)
                        .filter(|(d, _)| d.year() == y && d.month() == m)
                        .filter_map(|(_, v)| *v)
                        .collect();
                    mean(&v)
                })
                .collect()
        })
        .collect();
    // groups
    let mut ic_by_group = vec![];
    let mut sector_neutral = None;
    if prices.groups.is_some() {
        let mut names: Vec<String> = all.iter().filter_map(group_of).collect();
        names.sort();
        names.dedup();
        for g in &names {
            let per: Vec<Option<f64>> = (0..np)
                .map(|j| {
                    let v: Vec<f64> = by_date
                        .iter()
                        .filter_map(|idx| {
                            let mine: Vec<usize> = idx
                                .iter()
                                .copied()
                                .filter(|&k| group_of(&all[k]).as_deref() == Some(g.as_str()))
                                .collect();
                            (!mine.is_empty()).then(|| ic_of(&mine, j, None)).flatten()
                        })
                        .collect();
                    mean(&v)
                })
                .collect();
            ic_by_group.push((g.clone(), per));
        }
        sector_neutral = Some(
            (0..np)
                .map(|j| {
                    // each forward return less its date and group's mean
                    let mut adjust = vec![0.0; all.len()];
                    for idx in &by_date {
                        let mut sums: HashMap<Option<String>, (f64, usize)> = HashMap::new();
                        for &k in idx {
                            let e = sums.entry(group_of(&all[k])).or_default();
                            e.0 += all[k].forward[j];
                            e.1 += 1;
                        }
                        for &k in idx {
                            let (s, n) = sums[&group_of(&all[k])];
                            adjust[k] = s / n as f64;
                        }
                    }
                    let ics: Vec<Option<f64>> =
                        by_date.iter().map(|idx| ic_of(idx, j, Some(&adjust))).collect();
                    ic_table(&ics)
                })
                .collect(),
        );
    }
    // returns by quantile, demeaned by the date's mean
    let base = spec.periods[0] as f64;
    let rate = |r: f64, p: usize| (1.0 + r).powf(base / p as f64) - 1.0;
    let se_rate = |s: f64, p: usize| s / (p as f64 / base).sqrt();
    let mut mean_return_by_quantile = vec![];
    let mut std_error_by_quantile = vec![];
    let mut spread_by_date = vec![];
    let mut spread_se_by_date = vec![];
    let mut factor_returns = vec![];
    let mut returns = vec![];
    let mut quantile_returns_by_date = vec![vec![None; nd]; q];
    for (j, &p) in spec.periods.iter().enumerate() {
        // [quantile][date] mean and standard error of the demeaned returns
        let mut qmean = vec![vec![None; nd]; q];
        let mut qse = vec![vec![None; nd]; q];
        let mut universe = vec![None; nd];
        let mut fr = vec![None; nd];
        for (d, idx) in by_date.iter().enumerate() {
            let fwd: Vec<f64> = idx.iter().map(|&k| all[k].forward[j]).collect();
            let day_mean = mean(&fwd);
            universe[d] = day_mean;
            for (b, (m_out, se_out)) in qmean.iter_mut().zip(qse.iter_mut()).enumerate() {
                let v: Vec<f64> = idx
                    .iter()
                    .filter(|&&k| all[k].quantile == b)
                    .map(|&k| all[k].forward[j] - day_mean.unwrap_or(0.0))
                    .collect();
                m_out[d] = mean(&v);
                se_out[d] = mean_std(&v).map(|(_, s)| s / (v.len() as f64).sqrt());
            }
            // factor weights: demeaned values over their absolute sum
            let v: Vec<f64> = idx.iter().map(|&k| all[k].value).collect();
            let vm = mean(&v).unwrap_or(0.0);
            let denom: f64 = v.iter().map(|x| (x - vm).abs()).sum();
            fr[d] = Some(if denom == 0.0 {
                0.0
            } else {
                v.iter().zip(&fwd).map(|(x, r)| (x - vm) / denom * r).sum()
            });
        }
        let per_q: Vec<(Option<f64>, Option<f64>)> = qmean
            .iter()
            .map(|m| {
                let v: Vec<f64> = m.iter().flatten().copied().collect();
                let se = mean_std(&v).map(|(_, s)| s / (v.len() as f64).sqrt());
                (mean(&v).map(|x| rate(x, p)), se.map(|s| se_rate(s, p)))
            })
            .collect();
        let spread: Vec<Option<f64>> = (0..nd)
            .map(|d| {
                let (top, bottom) = (qmean[q - 1][d]?, qmean[0][d]?);
                Some((rate(top, p) - rate(bottom, p)) / 2.0)
            })
            .collect();
        let spread_se: Vec<Option<f64>> = (0..nd)
            .map(|d| {
                let (a, b) = (qse[q - 1][d]?, qse[0][d]?);
                Some((se_rate(a, p).powi(2) + se_rate(b, p).powi(2)).sqrt() / 2.0)
            })
            .collect();
        let (alpha, beta) = ols(&universe, &fr)
            .map_or((None, None), |(a, b)| (Some((1.0 + a).powf(252.0 / p as f64) - 1.0), Some(b)));
        let spread_values: Vec<f64> = spread.iter().flatten().copied().collect();
        returns.push(ReturnsTable {
            alpha,
            beta,
            top_bps: per_q[q - 1].0.map(|x| x * 1e4),
            bottom_bps: per_q[0].0.map(|x| x * 1e4),
            spread_bps: mean(&spread_values).map(|x| x * 1e4),
        });
        if j == 0 {
            quantile_returns_by_date =
                qmean.iter().map(|m| m.iter().map(|v| v.map(|x| rate(x, p))).collect()).collect();
        }
        mean_return_by_quantile.push(per_q.iter().map(|(m, _)| *m).collect());
        std_error_by_quantile.push(per_q.iter().map(|(_, s)| *s).collect());
        spread_by_date.push(spread);
        spread_se_by_date.push(spread_se);
        factor_returns.push(fr);
    }
    // turnover and rank autocorrelation over `p` dates with rows
    let members: Vec<Vec<std::collections::BTreeSet<usize>>> = (0..q)
        .map(|b| {
            by_date
                .iter()
                .map(|idx| {
                    idx.iter().filter(|&&k| all[k].quantile == b).map(|&k| all[k].ticker).collect()
                })
                .collect()
        })
        .collect();
    let turnover: Vec<Vec<Option<f64>>> = spec
        .periods
        .iter()
        .map(|&p| {
            members
                .iter()
                .map(|sets| {
                    let v: Vec<f64> = (p..nd)
                        .map(|d| {
                            let now = &sets[d];
                            let new = now.difference(&sets[d - p]).count();
                            new as f64 / now.len().max(1) as f64
                        })
                        .collect();
                    mean(&v)
                })
                .collect()
        })
        .collect();
    let ranks: Vec<HashMap<usize, f64>> = by_date
        .iter()
        .map(|idx| {
            let v: Vec<f64> = idx.iter().map(|&k| all[k].value).collect();
            idx.iter().map(|&k| all[k].ticker).zip(average_ranks(&v)).collect()
        })
        .collect();
    let rank_autocorrelation_by_date: Vec<Vec<Option<f64>>> = spec
        .periods
        .iter()
        .map(|&p| {
            (0..nd)
                .map(|d| {
                    let before = &ranks[d.checked_sub(p)?];
                    let mut names: Vec<usize> =
                        ranks[d].keys().filter(|k| before.contains_key(k)).copied().collect();
                    names.sort_unstable();
                    let now: Vec<f64> = names.iter().map(|k| ranks[d][k]).collect();
                    let then: Vec<f64> = names.iter().map(|k| before[k]).collect();
                    finite(pearson(&now, &then))
                })
                .collect()
        })
        .collect();
    let rank_autocorrelation = rank_autocorrelation_by_date
        .iter()
        .map(|s| mean(&s.iter().flatten().copied().collect::<Vec<_>>()))
        .collect();
    let quantile_statistics = (0..q)
        .map(|b| {
            let v: Vec<f64> = all.iter().filter(|r| r.quantile == b).map(|r| r.value).collect();
            QuantileStats {
                min: v.iter().copied().fold(f64::INFINITY, f64::min),
                max: v.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                mean: mean(&v).unwrap_or(f64::NAN),
                std: mean_std(&v).map(|(_, s)| s),
                count: v.len(),
                count_pct: v.len() as f64 / all.len().max(1) as f64 * 100.0,
            }
        })
        .collect();
    FactorAnalysis {
        periods: spec.periods.clone(),
        quantiles: q,
        rows_in: rows.len(),
        dropped_forward,
        dropped_binning,
        rows_used: all.len(),
        dates,
        ic_by_date,
        information,
        sector_neutral,
        months,
        monthly_ic,
        ic_by_group,
        mean_return_by_quantile,
        std_error_by_quantile,
        returns,
        spread_by_date,
        spread_se_by_date,
        factor_returns,
        quantile_returns_by_date,
        turnover,
        rank_autocorrelation,
        rank_autocorrelation_by_date,
        quantile_statistics,
    }
}

/// Least squares `y = a + b x` over the pairs with both (statsmodels `OLS(missing="drop")`).
fn ols(x: &[Option<f64>], y: &[Option<f64>]) -> Option<(f64, f64)> {
    let pairs: Vec<(f64, f64)> =
        x.iter().zip(y).filter_map(|(a, b)| Some(((*a)?, (*b)?))).collect();
    let n = pairs.len() as f64;
    if pairs.len() < 2 {
        return None;
    }
    let (mx, my) =
        (pairs.iter().map(|p| p.0).sum::<f64>() / n, pairs.iter().map(|p| p.1).sum::<f64>() / n);
    let sxx: f64 = pairs.iter().map(|p| (p.0 - mx) * (p.0 - mx)).sum();
    let sxy: f64 = pairs.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    (sxx > 0.0).then(|| {
        let b = sxy / sxx;
        (my - b * mx, b)
    })
}
