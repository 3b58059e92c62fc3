//! `alphaseq features compute`: the experiment's features as a long CSV or Parquet table, and the
//! momentum-feature experiment end to end.

use crate::util::{alphaseq, repo_root, stderr};

#[test]
fn features_compute_writes_csv_and_parquet_with_the_same_rows() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("features.csv");
    let pq = tmp.path().join("features.parquet");
    for out in [&csv, &pq] {
        let o = alphaseq(
            &repo_root(),
            &[
                "features",
                "compute",
                "configs/momentum_linear.toml",
                "--out",
                out.to_str().unwrap(),
            ],
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(stderr(&o).contains("33 features of 30 tickers"), "{}", stderr(&o));
    }
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(header[..4], ["date", "ticker", "nret_1", "nret_5"]);
    assert!(header.contains(&"alpha_var_252") && header.contains(&"month_12"));
    // 30 tickers (the 29 stocks and ^GSPC) over their own spans of the sample, ordered by ticker
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 123_090, "one row per (ticker, date) with a price");
    assert!(rows[0].starts_with("2005-01-03,AAPL,,"), "warm-up values are empty: {}", rows[0]);
    let bytes = std::fs::read(&pq).unwrap();
    assert_eq!((&bytes[..4], &bytes[bytes.len() - 4..]), (&b"PAR1"[..], &b"PAR1"[..]));

    let bad = alphaseq(
        &repo_root(),
        &["features", "compute", "configs/momentum_linear.toml", "--out", "features.txt"],
    );
    assert_eq!(bad.status.code(), Some(2), "an unknown output format is a usage error");
}

#[test]
fn the_momentum_experiment_runs_and_saves_its_per_ticker_scaler() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("run");
    let o = alphaseq(
        &repo_root(),
        &["run", "configs/momentum_linear.toml", "--out", dir.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let scaler: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("scaler.json")).unwrap()).unwrap();
    assert_eq!(scaler["spec"]["kind"], "robust");
    assert_eq!(scaler["groups"].as_array().unwrap().len(), 30, "one entry per panel ticker");
    let config = std::fs::read_to_string(dir.join("config.toml")).unwrap();
    assert!(config.contains("market = \"^GSPC\""), "the market defaults to the benchmark");
    let importance = std::fs::read_to_string(dir.join("importance.csv")).unwrap();
    assert_eq!(importance.lines().count(), 1 + 33, "a row per feature");
}

#[test]
fn boruta_selection_writes_its_report_and_keeps_only_chosen_columns() {
    let tmp = tempfile::tempdir().unwrap();
    let root = repo_root();
    let text = std::fs::read_to_string(root.join("configs/gspc_direction_boruta.toml"))
        .unwrap()
        .replace("max_iter = 50", "max_iter = 6\ntrees = 30")
        .replace(
            "\"../data/sample/prices.csv.gz\"",
            &format!("{:?}", root.join("data/sample/prices.csv.gz")),
        );
    let config = tmp.path().join("b.toml");
    std::fs::write(&config, text).unwrap();
    let dir = tmp.path().join("run");
    let o =
        alphaseq(tmp.path(), &["run", config.to_str().unwrap(), "--out", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let report = std::fs::read_to_string(dir.join("boruta.csv")).unwrap();
    let rows: Vec<&str> = report.lines().skip(1).collect();
    assert_eq!(rows.len(), 269, "one row per candidate feature");
    let kept =
        rows.iter().filter(|r| r.contains(",confirmed,") || r.contains(",tentative,")).count();
    let log = std::fs::read_to_string(dir.join("run.log")).unwrap();
    assert!(log.contains(&format!("kept {kept} (boruta.csv)")), "{log}");
    // a direction target: the report has the classifier's sections and the threshold sweep
    let sweep = std::fs::read_to_string(dir.join("thresholds.csv")).unwrap();
    assert_eq!(sweep.lines().count(), 1 + 9, "{sweep}");
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    for needle in [
        "<h2>Classification report at threshold 0.5 (scikit-learn); accuracy",
        "<h2>Confusion matrix (rows: actual, columns: predicted)</h2>",
        "<h2>ROC curve (AUC",
        "<h2>Threshold sweep of long above the threshold, short at or below (traded: 0.5, configured); the test span is a diagnostic",
        "<h2>Boruta feature selection on the training span</h2>",
    ] {
        assert!(html.contains(needle), "report lacks {needle}");
    }
    let metrics: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("metrics.json")).unwrap()).unwrap();
    let c = &metrics["evaluation"]["classification"];
    let m = &c["report"]["confusion"];
    let total: u64 = (0..2)
        .flat_map(|i| (0..2).map(move |j| (i, j)))
        .map(|(i, j)| m[i][j].as_u64().unwrap())
        .sum();
    assert_eq!(total, metrics["evaluation"]["samples"].as_u64().unwrap());
    assert!(c["roc_auc"].as_f64().is_some());
}

