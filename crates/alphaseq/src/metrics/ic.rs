//! Information coefficients of a cross-sectional forecast: per date, the correlation between the
//! predictions and the realised returns of the tickers with both.
//!
//! - Spearman IC per date: scipy `spearmanr` (Pearson correlation of average ranks); Qlib's "Rank
//!   IC" is the same. Pearson IC per date: scipy `pearsonr` (Qlib's "IC").
//! - Summary: mean, standard deviation (ddof 1, pandas), ICIR = mean / std (Qlib), t-stat =
//!   mean / std x sqrt(number of dates).
//! - Overall IC: one Spearman correlation over every pair of every date (the study's "overall
//!   IC", which mixes the time dimension into the ranking).
//! - Rolling IC: pandas `rolling(w).mean()` of the daily Spearman IC (dates without one skipped).
//! - Quantile returns: per date, pandas `qcut(pred, q, labels=False, duplicates="drop")` bins
//!   (edges at numpy's linear quantiles, the first bin closed on the left), the mean realised
//!   return of each bin, then the mean of each bin over dates.
//!
//! A date with fewer than 2 pairs, or constant predictions or returns, has no IC.

use serde::Serialize;

use crate::numeric::average_ranks;

/// (prediction, realised) pairs of one date, NaN pairs removed.
fn clean(pred: &[f64], real: &[f64]) -> (Vec<f64>, Vec<f64>) {
    pred.iter()
        .zip(real)
        .filter(|(p, r)| p.is_finite() && r.is_finite())
        .map(|(p, r)| (*p, *r))
        .unzip()
}

/// Pearson correlation; `None` for fewer than 2 values or a constant side.
pub fn pearson(x: &[f64], y: &[f64]) -> Option<f64> {
    let (x, y) = clean(x, y);
    let n = x.len() as f64;
    if x.len() < 2 {
        return None;
    }
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(&y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
    }
    (sxx > 0.0 && syy > 0.0).then(|| (sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0))
}

/// Spearman rank correlation (average ranks for ties); `None` as [`pearson`].
pub fn spearman(x: &[f64], y: &[f64]) -> Option<f64> {
    let (x, y) = clean(x, y);
    pearson(&average_ranks(&x), &average_ranks(&y))
}

/// IC statistics over dates.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IcSummary {
    /// Dates with an IC.
    pub dates: usize,
    /// Mean IC.
    pub mean: Option<f64>,
    /// Standard deviation of the IC (ddof 1).
    pub std: Option<f64>,
    /// mean / std.
    pub icir: Option<f64>,
    /// mean / std x sqrt(dates).
    pub t_stat: Option<f64>,
    /// The t-statistic of the mean with the Newey-West variance (`nw_lags` lags), which
    /// allows for the autocorrelation of overlapping targets.
    #[serde(default)]
    pub nw_t_stat: Option<f64>,
    /// The Newey-West lags (Newey and West's 1994 rule on the number of dates).
    #[serde(default)]
    pub nw_lags: usize,
}

impl IcSummary {
    /// The summary of per-date ICs, in date order (missing ones skipped).
    pub fn of(ics: &[Option<f64>]) -> IcSummary {
        let v: Vec<f64> = ics.iter().flatten().copied().collect();
        let n = v.len();
        let mean = (n > 0).then(|| v.iter().sum::<f64>() / n as f64);
        let std = super::mean_std(&v).map(|(_, s)| s);
        let icir = mean.zip(std).and_then(|(m, s)| (s > 0.0).then(|| m / s));
        let nw_lags = super::significance::newey_west_lags(n);
        IcSummary {
            dates: n,
            mean,
            std,
            icir,
            t_stat: icir.map(|r| r * (n as f64).sqrt()),
            nw_t_stat: super::significance::newey_west_t(&v, nw_lags),
            nw_lags,
        }
    }
}

/// pandas `Series(ics).rolling(window).mean()`: NaN until `window` values, and wherever the
/// window holds a missing IC (drop the missing dates first for pandas' `dropna().rolling()`).
pub fn rolling_mean(ics: &[f64], window: usize) -> Vec<f64> {
    let mut out = vec![f64::NAN; ics.len()];
    for t in window.saturating_sub(1)..ics.len() {
        let w = &ics[t + 1 - window..=t];
        if window > 0 && w.iter().all(|v| v.is_finite()) {
            out[t] = w.iter().sum::<f64>() / window as f64;
        }
    }
    out
}

pub use crate::numeric::qcut;

/// Mean realised return per prediction quantile: per date, then averaged over the dates where
/// the bin exists. `dates` holds each date's (predictions, realised) pairs.
pub fn quantile_returns(dates: &[(Vec<f64>, Vec<f64>)], q: usize) -> Vec<Option<f64>> {
    let mut sums = vec![0.0; q];
    let mut counts = vec![0usize; q];
    for (pred, real) in dates {
        let (p, r) = clean(pred, real);
        let (bin, _) = qcut(&p, q);
        let mut s = vec![0.0; q];
        let mut c = vec![0usize; q];
        for (b, y) in bin.iter().zip(&r) {
            if let Some(b) = b {
                s[*b] += y;
                c[*b] += 1;
            }
        }
        for k in 0..q {
            if c[k] > 0 {
                sums[k] += s[k] / c[k] as f64;
                counts[k] += 1;
            }
        }
    }
    (0..q).map(|k| (counts[k] > 0).then(|| sums[k] / counts[k] as f64)).collect()
}
