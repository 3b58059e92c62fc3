//! How much to believe a Sharpe ratio or a mean IC. Sharpe ratios here are per period (not
//! annualised): `SR = mean(r) / std(r)`, the standard deviation with ddof 1 as empyrical's; an
//! annualised figure and its standard error are these times `sqrt(periods per year)`.
//!
//! - [`sharpe_se_iid`]: Lo (2002), "The Statistics of Sharpe Ratios", eq. (9): for IID returns
//!   `SE(SR) = sqrt((1 + SR^2 / 2) / T)`.
//! - [`sharpe_se_hac`]: Lo (2002), section 3 (non-IID returns): GMM with the moments
//!   `u_t = (r_t - mu, (r_t - mu)^2 - sigma^2)` (sigma^2 with ddof 0), their long-run covariance by
//!   Newey and West (1987), `Omega = G_0 + sum_{j=1..L} (1 - j/(L+1)) (G_j + G_j')`,
//!   `G_j = sum_{t>j} u_t u_{t-j}' / T`, and the delta method with the gradient
//!   `g = (1/sigma, -mu/(2 sigma^3))`: `SE(SR) = sqrt(g' Omega g / T)`.
//! - [`probabilistic_sharpe_ratio`]: Bailey and Lopez de Prado (2012), "The Sharpe Ratio
//!   Efficient Frontier", eq. (11): `PSR(SR*) = Phi((SR - SR*) sqrt(T - 1) / sqrt(1 - g3 SR +
//!   (g4 - 1) / 4 SR^2))` with the skewness g3 and the (non-excess) kurtosis g4 of the returns
//!   (scipy's biased moments).
//! - [`deflated_sharpe_ratio`]: Bailey and Lopez de Prado (2014), "The Deflated Sharpe Ratio",
//!   eq. (2): the PSR against `SR0 = sqrt(V) ((1 - e) Z^-1(1 - 1/N) + e Z^-1(1 - 1/(N E)))`, N trials
//!   whose Sharpe ratios have variance V (ddof 1), e the Euler-Mascheroni constant, E Euler's
//!   number.
//! - [`newey_west_t`]: the t-statistic of a series' mean (a mean IC) with the Newey-West (Bartlett)
//!   variance of the mean, `(g_0 + 2 sum_{j=1..L} (1 - j/(L+1)) g_j) / T`, `g_j` the
//!   autocovariances with divisor T; statsmodels' `OLS(x, 1).fit(cov_type="HAC", cov_kwds=
//!   {"maxlags": L, "use_correction": False})`. [`newey_west_lags`] is Newey and West's (1994)
//!   rule `floor(4 (T / 100)^(2/9))`.
//!
//! - [`bootstrap_sharpe_interval`]: a percentile confidence interval of the per-period Sharpe
//!   ratio from the stationary bootstrap of Politis and Romano (1994), "The Stationary
//!   Bootstrap", JASA 89(428): each resample starts at a uniform index and continues the
//!   previous index (wrapping) with probability `1 - 1/mean_block`, else jumps to a new uniform
//!   index (`arch`'s `StationaryBootstrap`); seeded by [`crate::rng::Rng`], the draws in the
//!   order written there; percentiles as numpy's (linear interpolation).
//!
//! Checked against NumPy/SciPy implementations and statsmodels (tools/oracles/significance.py).

use serde::{Deserialize, Serialize};

use super::{finite, kurtosis, mean_std, skew};
use crate::rng::Rng;

/// The Euler-Mascheroni constant.
const EULER_GAMMA: f64 = 0.577_215_664_901_532_9;

/// The standard normal distribution function.
pub fn normal_cdf(x: f64) -> f64 {
    0.5 * libm::erfc(-x / std::f64::consts::SQRT_2)
}

