//! Boruta feature selection with BorutaPy's rules (boruta 0.4): each round, every feature not yet
//! rejected gets a shadow (its column shuffled), a random forest is fitted on both, and a feature
//! scores a hit when its importance beats the `perc` percentile of the shadows' (the maximum by
//! default). After round k a feature still tentative is confirmed when its hits are improbably
//! many for a fair coin, rejected when improbably few (binomial tests at `alpha`; with `two_step`
//! a Benjamini-Hochberg correction over the features and a Bonferroni one over the rounds, as
//! BorutaPy). Rounds stop when nothing is tentative or after `max_iter - 1` rounds; then the
//! R package's rough fix keeps as tentative only the features whose median importance beats the
//! median shadow maximum, and rejects the rest. Seeded: the same data and seed give the same
//! report.

use serde::{Deserialize, Serialize};

use super::forest::{self, Data, ForestSpec, Task};
use crate::rng::Rng;

/// Boruta's settings (`[features.selection]`), BorutaPy's defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BorutaSpec {
    /// Rounds (BorutaPy `max_iter`; it runs at most `max_iter - 1` rounds).
    pub max_iter: usize,
    /// Level of the binomial tests.
    pub alpha: f64,
    /// Percentile of the shadow importances a hit must beat (100 = their maximum).
    pub perc: f64,
    /// BorutaPy's two-step correction (FDR over features, Bonferroni over rounds); otherwise
    /// Bonferroni over features.
    pub two_step: bool,
    /// Trees per forest; absent = BorutaPy's "auto" (100 x 2f / (sqrt(2f) x depth) for f
    /// features still in play).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trees: Option<usize>,
    /// Depth of the trees (the study's `RandomForestClassifier(max_depth=5)`).
    pub max_depth: usize,
    /// Weigh the two classes by `n / (2 count)` (scikit-learn `class_weight="balanced"`).
    pub balanced: bool,
    /// Keep the tentative features as well as the confirmed ones.
    pub keep_tentative: bool,
    /// Seed of the shadows, the forests and the sample draw.
    pub seed: u64,
    /// At most this many training samples (a seeded random subset beyond it).
    pub max_samples: usize,
    /// When nothing is kept, keep this many features best by BorutaPy's `ranking_` (ties by
    /// name), as a study's `if not selected: take the top five of ranking_`; 0 = none (the
    /// run stops with an error).
    #[serde(skip_serializing_if = "is_zero")]
    pub fallback: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Default for BorutaSpec {
    fn default() -> Self {
        BorutaSpec {
            max_iter: 100,
            alpha: 0.05,
            perc: 100.0,
            two_step: true,
            trees: None,
            max_depth: 5,
            balanced: true,
            keep_tentative: false,
            seed: 42,
            max_samples: 20_000,
            fallback: 0,
        }
    }
}

/// A feature's fate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    /// Reliably more important than noise.
    Confirmed,
    /// Undecided after the last round (and better than the shadows by median).
    Tentative,
    /// Not better than noise.
    Rejected,
}

/// What Boruta found.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct BorutaReport {
    /// Feature names, in input order.
    pub names: Vec<String>,
    /// Each feature's decision.
    pub decisions: Vec<Decision>,
    /// Rounds each feature beat the shadows.
    pub hits: Vec<usize>,
    /// Median importance over the rounds the feature took part in.
    pub median_importance: Vec<f64>,
    /// Median over rounds of the shadows' threshold.
    pub shadow_threshold: f64,
    /// Rounds run.
    pub rounds: usize,
    /// BorutaPy's `ranking_`: 1 confirmed, 2 tentative, then the rejected by the median over
    /// the rounds of their importance's rank among the rejected (reports written before it
    /// have none).
    #[serde(default)]
    pub ranking: Vec<usize>,
}

impl BorutaReport {
    /// Indices of the features kept: confirmed, and tentative when `keep_tentative`.
    pub fn kept(&self, keep_tentative: bool) -> Vec<usize> {
        let keep = |d: &Decision| {
            *d == Decision::Confirmed || (keep_tentative && *d == Decision::Tentative)
        };
        self.decisions.iter().enumerate().filter(|(_, d)| keep(d)).map(|(i, _)| i).collect()
    }

