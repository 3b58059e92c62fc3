//! Lo's standard errors, the probabilistic and deflated Sharpe ratios, the Newey-West
//! t-statistic, the stationary-bootstrap interval and the normal distribution against NumPy,
//! SciPy and statsmodels (fixture from tools/oracles/significance.py on five sample stocks and
//! their equal-weight portfolio).

#![allow(clippy::unwrap_used)] // test helpers may panic: a panic is a failed test

use std::collections::BTreeMap;

use alphaseq::metrics::significance::*;
use serde::Deserialize;

#[derive(Deserialize)]
struct Case {
    name: String,
    returns: Vec<f64>,
    sharpe: f64,
    se_iid: f64,
    nw_lags: usize,
    se_hac: BTreeMap<String, f64>,
    psr_0: f64,
    psr_002: f64,
    nw_t: BTreeMap<String, f64>,
    bootstrap_95: [f64; 2],
}

#[derive(Deserialize)]
struct DeflatedCase {
    returns: Vec<f64>,
    trial_sharpes: Vec<f64>,
    sr0: f64,
    dsr: f64,
}

#[derive(Deserialize)]
struct Normal {
    p: Vec<f64>,
    ppf: Vec<f64>,
    x: Vec<f64>,
    cdf: Vec<f64>,
}

#[derive(Deserialize)]
struct Fixture {
    cases: Vec<Case>,
    deflated: DeflatedCase,
    normal: Normal,
}

fn fixture() -> Fixture {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/significance.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn close(a: f64, e: f64, rel: f64, what: &str) {
    assert!((a - e).abs() <= rel * e.abs().max(1e-300), "{what}: alphaseq {a:e}, reference {e:e}");
}

#[test]
fn sharpe_ratio_errors_and_probabilities_equal_the_references() {
    let f = fixture();
    assert_eq!(f.cases.len(), 6);
    for c in &f.cases {
        let n = &c.name;
        let sr = alphaseq::metrics::sharpe_ratio(&c.returns, 0.0, 1.0).unwrap();
        close(sr, c.sharpe, 1e-12, &format!("{n} sharpe"));
        close(sharpe_se_iid(&c.returns).unwrap(), c.se_iid, 1e-12, &format!("{n} se iid"));
        assert_eq!(newey_west_lags(c.returns.len()), c.nw_lags, "{n} lags");
        for (lags, e) in &c.se_hac {
            let l: usize = lags.parse().unwrap();
            close(sharpe_se_hac(&c.returns, l).unwrap(), *e, 1e-11, &format!("{n} se hac {l}"));
        }
        close(probabilistic_sharpe_ratio(&c.returns, 0.0).unwrap(), c.psr_0, 1e-12, n);
        close(probabilistic_sharpe_ratio(&c.returns, 0.02).unwrap(), c.psr_002, 1e-11, n);
        let (lo, hi) = bootstrap_sharpe_interval(&c.returns, 21.0, 200, 0.95, 7).unwrap();
        close(lo, c.bootstrap_95[0], 1e-12, &format!("{n} bootstrap low"));
        close(hi, c.bootstrap_95[1], 1e-12, &format!("{n} bootstrap high"));
        assert!(lo < c.sharpe && c.sharpe < hi, "{n}: the estimate inside its interval");
        for (lags, e) in &c.nw_t {
            let l: usize = lags.parse().unwrap();
            close(newey_west_t(&c.returns, l).unwrap(), *e, 1e-11, &format!("{n} nw t {l}"));
        }
    }
}

#[test]
fn the_deflated_sharpe_ratio_of_the_best_of_29_equals_the_reference() {
    let d = fixture().deflated;
    let (_, sd) = {
        let n = d.trial_sharpes.len() as f64;
        let m = d.trial_sharpes.iter().sum::<f64>() / n;
        (m, (d.trial_sharpes.iter().map(|s| (s - m).powi(2)).sum::<f64>() / (n - 1.0)).sqrt())
    };
    let sr0 = expected_max_sharpe(d.trial_sharpes.len(), sd * sd).unwrap();
    close(sr0, d.sr0, 1e-12, "SR0");
    close(deflated_sharpe_ratio(&d.returns, &d.trial_sharpes).unwrap(), d.dsr, 1e-11, "DSR");
}

#[test]
fn the_records_deflated_sharpe_from_annualised_statistics_equals_the_reference() {
    // what a search's metrics.json keeps: the chosen trial's perf_stats and every trial's
    // annualised Sharpe ratio
    let d = fixture().deflated;
    let ppy = 252.0;
    let stats = alphaseq::metrics::PerfStats::of(&d.returns, None, ppy);
    let annual: Vec<f64> = d.trial_sharpes.iter().map(|s| s * ppy.sqrt()).collect();
    let moments = Moments::of(&stats, ppy).unwrap();
    let deflated = alphaseq::metrics::significance::Deflated::of(moments, &annual, ppy).unwrap();
    assert_eq!(deflated.trials, d.trial_sharpes.len());
    close(deflated.expected_max_sharpe, d.sr0 * ppy.sqrt(), 1e-12, "SR0 annualised");
    close(deflated.deflated_sharpe_ratio.unwrap(), d.dsr, 1e-10, "DSR");
}

#[test]
fn the_summary_annualises_each_reference_value() {
    let f = fixture();
    let a = 252f64.sqrt();
    for c in &f.cases {
        let g = SharpeSignificance::of(&c.returns, 252.0);
        let n = &c.name;
        assert_eq!((g.periods, g.hac_lags), (c.returns.len(), c.nw_lags), "{n}");
        close(g.sharpe.unwrap(), c.sharpe * a, 1e-12, &format!("{n} sharpe"));
        close(g.se_iid.unwrap(), c.se_iid * a, 1e-12, &format!("{n} se iid"));
        let hac = c.se_hac[&c.nw_lags.to_string()];
        close(g.se_hac.unwrap(), hac * a, 1e-11, &format!("{n} se hac"));
        close(g.psr.unwrap(), c.psr_0, 1e-12, &format!("{n} psr"));
        let [lo, hi] = g.bootstrap.unwrap();
        assert!(lo < g.sharpe.unwrap() && g.sharpe.unwrap() < hi, "{n}: inside its interval");
        close(g.bootstrap_block, (c.returns.len() as f64).cbrt(), 1e-15, "block");
    }
}

#[test]
fn the_normal_distribution_equals_scipy() {
    let n = fixture().normal;
    for (p, e) in n.p.iter().zip(&n.ppf) {
        close(normal_ppf(*p).unwrap(), *e, 1e-14, &format!("ppf({p})"));
    }
    for (x, e) in n.x.iter().zip(&n.cdf) {
        close(normal_cdf(*x), *e, 1e-13, &format!("cdf({x})"));
    }
}
