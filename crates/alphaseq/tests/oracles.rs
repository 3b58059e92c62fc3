//! Numbers checked against reference libraries. The fixtures come from scripts in
//! `tools/oracles/` run on ../shared/data; see tools/oracles/README.md.

#![allow(clippy::unwrap_used)] // test helpers may panic: a panic is a failed test

use std::path::{Path, PathBuf};

use alphaseq::data::{read_sources, Row};
use alphaseq::metrics::{self, forecast};
use serde::Deserialize;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("fixtures").join(name)
}

/// |actual - expected| <= tol * max(|expected|, 1e-12).
fn assert_close(actual: Option<f64>, expected: f64, tol: f64, what: &str) {
    let a = actual
        .unwrap_or_else(|| panic!("{what}: alphaseq says undefined, reference says {expected}"));
    let err = (a - expected).abs() / expected.abs().max(1e-12);
    assert!(err <= tol, "{what}: alphaseq {a:e}, reference {expected:e}, relative error {err:e}");
}

#[derive(Deserialize)]
struct Fixture {
    series: Vec<SeriesCase>,
    forecast: Vec<ForecastCase>,
}

#[derive(Deserialize)]
struct SeriesCase {
    name: String,
    periods_per_year: f64,
    returns: Vec<f64>,
    expected: Expected,
}

#[derive(Deserialize)]
struct Expected {
    annual_return: f64,
    cum_returns_final: f64,
    annual_volatility: f64,
    sharpe_ratio: f64,
    max_drawdown: f64,
}

#[derive(Deserialize)]
struct ForecastCase {
    name: String,
    pred: Vec<f64>,
    real: Vec<f64>,
    mse: f64,
    r2: f64,
}

/// empyrical-reloaded and scikit-learn, via tools/oracles/empyrical_basic.py.
#[test]
fn headline_metrics_equal_empyrical_on_real_series() {
    let text = std::fs::read_to_string(fixture("empyrical_basic.json")).unwrap();
    let fx: Fixture = serde_json::from_str(&text).unwrap();
    assert!(fx.series.len() >= 4);
    for s in &fx.series {
        let (r, ppy, e) = (&s.returns, s.periods_per_year, &s.expected);
        assert!(r.len() > 100, "{}: a real series", s.name);
        assert_close(
            metrics::annual_return(r, ppy),
            e.annual_return,
            1e-9,
            &format!("{} annual_return", s.name),
        );
        assert_close(
            metrics::cum_returns_final(r),
            e.cum_returns_final,
            1e-9,
            &format!("{} cum_returns_final", s.name),
        );
        assert_close(
            metrics::annual_volatility(r, ppy),
            e.annual_volatility,
            1e-9,
            &format!("{} annual_volatility", s.name),
        );
        assert_close(
            metrics::sharpe_ratio(r, 0.0, ppy),
            e.sharpe_ratio,
            1e-9,
            &format!("{} sharpe_ratio", s.name),
        );
        assert_close(
            metrics::max_drawdown(r),
            e.max_drawdown,
            1e-9,
            &format!("{} max_drawdown", s.name),
        );
    }
    for f in &fx.forecast {
        assert_close(forecast::mse(&f.pred, &f.real), f.mse, 1e-9, &format!("{} mse", f.name));
        assert_close(forecast::r2(&f.pred, &f.real), f.r2, 1e-9, &format!("{} r2", f.name));
    }
}

fn rows_of(path: &Path) -> Vec<(String, Row)> {
    let (records, issues) = read_sources(&[path.to_path_buf()]).unwrap();
    assert!(issues.is_empty(), "{}: {issues:?}", path.display());
    let mut rows: Vec<(String, Row)> =
        records.rows.iter().map(|r| (records.tickers[r.ticker as usize].clone(), *r)).collect();
    rows.sort_by(|a, b| (&a.0, a.1.date).cmp(&(&b.0, b.1.date)));
    rows
}

/// Parquet written by pyarrow (snappy + DATE32; zstd + Yahoo-style names; pandas' timestamp[ns]
/// dates), via tools/oracles/parquet_fixtures.py, reads to the same bars as the CSV it came from.
#[test]
fn parquet_files_from_pyarrow_read_like_their_csv() {
    let csv = rows_of(&fixture("prices_parquet_source.csv"));
    assert_eq!(csv.len(), 60);
    for name in ["prices_snappy.parquet", "prices_zstd.parquet", "prices_ns.parquet"] {
        let pq = rows_of(&fixture(name));
        assert_eq!(pq.len(), csv.len(), "{name}");
        for ((ta, a), (tb, b)) in pq.iter().zip(&csv) {
            assert_eq!(ta, tb, "{name}");
            let fields = |r: &Row| (r.date, r.open, r.high, r.low, r.close, r.adj_close, r.volume);
            assert_eq!(fields(a), fields(b), "{name} {ta}");
        }
    }
}