    /// The features `spec` keeps: [`BorutaReport::kept`], or when that is empty the
    /// `spec.fallback` best by `ranking` (ties by name, as sorting (rank, name) pairs does).
    pub fn kept_by(&self, spec: &BorutaSpec) -> Vec<usize> {
        let kept = self.kept(spec.keep_tentative);
        if !kept.is_empty() || spec.fallback == 0 || self.ranking.len() != self.names.len() {
            return kept;
        }
        let mut order: Vec<usize> = (0..self.names.len()).collect();
        order.sort_by(|&a, &b| {
            self.ranking[a].cmp(&self.ranking[b]).then_with(|| self.names[a].cmp(&self.names[b]))
        });
        order.truncate(spec.fallback);
        order.sort_unstable();
        order
    }
}

/// BorutaPy's `ranking_` from the decisions and each feature's importance in the rounds it
/// took part in (`history[j][r]`: round r, from the first).
pub fn ranking(decisions: &[Decision], history: &[Vec<f64>]) -> Vec<usize> {
    let mut ranking: Vec<usize> = decisions
        .iter()
        .map(|d| match d {
            Decision::Confirmed => 1,
            Decision::Tentative => 2,
            Decision::Rejected => 0,
        })
        .collect();
    let rejected: Vec<usize> = (0..decisions.len()).filter(|&j| ranking[j] == 0).collect();
    if rejected.is_empty() {
        return ranking;
    }
    let rounds = rejected.iter().map(|&j| history[j].len()).max().unwrap_or(0);
    // each round: the rejected features that took part, ranked by importance (1 = highest)
    let mut ranks: Vec<Vec<f64>> = vec![vec![]; rejected.len()];
    for r in 0..rounds {
        let present: Vec<(usize, f64)> = rejected
            .iter()
            .enumerate()
            .filter_map(|(k, &j)| history[j].get(r).map(|v| (k, -v)))
            .collect();
        let values: Vec<f64> = present.iter().map(|p| p.1).collect();
        for ((k, _), rank) in present.iter().zip(rank_average(&values)) {
            ranks[*k].push(rank);
        }
    }
    let medians: Vec<f64> = ranks.iter().map(|r| median(r)).collect();
    let overall = rank_average(&medians);
    let low = overall.iter().copied().fold(f64::INFINITY, f64::min);
    let start = if decisions.contains(&Decision::Tentative) { 3.0 } else { 2.0 };
    for (&j, r) in rejected.iter().zip(overall) {
        // numpy's assignment of a float rank into ranking_'s integers truncates
        ranking[j] = (r - low + start) as usize;
    }
    ranking
}

/// scipy's `rankdata` (ties get their average rank, from 1).
fn rank_average(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && values[order[j + 1]] == values[order[i]] {
            j += 1;
        }
        let average = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            ranks[k] = average;
        }
        i = j + 1;
    }
    ranks
}

