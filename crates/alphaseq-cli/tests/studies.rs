//! The five source studies (configs/studies/) end to end on ../shared/data, each reduced with
//! `--set` to a few tickers, a short span and one or two epochs, so that CI runs every config
//! file as written (its features, model, targets, search and strategy) without its compute.

use std::path::{Path, PathBuf};

use crate::util::{alphaseq, assert_signal_reproduces_the_run, repo_root, stderr};

/// Runs `configs/studies/<name>.toml` into a fresh folder with `overrides`; returns the run folder.
fn run_study(tmp: &Path, name: &str, overrides: &[&str]) -> PathBuf {
    let config = repo_root().join(format!("configs/studies/{name}.toml"));
    let out = tmp.join(name);
    let mut args = vec!["run", config.to_str().unwrap(), "--out", out.to_str().unwrap()];
    for o in overrides {
        args.extend(["--set", o]);
    }
    let o = alphaseq(tmp, &args);
    assert_eq!(o.status.code(), Some(0), "{name}: {}", stderr(&o));
    crate::golden::assert_matches_golden(&out, name, true);
    out
}

fn json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

fn lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn study1_weekly_lstm_with_ticker_embedding_and_month_input() {
    let tmp = tempfile::tempdir().unwrap();
    let run = run_study(
        tmp.path(),
        "study1_weekly_lstm_embedding",
        &[
            r#"data.tickers=["AAPL","MSFT","JPM","XOM","KO","PG","INTC","WMT"]"#,
            "data.start=2010-01-01",
            "training.epochs=2",
        ],
    );
    let m = json(&run.join("metrics.json"));
    // the network of the study: month one-hot as 12 static inputs beside the 5-d embedding
    let model = json(&run.join("model.json"));
    assert_eq!(model["static_features"], 12);
    assert_eq!(model["embeddings"][0]["dim"], 5);
    assert_eq!(model["features"], 1, "the sequence is the weekly return alone");
    // 2017: one IC per week, the pooled IC and quintile returns
    let ics = &m["evaluation"]["ics"];
    assert!((50..=52).contains(&ics["dates"].as_array().unwrap().len()));
    assert!(ics["overall_spearman"].as_f64().unwrap().abs() < 1.0);
    assert_eq!(ics["quintiles"].as_array().unwrap().len(), 5);
    let first = m["strategy"]["first_return_date"].as_str().unwrap();
    assert!(first.starts_with("2017-01"), "test year 2017, got {first}");
}

#[test]
fn study2_direction_classifiers_of_three_depths() {
    let tmp = tempfile::tempdir().unwrap();
    let run = run_study(
        tmp.path(),
        "study2_gspc_direction",
        &[
            "data.start=2013-01-01",
            "training.epochs=1",
            // fewer rounds and samples than the study, so a lower bar than the shadows' maximum
            "selection.boruta.max_iter=20",
            "selection.boruta.max_samples=800",
            "selection.boruta.perc=70",
        ],
    );
    let search = lines(&run.join("search.csv"));
    assert_eq!(search.len(), 4, "three depths, one row each: {search:?}");
    for trial in 0..3 {
        let dir = run.join(format!("trials/trial-{trial:03}"));
        let c = &json(&dir.join("metrics.json"))["evaluation"]["classification"];
        let accuracy = c["report"]["accuracy"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&accuracy));
        let confusion = c["report"]["confusion"].as_array().unwrap();
        assert_eq!(confusion.len(), 2);
        assert!(c["roc"].is_object() || c["roc"].is_array(), "ROC curve");
        assert!(lines(&dir.join("boruta.csv")).len() > 100, "every indicator is judged");
        assert!(lines(&dir.join("thresholds.csv")).len() > 5, "threshold sweep");
    }
}