/// Every tear-sheet statistic against empyrical-reloaded and scipy, via
/// tools/oracles/empyrical_perf_stats.py (one series with missing returns).
#[test]
fn perf_stats_equal_empyrical_and_scipy_on_real_series() {
    let text = std::fs::read_to_string(fixture("empyrical_perf_stats.json")).unwrap();
    let fx: serde_json::Value = serde_json::from_str(&text).unwrap();
    let floats = |v: &serde_json::Value| -> Vec<f64> {
        v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap_or(f64::NAN)).collect()
    };
    let series = fx["series"].as_array().unwrap();
    assert_eq!(series.len(), 5);
    for s in series {
        let name = s["name"].as_str().unwrap();
        let (r, b) = (floats(&s["returns"]), floats(&s["benchmark"]));
        let ppy = s["periods_per_year"].as_f64().unwrap();
        let stats = metrics::PerfStats::of(&r, Some(&b), ppy);
        let ours = serde_json::to_value(&stats).unwrap();
        let expected = s["expected"].as_object().unwrap();
        for (key, want) in expected {
            let got = if key == "value_at_risk_gaussian" {
                metrics::value_at_risk_gaussian(&r)
            } else {
                ours.get(key).unwrap_or_else(|| panic!("PerfStats has no {key}")).as_f64()
            };
            match want.as_f64() {
                Some(w) => assert_close(got, w, 1e-9, &format!("{name} {key}")),
                None => {
                    assert!(got.is_none(), "{name} {key}: reference undefined, alphaseq {got:?}")
                }
            }
        }
    }
}

/// Information coefficients and quantile returns against scipy and pandas, via
/// tools/oracles/scipy_ic.py (a momentum forecast across the sample stocks, with ties and gaps).
#[test]
fn information_coefficients_equal_scipy_and_pandas() {
    use alphaseq::metrics::ic;
    let text = std::fs::read_to_string(fixture("scipy_ic.json")).unwrap();
    let fx: serde_json::Value = serde_json::from_str(&text).unwrap();
    let floats = |v: &serde_json::Value| -> Vec<f64> {
        v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap_or(f64::NAN)).collect()
    };
    let dates: Vec<(Vec<f64>, Vec<f64>)> = fx["dates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (floats(&d["pred"]), floats(&d["real"])))
        .collect();
    let (want_s, want_p) = (floats(&fx["spearman"]), floats(&fx["pearson"]));
    let mut ics = vec![];
    for (k, (p, r)) in dates.iter().enumerate() {
        let s = ic::spearman(p, r);
        assert_close(s, want_s[k], 1e-9, &format!("Spearman IC of date {k}"));
        assert_close(ic::pearson(p, r), want_p[k], 1e-9, &format!("Pearson IC of date {k}"));
        ics.push(s);
    }
    let summary = ic::IcSummary::of(&ics);
    for (key, got) in [
        ("mean", summary.mean),
        ("std", summary.std),
        ("icir", summary.icir),
        ("t_stat", summary.t_stat),
    ] {
        assert_close(got, fx["summary"][key].as_f64().unwrap(), 1e-9, key);
    }
    let (all_p, all_r): (Vec<f64>, Vec<f64>) =
        dates.iter().flat_map(|(p, r)| p.iter().copied().zip(r.iter().copied())).unzip();
    assert_close(
        ic::spearman(&all_p, &all_r),
        fx["overall_spearman"].as_f64().unwrap(),
        1e-9,
        "overall",
    );
    let reg = forecast::signal_regression(&all_p, &all_r).unwrap();
    for (key, got) in
        [("slope", reg.slope), ("intercept", reg.intercept), ("r2", reg.r2), ("t_stat", reg.t_stat)]
    {
        assert_close(Some(got), fx["linregress"][key].as_f64().unwrap(), 1e-9, key);
    }
    let daily: Vec<f64> = ics.iter().map(|v| v.unwrap()).collect();
    for (k, (a, b)) in
        ic::rolling_mean(&daily, 20).iter().zip(floats(&fx["rolling_20"])).enumerate()
    {
        assert_eq!(a.is_nan(), b.is_nan(), "rolling IC {k}");
        if b.is_finite() {
            assert_close(Some(*a), b, 1e-9, &format!("rolling IC {k}"));
        }
    }
    for (q, key) in [(5, "quintiles"), (10, "deciles")] {
        let got = ic::quantile_returns(&dates, q);
        let want = floats(&fx[key]);
        assert_eq!(got.len(), want.len(), "{key}");
        for (k, (g, w)) in got.iter().zip(&want).enumerate() {
            assert_close(*g, *w, 1e-9, &format!("{key} bin {k}"));
        }
    }
}

