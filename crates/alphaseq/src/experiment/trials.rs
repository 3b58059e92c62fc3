//! Running a `[search]`: every trial as a run folder under `RUN_DIR/trials/trial-NNN` (trials in
//! parallel, one training thread each; a finished trial with the same config is not run again),
//! then `search.csv` (trials sorted by the objective), and the best trial's files copied into
//! `RUN_DIR` with a report that starts with the search table.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use super::log::RunLog;
use super::runner::{Mode, RunOptions};
use super::search::{
    bracket_points, label, rank, search_csv, Method, Objective, Outcome, Point, SearchSpec,
};
use super::{atomic, claim, Experiment, ModelConfig};
use crate::error::{Error, Result};
use crate::metrics::significance::{Deflated, Moments};
use crate::record::{RunRecord, TrialRecord};
use crate::selection::SelectionCache;

/// One trial to run: its index, its point in the search space and its experiment.
type Trial<M> = (usize, Point, Experiment<M>);

/// Runs trial `k` into `dir/trials/trial-NNN` unless it finished earlier with the same config
/// (and its `COMPLETE` marker); a folder of another config is cleared first. Its outcome under
/// `objective` and whether it had finished earlier.
fn run_trial<M: ModelConfig>(
    (k, point, trial): &Trial<M>,
    (dir, folder): (&Path, &str),
    options: &RunOptions,
    cache: &SelectionCache,
    objective: &Objective,
) -> Result<(Outcome, bool)> {
    let tdir = dir.join("trials").join(folder);
    std::fs::create_dir_all(&tdir).map_err(|e| Error::io(&tdir, e))?;
    let done = std::fs::read_to_string(tdir.join("config.toml")).ok() == Some(trial.to_toml()?)
        && claim::is_complete(&tdir);
    if !done && options.mode == Mode::Merge {
        return Err(Error::Incomplete("not finished: run every shard first".into()));
    }
    if !done {
        trial.claim_folder(&tdir, true)?;
        claim::start(&tdir)?;
        let log = RunLog::open(&tdir.join("run.log"), None)?;
        let trial_options = RunOptions { mode: Mode::Full, status: None, ..options.clone() };
        trial.execute(&tdir, &log, &trial_options, cache)?;
    }
    let record = RunRecord::read(&tdir)?;
    Ok((Outcome::of(*k, point.clone(), &record, objective), done))
}