#[test]
fn study2_as_the_source_runs_it_scored_per_epoch_and_tuned_by_keras_tuners_hyperband() {
    let tmp = tempfile::tempdir().unwrap();
    let quick = ["data.start=2013-01-01", "selection.boruta.max_iter=20"];
    let source = [&quick[..], &["training.epochs=2"]].concat();
    let run = run_study(tmp.path(), "study2_gspc_direction_source", &source);
    // the three models, ranked by the training loss (no validation days), side by side
    let search = lines(&run.join("search.csv"));
    assert!(search[0].starts_with("rank,trial,valid_loss,valid_sharpe,test_sharpe,objective_loss,"));
    assert_eq!(search.len(), 4, "{search:?}");
    let m3 = std::fs::read_to_string(run.join("trials/trial-002/config.toml")).unwrap();
    assert_eq!(m3.matches("\"dropout\"").count(), 6, "M3: a dropout after each of its six LSTMs");
    let m = json(&run.join("metrics.json"));
    assert_eq!(m["split"]["samples"]["valid"], 0, "80/20 without validation");
    assert!(m["folds"][0]["valid_loss"].is_null());
    let history = lines(&run.join("history.csv"));
    assert_eq!(history[0], "epoch,loss,val_loss,accuracy,precision,recall,auc");
    let best = &m["folds"][0]["history_best"];
    assert!((0.0..=1.0).contains(&best["accuracy"].as_f64().unwrap()), "{best}");
    let report = std::fs::read_to_string(run.join("report.html")).unwrap();
    for section in [
        "Every trial's test-span classification",
        "ROC curves of the best 3 trials",
        "Classification per epoch",
    ] {
        assert!(report.contains(section), "report: {section}");
    }

    // keras-tuner's Hyperband (one iteration of its brackets: 5 at 2 epochs, 2 of them at 5,
    // 3 at 5) on the validation accuracy, then the winner trained again with [training]
    let tuned = [&quick[..], &["search.iterations=1", "training.epochs=3"]].concat();
    let run = run_study(tmp.path(), "study2_gspc_direction_tuned_source", &tuned);
    let search = lines(&run.join("search.csv"));
    assert!(search[0].contains(",objective_val_accuracy,"), "{}", search[0]);
    assert_eq!(search.len(), 11, "10 trainings: {search:?}");
    let accuracy = |row: &str| row.split(',').nth(5).unwrap().parse::<f64>().unwrap();
    assert!(accuracy(&search[1]) >= accuracy(&search[10]), "best first");
    let m = json(&run.join("metrics.json"));
    let trials = m["trials"].as_array().unwrap();
    assert_eq!(trials.len(), 10);
    assert_eq!(trials[0]["score"].as_f64().unwrap(), accuracy(&search[1]));
    let refit = run.join("trials/refit");
    assert!(refit.join("COMPLETE").exists(), "the winner trained again");
    let epochs = lines(&refit.join("history.csv")).len() - 1;
    assert!((1..=3).contains(&epochs), "[training]'s epochs, not the trial's budget: {epochs}");
    assert_eq!(
        std::fs::read(refit.join("predictions.csv")).unwrap(),
        std::fs::read(run.join("predictions.csv")).unwrap(),
        "the search's results are the refit's"
    );
    let history = lines(&run.join("history.csv"));
    assert!(history[0].ends_with(",val_accuracy,val_precision,val_recall,val_auc"));
    let log = std::fs::read_to_string(refit.join("run.log")).unwrap();
    assert!(log.contains("kept the 5 best by rank"), "Boruta's fallback: {log}");

    // an objective the history does not have, and a validation score without validation days
    let config = repo_root().join("configs/studies/study2_gspc_direction_tuned_source.toml");
    let bad = |sets: &[&str]| {
        let mut args = vec!["run", config.to_str().unwrap(), "--out", "x"];
        sets.iter().for_each(|s| args.extend(["--set", s]));
        stderr(&alphaseq(tmp.path(), &args))
    };
    let err = bad(&[r#"search.objective="val_f1""#]);
    assert!(err.contains("search.objective") && err.contains("val_auc"), "{err}");
    let err = bad(&["dataset.split.ratios=[0.8, 0.0, 0.2]"]);
    assert!(err.contains("search.objective") && err.contains("holds out none"), "{err}");
}

#[test]
fn study2_with_the_sources_look_ahead_inputs_is_the_same_recipe_and_says_so() {
    // the config is the source recipe with pandas-ta's look-ahead columns allowed, nothing else
    let read = |name: &str| -> toml::Table {
        let path = repo_root().join(format!("configs/studies/{name}.toml"));
        toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    };
    let (mut source, mut leaky) =
        (read("study2_gspc_direction_source"), read("study2_gspc_direction_source_lookahead"));
    for t in [&mut source, &mut leaky] {
        t.remove("name");
        t["report"].as_table_mut().unwrap().remove("title");
        let features = t["features"].as_table_mut().unwrap();
        for key in ["indicators", "exclude_indicators", "look_ahead"] {
            features.remove(key);
        }
    }
    assert_eq!(source, leaky, "only the name, the title and the indicators differ");

    // reduced: one epoch of each depth; every allowed input named in the log, record, report
    let tmp = tempfile::tempdir().unwrap();
    let config = repo_root().join("configs/studies/study2_gspc_direction_source_lookahead.toml");
    let out = tmp.path().join("run");
    let mut args = vec!["run", config.to_str().unwrap(), "--out", out.to_str().unwrap()];
    for o in ["data.start=2012-01-01", "selection.boruta.max_iter=20", "training.epochs=1"] {
        args.extend(["--set", o]);
    }
    let o = alphaseq(tmp.path(), &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let log = std::fs::read_to_string(out.join("run.log")).unwrap();
    for input in [
        "DPO_20 (dpo",
        "ISA_9, ISB_26, ITS_9, IKS_26, ICS_26 (ichimoku",
        "TOS_STDEVALL_LR",
        "ZIGZAGs_5.0%_10",
        "VHM_610",
    ] {
        assert_eq!(
            log.matches(&format!("LOOK-AHEAD INPUT (features.look_ahead = \"allow\"): {input}"))
                .count(),
            2,
            "{input}: {log}"
        );
    }
    assert_eq!(json(&out.join("metrics.json"))["look_ahead"].as_array().unwrap().len(), 5);
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.contains("LOOK-AHEAD INPUTS"));
    let boruta = lines(&out.join("boruta.csv"));
    assert!(boruta.iter().any(|l| l.starts_with("DPO_20,")), "the centred DPO is a candidate");
}

#[test]
fn study3_as_the_source_runs_it_price_levels_and_one_model_per_asset_class() {
    let tmp = tempfile::tempdir().unwrap();
    let quick = [
        r#"data.tickers=["SPY","QQQ","EURUSD=X","GBPUSD=X","GC=F","AAPL"]"#,
        "data.start=2012-01-01",
    ];
    let run = run_study(tmp.path(), "study3_per_asset_next_prices_source", &quick);
    let model = json(&run.join("folds/SPY/fold-000/training.json"));
    assert_eq!(model["epochs"], 3, "3 epochs, no early stopping");
    assert_eq!(model["best_epoch"], 3, "the last epoch's weights");
    let predictions = lines(&run.join("predictions.csv"));
    assert!(predictions[0].contains("prediction_price"), "{}", predictions[0]);
    // each asset on its own calendar: the currencies trade on US Thanksgiving, the ETF and the
    // stock do not, and hold their positions through it
    let log = std::fs::read_to_string(run.join("run.log")).unwrap();
    assert!(log.contains(r#"data.calendar = "own""#), "{log}");
    let on = |day: &str, ticker: &str| {
        predictions.iter().any(|l| l.starts_with(&format!("{day},{ticker},")))
    };
    assert!(on("2020-11-25", "SPY") && on("2020-11-25", "EURUSD=X"));
    assert!(on("2020-11-26", "EURUSD=X") && on("2020-11-26", "GBPUSD=X"));
    assert!(!on("2020-11-26", "SPY") && !on("2020-11-26", "AAPL"));
    let positions = lines(&run.join("positions.csv"));
    let weight = |day: &str, ticker: &str| {
        let row = positions.iter().find(|l| l.starts_with(&format!("{day},{ticker},")));
        row.map(|l| l.rsplit(',').next().unwrap().to_string())
    };
    for ticker in ["SPY", "AAPL"] {
        let held = weight("2020-11-25", ticker);
        assert!(held.is_some() && held == weight("2020-11-26", ticker), "{ticker} holds");
    }
    // no day of a ticker is missing on its own calendar: a missing-day policy is refused
    let config = repo_root().join("configs/studies/study3_per_asset_next_prices_source.toml");
    let args =
        ["run", config.to_str().unwrap(), "--out", "ffill", "--set", r#"data.missing="ffill""#];
    let err = stderr(&alphaseq(tmp.path(), &args));
    assert!(err.contains("data.missing") && err.contains("own"), "{err}");

    // one model per asset class: a group's tickers share a model and its scaler
    let classes = repo_root().join("configs/studies/study3_asset_classes.csv");
    let sectors = format!("data.sectors={:?}", classes.to_str().unwrap());
    let grouped = [
        &quick[..],
        &["model.per_ticker=false", "model.per_group=true", &sectors, r#"report.ticker="GC=F""#],
    ]
    .concat();
    let out = tmp.path().join("grouped");
    let mut args = vec!["run", config.to_str().unwrap(), "--out", out.to_str().unwrap()];
    grouped.iter().for_each(|s| args.extend(["--set", s]));
    let o = alphaseq(tmp.path(), &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut groups: Vec<String> = std::fs::read_dir(out.join("folds"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    groups.sort();
    assert_eq!(groups, ["commodity_future", "currency", "equity_index", "stock"]);
    let fold = json(&out.join("folds/currency/fold-000/fold.json"));
    let scaler = &fold["fold"]["scaler"]["groups"];
    assert_eq!(scaler.as_array().unwrap().len(), 1, "one scaler for the group's tickers");
    let close = scaler[0]["center"][4].as_f64().unwrap();
    assert!((1.0..2.0).contains(&close), "the mean close of EURUSD and GBPUSD: {close}");
    let m = json(&out.join("metrics.json"));
    assert!(m["model"]["name"].as_str().unwrap().ends_with("one per group"));
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.contains("GC=F: the forecast next price"), "report.ticker is charted");
    crate::util::assert_signal_reproduces_the_run(tmp.path(), &out, "2021-04-20");
    // a ticker without a group is named
    let bare = tmp.path().join("bare.csv");
    std::fs::write(&bare, "ticker,sector\nSPY,equity_index\n").unwrap();
    let sectors = format!("data.sectors={:?}", bare.to_str().unwrap());
    let mut args = vec!["run", config.to_str().unwrap(), "--out", "x"];
    for s in [&quick[..], &["model.per_ticker=false", "model.per_group=true", &sectors]].concat() {
        args.extend(["--set", s]);
    }
    let err = stderr(&alphaseq(tmp.path(), &args));
    assert!(err.contains("data.sectors") && err.contains("QQQ has no group"), "{err}");
    let args =
        ["run", config.to_str().unwrap(), "--out", "x", "--set", r#"report.ticker="BTC-USD""#];
    let err = stderr(&alphaseq(tmp.path(), &args));
    assert!(err.contains("report.ticker") && err.contains("not one of data.tickers"), "{err}");
}

#[test]
fn study3_one_lstm_per_asset_predicting_four_prices() {
    let tmp = tempfile::tempdir().unwrap();
    let run = run_study(
        tmp.path(),
        "study3_per_asset_next_prices",
        &[
            r#"data.tickers=["SPY","EURUSD=X","GC=F","AAPL"]"#,
            "data.start=2012-01-01",
            "training.epochs=2",
        ],
    );
    for ticker in ["SPY", "EURUSD_X", "GC_F", "AAPL"] {
        let fold = run.join("folds").join(ticker).join("fold-000/fold.json");
        assert!(fold.exists(), "model of {ticker}");
    }
    let m = json(&run.join("metrics.json"));
    let by_target = m["forecast_by_target"].as_object().unwrap();
    let names: Vec<&str> = by_target.keys().map(String::as_str).collect();
    assert_eq!(names, ["next_adj_close", "next_close", "next_high", "next_low"]);
    let predictions = lines(&run.join("predictions.csv"));
    assert!(predictions[0].contains("predicted_next_high"));
    // the invalid GC=F row (high below low, 2009-11-23) lies before data.start: it does not
    // matter, so nothing is dropped
    let log = std::fs::read_to_string(run.join("run.log")).unwrap();
    assert!(log.contains("(0 in the tickers and dates the experiment uses)"), "{log}");
    assert!(!log.contains("dropped (data.invalid_rows"), "{log}");
}

#[test]
fn study4_spy_refitted_monthly_and_todays_signal() {
    let tmp = tempfile::tempdir().unwrap();
    let run = run_study(
        tmp.path(),
        "study4_spy_monthly_refit",
        &[
            "data.start=2016-01-01",
            "dataset.walk_forward.first_test=2021-01-04",
            "training.epochs=1",
            "model.layers.0.units=8",
            "model.layers.2.units=8",
            "model.layers.4.units=8",
        ],
    );
    let m = json(&run.join("metrics.json"));
    assert_eq!(m["folds"].as_array().unwrap().len(), 4, "January .. April 2021, one fold a month");
    // production: today's position from the last month's model
    assert_signal_reproduces_the_run(tmp.path(), &run, "2021-04-20");
    // --refit-every is the shorthand for the walk-forward refit key
    let config = repo_root().join("configs/studies/study4_spy_monthly_refit.toml");
    let o = alphaseq(
        tmp.path(),
        &["run", config.to_str().unwrap(), "--refit-every", "quarter", "--check"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("refit = \"quarterly\""));
}

#[test]
fn study4_as_the_source_runs_it_the_last_504_bars_prices_and_no_validation() {
    let tmp = tempfile::tempdir().unwrap();
    let run = run_study(
        tmp.path(),
        "study4_spy_monthly_refit_source",
        &[
            "data.start=2016-01-01",
            "dataset.walk_forward.first_test=2021-01-04",
            "training.epochs=2",
            "model.layers.0.units=8",
            "model.layers.2.units=8",
            "model.layers.4.units=8",
        ],
    );
    let m = json(&run.join("metrics.json"));
    let folds = m["folds"].as_array().unwrap();
    assert_eq!(folds.len(), 4, "January .. April 2021");
    for f in folds {
        // History(504): 504 bars, 60 of them before the first window's target: 444 windows
        assert_eq!(f["samples"]["train"], 444, "{f}");
        assert_eq!(f["samples"]["valid"], 0, "{f}");
        assert!(f["valid_loss"].is_null(), "no validation loss without validation: {f}");
        assert_eq!(f["train_end"], f["valid_end"]);
    }
    // the network learns the close in dollars; its forecasts are traded and kept as returns
    let predictions = lines(&run.join("predictions.csv"));
    for row in &predictions[1..] {
        let cells: Vec<&str> = row.split(',').collect();
        let (p, y): (f64, f64) = (cells[2].parse().unwrap(), cells[3].parse().unwrap_or(0.0));
        assert!(p.abs() < 0.5 && y.abs() < 0.2, "returns, not prices: {row}");
    }
    assert_signal_reproduces_the_run(tmp.path(), &run, "2021-04-20");
    // without validation dates, early stopping cannot watch the validation loss
    let config = repo_root().join("configs/studies/study4_spy_monthly_refit_source.toml");
    let o = alphaseq(
        tmp.path(),
        &["run", config.to_str().unwrap(), "--set", "training.monitor=\"val_loss\"", "--check"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.contains("training.monitor") && e.contains("valid_fraction = 0"), "{e}");
}

#[test]
fn study5_deep_momentum_search_mean_variance_and_table3() {
    let tmp = tempfile::tempdir().unwrap();
    let run = run_study(
        tmp.path(),
        "study5_deep_momentum",
        &[
            r#"data.tickers=["AAPL","MSFT","JPM","BAC","XOM","CVX","JNJ","PFE","KO","PG"]"#,
            "data.start=2012-01-01",
            "dataset.walk_forward.first_test=2020-01-02",
            "training.epochs=1",
            "search.trials=2",
            "importance.repeats=1",
            "importance.max_windows=100",
        ],
    );
    let search = lines(&run.join("search.csv"));
    assert_eq!(search.len(), 3, "two trials: {search:?}");
    let m = json(&run.join("metrics.json"));
    assert_eq!(m["folds"].as_array().unwrap().len(), 2, "2020 and 2021");
    assert_eq!(m["strategy"]["rule"], "mean_variance");
    // signal-lag stress at 1, 5, 10 and 21 days
    let stress = lines(&run.join("stress.csv"));
    for lag in ["1", "5", "10", "21"] {
        assert!(stress.iter().any(|l| l.split(',').next() == Some(lag)), "lag {lag}");
    }
    let equity = &lines(&run.join("equity.csv"))[0];
    for b in ["equal_weight", "momentum_21", "momentum_63", "momentum_126"] {
        assert!(equity.contains(b), "benchmark {b} in {equity}");
    }
    assert!(lines(&run.join("importance.csv")).len() > 10, "permutation importance");
    let report = std::fs::read_to_string(run.join("report.html")).unwrap();
    assert!(report.contains("Tail ratio") && report.contains("Calmar"), "Table 3 layout");
}

#[test]
fn study5_costs_trades_the_five_architectures_through_the_cost_aware_program() {
    let tmp = tempfile::tempdir().unwrap();
    let reduced = [
        r#"data.tickers=["AAPL","MSFT","JPM","BAC","XOM","CVX","JNJ","PFE","KO","PG"]"#,
        "data.start=2012-01-01",
        "dataset.walk_forward.first_test=2020-01-02",
        "training.epochs=1",
        "importance.repeats=1",
        "importance.max_windows=100",
    ];
    let run = run_study(tmp.path(), "study5_costs", &reduced);
    assert_eq!(lines(&run.join("search.csv")).len(), 6, "the five architectures");
    let m = json(&run.join("metrics.json"));
    let trading = &m["strategy"]["trading"];
    assert!(trading["break_even_bps"].is_number() && trading["holding_period"].is_number());
    assert!(m["strategy"]["gross"]["sharpe_ratio"].is_number(), "gross beside net");
    let config = std::fs::read_to_string(run.join("search.toml")).unwrap();
    assert!(config.contains("[strategy.optimizer]") && config.contains("realised_vol_window = 63"));

    // only the trading layer changes: the same folder retrades the stored folds
    let model = run.join("trials/trial-000/folds/fold-000/model.safetensors");
    let fitted = std::fs::metadata(&model).unwrap().modified().unwrap();
    let config = repo_root().join("configs/studies/study5_costs.toml");
    let mut args = vec!["run", config.to_str().unwrap(), "--out", run.to_str().unwrap()];
    for o in reduced.iter().chain(&["strategy.covariance={pca={factors=3}}"]) {
        args.extend(["--set", o]);
    }
    let o = alphaseq(tmp.path(), &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(std::fs::metadata(&model).unwrap().modified().unwrap(), fitted, "not refitted");
    let retraded = json(&run.join("metrics.json"));
    assert_ne!(
        retraded["strategy"]["net"]["sharpe_ratio"], m["strategy"]["net"]["sharpe_ratio"],
        "another covariance, another book"
    );
    assert!(std::fs::read_to_string(run.join("search.toml")).unwrap().contains("factors = 3"));
}

#[test]
fn study5_as_the_paper_specifies_it_many_to_many_cross_sectional() {
    // two of Table 3's 17 rows, one epoch, ten stocks: the recipe runs as written (many-to-many
    // RNNs into the normalisation layer, the cross-sectional Sharpe loss on date batches, L1,
    // per-tensor clipping, joint search keys)
    let tmp = tempfile::tempdir().unwrap();
    let run = run_study(
        tmp.path(),
        "study5_paper",
        &[
            r#"data.tickers=["AAPL","MSFT","JPM","BAC","XOM","CVX","JNJ","PFE","KO","PG"]"#,
            "data.start=2012-01-01",
            "dataset.walk_forward.first_test=2020-01-02",
            "training.epochs=1",
            r#"search.method="random""#,
            "search.trials=2",
        ],
    );
    let search = lines(&run.join("search.csv"));
    assert_eq!(search.len(), 3, "two trials: {search:?}");
    assert!(search[0].ends_with("model.layers,dataset.sequence_length,dataset.train_stride"));
    for row in &search[1..] {
        let cells: Vec<&str> = row.rsplitn(3, ',').collect();
        assert_eq!(cells[0], cells[1], "each row's stride is its sequence length: {row}");
        assert!(row.contains("cross_sectional_norm()"), "{row}");
    }
    let m = json(&run.join("metrics.json"));
    assert_eq!(m["folds"].as_array().unwrap().len(), 2, "2020 and 2021");
    // the search ranks by the model's own validation loss (the cross-sectional Sharpe loss),
    // the mean over the refits, not by the predictions' mean squared error
    let own: Vec<f64> = m["folds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["valid_objective"].as_f64().unwrap())
        .collect();
    let best_valid_loss: f64 = search[1].split(',').nth(2).unwrap().parse().unwrap();
    assert!(
        (best_valid_loss - own.iter().sum::<f64>() / 2.0).abs() < 1e-12,
        "{own:?} {}",
        search[1]
    );
    assert!(own.iter().all(|v| *v < 1.0), "minus a Sharpe ratio: {own:?}");
    let config = std::fs::read_to_string(run.join("config.toml")).unwrap();
    assert!(config.contains("cross_sectional_sharpe") && config.contains("by_date"), "{config}");
    // the paper's figures: every row's cumulative returns, 2020 (inside the test span; 2008 is
    // not), the momentum benchmarks through the same mean-variance step
    let report = std::fs::read_to_string(run.join("report.html")).unwrap();
    for title in [
        "Cumulative return of every trial on the test span",
        "2020: cumulative return of every trial from 2020-01-01 to 2020-12-31",
        "2020: turnover of every trial",
        "momentum 63 (through the strategy's rule)",
    ] {
        assert!(report.contains(title), "{title}");
    }
    assert!(!report.contains("2008: cumulative return"));
    // Table 3 in metrics.json: every trial, best first, with its own record's numbers
    let trials = m["trials"].as_array().unwrap();
    assert_eq!(trials.len(), 2);
    for (k, t) in trials.iter().enumerate() {
        assert_eq!(t["rank"], k + 1);
        let own = json(
            &run.join(format!("trials/trial-{:03}/metrics.json", t["trial"].as_u64().unwrap())),
        );
        assert_eq!(t["net"], own["strategy"]["net"]);
        assert!(t["values"].as_str().unwrap().contains("sequence_length="), "{t}");
    }
}

#[test]
fn study5_random_search_over_the_papers_grid() {
    // two of the search's 30 draws, one epoch, ten stocks
    let tmp = tempfile::tempdir().unwrap();
    let run = run_study(
        tmp.path(),
        "study5_paper_search",
        &[
            r#"data.tickers=["AAPL","MSFT","JPM","BAC","XOM","CVX","JNJ","PFE","KO","PG"]"#,
            "data.start=2012-01-01",
            "dataset.walk_forward.first_test=2020-01-02",
            "training.epochs=1",
            "search.trials=2",
        ],
    );
    let search = lines(&run.join("search.csv"));
    assert_eq!(search.len(), 3, "two trials: {search:?}");
    for key in [
        "dataset.sequence_length",
        "dataset.train_stride",
        "model.layers.2.rate",
        "model.layers.0.units",
        "training.batch_size",
        "training.optimizer.lr",
    ] {
        assert!(search[0].contains(key), "{key}: {}", search[0]);
    }
    let config = std::fs::read_to_string(run.join("config.toml")).unwrap();
    assert!(config.contains("type = \"lstm\"") && config.contains("cross_sectional_norm"));
}