#[test]
fn a_network_predicts_several_next_day_prices_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let root = repo_root();
    let text = std::fs::read_to_string(root.join("configs/next_prices_lstm.toml"))
        .unwrap()
        .replace("epochs = 20", "epochs = 2")
        .replace(
            "\"../data/sample/prices.csv.gz\"",
            &format!("{:?}", root.join("data/sample/prices.csv.gz")),
        );
    let config = tmp.path().join("p.toml");
    std::fs::write(&config, text).unwrap();
    let dir = tmp.path().join("run");
    let o =
        alphaseq(tmp.path(), &["run", config.to_str().unwrap(), "--out", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let csv = std::fs::read_to_string(dir.join("predictions.csv")).unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    // returns: the traded pair and each target's; then the same in price units
    assert_eq!(header.len(), 5 + 2 * 4 + 2 + 2 * 4);
    assert_eq!(header[5..7], ["predicted_next_high", "next_high"]);
    assert_eq!(
        header[13..17],
        ["prediction_price", "target_price", "predicted_next_high_price", "next_high_price"]
    );
    let first: Vec<&str> = csv.lines().nth(1).unwrap().split(',').collect();
    assert_eq!(first[2], first[11], "the traded prediction is the adjusted close's");
    let num = |k: usize| first[k].parse::<f64>().unwrap();
    // every price is (1 + r) x the as-of adjusted close, one base per row
    let base = num(14) / (1.0 + num(3));
    for (price, ret) in [(13, 2), (15, 5), (16, 6), (21, 11), (22, 12)] {
        let want = (1.0 + num(ret)) * base;
        assert!(
            (num(price) - want).abs() <= 1e-9 * want,
            "{}: {} against {want}",
            header[price],
            num(price)
        );
    }
    assert_eq!(first[13], first[21], "the traded forecast is the adjusted close's, in prices too");
    let metrics: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("metrics.json")).unwrap()).unwrap();
    let by_target = metrics["forecast_by_target"].as_object().unwrap();
    assert_eq!(by_target.len(), 4);
    assert!(by_target["next_low"]["test"]["mse"].is_number());
    let errors = &by_target["next_low"]["test"]["prices"];
    assert!(
        errors["mae"].as_f64().unwrap() > 0.0 && errors["rmse"].as_f64() >= errors["mae"].as_f64(),
        "{errors}"
    );
    assert!(metrics["forecast"]["test"]["prices"]["mae_return"].is_number());

    // another experiment into the same folder is refused, unless --force clears it
    let three = std::fs::read_to_string(&config).unwrap().replace("units = 4", "units = 3");
    std::fs::write(&config, three).unwrap();
    let (config, out) = (config.to_str().unwrap(), dir.to_str().unwrap());
    let o = alphaseq(tmp.path(), &["run", config, "--out", out]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("holds the run of another experiment"), "{}", stderr(&o));
    assert!(dir.join("metrics.json").exists(), "the other run's files are kept");
    // the network's last layer must give one value per target column: the configuration is
    // wrong, so the exit code is 2
    let o = alphaseq(tmp.path(), &["run", config, "--out", out, "--force"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!dir.join("metrics.json").exists(), "--force cleared the folder");
    assert!(stderr(&o).contains("the target has 4 (end with Dense(4))"), "{}", stderr(&o));
}

#[test]
fn look_ahead_inputs_are_refused_unless_allowed_and_then_said_everywhere() {
    let tmp = tempfile::tempdir().unwrap();
    let root = repo_root();
    let quickstart = std::fs::read_to_string(root.join("configs/quickstart.toml"))
        .unwrap()
        .replace("\"../data/sample/", &format!("\"{}/data/sample/", root.display()));
    // TOS_STDEVALL's bands are its line plus or minus a constant: collinear without a ridge
    let quickstart = quickstart.replace("ridge = 0.0", "ridge = 1.0");
    let with = |extra: &str| {
        quickstart.replace(
            "volatility = [21]\n",
            &format!(
                "volatility = [21]\nindicators = [\"tos_stdevall\", {{ kind = \"dpo\", centered = true }}]\n{extra}"
            ),
        )
    };
    let refused = crate::util::write(tmp.path(), "refused.toml", &with(""));
    let o = alphaseq(tmp.path(), &["run", refused.to_str().unwrap(), "--check"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("features.indicators")
            && e.contains("reads the future")
            && e.contains("features.look_ahead = \"allow\""),
        "{e}"
    );

    let allowed = crate::util::write(tmp.path(), "allowed.toml", &with("look_ahead = \"allow\"\n"));
    let dir = tmp.path().join("run");
    let o =
        alphaseq(tmp.path(), &["run", allowed.to_str().unwrap(), "--out", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let warned = |text: &str| text.matches("LOOK-AHEAD INPUT").count();
    // before the run and beside its results, on the terminal and in run.log
    assert_eq!(warned(&stderr(&o)), 4, "{}", stderr(&o));
    assert_eq!(warned(&std::fs::read_to_string(dir.join("run.log")).unwrap()), 4);
    let record: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("metrics.json")).unwrap()).unwrap();
    let lines: Vec<&str> =
        record["look_ahead"].as_array().unwrap().iter().map(|l| l.as_str().unwrap()).collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(
        lines[0].starts_with("TOS_STDEVALL_LR, TOS_STDEVALL_L_1")
            && lines[1].starts_with("DPO_20 (dpo")
    );
    let report = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(report.contains("LOOK-AHEAD INPUTS") && report.contains("not achievable"));
    let config = std::fs::read_to_string(dir.join("config.toml")).unwrap();
    assert!(config.contains("look_ahead = \"allow\""), "the resolved config keeps the switch");
}
