//! `alphaseq run` on the quickstart: every file of the run folder, their structure, and
//! bit-for-bit reproducibility.

use crate::util::{alphaseq, repo_root, stderr};

#[test]
fn quickstart_writes_a_complete_reproducible_run_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    for dir in [&a, &b] {
        let o = alphaseq(
            &repo_root(),
            &["run", "configs/quickstart.toml", "--out", dir.to_str().unwrap()],
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(String::from_utf8_lossy(&o.stdout).contains("report.html"));
    }
    for name in
        ["config.toml", "metrics.json", "predictions.csv", "equity.csv", "report.html", "run.log"]
    {
        assert!(a.join(name).is_file(), "{name} missing");
    }
    let leftovers: Vec<_> = std::fs::read_dir(&a)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    for name in ["metrics.json", "predictions.csv", "equity.csv", "report.html", "config.toml"] {
        assert!(
            std::fs::read(a.join(name)).unwrap() == std::fs::read(b.join(name)).unwrap(),
            "{name} differs between two identical runs"
        );
    }

    let metrics: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(a.join("metrics.json")).unwrap()).unwrap();
    for key in ["annual_return", "annual_volatility", "sharpe_ratio", "max_drawdown"] {
        assert!(metrics["strategy"]["net"][key].is_number(), "strategy {key}");
        assert!(metrics["benchmark"]["buy_and_hold"][key].is_number(), "benchmark {key}");
    }
    assert_eq!(metrics["split"]["train_end"], "2013-12-31");

    let predictions = std::fs::read_to_string(a.join("predictions.csv")).unwrap();
    assert!(predictions.starts_with("date,ticker,prediction,target,part\n"));
    let equity = std::fs::read_to_string(a.join("equity.csv")).unwrap();
    assert!(equity.starts_with("date,strategy,strategy_gross,cost,turnover,benchmark\n"));
    assert!(
        equity.lines().nth(1).unwrap().starts_with("2017-01-04,"),
        "first test return is booked the day after the first test decision"
    );

    let html = std::fs::read_to_string(a.join("report.html")).unwrap();
    for needle in [
        "<h2>Performance on the test span (empyrical definitions)</h2>",
        "<td>Sharpe ratio</td>",
        "<h2>Cumulative returns (test span)</h2>",
        "<h2>Drawdown (underwater)</h2>",
    ] {
        assert!(html.contains(needle), "report lacks {needle}");
    }
    assert_eq!(html.matches("<svg").count(), 2);
    assert!(!html.contains("<script") && !html.contains("<link"), "self-contained");
    let resolved = std::fs::read_to_string(a.join("config.toml")).unwrap();
    assert!(
        resolved.contains("[features]") && resolved.contains("missing = \"drop\""),
        "{resolved}"
    );
}