/// Runs Boruta on `data` (rows x features, with a 0 / 1 target when `classify`).
pub fn boruta(data: &Data, names: &[String], classify: bool, spec: &BorutaSpec) -> BorutaReport {
    let (n, p) = (data.y.len(), data.p);
    let task = if classify {
        let ones = data.y.iter().filter(|y| **y > 0.5).count() as f64;
        let w =
            |count: f64| if spec.balanced && count > 0.0 { n as f64 / (2.0 * count) } else { 1.0 };
        Task::Classify([w(n as f64 - ones), w(ones)])
    } else {
        Task::Regress
    };
    // 0 tentative, 1 confirmed, -1 rejected (BorutaPy's dec_reg)
    let mut state = vec![0i8; p];
    let mut hits = vec![0usize; p];
    let mut history: Vec<Vec<f64>> = vec![vec![]; p];
    let mut shadow_thresholds = vec![];
    let mut rng = Rng::derive(spec.seed, 0xB0_2074);
    let mut round = 1;
    while state.contains(&0) && round < spec.max_iter.clamp(2, 1000) {
        let active: Vec<usize> = (0..p).filter(|&j| state[j] >= 0).collect();
        let a = active.len();
        // real columns then their shadows, each shadow column shuffled on its own
        let width = 2 * a;
        let mut x = vec![0.0; n * width];
        for (c, &j) in active.iter().enumerate() {
            let mut order: Vec<usize> = (0..n).collect();
            rng.shuffle(&mut order);
            for i in 0..n {
                x[i * width + c] = data.x[i * p + j];
                x[i * width + a + c] = data.x[order[i] * p + j];
            }
        }
        let trees = spec.trees.unwrap_or_else(|| {
            let f = 2.0 * a as f64;
            ((f / (f.sqrt() * spec.max_depth as f64)) * 100.0) as usize
        });
        let forest_spec = ForestSpec {
            trees: trees.max(1),
            max_depth: spec.max_depth,
            max_features: ((width as f64).sqrt() as usize).max(1),
            min_samples_split: 2,
            seed: rng.next_u64(),
        };
        let imp = forest::importances(&Data { x: &x, p: width, y: data.y }, task, &forest_spec);
        let threshold = percentile(&imp[a..], spec.perc);
        shadow_thresholds.push(threshold);
        for (c, &j) in active.iter().enumerate() {
            history[j].push(imp[c]);
            if imp[c] > threshold {
                hits[j] += 1;
            }
        }
        decide(&mut state, &hits, round, spec.alpha, spec.two_step);
        round += 1;
    }
    let shadow_threshold = median(&shadow_thresholds);
    let median_importance: Vec<f64> = history.iter().map(|h| median(h)).collect();
    let decisions: Vec<Decision> = (0..p)
        .map(|j| match state[j] {
            1 => Decision::Confirmed,
            0 if median_importance[j] > shadow_threshold => Decision::Tentative,
            _ => Decision::Rejected,
        })
        .collect();
    let ranking = ranking(&decisions, &history);
    BorutaReport {
        names: names.to_vec(),
        decisions,
        hits,
        median_importance,
        shadow_threshold,
        rounds: round - 1,
        ranking,
    }
}

/// BorutaPy's `_do_tests` after round `round`: tentative features whose hits are significantly
/// many become confirmed (1), significantly few rejected (-1). Tests run over every feature not
/// rejected; only tentative ones change.
pub fn decide(state: &mut [i8], hits: &[usize], round: usize, alpha: f64, two_step: bool) {
    let active: Vec<usize> = (0..state.len()).filter(|&j| state[j] >= 0).collect();
    let accept_p: Vec<f64> = active.iter().map(|&j| binom_sf(hits[j] as i64 - 1, round)).collect();
    let reject_p: Vec<f64> = active.iter().map(|&j| binom_cdf(hits[j] as i64, round)).collect();
    let (accept, reject): (Vec<bool>, Vec<bool>) = if two_step {
        let bonferroni = alpha / round as f64;
        let a = fdr_reject(&accept_p, alpha);
        let r = fdr_reject(&reject_p, alpha);
        (
            a.iter().zip(&accept_p).map(|(f, p)| *f && *p <= bonferroni).collect(),
            r.iter().zip(&reject_p).map(|(f, p)| *f && *p <= bonferroni).collect(),
        )
    } else {
        let level = alpha / state.len() as f64;
        (
            accept_p.iter().map(|p| *p <= level).collect(),
            reject_p.iter().map(|p| *p <= level).collect(),
        )
    };
    for (k, &j) in active.iter().enumerate() {
        if state[j] == 0 {
            if accept[k] {
                state[j] = 1;
            } else if reject[k] {
                state[j] = -1;
            }
        }
    }
}

/// Benjamini-Hochberg: which p-values are rejected at level `alpha` (BorutaPy's
/// `_fdrcorrection`, as statsmodels' `fdrcorrection`).
pub fn fdr_reject(p: &[f64], alpha: f64) -> Vec<bool> {
    let m = p.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&a, &b| p[a].total_cmp(&p[b])); // numpy's argsort is stable for equal values
    let largest = (0..m).rev().find(|&k| p[order[k]] <= (k + 1) as f64 / m as f64 * alpha);
    let mut out = vec![false; m];
    if let Some(last) = largest {
        for &i in &order[..=last] {
            out[i] = true;
        }
    }
    out
}

