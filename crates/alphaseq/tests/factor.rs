//! The factor tear sheet against alphalens-reloaded (fixture from
//! tools/oracles/alphalens_factor.py): the sample stocks' 21-day return as the factor from
//! 2020-01-02, a few values removed, forward returns over 1, 5 and 10 days, five quantiles and
//! the sectors as groups.

#![allow(clippy::unwrap_used)] // test helpers may panic: a panic is a failed test

use std::collections::BTreeMap;

use alphaseq::data::{read_sources, Panel, PanelOptions};
use alphaseq::metrics::factor::{analyse, FactorRow, FactorSpec, IcTable, Prices};
use chrono::NaiveDate;
use serde_json::Value;

fn fixture() -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/alphalens_factor.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[track_caller]
fn close(a: Option<f64>, e: &Value, tol: f64, what: &str) {
    match (a, e.as_f64()) {
        (None, None) => {}
        (Some(a), Some(e)) => {
            assert!(
                (a - e).abs() <= tol * e.abs().max(1.0),
                "{what}: alphaseq {a:e}, alphalens {e:e}"
            )
        }
        (a, _) => panic!("{what}: alphaseq {a:?}, alphalens {e}"),
    }
}

fn table(t: &IcTable, e: &Value, what: &str) {
    close(t.mean, &e["IC Mean"], 1e-12, &format!("{what} mean"));
    close(t.std, &e["IC Std."], 1e-12, &format!("{what} std"));
    close(t.risk_adjusted, &e["Risk-Adjusted IC"], 1e-11, &format!("{what} risk-adjusted"));
    close(t.t_stat, &e["t-stat(IC)"], 1e-10, &format!("{what} t"));
    close(t.p_value, &e["p-value(IC)"], 1e-10, &format!("{what} p"));
    close(t.skew, &e["IC Skew"], 1e-10, &format!("{what} skew"));
    close(t.kurtosis, &e["IC Kurtosis"], 1e-10, &format!("{what} kurtosis"));
}