/// The standard normal quantile function (Acklam's rational approximation, refined by one
/// Halley step on `erfc`); `None` outside (0, 1).
pub fn normal_ppf(p: f64) -> Option<f64> {
    if !(p > 0.0 && p < 1.0) {
        return None;
    }
    if p > 0.5 {
        // 1 - p is exact here (Sterbenz), and the lower tail keeps Phi(x) - p accurate
        return normal_ppf(1.0 - p).map(|x| -x);
    }
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    let low = 0.02425;
    let x = if p < low {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - low {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    };
    // Halley's step on Phi(x) - p
    let e = normal_cdf(x) - p;
    let u = e * (2.0 * std::f64::consts::PI).sqrt() * (x * x / 2.0).exp();
    Some(x - u / (1.0 + x * u / 2.0))
}

/// The per-period Sharpe ratio (ddof 1) of the non-NaN returns and their count.
fn per_period_sharpe(returns: &[f64]) -> Option<(f64, usize)> {
    let (mean, sd) = mean_std(returns)?;
    (sd > 0.0).then(|| (mean / sd, finite(returns).count()))
}

/// Lo's (2002) standard error of the per-period Sharpe ratio of IID returns.
pub fn sharpe_se_iid(returns: &[f64]) -> Option<f64> {
    let (sr, n) = per_period_sharpe(returns)?;
    Some(((1.0 + sr * sr / 2.0) / n as f64).sqrt())
}

/// Lo's (2002) standard error of the per-period Sharpe ratio under autocorrelation and
/// heteroskedasticity, with `lags` Newey-West lags (0: the GMM estimate without them).
pub fn sharpe_se_hac(returns: &[f64], lags: usize) -> Option<f64> {
    let (r, mu) = with_mean(returns)?;
    let nf = r.len() as f64;
    let var = r.iter().map(|x| (x - mu) * (x - mu)).sum::<f64>() / nf;
    if var <= 0.0 {
        return None;
    }
    let sigma = var.sqrt();
    let u: Vec<[f64; 2]> = r.iter().map(|x| [x - mu, (x - mu) * (x - mu) - var]).collect();
    let omega = long_run(&u, lags);
    let grad = [1.0 / sigma, -mu / (2.0 * sigma * sigma * sigma)];
    let v: f64 = (0..2)
        .flat_map(|a| (0..2).map(move |b| (a, b)))
        .map(|(a, b)| grad[a] * omega[a][b] * grad[b])
        .sum();
    (v >= 0.0).then(|| (v / nf).sqrt())
}

/// The non-NaN values and their mean; `None` with fewer than two.
fn with_mean(x: &[f64]) -> Option<(Vec<f64>, f64)> {
    let v: Vec<f64> = finite(x).collect();
    let m = v.iter().sum::<f64>() / v.len() as f64;
    (v.len() >= 2).then_some((v, m))
}

/// Newey and West's long-run covariance of the mean-zero series `u`: `G_0 + sum_{j=1..L}
/// (1 - j/(L+1)) (G_j + G_j')`, `G_j = sum_{t>=j} u_t u_{t-j}' / T`.
fn long_run<const K: usize>(u: &[[f64; K]], lags: usize) -> [[f64; K]; K] {
    let n = u.len();
    let gamma = |j: usize| {
        let mut g = [[0.0; K]; K];
        for t in j..n {
            for (a, row) in g.iter_mut().enumerate() {
                for (b, v) in row.iter_mut().enumerate() {
                    *v += u[t][a] * u[t - j][b];
                }
            }
        }
        g.map(|row| row.map(|v| v / n as f64))
    };
    let mut omega = gamma(0);
    for j in 1..=lags.min(n.saturating_sub(1)) {
        let w = 1.0 - j as f64 / (lags as f64 + 1.0);
        let g = gamma(j);
        for a in 0..K {
            for b in 0..K {
                omega[a][b] += w * (g[a][b] + g[b][a]);
            }
        }
    }
    omega
}

/// Bailey and Lopez de Prado's probabilistic Sharpe ratio: the probability that the true
/// per-period Sharpe ratio exceeds `benchmark` (per period) given these returns.
pub fn probabilistic_sharpe_ratio(returns: &[f64], benchmark: f64) -> Option<f64> {
    let (sr, n) = per_period_sharpe(returns)?;
    let moments =
        Moments { sharpe: sr, periods: n, skew: skew(returns)?, kurtosis: kurtosis(returns)? };
    moments.probabilistic(benchmark)
}

/// What the probabilistic Sharpe ratio needs of a return series: its per-period Sharpe ratio
/// (ddof 1), the number of returns, and scipy's biased skewness and excess kurtosis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Moments {
    /// Per-period Sharpe ratio.
    pub sharpe: f64,
    /// Number of returns.
    pub periods: usize,
    /// Skewness.
    pub skew: f64,
    /// Excess kurtosis.
    pub kurtosis: f64,
}

