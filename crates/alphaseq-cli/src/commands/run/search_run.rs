//! Running a `[search]`: every trial as a run folder under `RUN_DIR/trials/trial-NNN` (trials in
//! parallel, one training thread each; a finished trial with the same config is not run again),
//! then `search.csv` (trials sorted by the objective), and the best trial's files copied into
//! `RUN_DIR` with a report that starts with the search table.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use anyhow::{anyhow, Context};

use super::{execute, Log, Mode};
use crate::config::Experiment;
use crate::search::{label, set_path, Objective, Point, SearchSpec};
use crate::{atomic, Failure};

/// One trial's outcome, read from its metrics.json.
struct Outcome {
    index: usize,
    point: Point,
    valid_loss: Option<f64>,
    valid_sharpe: Option<f64>,
    test_sharpe: Option<f64>,
}

impl Outcome {
    /// The objective as a number to minimise.
    fn key(&self, objective: Objective) -> f64 {
        match objective {
            Objective::ValLoss => self.valid_loss.unwrap_or(f64::INFINITY),
            Objective::ValSharpe => -self.valid_sharpe.unwrap_or(f64::NEG_INFINITY),
        }
    }
}

/// The experiment of each trial.
fn trials(exp: &Experiment, search: &SearchSpec) -> Result<Vec<(Point, Experiment)>, Failure> {
    let mut base: toml::Value = toml::from_str(&exp.to_toml()?)
        .map_err(|e| Failure::Failed(anyhow!("re-reading the resolved config: {e}")))?;
    if let Some(t) = base.as_table_mut() {
        t.remove("search");
    }
    search
        .points()
        .into_iter()
        .enumerate()
        .map(|(k, point)| {
            let mut doc = base.clone();
            for (path, value) in &point {
                set_path(&mut doc, path, value.clone()).map_err(Failure::Usage)?;
            }
            let text = toml::to_string(&doc).map_err(|e| Failure::Failed(anyhow!(e)))?;
            let mut trial = Experiment::parse(&text)
                .with_context(|| format!("search trial {k} ({})", label(&point)))
                .map_err(Failure::Usage)?;
            trial.name = format!("{}-trial-{k:03}", exp.name);
            Ok((point, trial))
        })
        .collect()
}

fn read_outcome(dir: &Path, index: usize, point: Point) -> anyhow::Result<Outcome> {
    let m: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("metrics.json"))?)?;
    let losses: Vec<f64> = m["folds"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["valid_loss"].as_f64())
        .collect();
    Ok(Outcome {
        index,
        point,
        valid_loss: (!losses.is_empty()).then(|| losses.iter().sum::<f64>() / losses.len() as f64),
        valid_sharpe: m["strategy"]["valid_sharpe"].as_f64(),
        test_sharpe: m["strategy"]["net"]["sharpe_ratio"].as_f64(),
    })
}