#[test]
fn the_tear_sheet_equals_alphalens() {
    let f = fixture();
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/sample/prices.csv.gz");
    let mut panel =
        Panel::from_records(&read_sources(&[path]).unwrap().0, &PanelOptions::default()).unwrap();
    let sectors =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/sample/sectors.csv");
    panel.set_sectors(&alphaseq::data::sectors::read_sectors(&sectors).unwrap());
    let keep: Vec<usize> =
        (0..panel.tickers().len()).filter(|&i| panel.tickers()[i] != "^GSPC").collect();
    let tickers: Vec<String> = keep.iter().map(|&i| panel.tickers()[i].clone()).collect();
    let values: Vec<Vec<f64>> = keep.iter().map(|&i| panel.bars(i).adj_close.clone()).collect();
    let groups: Vec<Option<String>> =
        keep.iter().map(|&i| panel.sector(i).map(str::to_string)).collect();
    let dates = panel.dates().to_vec();
    // the factor: pandas pct_change(21) of the adjusted closes, from the first date on
    let first: NaiveDate = f["first"].as_str().unwrap().parse().unwrap();
    let nan_at: Vec<(NaiveDate, String)> = f["nan_at"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p[0].as_str().unwrap().parse().unwrap(), p[1].as_str().unwrap().to_string()))
        .collect();
    let mut rows = vec![];
    for (t, d) in dates.iter().enumerate().filter(|(t, d)| **d >= first && *t >= 21) {
        for (i, ticker) in tickers.iter().enumerate() {
            let mut value = values[i][t] / values[i][t - 21] - 1.0;
            if nan_at.contains(&(*d, ticker.clone())) {
                value = f64::NAN;
            }
            rows.push(FactorRow { date: *d, ticker: ticker.clone(), value });
        }
    }
    let prices =
        Prices { dates: &dates, tickers: &tickers, values: &values, groups: Some(&groups) };
    let spec = FactorSpec { periods: vec![1, 5, 10], quantiles: 5 };
    let a = analyse(&rows, &prices, &spec);

    assert_eq!(a.rows_in, f["rows_in"].as_u64().unwrap() as usize);
    assert_eq!(a.rows_used, f["rows_used"].as_u64().unwrap() as usize);
    assert_eq!(a.dropped_forward + a.dropped_binning, a.rows_in - a.rows_used);
    let dates: Vec<String> = a.dates.iter().map(|d| d.to_string()).collect();
    let expected: Vec<String> =
        f["dates"].as_array().unwrap().iter().map(|d| d.as_str().unwrap().to_string()).collect();
    assert_eq!(dates, expected);
    let cols = ["1D", "5D", "10D"];
    for (j, c) in cols.iter().enumerate() {
        for (k, e) in f["ic_by_date"][c].as_array().unwrap().iter().enumerate() {
            close(a.ic_by_date[j][k], e, 1e-12, &format!("{c} IC {}", dates[k]));
        }
        table(&a.information[j], &f["information"][c], &format!("{c} information"));
        table(
            &a.sector_neutral.as_ref().unwrap()[j],
            &f["sector_neutral"][c],
            &format!("{c} neutral"),
        );
        for (k, e) in f["monthly_ic"][c].as_array().unwrap().iter().enumerate() {
            close(a.monthly_ic[j][k], e, 1e-12, &format!("{c} month {k}"));
        }
        let groups: BTreeMap<String, Value> =
            serde_json::from_value(f["ic_by_group"].clone()).unwrap();
        assert_eq!(a.ic_by_group.len(), groups.len());
        for (g, per) in &a.ic_by_group {
            close(per[j], &groups[g][c], 1e-12, &format!("{c} IC of {g}"));
        }
        for b in 0..5 {
            close(
                a.mean_return_by_quantile[j][b],
                &f["mean_return_by_quantile"][c][b],
                1e-11,
                &format!("{c} q{b}"),
            );
            close(
                a.std_error_by_quantile[j][b],
                &f["std_error_by_quantile"][c][b],
                1e-11,
                &format!("{c} se q{b}"),
            );
        }
        let r = &a.returns[j];
        let e = &f["returns_table"][c];
        close(r.alpha, &e["Ann. alpha"], 1e-9, &format!("{c} alpha"));
        close(r.beta, &e["beta"], 1e-10, &format!("{c} beta"));
        close(
            r.top_bps,
            &e["Mean Period Wise Return Top Quantile (bps)"],
            1e-9,
            &format!("{c} top"),
        );
        close(
            r.bottom_bps,
            &e["Mean Period Wise Return Bottom Quantile (bps)"],
            1e-9,
            &format!("{c} bottom"),
        );
        close(
            r.spread_bps,
            &e["Mean Period Wise Spread (bps, 100% gross)"],
            1e-9,
            &format!("{c} spread"),
        );
        for (k, e) in f["spread_by_date"][c].as_array().unwrap().iter().enumerate() {
            close(a.spread_by_date[j][k], e, 1e-11, &format!("{c} spread {}", dates[k]));
            close(
                a.spread_se_by_date[j][k],
                &f["spread_se_by_date"][c][k],
                1e-11,
                &format!("{c} spread se {}", dates[k]),
            );
            close(
                a.factor_returns[j][k],
                &f["factor_returns"][c][k],
                1e-11,
                &format!("{c} factor return {}", dates[k]),
            );
        }
        let p = spec.periods[j].to_string();
        for b in 0..5 {
            close(
                a.turnover[j][b],
                &f["turnover"][&p][(b + 1).to_string()],
                1e-12,
                &format!("{p} turnover q{b}"),
            );
        }
        close(
            a.rank_autocorrelation[j],
            &f["rank_autocorrelation"][&p],
            1e-12,
            &format!("{p} autocorrelation"),
        );
    }
    for b in 0..5 {
        let s = &a.quantile_statistics[b];
        let e = &f["quantile_statistics"][(b + 1).to_string()];
        close(Some(s.min), &e["min"], 1e-15, "min");
        close(Some(s.max), &e["max"], 1e-15, "max");
        close(Some(s.mean), &e["mean"], 1e-12, "mean");
        close(s.std, &e["std"], 1e-12, "std");
        close(Some(s.count as f64), &e["count"], 0.0, "count");
        close(Some(s.count_pct), &e["count %"], 1e-12, "count %");
    }
    // cumulative returns (1D) compound from 1
    let mut wealth = 1.0;
    for (k, e) in f["cumulative_factor_1d"].as_array().unwrap().iter().enumerate() {
        wealth *= 1.0 + a.factor_returns[0][k].unwrap_or(0.0);
        close(Some(wealth), e, 1e-11, "cumulative factor return");
    }
    for b in 0..5 {
        let mut wealth = 1.0;
        for (k, e) in f["cumulative_by_quantile_1d"][(b + 1).to_string()]
            .as_array()
            .unwrap()
            .iter()
            .enumerate()
        {
            wealth *= 1.0 + a.quantile_returns_by_date[b][k].unwrap_or(0.0);
            close(Some(wealth), e, 1e-11, &format!("cumulative q{b}"));
        }
    }
}

#[test]
fn the_two_sided_t_p_value_equals_scipy() {
    // scipy.stats.t.sf(|t|, df) * 2
    for (t, df, p) in [
        (0.3070178035402651, 317.0, 0.7590314029558589),
        (2.0, 10.0, 0.07338803477074037),
        (-4.5, 3.0, 0.0204904123444534),
        (0.0, 50.0, 1.0),
    ] {
        let got = alphaseq::metrics::factor::student_t_two_sided(t, df);
        assert!((got - p).abs() < 1e-12 * p.max(1e-3), "t {t} df {df}: {got} vs {p}");
    }
}