impl Moments {
    /// The moments of a run's statistics (an annualised Sharpe ratio at `periods_per_year`).
    pub fn of(stats: &super::PerfStats, periods_per_year: f64) -> Option<Moments> {
        Some(Moments {
            sharpe: stats.summary.sharpe_ratio? / periods_per_year.sqrt(),
            periods: stats.summary.periods,
            skew: stats.skew?,
            kurtosis: stats.kurtosis?,
        })
    }

    /// The probability that the true per-period Sharpe ratio exceeds `benchmark`.
    pub fn probabilistic(&self, benchmark: f64) -> Option<f64> {
        let (sr, g3, g4) = (self.sharpe, self.skew, self.kurtosis + 3.0);
        let denominator = 1.0 - g3 * sr + (g4 - 1.0) / 4.0 * sr * sr;
        (denominator > 0.0 && self.periods >= 2).then(|| {
            normal_cdf((sr - benchmark) * ((self.periods - 1) as f64).sqrt() / denominator.sqrt())
        })
    }
}

/// The Sharpe ratio the best of `trials` independent tries is expected to reach by luck when
/// their per-period Sharpe ratios have variance `variance` (Bailey and Lopez de Prado's SR0).
pub fn expected_max_sharpe(trials: usize, variance: f64) -> Option<f64> {
    if trials < 2 || variance.is_nan() || variance < 0.0 {
        return None;
    }
    let n = trials as f64;
    let a = normal_ppf(1.0 - 1.0 / n)?;
    let b = normal_ppf(1.0 - 1.0 / (n * std::f64::consts::E))?;
    Some(variance.sqrt() * ((1.0 - EULER_GAMMA) * a + EULER_GAMMA * b))
}

/// The deflated Sharpe ratio of `returns`, chosen as the best of trials whose per-period Sharpe
/// ratios are `trial_sharpes` (at least two): the PSR against [`expected_max_sharpe`].
pub fn deflated_sharpe_ratio(returns: &[f64], trial_sharpes: &[f64]) -> Option<f64> {
    let (_, sd) = mean_std(trial_sharpes)?;
    let sr0 = expected_max_sharpe(finite(trial_sharpes).count(), sd * sd)?;
    probabilistic_sharpe_ratio(returns, sr0)
}

/// The confidence level of [`SharpeSignificance::bootstrap`].
pub const BOOTSTRAP_LEVEL: f64 = 0.95;
/// The resamples of [`SharpeSignificance::bootstrap`].
pub const BOOTSTRAP_RESAMPLES: usize = 1000;
/// The seed of [`SharpeSignificance::bootstrap`]: fixed, so the interval is a function of the
/// returns alone.
pub const BOOTSTRAP_SEED: u64 = 1994;