/// Runs the search into `dir`.
pub fn run(
    exp: &Experiment,
    search: &SearchSpec,
    dir: &Path,
    log: &mut Log,
    mode: Mode,
) -> Result<(), Failure> {
    let trials = trials(exp, search)?;
    let mine = |k: usize| match mode {
        Mode::Shard(i, n) => k % n == i,
        _ => true,
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let parallel = search.parallel.unwrap_or(cores).clamp(1, trials.len().max(1));
    log.line(&format!(
        "search: {} trials ({:?}), objective {:?}, {parallel} at once",
        trials.len(),
        search.method,
        search.objective
    ));
    atomic::write(&dir.join("search.toml"), exp.to_toml()?.as_bytes())?;
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Result<Outcome, String>>> = Mutex::new(vec![]);
    let log_lines: Mutex<Vec<String>> = Mutex::new(vec![]);
    let threads = (parallel > 1).then_some(1);
    std::thread::scope(|scope| {
        for _ in 0..parallel {
            scope.spawn(|| loop {
                let k = next.fetch_add(1, Ordering::SeqCst);
                let Some((point, trial)) = trials.get(k) else { break };
                if !mine(k) {
                    continue;
                }
                let tdir = dir.join("trials").join(format!("trial-{k:03}"));
                let outcome = (|| -> anyhow::Result<Outcome> {
                    std::fs::create_dir_all(&tdir)?;
                    let done = std::fs::read_to_string(tdir.join("config.toml")).ok()
                        == Some(trial.to_toml()?)
                        && tdir.join("report.html").exists();
                    if !done && mode == Mode::Merge {
                        anyhow::bail!("not finished: run every shard first");
                    }
                    if !done {
                        let mut tlog = Log::open(&tdir.join("run.log"), false)?;
                        execute(trial, &tdir, &mut tlog, threads, Mode::Full).map_err(
                            |e| match e {
                                Failure::Failed(e) | Failure::Usage(e) => e,
                                Failure::Reported => anyhow!("failed (see its run.log)"),
                            },
                        )?;
                    }
                    let o = read_outcome(&tdir, k, point.clone())?;
                    if let Ok(mut l) = log_lines.lock() {
                        l.push(format!(
                            "trial {k:03} {}: valid loss {}, valid Sharpe {}{}",
                            label(point),
                            fmt(o.valid_loss),
                            fmt(o.valid_sharpe),
                            if done { " (finished earlier)" } else { "" }
                        ));
                    }
                    Ok(o)
                })();
                let entry = outcome.map_err(|e| format!("trial {k:03} {}: {e:#}", label(point)));
                if let Ok(mut r) = results.lock() {
                    r.push(entry);
                }
            });
        }
    });
    for l in log_lines.into_inner().unwrap_or_default() {
        log.line(&l);
    }
    let mut outcomes = vec![];
    for r in results.into_inner().unwrap_or_default() {
        match r {
            Ok(o) => outcomes.push(o),
            Err(e) => log.line(&e),
        }
    }
    if let Mode::Shard(i, n) = mode {
        log.line(&format!("shard {i}/{n}: {} trials done", outcomes.len()));
        return Ok(());
    }
    if outcomes.is_empty() || (mode == Mode::Merge && outcomes.len() < trials.len()) {
        return Err(Failure::Failed(anyhow!(
            "{} of {} trials failed or are missing (see the lines above)",
            trials.len() - outcomes.len(),
            trials.len()
        )));
    }
    outcomes.sort_by(|a, b| {
        a.key(search.objective).total_cmp(&b.key(search.objective)).then(a.index.cmp(&b.index))
    });
    let keys: Vec<&String> = search.space.keys().collect();
    let mut csv = String::from("rank,trial,valid_loss,valid_sharpe,test_sharpe");
    for k in &keys {
        csv.push_str(&format!(",{k}"));
    }
    csv.push('\n');
    let num = |v: Option<f64>| v.map_or(String::new(), |x| x.to_string());
    for (rank, o) in outcomes.iter().enumerate() {
        csv.push_str(&format!(
            "{},{},{},{},{}",
            rank + 1,
            o.index,
            num(o.valid_loss),
            num(o.valid_sharpe),
            num(o.test_sharpe)
        ));
        for (_, v) in &o.point {
            csv.push_str(&format!(",\"{}\"", v.to_string().replace('"', "\"\"")));
        }
        csv.push('\n');
    }
    let best = &outcomes[0];
    log.line(&format!(
        "best: trial {:03} {} (valid loss {}, valid Sharpe {}); its test Sharpe {}",
        best.index,
        label(&best.point),
        fmt(best.valid_loss),
        fmt(best.valid_sharpe),
        fmt(best.test_sharpe)
    ));
    // the best trial's run folder becomes the search's (its config, model, results)
    let bdir = dir.join("trials").join(format!("trial-{:03}", best.index));
    for e in std::fs::read_dir(&bdir).context("reading the best trial's folder")? {
        let e = e.context("reading the best trial's folder")?;
        let name = e.file_name().to_string_lossy().into_owned();
        if e.path().is_file() && name != "run.log" && !name.ends_with(".tmp") {
            atomic::write(&dir.join(&name), &std::fs::read(e.path()).context("copying")?)?;
        }
    }
    atomic::write(&dir.join("search.csv"), csv.as_bytes())?;
    let report = crate::report::run_report(dir).map_err(Failure::Failed)?;
    atomic::write(&dir.join("report.html"), alphaseq_report::render_html(&report).as_bytes())?;
    Ok(())
}

fn fmt(v: Option<f64>) -> String {
    v.map_or("n/a".into(), |x| format!("{x:.5}"))
}
