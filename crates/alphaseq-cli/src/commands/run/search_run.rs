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
use alphaseq::experiment::search::{label, set_path, short, Method, Objective, Point, SearchSpec};
use alphaseq::selection::SelectionCache;

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

/// The resolved experiment as a TOML document, without its `[search]`.
fn base_doc(exp: &Experiment) -> Result<toml::Value, Failure> {
    let mut base: toml::Value = toml::from_str(&exp.to_toml()?)
        .map_err(|e| Failure::Failed(anyhow!("re-reading the resolved config: {e}")))?;
    if let Some(t) = base.as_table_mut() {
        t.remove("search");
    }
    Ok(base)
}

/// Trial `k`: the experiment with the point's values put in.
fn make_trial(
    exp: &Experiment,
    base: &toml::Value,
    k: usize,
    point: &Point,
) -> Result<Experiment, Failure> {
    let mut doc = base.clone();
    // whole values first (a "model.layers" list), then the keys inside them ("model.layers.*.units")
    let mut ordered: Vec<&(String, toml::Value)> = point.iter().collect();
    ordered.sort_by_key(|(path, _)| path.split('.').count());
    for (path, value) in ordered {
        set_path(&mut doc, path, value.clone())
            .with_context(|| format!("search.space.{path}"))
            .map_err(Failure::Usage)?;
    }
    let text = toml::to_string(&doc).map_err(|e| Failure::Failed(anyhow!(e)))?;
    let mut trial = Experiment::parse(&text)
        .with_context(|| format!("search trial {k} ({})", label(point)))
        .map_err(Failure::Usage)?;
    trial.name = format!("{}-trial-{k:03}", exp.name);
    Ok(trial)
}

/// Hyperband's schedule (Li et al. 2018, as keras-tuner runs it with one iteration):
/// brackets s = s_max .. 0 with s_max = floor(log_factor(max_epochs)); bracket s starts
/// n = ceil((s_max + 1) / (s + 1) * factor^s) configurations at r = max_epochs / factor^s
/// epochs, and each round keeps the best 1/factor and trains them factor times longer.
/// Returns per bracket the rounds' (configurations kept, epochs).
pub(crate) fn hyperband_schedule(max_epochs: usize, factor: usize) -> Vec<Vec<(usize, usize)>> {
    let f = factor.max(2) as f64;
    let s_max = ((max_epochs.max(1) as f64).ln() / f.ln() + 1e-9).floor() as u32;
    (0..=s_max)
        .rev()
        .map(|s| {
            let n = ((f64::from(s_max) + 1.0) / (f64::from(s) + 1.0) * f.powi(s as i32)).ceil();
            let r = max_epochs as f64 / f.powi(s as i32);
            (0..=s)
                .map(|i| {
                    let keep = (n / f.powi(i as i32)).floor().max(1.0) as usize;
                    let epochs = (r * f.powi(i as i32)).round().clamp(1.0, max_epochs as f64);
                    (keep, epochs as usize)
                })
                .collect()
        })
        .collect()
}

fn read_outcome(dir: &Path, index: usize, point: Point) -> anyhow::Result<Outcome> {
    let record = alphaseq::record::RunRecord::read(dir)?;
    Ok(Outcome {
        index,
        point,
        valid_loss: record.mean_valid_loss(),
        valid_sharpe: record.strategy.valid_sharpe,
        test_sharpe: record.strategy.net.summary.sharpe_ratio,
    })
}

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

/// Runs the search into `dir`.
pub fn run(
    exp: &Experiment,
    search: &SearchSpec,
    dir: &Path,
    log: &mut Log,
    mode: Mode,
    cache: &SelectionCache,
) -> Result<(), Failure> {
    let base = base_doc(exp)?;
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
            // the bracket's configurations: distinct draws from the grid
            let mut idx: Vec<usize> = (0..grid.len()).collect();
            let n = rounds[0].0.min(grid.len());
            for i in 0..n {
                let j = i + (rng.next_u64() % (grid.len() - i) as u64) as usize;
                idx.swap(i, j);
            }
            let mut alive: Vec<Point> = idx[..n].iter().map(|&i| grid[i].clone()).collect();
            for (round, &(keep, epochs)) in rounds.iter().enumerate() {
                alive.truncate(keep);
                let batch: Vec<(usize, Point, Experiment)> = alive
                    .iter()
                    .map(|p| {
                        let mut point = p.clone();
                        point.push(("training.epochs".into(), toml::Value::Integer(epochs as i64)));
                        let trial = make_trial(exp, &base, k, &point)?;
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
                got.sort_by(|a, b| {
                    a.key(search.objective)
                        .total_cmp(&b.key(search.objective))
                        .then(a.index.cmp(&b.index))
                });
                alive = got.iter().map(|o| o.point[..o.point.len() - 1].to_vec()).collect();
                all.extend(got);
                if alive.is_empty() {
                    break;
                }
            }
        }
        (all, failed, total)
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
            .map(|(k, point)| Ok((k, point.clone(), make_trial(exp, &base, k, &point)?)))
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
    outcomes.sort_by(|a, b| {
        a.key(search.objective).total_cmp(&b.key(search.objective)).then(a.index.cmp(&b.index))
    });
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
            csv.push_str(&format!(",\"{}\"", short(v).replace('"', "\"\"")));
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

#[cfg(test)]
mod tests {
    use super::hyperband_schedule;

    #[test]
    fn hyperband_brackets_are_the_papers_for_27_epochs_and_factor_3() {
        // Li et al. (2018), table 1: R = 27, eta = 3
        let s = hyperband_schedule(27, 3);
        assert_eq!(s[0], [(27, 1), (9, 3), (3, 9), (1, 27)]);
        assert_eq!(s[1], [(12, 3), (4, 9), (1, 27)]);
        assert_eq!(s[2], [(6, 9), (2, 27)]);
        assert_eq!(s[3], [(4, 27)]);
        assert_eq!(hyperband_schedule(3, 3), [vec![(3, 1), (1, 3)], vec![(2, 3)]]);
    }
}
