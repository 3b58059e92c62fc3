//! `training.seeds` and `training.ensemble`: every model trained once per seed, each seed's run
//! the same bits as a run with that seed alone, the traded forecast the seeds' mean, and the
//! spread in the record, the report and `signal`.

use std::path::Path;

use crate::util::{alphaseq, assert_signal_reproduces_the_run, repo_root, stderr, stdout};

/// Runs the LSTM quickstart for 3 epochs into `out` with `--set` of each of `sets`, and
/// `extra` arguments; what it printed.
fn run(cwd: &Path, out: &str, sets: &[&str], extra: &[&str]) -> String {
    let config = repo_root().join("configs/lstm_quickstart.toml");
    let mut args =
        vec!["run", config.to_str().unwrap(), "--out", out, "--set", "training.epochs=3"];
    for s in sets {
        args.extend(["--set", s]);
    }
    args.extend(extra);
    let o = alphaseq(cwd, &args);
    assert_eq!(o.status.code(), Some(0), "{out}: {}", stderr(&o));
    format!("{}{}", stdout(&o), stderr(&o))
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// (date, ticker, part) -> prediction of a run's predictions.csv.
fn predictions(dir: &Path) -> Vec<(String, f64)> {
    std::fs::read_to_string(dir.join("predictions.csv"))
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (format!("{},{},{}", f[0], f[1], f[4]), f[2].parse().unwrap())
        })
        .collect()
}

#[test]
fn each_seed_is_its_own_run_and_the_ensemble_trades_their_mean() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    let seeds = ["training.seeds=[7, 8]", "training.ensemble=\"mean\""];
    run(cwd, "both", &seeds, &[]);
    run(cwd, "seed7", &["training.seed=7"], &[]);
    run(cwd, "seed8", &["training.seed=8"], &[]);
    let both = cwd.join("both");
    // each seed's run is the run with that seed alone, bit for bit
    for s in [7, 8] {
        let own = std::fs::read(both.join(format!("seeds/seed-{s}/equity.csv"))).unwrap();
        assert!(own == std::fs::read(cwd.join(format!("seed{s}/equity.csv"))).unwrap(), "{s}");
    }
    // the traded forecast is the mean of the two
    let (p7, p8, mean) =
        (predictions(&cwd.join("seed7")), predictions(&cwd.join("seed8")), predictions(&both));
    assert_eq!(mean.len(), p7.len());
    for ((m, a), b) in mean.iter().zip(&p7).zip(&p8) {
        assert_eq!((&m.0, &m.0), (&a.0, &b.0));
        assert_eq!(m.1, (0.0 + a.1 + b.1) / 2.0, "{}", m.0);
    }
    // the record lists both seeds and their spread; the rest is the ensemble's
    let record = json(&both.join("metrics.json"));
    let sharpe = |r: &serde_json::Value| r["strategy"]["net"]["sharpe_ratio"].as_f64().unwrap();
    let (s7, s8) = (
        sharpe(&json(&cwd.join("seed7/metrics.json"))),
        sharpe(&json(&cwd.join("seed8/metrics.json"))),
    );
    let seeds_record = &record["seeds"];
    assert_eq!(seeds_record["ensemble"], "mean");
    assert_eq!(seeds_record["each"][0]["seed"], 7);
    assert_eq!(seeds_record["each"][1]["sharpe"].as_f64().unwrap(), s8);
    let spread = &seeds_record["spread"]["sharpe"];
    assert!((spread["mean"].as_f64().unwrap() - (s7 + s8) / 2.0).abs() < 1e-15);
    assert_eq!(spread["min"].as_f64().unwrap(), s7.min(s8));
    assert_eq!(seeds_record["traded"]["sharpe"].as_f64().unwrap(), sharpe(&record));
    let report = std::fs::read_to_string(both.join("report.html")).unwrap();
    assert!(report.contains("2 seeds: each seed") && report.contains("Over 2 seeds"), "report");
    // one model at a time: the same bits
    run(cwd, "serial", &seeds, &["--parallel", "1"]);
    for name in ["predictions.csv", "equity.csv", "seeds/seed-8/equity.csv"] {
        let same = std::fs::read(both.join(name)).unwrap()
            == std::fs::read(cwd.join("serial").join(name)).unwrap();
        assert!(same, "{name} depends on the models fitted at once");
    }
    // signal serves the mean of the seeds' models
    assert_signal_reproduces_the_run(cwd, &both, "2019-06-03");
    // a third seed (and another ensemble) reuses the two seeds fitted before
    let out =
        run(cwd, "both", &["training.seeds=[7, 8, 9]", "training.ensemble=\"rank\""], &["--force"]);
    assert!(out.contains("1 fitted now, 2 taken from"), "{out}");
    assert_eq!(json(&both.join("metrics.json"))["seeds"]["ensemble"], "rank");
}

#[test]
fn seed_settings_that_cannot_work_are_config_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let lstm = repo_root().join("configs/lstm_quickstart.toml");
    let quick = repo_root().join("configs/quickstart.toml");
    for (config, set, expected) in [
        (&lstm, "training.seeds=0", "training.seeds: needs at least one seed"),
        (&lstm, "training.seeds=[3, 1, 3]", "training.seeds: seed 3 is listed twice"),
        (&lstm, "training.seeds=\"five\"", "a number of seeds (5) or a list of seeds"),
        (
            &lstm,
            "training.ensemble=\"mean\"",
            "training.ensemble: combines the models of several seeds",
        ),
        (&lstm, "training.ensemble=\"median\"", "unknown variant `median`"),
        (&quick, "training.seeds=3", "training.seeds: the linear model is solved in closed form"),
    ] {
        let o = alphaseq(tmp.path(), &["run", config.to_str().unwrap(), "--check", "--set", set]);
        assert_eq!(o.status.code(), Some(2), "{set}: {}", stderr(&o));
        assert!(stderr(&o).contains(expected), "{set}: {}", stderr(&o));
    }
}