/// P(X <= k) for X ~ Binomial(n, 1/2) (scipy `binom.cdf(k, n, .5)`).
pub fn binom_cdf(k: i64, n: usize) -> f64 {
    if k < 0 {
        return 0.0;
    }
    let k = (k as usize).min(n);
    let pmf = binom_pmf(n);
    pmf[..=k].iter().sum::<f64>().min(1.0)
}

/// P(X > k) for X ~ Binomial(n, 1/2) (scipy `binom.sf(k, n, .5)`).
pub fn binom_sf(k: i64, n: usize) -> f64 {
    if k < 0 {
        return 1.0;
    }
    let k = k as usize;
    if k >= n {
        return 0.0;
    }
    let pmf = binom_pmf(n);
    pmf[k + 1..].iter().sum::<f64>().min(1.0)
}

fn binom_pmf(n: usize) -> Vec<f64> {
    let mut pmf = Vec::with_capacity(n + 1);
    let mut v = 0.5f64.powi(n as i32);
    for k in 0..=n {
        pmf.push(v);
        v = v * (n - k) as f64 / (k + 1) as f64;
    }
    pmf
}

/// numpy's `percentile(x, q)` (linear interpolation).
fn percentile(x: &[f64], q: f64) -> f64 {
    if x.is_empty() {
        return f64::NAN;
    }
    let mut v = x.to_vec();
    v.sort_by(f64::total_cmp);
    let pos = q.clamp(0.0, 100.0) / 100.0 * (v.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = (lo + 1).min(v.len() - 1);
    v[lo] + (v[hi] - v[lo]) * (pos - lo as f64)
}

fn median(x: &[f64]) -> f64 {
    percentile(x, 50.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binomial_tails_follow_scipy() {
        // scipy.stats.binom.sf(6, 10, .5) = 0.171875; binom.cdf(3, 10, .5) = 0.171875;
        // binom.sf(-1, 5, .5) = 1; binom.cdf(20, 20, .5) = 1
        assert!((binom_sf(6, 10) - 0.171875).abs() < 1e-15);
        assert!((binom_cdf(3, 10) - 0.171875).abs() < 1e-15);
        assert_eq!((binom_sf(-1, 5), binom_cdf(20, 20), binom_sf(10, 10)), (1.0, 1.0, 0.0));
    }

    #[test]
    fn boruta_confirms_signal_and_rejects_noise() {
        let mut rng = Rng::new(11);
        let (n, p) = (300, 8);
        let mut x = vec![0.0; n * p];
        let mut y = vec![0.0; n];
        for i in 0..n {
            for j in 0..p {
                x[i * p + j] = rng.normal();
            }
            let z = 1.5 * x[i * p] - 1.0 * x[i * p + 1] + 0.5 * rng.normal();
            y[i] = f64::from(u8::from(z > 0.0));
        }
        let names: Vec<String> = (0..p).map(|j| format!("f{j}")).collect();
        let spec = BorutaSpec { max_iter: 30, trees: Some(60), ..BorutaSpec::default() };
        let r = boruta(&Data { x: &x, p, y: &y }, &names, true, &spec);
        assert_eq!(r.decisions[..2], [Decision::Confirmed, Decision::Confirmed], "{r:?}");
        let noise_rejected = r.decisions[2..].iter().filter(|d| **d == Decision::Rejected).count();
        assert!(noise_rejected >= 4, "{r:?}");
        assert_eq!(r.kept(false)[..2], [0, 1]);
        // nothing kept: the fallback takes the best by rank, ties by name
        let none = BorutaReport {
            decisions: vec![Decision::Rejected; p],
            ranking: vec![4, 2, 3, 2, 5, 9, 9, 8],
            ..r.clone()
        };
        assert!(none.kept_by(&spec).is_empty(), "no fallback by default");
        let three = BorutaSpec { fallback: 3, ..spec.clone() };
        assert_eq!(none.kept_by(&three), [1, 2, 3], "f1 and f3 tie at 2, then f2 at 3");
        assert_eq!(r.kept_by(&three), r.kept(false), "a confirmed feature: no fallback");
        assert_eq!(r, boruta(&Data { x: &x, p, y: &y }, &names, true, &spec), "seeded");
    }
}
