//! Running a `[search]`: every trial as a run folder under `RUN_DIR/trials/trial-NNN` (trials in
//! parallel, one training thread each; a finished trial with the same config is not run again),
//! then `search.csv` (trials sorted by the objective), and the best trial's files copied into
//! `RUN_DIR` with a report that starts with the search table.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use anyhow::{anyhow, Context};

use super::{execute, Mode};
use crate::config::Experiment;
use crate::log::Log;
use crate::Failure;
use alphaseq::experiment::atomic;
use alphaseq::experiment::search::{
    bracket_points, hyperband_schedule, label, rank, search_csv, Method, Outcome, Point, SearchSpec,
};
use alphaseq::record::RunRecord;
use alphaseq::selection::SelectionCache;

/// Runs a batch of trials (index, point, experiment), `parallel` at once, each in
/// `dir/trials/trial-NNN` unless it finished earlier with the same config; the outcomes (in
/// completion order) and the failures, logged.
fn run_trials(
    batch: &[(usize, Point, Experiment)],
    dir: &Path,
    parallel: usize,
    mode: Mode,
    log: &mut Log,
    cache: &SelectionCache,
) -> (Vec<Outcome>, usize) {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Result<Outcome, String>>> = Mutex::new(vec![]);
    let log_lines: Mutex<Vec<String>> = Mutex::new(vec![]);
    let threads = (parallel > 1).then_some(1);
    std::thread::scope(|scope| {
        for _ in 0..parallel.clamp(1, batch.len().max(1)) {
            scope.spawn(|| {
                while let Some((k, point, trial)) = batch.get(next.fetch_add(1, Ordering::SeqCst)) {
                    let k = *k;
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
                            execute(trial, &tdir, &mut tlog, threads, Mode::Full, cache).map_err(
                                |e| match e {
                                    Failure::Failed(e) | Failure::Usage(e) => e,
                                    Failure::Reported => anyhow!("failed (see its run.log)"),
                                },
                            )?;
                        }
                        let record = RunRecord::read(&tdir)?;
                        let o = Outcome::of(k, point.clone(), &record);
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
                    let entry =
                        outcome.map_err(|e| format!("trial {k:03} {}: {e:#}", label(point)));
                    if let Ok(mut r) = results.lock() {
                        r.push(entry);
                    }
                }
            });
        }
    });
    for l in log_lines.into_inner().unwrap_or_default() {
        log.line(&l);
    }
    let mut outcomes = vec![];
    let mut failed = 0;
    for r in results.into_inner().unwrap_or_default() {
        match r {
            Ok(o) => outcomes.push(o),
            Err(e) => {
                failed += 1;
                log.line(&e);
            }
        }
    }
    (outcomes, failed)
}

/// Hyperband's brackets and rounds, each round's survivors trained longer; the outcomes of
/// every trial, how many failed, and how many there were.
fn hyperband(
    exp: &Experiment,
    search: &SearchSpec,
    dir: &Path,
    log: &mut Log,
    (mode, parallel): (Mode, usize),
    cache: &SelectionCache,
) -> Result<(Vec<Outcome>, usize, usize), Failure> {
    let schedule = hyperband_schedule(search.max_epochs, search.factor);
    log.line(&format!(
        "search: hyperband, max_epochs {}, factor {}, {} brackets, objective {:?}, {parallel} at once",
        search.max_epochs,
        search.factor,
        schedule.len(),
        search.objective
    ));
    let mut all = vec![];
    let (mut failed, mut total, mut k) = (0, 0, 0);
    let grid = search.points_all();
    let mut rng = alphaseq::rng::Rng::new(search.seed);
    for (b, rounds) in schedule.iter().enumerate() {
        let mut alive = bracket_points(&grid, rounds[0].0, &mut rng);
        for (round, &(keep, epochs)) in rounds.iter().enumerate() {
            alive.truncate(keep);
            let batch: Vec<(usize, Point, Experiment)> = alive
                .iter()
                .map(|p| {
                    let mut point = p.clone();
                    point.push(("training.epochs".into(), toml::Value::Integer(epochs as i64)));
                    let trial = exp.trial(k, &point)?;
                    k += 1;
                    Ok((k - 1, point, trial))
                })
                .collect::<Result<_, Failure>>()?;
            log.line(&format!(
                "bracket {b}, round {round}: {} configurations at {epochs} epochs",
                batch.len()
            ));
            total += batch.len();
            let (mut got, f) = run_trials(&batch, dir, parallel, mode, log, cache);
            failed += f;
            rank(&mut got, search.objective);
            alive = got.iter().map(|o| o.point[..o.point.len() - 1].to_vec()).collect();
            all.extend(got);
            if alive.is_empty() {
                break;
            }
        }
    }
    Ok((all, failed, total))
}

/// Runs the search into `dir`.
pub fn run(
    exp: &Experiment,
    search: &SearchSpec,
    dir: &Path,
    log: &mut Log,
    mode: Mode,
    cache: &SelectionCache,
) -> Result<(), Failure> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let parallel = search.parallel.unwrap_or(cores).max(1);
    atomic::write(&dir.join("search.toml"), exp.to_toml()?.as_bytes())?;
    let mut keys: Vec<String> = search.space.keys().cloned().collect();
    let (mut outcomes, failed, total) = if search.method == Method::Hyperband {
        if matches!(mode, Mode::Shard(..)) {
            return Err(Failure::Usage(anyhow!(
                "a hyperband search cannot be sharded (each round depends on the last); use method = \"random\" or \"grid\""
            )));
        }
        keys.push("training.epochs".into());
        hyperband(exp, search, dir, log, (mode, parallel), cache)?
    } else {
        let points = search.points();
        let mine = |k: usize| match mode {
            Mode::Shard(i, n) => k % n == i,
            _ => true,
        };
        log.line(&format!(
            "search: {} trials ({:?}), objective {:?}, {} at once",
            points.len(),
            search.method,
            search.objective,
            parallel.min(points.len().max(1))
        ));
        let batch: Vec<(usize, Point, Experiment)> = points
            .into_iter()
            .enumerate()
            .filter(|(k, _)| mine(*k))
            .map(|(k, point)| Ok((k, point.clone(), exp.trial(k, &point)?)))
            .collect::<Result<_, Failure>>()?;
        let total = batch.len();
        let (outcomes, failed) = run_trials(&batch, dir, parallel, mode, log, cache);
        (outcomes, failed, total)
    };
    if let Mode::Shard(i, n) = mode {
        log.line(&format!("shard {i}/{n}: {} trials done", outcomes.len()));
        return Ok(());
    }
    if outcomes.is_empty() || (mode == Mode::Merge && failed > 0) {
        return Err(Failure::Failed(anyhow!(
            "{failed} of {total} trials failed or are missing (see the lines above)"
        )));
    }
    rank(&mut outcomes, search.objective);
    let csv = search_csv(&keys, &outcomes);
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