/// Classification report, confusion matrix, ROC curve and AUC against scikit-learn, via
/// tools/oracles/sklearn_classification.py (tied scores, two thresholds).
#[test]
fn classification_metrics_equal_scikit_learn() {
    use alphaseq::metrics::classification::{classification_report, roc_auc, roc_curve};
    let text = std::fs::read_to_string(fixture("sklearn_classification.json")).unwrap();
    let fx: serde_json::Value = serde_json::from_str(&text).unwrap();
    let floats = |v: &serde_json::Value| -> Vec<f64> {
        v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap_or(f64::INFINITY)).collect()
    };
    let (prob, label) = (floats(&fx["prob"]), floats(&fx["label"]));
    for case in fx["reports"].as_array().unwrap() {
        let t = case["threshold"].as_f64().unwrap();
        let ours = classification_report(&prob, &label, t).unwrap();
        let want = &case["report"];
        for (key, scores) in [
            ("0.0", &ours.class_0),
            ("1.0", &ours.class_1),
            ("macro avg", &ours.macro_avg),
            ("weighted avg", &ours.weighted_avg),
        ] {
            for (metric, got) in [
                ("precision", scores.precision),
                ("recall", scores.recall),
                ("f1-score", scores.f1),
            ] {
                assert_close(
                    Some(got),
                    want[key][metric].as_f64().unwrap(),
                    1e-12,
                    &format!("{t} {key} {metric}"),
                );
            }
            assert_eq!(
                scores.support as f64,
                want[key]["support"].as_f64().unwrap(),
                "{t} {key} support"
            );
        }
        assert_close(Some(ours.accuracy), want["accuracy"].as_f64().unwrap(), 1e-12, "accuracy");
        let confusion: Vec<Vec<usize>> = serde_json::from_value(case["confusion"].clone()).unwrap();
        assert_eq!(ours.confusion.iter().map(|r| r.to_vec()).collect::<Vec<_>>(), confusion);
    }
    let roc = roc_curve(&prob, &label).unwrap();
    assert_eq!(roc.fpr.len(), fx["roc"]["fpr"].as_array().unwrap().len(), "ROC points");
    for (name, got, want) in [
        ("fpr", &roc.fpr, floats(&fx["roc"]["fpr"])),
        ("tpr", &roc.tpr, floats(&fx["roc"]["tpr"])),
        ("thresholds", &roc.thresholds, floats(&fx["roc"]["thresholds"])),
    ] {
        for (k, (g, w)) in got.iter().zip(&want).enumerate() {
            assert!(g == w || (g - w).abs() <= 1e-12 * w.abs(), "{name}[{k}]: {g} vs {w}");
        }
    }
    assert_close(roc_auc(&prob, &label), fx["auc"].as_f64().unwrap(), 1e-12, "AUC");
}

/// Rolling Sharpe, volatility and beta and monthly/yearly aggregation against empyrical, via
/// tools/oracles/empyrical_rolling.py (AAPL vs ^GSPC, some returns missing).
#[test]
fn rolling_statistics_equal_empyrical() {
    use alphaseq::metrics::rolling;
    let text = std::fs::read_to_string(fixture("empyrical_rolling.json")).unwrap();
    let fx: serde_json::Value = serde_json::from_str(&text).unwrap();
    let floats = |v: &serde_json::Value| -> Vec<f64> {
        v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap_or(f64::NAN)).collect()
    };
    let (r, m) = (floats(&fx["returns"]), floats(&fx["benchmark"]));
    let w = fx["window"].as_u64().unwrap() as usize;
    let checks = [
        ("roll_sharpe", rolling::rolling_sharpe(&r, w, 252.0)),
        ("roll_volatility", rolling::rolling_volatility(&r, w, 252.0)),
        ("roll_beta", rolling::rolling_beta(&r, &m, w)),
    ];
    for (key, got) in checks {
        let want = floats(&fx[key]);
        assert_eq!(got.len(), want.len(), "{key}");
        for (k, (g, e)) in got.iter().zip(&want).enumerate() {
            assert_eq!(g.is_nan(), e.is_nan(), "{key} {k}: {g} vs {e}");
            if e.is_finite() {
                assert_close(Some(*g), *e, 1e-9, &format!("{key} {k}"));
            }
        }
    }
    let dates: Vec<chrono::NaiveDate> = fx["dates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap().parse().unwrap())
        .collect();
    for (key, by) in [("monthly", rolling::Calendar::Month), ("yearly", rolling::Calendar::Year)] {
        let got = rolling::aggregate(&dates, &r, by);
        let want = fx[key].as_array().unwrap();
        assert_eq!(got.len(), want.len(), "{key}");
        for (((y, mo), g), e) in got.iter().zip(want) {
            assert_eq!(i64::from(*y), e[0].as_i64().unwrap());
            assert_eq!(i64::from(*mo), e[1].as_i64().unwrap());
            assert_close(Some(*g), e[2].as_f64().unwrap(), 1e-9, &format!("{key} {y}-{mo}"));
        }
    }
}