/// Runs a batch of trials, `parallel` at once (one training thread each when more than one);
/// the outcomes (in completion order) and how many failed, each failure logged.
fn run_trials<M: ModelConfig>(
    batch: &[Trial<M>],
    (dir, objective): (&Path, &Objective),
    (parallel, options): (usize, &RunOptions),
    log: &RunLog,
    cache: &SelectionCache,
) -> (Vec<Outcome>, usize) {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<std::result::Result<Outcome, String>>> = Mutex::new(vec![]);
    let lines: Mutex<Vec<String>> = Mutex::new(vec![]);
    let options =
        RunOptions { threads: options.threads.or((parallel > 1).then_some(1)), ..options.clone() };
    std::thread::scope(|scope| {
        for _ in 0..parallel.clamp(1, batch.len().max(1)) {
            scope.spawn(|| {
                while let Some(trial) = batch.get(next.fetch_add(1, Ordering::SeqCst)) {
                    let (k, point) = (trial.0, &trial.1);
                    let folder = format!("trial-{k:03}");
                    let entry = match run_trial(trial, (dir, &folder), &options, cache, objective) {
                        Ok((o, done)) => {
                            if let Ok(mut l) = lines.lock() {
                                l.push(format!(
                                    "trial {k:03} {}: {}{}",
                                    label(point),
                                    scores(&o, objective),
                                    if done { " (finished earlier)" } else { "" }
                                ));
                            }
                            Ok(o)
                        }
                        Err(e) => Err(format!("trial {k:03} {}: {e}", label(point))),
                    };
                    if let Ok(mut r) = results.lock() {
                        r.push(entry);
                    }
                }
            });
        }
    });
    for l in lines.into_inner().unwrap_or_default() {
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
fn hyperband<M: ModelConfig>(
    exp: &Experiment<M>,
    search: &SearchSpec,
    dir: &Path,
    log: &RunLog,
    (parallel, options): (usize, &RunOptions),
    cache: &SelectionCache,
) -> Result<(Vec<Outcome>, usize, usize)> {
    let schedule = search.schedule();
    log.line(&format!(
        "search: hyperband ({:?} brackets), max_epochs {}, factor {}, {} brackets x {} iterations, objective {}, {parallel} at once",
        search.brackets,
        search.max_epochs,
        search.factor,
        schedule.len(),
        search.iterations,
        search.objective
    ));
    let mut all = vec![];
    let (mut failed, mut total, mut k) = (0, 0, 0);
    let grid = search.points_all();
    let mut rng = crate::rng::Rng::new(search.seed);
    let brackets =
        (0..search.iterations).flat_map(|i| schedule.iter().enumerate().map(move |b| (i, b)));
    for (iteration, (b, rounds)) in brackets {
        let mut alive = bracket_points(&grid, rounds[0].0, &mut rng);
        for (round, &(keep, epochs)) in rounds.iter().enumerate() {
            alive.truncate(keep);
            let batch: Vec<Trial<M>> = alive
                .iter()
                .map(|p| {
                    let mut point = p.clone();
                    point.push(("training.epochs".into(), toml::Value::Integer(epochs as i64)));
                    let trial = exp.trial(k, &point)?;
                    k += 1;
                    Ok((k - 1, point, trial))
                })
                .collect::<Result<_>>()?;
            log.line(&format!(
                "iteration {iteration}, bracket {b}, round {round}: {} configurations at {epochs} epochs",
                batch.len()
            ));
            total += batch.len();
            let (mut got, f) =
                run_trials(&batch, (dir, &search.objective), (parallel, options), log, cache);
            failed += f;
            rank(&mut got, &search.objective);
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
pub(crate) fn run<M: ModelConfig>(
    exp: &Experiment<M>,
    search: &SearchSpec,
    dir: &Path,
    log: &RunLog,
    options: &RunOptions,
    cache: &SelectionCache,
) -> Result<()> {
    let parallel = search.parallel.unwrap_or_else(|| options.cores()).max(1);
    let mode = options.mode;
    atomic::write(&dir.join("search.toml"), exp.to_toml()?.as_bytes())?;
    let mut keys: Vec<String> = search.keys();
    let (mut outcomes, failed, total) = if search.method == Method::Hyperband {
        if matches!(mode, Mode::Shard(..)) {
            return Err(Error::config(
                "search.method",
                "a hyperband search cannot be sharded (each round depends on the last); use method = \"random\" or \"grid\"",
            ));
        }
        keys.push("training.epochs".into());
        hyperband(exp, search, dir, log, (parallel, options), cache)?
    } else {
        let points = search.points();
        let mine = |k: usize| match mode {
            Mode::Shard(i, n) => k % n == i,
            _ => true,
        };
        log.line(&format!(
            "search: {} trials ({:?}), objective {}, {} at once",
            points.len(),
            search.method,
            search.objective,
            parallel.min(points.len().max(1))
        ));
        let batch: Vec<Trial<M>> = points
            .into_iter()
            .enumerate()
            .filter(|(k, _)| mine(*k))
            .map(|(k, point)| Ok((k, point.clone(), exp.trial(k, &point)?)))
            .collect::<Result<_>>()?;
        let total = batch.len();
        let (outcomes, failed) =
            run_trials(&batch, (dir, &search.objective), (parallel, options), log, cache);
        (outcomes, failed, total)
    };
    if let Mode::Shard(i, n) = mode {
        log.line(&format!("shard {i}/{n}: {} trials done", outcomes.len()));
        return Ok(());
    }
    if outcomes.is_empty() || (mode == Mode::Merge && failed > 0) {
        return Err(Error::Incomplete(format!(
            "{failed} of {total} trials failed or are missing (see the lines above)"
        )));
    }
    rank(&mut outcomes, &search.objective);
    let csv = search_csv(&keys, &outcomes, &search.objective);
    let best = &outcomes[0];
    log.line(&format!(
        "best: trial {:03} {} ({}); its test Sharpe {}",
        best.index,
        label(&best.point),
        scores(best, &search.objective),
        fmt(best.test_sharpe)
    ));
    let refit_dir = dir.join("trials").join("refit");
    let bdir = if search.refit_best {
        refit(exp, search, best, (dir, total), log, options, cache)?;
        refit_dir
    } else {
        // a refit of an earlier search with refit_best is not this search's
        if refit_dir.exists() {
            std::fs::remove_dir_all(&refit_dir).map_err(|e| Error::io(&refit_dir, e))?;
        }
        dir.join("trials").join(format!("trial-{:03}", best.index))
    };
    // the best trial's (or its refit's) run folder becomes the search's (config, model, results)
    for e in std::fs::read_dir(&bdir).map_err(|e| Error::io(&bdir, e))? {
        let e = e.map_err(|e| Error::io(&bdir, e))?;
        let name = e.file_name().to_string_lossy().into_owned();
        if e.path().is_file()
            && name != "run.log"
            && name != claim::COMPLETE
            && !name.ends_with(".tmp")
        {
            let bytes = std::fs::read(e.path()).map_err(|err| Error::io(e.path(), err))?;
            atomic::write(&dir.join(&name), &bytes)?;
        }
    }
    // the top-level record lists every trial, best first
    let mut record = RunRecord::read(dir)?;
    record.trials = outcomes
        .iter()
        .enumerate()
        .map(|(rank, o)| {
            let tdir = dir.join("trials").join(format!("trial-{:03}", o.index));
            let own = RunRecord::read(&tdir)?;
            let chosen_by = (o.valid_loss, o.valid_sharpe, o.score);
            Ok(TrialRecord::of((o.index, rank + 1, label(&o.point)), chosen_by, &own))
        })
        .collect::<Result<_>>()?;
    let ppy = record.data.periods_per_year();
    let sharpes: Vec<f64> =
        record.trials.iter().map(|t| t.net.summary.sharpe_ratio.unwrap_or(f64::NAN)).collect();
    record.deflated = Moments::of(&record.strategy.net, ppy)
        .and_then(|chosen| Deflated::of(chosen, &sharpes, ppy));
    if let Some(d) = &record.deflated {
        log.line(&format!(
            "deflated: {} trials, test Sharpe sd {:.4}, best by luck {:.4}; P(chosen trial's Sharpe > that) {}",
            d.trials,
            d.sharpe_sd,
            d.expected_max_sharpe,
            fmt(d.deflated_sharpe_ratio)
        ));
    }
    atomic::write(&dir.join("metrics.json"), record.to_json()?.as_bytes())?;
    atomic::write(&dir.join("search.csv"), csv.as_bytes())?;
    super::report::write_run_report::<M>(dir)?;
    // last: a search killed while publishing is not taken for a finished run
    claim::finish(dir)
}

/// The chosen trial's configuration trained again with the experiment's own `[training]`
/// (Hyperband's epoch budget dropped) into `dir/trials/refit`, numbered after the `trials`.
fn refit<M: ModelConfig>(
    exp: &Experiment<M>,
    search: &SearchSpec,
    best: &Outcome,
    (dir, trials): (&Path, usize),
    log: &RunLog,
    options: &RunOptions,
    cache: &SelectionCache,
) -> Result<()> {
    let point: Point = best.point.iter().filter(|(k, _)| k != "training.epochs").cloned().collect();
    let mut trial = exp.trial(trials, &point)?;
    trial.name = format!("{}-refit", exp.name);
    log.line(&format!(
        "refit: trial {:03}'s configuration trained again as [training] says ({} epochs at most)",
        best.index,
        trial.model.epochs(&trial.training).map_or("n/a".into(), |e| e.to_string())
    ));
    let (o, done) =
        run_trial(&(trials, point, trial), (dir, "refit"), options, cache, &search.objective)?;
    log.line(&format!(
        "refit: {}; its test Sharpe {}{}",
        scores(&o, &search.objective),
        fmt(o.test_sharpe),
        if done { " (finished earlier)" } else { "" }
    ));
    Ok(())
}

/// A trial's objective values for the log.
fn scores(o: &Outcome, objective: &Objective) -> String {
    let mut s = format!("valid loss {}, valid Sharpe {}", fmt(o.valid_loss), fmt(o.valid_sharpe));
    if let Objective::History(column) = objective {
        s.push_str(&format!(", {column} {}", fmt(o.score)));
    }
    s
}

fn fmt(v: Option<f64>) -> String {
    v.map_or("n/a".into(), |x| format!("{x:.5}"))
}