/// How much to believe one return series' Sharpe ratio, annualised (every Sharpe ratio and
/// error here is the per-period one times `sqrt(periods per year)`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SharpeSignificance {
    /// Returns counted (the non-NaN ones).
    pub periods: usize,
    /// The Sharpe ratio (empyrical's).
    pub sharpe: Option<f64>,
    /// Lo's standard error for IID returns.
    pub se_iid: Option<f64>,
    /// Lo's standard error under autocorrelation (Newey-West, `hac_lags` lags).
    pub se_hac: Option<f64>,
    /// The Newey-West lags ([`newey_west_lags`] of the number of returns).
    pub hac_lags: usize,
    /// The probabilistic Sharpe ratio against 0: the probability that the true one is positive.
    pub psr: Option<f64>,
    /// The 95% stationary-bootstrap percentile interval ([`BOOTSTRAP_RESAMPLES`] resamples,
    /// seed [`BOOTSTRAP_SEED`]).
    pub bootstrap: Option<[f64; 2]>,
    /// The bootstrap's mean block length in bars: the cube root of the number of returns (the
    /// rate Politis and Romano's optimal block length grows at), at least 1.
    pub bootstrap_block: f64,
}

impl SharpeSignificance {
    /// The significance of `returns` at `periods_per_year`.
    pub fn of(returns: &[f64], periods_per_year: f64) -> SharpeSignificance {
        let n = finite(returns).count();
        let a = periods_per_year.sqrt();
        let lags = newey_west_lags(n);
        let block = (n as f64).cbrt().max(1.0);
        let interval = bootstrap_sharpe_interval(
            returns,
            block,
            BOOTSTRAP_RESAMPLES,
            BOOTSTRAP_LEVEL,
            BOOTSTRAP_SEED,
        );
        SharpeSignificance {
            periods: n,
            sharpe: per_period_sharpe(returns).map(|(sr, _)| sr * a),
            se_iid: sharpe_se_iid(returns).map(|se| se * a),
            se_hac: sharpe_se_hac(returns, lags).map(|se| se * a),
            hac_lags: lags,
            psr: probabilistic_sharpe_ratio(returns, 0.0),
            bootstrap: interval.map(|(lo, hi)| [lo * a, hi * a]),
            bootstrap_block: block,
        }
    }
}

/// A search's or grid's chosen Sharpe ratio deflated for the number of trials (Bailey and
/// Lopez de Prado 2014), from every trial's Sharpe ratio on the test span; annualised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deflated {
    /// Trials with a Sharpe ratio.
    pub trials: usize,
    /// The standard deviation (ddof 1) of their Sharpe ratios.
    pub sharpe_sd: f64,
    /// The Sharpe ratio the best of that many trials would reach by luck alone (SR0).
    pub expected_max_sharpe: f64,
    /// The chosen trial's probability of a true Sharpe ratio above SR0.
    pub deflated_sharpe_ratio: Option<f64>,
}

impl Deflated {
    /// The deflated Sharpe ratio of `chosen` among trials of annualised Sharpe ratios
    /// `trial_sharpes`; `None` with fewer than two.
    pub fn of(chosen: Moments, trial_sharpes: &[f64], periods_per_year: f64) -> Option<Deflated> {
        let a = periods_per_year.sqrt();
        let per_period: Vec<f64> = trial_sharpes.iter().map(|s| s / a).collect();
        let (_, sd) = mean_std(&per_period)?;
        let trials = finite(&per_period).count();
        let sr0 = expected_max_sharpe(trials, sd * sd)?;
        Some(Deflated {
            trials,
            sharpe_sd: sd * a,
            expected_max_sharpe: sr0 * a,
            deflated_sharpe_ratio: chosen.probabilistic(sr0),
        })
    }
}

