//! `alphaseq factor`: the sample stocks' 21-day return as a CSV factor gives alphalens-reloaded's
//! tables (the fixture of tools/oracles/alphalens_factor.py), files in --out, and bad input named
//! by line.

use alphaseq::data::{read_sources, Panel, PanelOptions};

use crate::util::{alphaseq, repo_root, stderr, stdout, write};

/// The fixture's factor as `date,ticker,factor` CSV text (`nan` where it removed values).
fn factor_csv(fx: &serde_json::Value) -> String {
    let path = repo_root().join("data/sample/prices.csv.gz");
    let panel =
        Panel::from_records(&read_sources(&[path]).unwrap().0, &PanelOptions::default()).unwrap();
    let first: chrono::NaiveDate = fx["first"].as_str().unwrap().parse().unwrap();
    let removed: Vec<(String, String)> = fx["nan_at"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p[0].as_str().unwrap().to_string(), p[1].as_str().unwrap().to_string()))
        .collect();
    let mut csv = String::from("date,ticker,factor\n");
    for (t, d) in panel.dates().iter().enumerate().filter(|(t, d)| **d >= first && *t >= 21) {
        for (i, ticker) in panel.tickers().iter().enumerate().filter(|(_, t)| *t != "^GSPC") {
            let p = &panel.bars(i).adj_close;
            let gone = removed.contains(&(d.to_string(), ticker.clone()));
            let value = if gone { "nan".to_string() } else { (p[t] / p[t - 21] - 1.0).to_string() };
            csv.push_str(&format!("{d},{ticker},{value}\n"));
        }
    }
    csv
}

#[test]
fn factor_tables_equal_alphalens() {
    let fixture = repo_root().join("crates/alphaseq/tests/fixtures/alphalens_factor.json");
    let fx: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture).unwrap()).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "mom.csv", &factor_csv(&fx));
    let prices = repo_root().join("data/sample/prices.csv.gz");
    let sectors = repo_root().join("data/sample/sectors.csv");
    let args = [
        "factor",
        "mom.csv",
        "--prices",
        prices.to_str().unwrap(),
        "--sectors",
        sectors.to_str().unwrap(),
        "--periods",
        "1,5,10",
        "--json",
        "--out",
        "sheet",
    ];
    let o = alphaseq(tmp.path(), &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(doc["rows_in"], fx["rows_in"]);
    assert_eq!(doc["rows_used"], fx["rows_used"]);
    let close = |a: &serde_json::Value, e: &serde_json::Value, what: &str| {
        let (a, e) = (a.as_f64().unwrap(), e.as_f64().unwrap());
        assert!((a - e).abs() <= 1e-9 * e.abs().max(1.0), "{what}: {a} vs alphalens {e}");
    };
    for (j, c) in ["1D", "5D", "10D"].iter().enumerate() {
        let info = &doc["information"][j];
        close(&info["mean"], &fx["information"][c]["IC Mean"], &format!("{c} IC mean"));
        close(&info["p_value"], &fx["information"][c]["p-value(IC)"], &format!("{c} p"));
        let neutral = &doc["sector_neutral"][j];
        close(
            &neutral["t_stat"],
            &fx["sector_neutral"][c]["t-stat(IC)"],
            &format!("{c} neutral t"),
        );
        let r = &doc["returns"][j];
        let e = &fx["returns_table"][c];
        close(&r["alpha"], &e["Ann. alpha"], &format!("{c} alpha"));
        close(
            &r["spread_bps"],
            &e["Mean Period Wise Spread (bps, 100% gross)"],
            &format!("{c} spread"),
        );
        let p = ["1", "5", "10"][j];
        close(
            &doc["rank_autocorrelation"][j],
            &fx["rank_autocorrelation"][p],
            &format!("{p} autocorrelation"),
        );
    }
    let html = std::fs::read_to_string(tmp.path().join("sheet/factor.html")).unwrap();
    assert!(html.contains("Information analysis") && html.contains("Monthly mean IC"), "html");
    assert!(tmp.path().join("sheet/factor.json").is_file());
}

#[test]
fn a_bad_factor_file_is_named_by_line() {
    let tmp = tempfile::tempdir().unwrap();
    let prices = repo_root().join("data/sample/prices.csv.gz");
    for (text, expected) in [
        (
            "date,ticker,factor\n2020-01-02,AAPL,1\n2020-01-02,AAPL,2\n",
            "f.csv:3: AAPL on 2020-01-02 is given twice (first on line 2)",
        ),
        (
            "date,ticker,factor\n2020-01-02,AAPL,high\n",
            "f.csv:2: unparseable factor value \"high\"",
        ),
        ("date,name,factor\n2020-01-02,AAPL,1\n", "no ticker column (ticker, asset, symbol)"),
    ] {
        write(tmp.path(), "f.csv", text);
        let o = alphaseq(tmp.path(), &["factor", "f.csv", "--prices", prices.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains(expected), "{expected}: {}", stderr(&o));
    }
    // a factor on dates the prices do not have
    write(tmp.path(), "f.csv", "date,ticker,factor\n1990-01-02,AAPL,1\n1990-01-02,XOM,2\n");
    let o = alphaseq(tmp.path(), &["factor", "f.csv", "--prices", prices.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("no factor value has a price on its date"), "{}", stderr(&o));
}
