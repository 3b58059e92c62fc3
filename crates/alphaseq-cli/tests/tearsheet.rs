//! `alphaseq tearsheet`: the statistics of a returns CSV equal empyrical's (the fixture of
//! tools/oracles/empyrical_perf_stats.py), files in --out, and bad input named by line.

use crate::util::{alphaseq, repo_root, stderr, stdout, write};

#[test]
fn tearsheet_statistics_equal_empyrical() {
    let fixture = repo_root().join("crates/alphaseq/tests/fixtures/empyrical_perf_stats.json");
    let fx: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture).unwrap()).unwrap();
    let case = &fx["series"][0]; // AAPL daily vs ^GSPC
    let tmp = tempfile::tempdir().unwrap();
    let d0 = chrono::NaiveDate::from_ymd_opt(2010, 1, 4).unwrap();
    let csv = |key: &str| {
        let mut s = String::from("date,returns\n");
        for (k, v) in case[key].as_array().unwrap().iter().enumerate() {
            let value = v.as_f64().map_or(String::new(), |x| x.to_string());
            s.push_str(&format!("{},{value}\n", d0 + chrono::Duration::days(k as i64)));
        }
        s
    };
    write(tmp.path(), "r.csv", &csv("returns"));
    write(tmp.path(), "b.csv", &csv("benchmark"));
    let o = alphaseq(
        tmp.path(),
        &[
            "tearsheet",
            "r.csv",
            "--benchmark",
            "b.csv",
            "--period",
            "daily",
            "--json",
            "--out",
            "ts",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    for (key, want) in case["expected"].as_object().unwrap() {
        if key == "value_at_risk_gaussian" {
            continue;
        }
        let (got, want) = (doc["strategy"][key].as_f64().unwrap(), want.as_f64().unwrap());
        assert!((got - want).abs() <= 1e-9 * want.abs().max(1e-12), "{key}: {got} vs {want}");
    }
    assert!(doc["sharpe_by_year"].as_array().unwrap().len() >= 8);
    for f in ["ts/tearsheet.html", "ts/metrics.json"] {
        assert!(tmp.path().join(f).is_file(), "{f}");
    }
    // the period is inferred from the dates' spacing when not given
    let inferred = alphaseq(tmp.path(), &["tearsheet", "r.csv", "--json"]);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&inferred)).unwrap();
    assert_eq!(doc["periods_per_year"], 252.0);
}

#[test]
fn a_bad_returns_file_is_named_by_line() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "r.csv", "date,returns\n2020-01-02,0.01\n2020-01-03,abc\n");
    let o = alphaseq(tmp.path(), &["tearsheet", "r.csv"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("r.csv:3: unparseable return \"abc\""), "{}", stderr(&o));
    write(tmp.path(), "s.csv", "date,returns\n2020-01-03,0.01\n2020-01-02,0.02\n");
    let o = alphaseq(tmp.path(), &["tearsheet", "s.csv"]);
    assert!(
        stderr(&o).contains("s.csv:3: date 2020-01-02 is not after the previous one"),
        "{}",
        stderr(&o)
    );
    write(tmp.path(), "t.csv", "day,value\n2020-01-03,0.01\n");
    assert!(stderr(&alphaseq(tmp.path(), &["tearsheet", "t.csv"])).contains("no date column"));
}