/// A `level` (e.g. 0.95) percentile interval of the per-period Sharpe ratio (ddof 1) over
/// `resamples` stationary-bootstrap resamples of the non-NaN returns with mean block length
/// `mean_block` bars, seeded by `seed`. Per resample, with `T` returns: the first index
/// `rng.below(T)`; then for each next position `u = rng.uniform()`, a new `rng.below(T)` when
/// `u < 1 / mean_block`, else the previous index plus one (modulo T). Resamples with no
/// variance are skipped; `None` with fewer than two returns or no resample left.
pub fn bootstrap_sharpe_interval(
    returns: &[f64],
    mean_block: f64,
    resamples: usize,
    level: f64,
    seed: u64,
) -> Option<(f64, f64)> {
    let r: Vec<f64> = finite(returns).collect();
    let n = r.len();
    if n < 2 || mean_block < 1.0 || !(level > 0.0 && level < 1.0) {
        return None;
    }
    let p = 1.0 / mean_block;
    let mut rng = Rng::new(seed);
    let mut sharpes = Vec::with_capacity(resamples);
    let mut sample = vec![0.0; n];
    for _ in 0..resamples {
        let mut idx = rng.below(n);
        sample[0] = r[idx];
        for s in sample.iter_mut().skip(1) {
            idx = if rng.uniform() < p { rng.below(n) } else { (idx + 1) % n };
            *s = r[idx];
        }
        if let Some((m, sd)) = mean_std(&sample).filter(|(_, sd)| *sd > 0.0) {
            sharpes.push(m / sd);
        }
    }
    if sharpes.is_empty() {
        return None;
    }
    sharpes.sort_by(f64::total_cmp);
    let q = |f: f64| {
        // numpy.percentile, linear: position f (n - 1)
        let pos = f * (sharpes.len() - 1) as f64;
        let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
        sharpes[lo] + (sharpes[hi] - sharpes[lo]) * (pos - lo as f64)
    };
    let tail = (1.0 - level) / 2.0;
    Some((q(tail), q(1.0 - tail)))
}

/// Newey and West's (1994) automatic lag count, `floor(4 (T / 100)^(2/9))`.
pub fn newey_west_lags(n: usize) -> usize {
    (4.0 * (n as f64 / 100.0).powf(2.0 / 9.0)).floor() as usize
}

/// The t-statistic of the mean of the non-NaN values with the Newey-West variance of the mean
/// (`lags` Bartlett lags); `None` for fewer than two values or no variance.
pub fn newey_west_t(x: &[f64], lags: usize) -> Option<f64> {
    let (v, m) = with_mean(x)?;
    let d: Vec<[f64; 1]> = v.iter().map(|x| [x - m]).collect();
    let s = long_run(&d, lags)[0][0];
    (s > 0.0).then(|| m / (s / v.len() as f64).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_normal_quantile_inverts_the_distribution() {
        for p in [1e-10, 0.001, 0.02425, 0.1, 0.5, 0.9, 0.975, 0.999_999] {
            let x = normal_ppf(p).unwrap();
            assert!((normal_cdf(x) - p).abs() <= 1e-15 * p.max(1e-3), "{p}: {x}");
        }
        assert!((normal_ppf(0.975).unwrap() - 1.959_963_984_540_054).abs() < 1e-14);
        assert_eq!(normal_ppf(0.0), None);
    }

    #[test]
    fn without_lags_the_gmm_error_is_the_moment_formula() {
        // g' G_0 g = 1 - g3 SR + (g4 - 1) / 4 SR^2 with SR = mu / sigma (ddof 0) and scipy's
        // biased skewness g3 and kurtosis g4
        let r: Vec<f64> =
            (0..500).map(|t| 0.0005 + 0.01 * (((t * t) as f64) * 0.37).sin().powi(3)).collect();
        let n = r.len() as f64;
        let mu = r.iter().sum::<f64>() / n;
        let sigma = (r.iter().map(|x| (x - mu).powi(2)).sum::<f64>() / n).sqrt();
        let (sr, g3, g4) = (mu / sigma, skew(&r).unwrap(), kurtosis(&r).unwrap() + 3.0);
        let expected = ((1.0 - g3 * sr + (g4 - 1.0) / 4.0 * sr * sr) / n).sqrt();
        let hac = sharpe_se_hac(&r, 0).unwrap();
        assert!((hac - expected).abs() < 1e-14 * expected, "{hac} vs {expected}");
    }
}
