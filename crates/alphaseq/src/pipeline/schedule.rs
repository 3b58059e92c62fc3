//! The fold scheduler: every job fitted (or taken from the store) on `parallel` threads, results
//! in job order whatever the order of completion.

use super::fold::{fit_fold, predict_again};
use super::types::*;
use super::Job;
use crate::data::Panel;
use crate::error::{Error, Result};
use crate::features::FeatureMatrix;
use crate::selection::SelectionCache;
use std::borrow::Cow;

/// A fitted (or stored) fold.
type FoldOutcome = Result<FoldResult>;

/// What becomes of a job: a fold from the store (perhaps predicted again), or a fit.
enum Next {
    Stored(Box<FoldOutcome>),
    Fit(Job),
}

/// How jobs are fitted: fresh models, where finished folds are kept, how many at once, and the
/// selections computed before.
pub(super) struct Fitting<'a> {
    pub(super) models: ModelFactory<'a>,
    pub(super) store: &'a dyn FoldStore,
    pub(super) execution: Execution,
    pub(super) cache: &'a SelectionCache,
}

/// Fits (or takes from the store) every job, `execution.parallel` chains at once (see
/// [`chains`]); the folds in job order. A sole job takes `raw` itself (scaled in place),
/// several share it and scale a copy each.
pub(super) fn run_jobs(
    panel: &Panel,
    spec: &PipelineSpec,
    raw: FeatureMatrix,
    jobs: Vec<Job>,
    fitting: Fitting,
) -> Result<Vec<FoldResult>> {
    let Fitting { models, store, execution, cache } = fitting;
    let n = jobs.len();
    let slots: Vec<std::sync::Mutex<Option<FoldOutcome>>> =
        (0..n).map(|_| std::sync::Mutex::new(None)).collect();
    let all = chains(jobs.into_iter().enumerate().collect(), spec.warm_start);
    let n_chains = all.len();
    let queue = std::sync::Mutex::new(all.into_iter().rev().collect::<Vec<_>>());
    let failed = std::sync::atomic::AtomicBool::new(false);
    let mut raw = Some(raw);
    let sole = std::sync::Mutex::new(if n == 1 { raw.take() } else { None });
    let shared = raw.as_ref();
    let features = || match (sole.lock().ok().and_then(|mut s| s.take()), shared) {
        (Some(owned), _) => Ok(Cow::Owned(owned)),
        (None, Some(shared)) => Ok(Cow::Borrowed(shared)),
        (None, None) => Err(Error::Invalid("the sole fold's features were taken".into())),
    };
    let fit = |job: Job, previous: Option<&[(String, Vec<u8>)]>| {
        let features = features()?;
        let mut model = models(job.seed);
        if let Some(files) = previous {
            model.warm_start(files)?;
        }
        let fold = fit_fold(panel, features, job.dataset, spec, model.as_mut(), cache)?;
        let files = model.artifacts();
        store.save(&job.key, &fold, &files)?;
        Ok((fold, files))
    };
    let work = || loop {
        let next = queue.lock().ok().and_then(|mut q| q.pop());
        let Some(chain) = next else { break };
        // the model files of the chain's previous fold, which the next one starts from
        let mut previous: Option<Vec<(String, Vec<u8>)>> = None;
        for (i, (k, job)) in chain.into_iter().enumerate() {
            if failed.load(std::sync::atomic::Ordering::SeqCst) {
                break;
            }
            let key = job.key.clone();
            let next = match store.load(&key, &job.dataset.split) {
                Some(Stored::Whole(fold)) => Next::Stored(Box::new(Ok(fold))),
                // fitted on the same data, but the test span grew: the model predicts again
                Some(Stored::Model(fold)) => match store.restore(&key) {
                    Some(Ok(model)) => Next::Stored(Box::new(
                        features()
                            .and_then(|f| predict_again(panel, f, job.dataset, spec, &*model, fold))
                            .and_then(|fold| store.update(&key, &fold).map(|()| fold)),
                    )),
                    _ => Next::Fit(job),
                },
                None => Next::Fit(job),
            };
            let result = match next {
                Next::Stored(result) => {
                    previous = if spec.warm_start { store.model_files(&key) } else { None };
                    *result
                }
                Next::Fit(_) if execution.stored_only => Err(Error::NotEnoughData(format!(
                    "fold {key} is not stored: run every shard first"
                ))),
                Next::Fit(_) if i > 0 && previous.is_none() => Err(Error::config(
                    "training.warm_start",
                    format!("fold {key} starts from the fold before it, whose model files are not stored; delete that fold's folder under folds/ to fit both again"),
                )),
                Next::Fit(job) => fit(job, previous.as_deref()).map(|(fold, files)| {
                    previous = Some(files);
                    fold
                }),
            };
            if result.is_err() {
                failed.store(true, std::sync::atomic::Ordering::SeqCst);
            }
            if let Ok(mut slot) = slots[k].lock() {
                *slot = Some(result);
            }
        }
    };
    let threads = execution.parallel.clamp(1, n_chains.max(1));
    std::thread::scope(|scope| {
        for _ in 1..threads {
            scope.spawn(work);
        }
        work();
    });
    let mut folds = Vec::with_capacity(n);
    for slot in slots {
        match slot.into_inner().ok().flatten() {
            Some(Ok(fold)) => folds.push(fold),
            Some(Err(e)) => return Err(e),
            None => {} // not run after another fold failed; that failure is returned above
        }
    }
    if folds.len() < n {
        return Err(Error::Invalid("a fold was not fitted".into()));
    }
    Ok(folds)
}

/// The jobs `(index, job)` as chains, each fitted in order on one thread: with warm starts, the
/// folds of the run (or of each ticker, keys `TICKER/fold-k`) in one chain, each starting from
/// the one before; without, every job alone.
pub(super) fn chains(jobs: Vec<(usize, Job)>, warm_start: bool) -> Vec<Vec<(usize, Job)>> {
    let owner = |key: &str| key.rsplit_once('/').map_or(String::new(), |(t, _)| t.to_string());
    let mut chains: Vec<Vec<(usize, Job)>> = vec![];
    for (k, job) in jobs {
        match chains.last_mut() {
            Some(chain) if warm_start && owner(&chain[0].1.key) == owner(&job.key) => {
                chain.push((k, job));
            }
            _ => chains.push(vec![(k, job)]),
        }
    }
    chains
}
