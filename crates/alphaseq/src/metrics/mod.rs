//! Performance and forecast metrics. Every function names the convention it follows and its
//! formula; results that are undefined (too few observations, zero variance) are `None`.
//! Return series are simple (not log) returns per period; NaN entries are ignored as empyrical
//! does (`nanmean`/`nanstd`; a NaN counts as a 0 return in compounding).
//!
//! Depends on nothing else in the crate.

mod alpha_beta;
mod annual_return;
mod annual_volatility;
pub mod classification;
mod cumulative_return;
pub mod evaluation;
pub mod factor;
pub mod forecast;
pub mod ic;
mod max_drawdown;
mod moments;
mod ratios;
pub mod rolling;
mod sharpe_ratio;
pub mod significance;
pub mod tearsheet;

use serde::{Deserialize, Serialize};

pub use alpha_beta::alpha_beta;
pub use annual_return::annual_return;
pub use annual_volatility::annual_volatility;
pub use cumulative_return::{cum_returns, cum_returns_final};
pub use max_drawdown::{drawdown_series, max_drawdown};
pub use moments::{kurtosis, skew};
pub use ratios::{
    calmar_ratio, downside_risk, omega_ratio, percentile, sortino_ratio, stability, tail_ratio,
    value_at_risk, value_at_risk_gaussian,
};
pub use sharpe_ratio::sharpe_ratio;

/// The headline statistics of a return series (empyrical definitions).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    /// Number of periods.
    pub periods: usize,
    /// Compound annual growth rate.
    pub annual_return: Option<f64>,
    /// Total compounded return.
    pub cumulative_return: Option<f64>,
    /// Annualised standard deviation.
    pub annual_volatility: Option<f64>,
    /// Annualised Sharpe ratio (risk-free rate 0).
    pub sharpe_ratio: Option<f64>,
    /// Largest peak-to-trough loss (negative).
    pub max_drawdown: Option<f64>,
}

impl Summary {
    /// Computes the summary with `periods_per_year` (252 daily, 52 weekly, 12 monthly).
    pub fn of(returns: &[f64], periods_per_year: f64) -> Summary {
        Summary {
            periods: returns.len(),
            annual_return: annual_return(returns, periods_per_year),
            cumulative_return: cum_returns_final(returns),
            annual_volatility: annual_volatility(returns, periods_per_year),
            sharpe_ratio: sharpe_ratio(returns, 0.0, periods_per_year),
            max_drawdown: max_drawdown(returns),
        }
    }
}

/// Every statistic of pyfolio's `perf_stats`, with empyrical's definitions (see each function).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PerfStats {
    /// The headline statistics.
    #[serde(flatten)]
    pub summary: Summary,
    /// Calmar ratio.
    pub calmar_ratio: Option<f64>,
    /// R^2 of the cumulative log returns on time.
    pub stability: Option<f64>,
    /// Omega ratio (threshold 0).
    pub omega_ratio: Option<f64>,
    /// Sortino ratio.
    pub sortino_ratio: Option<f64>,
    /// scipy skewness.
    pub skew: Option<f64>,
    /// scipy excess kurtosis.
    pub kurtosis: Option<f64>,
    /// 95th / 5th percentile, in absolute value.
    pub tail_ratio: Option<f64>,
    /// 5th percentile of the returns (empyrical `value_at_risk`).
    pub value_at_risk: Option<f64>,
    /// CAPM alpha to the benchmark (when one is given).
    pub alpha: Option<f64>,
    /// CAPM beta to the benchmark (when one is given).
    pub beta: Option<f64>,
}

impl PerfStats {
    /// The statistics of `returns`, against `benchmark` (same periods) when given.
    pub fn of(returns: &[f64], benchmark: Option<&[f64]>, periods_per_year: f64) -> PerfStats {
        let ab = benchmark.and_then(|b| alpha_beta(returns, b, periods_per_year));
        PerfStats {
            summary: Summary::of(returns, periods_per_year),
            calmar_ratio: calmar_ratio(returns, periods_per_year),
            stability: stability(returns),
            omega_ratio: omega_ratio(returns),
            sortino_ratio: sortino_ratio(returns, periods_per_year),
            skew: skew(returns),
            kurtosis: kurtosis(returns),
            tail_ratio: tail_ratio(returns),
            value_at_risk: value_at_risk(returns, 0.05),
            alpha: ab.map(|(a, _)| a),
            beta: ab.map(|(_, b)| b),
        }
    }
}

/// The finite values of `x`.
pub(crate) fn finite(x: &[f64]) -> impl Iterator<Item = f64> + '_ {
    x.iter().copied().filter(|v| !v.is_nan())
}

/// Sample mean and standard deviation (ddof = 1) of the non-NaN values; `None` for fewer than 2.
pub(crate) fn mean_std(x: &[f64]) -> Option<(f64, f64)> {
    let n = finite(x).count();
    if n < 2 {
        return None;
    }
    let mean = finite(x).sum::<f64>() / n as f64;
    let var = finite(x).map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1) as f64;
    Some((mean, var.sqrt()))
}
