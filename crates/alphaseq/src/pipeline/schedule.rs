//! The fold scheduler: every job fitted (or taken from the store) on `parallel` threads, results
//! in job order whatever the order of completion.

use super::fold::fit_fold;
use super::types::*;
use super::Job;
use crate::data::Panel;
use crate::error::{Error, Result};
use crate::features::FeatureMatrix;
use crate::selection::SelectionCache;
use std::borrow::Cow;

/// A fitted (or stored) fold.
type FoldOutcome = Result<FoldResult>;

/// How jobs are fitted: fresh models, where finished folds are kept, how many at once, and the
/// selections computed before.
pub(super) struct Fitting<'a> {
    pub(super) models: ModelFactory<'a>,
    pub(super) store: &'a dyn FoldStore,
    pub(super) execution: Execution,
    pub(super) cache: &'a SelectionCache,
}

/// Fits (or takes from the store) every job, `execution.parallel` at once; the folds in job
/// order. A sole job takes `raw` itself (scaled in place), several share it and scale a copy
/// each.
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
    let queue: std::sync::Mutex<Vec<(usize, Job)>> =
        std::sync::Mutex::new(jobs.into_iter().enumerate().rev().collect());
    let failed = std::sync::atomic::AtomicBool::new(false);
    let mut raw = Some(raw);
    let sole = std::sync::Mutex::new(if n == 1 { raw.take() } else { None });
    let shared = raw.as_ref();
    let work = || loop {
        if failed.load(std::sync::atomic::Ordering::SeqCst) {
            break;
        }
        let next = queue.lock().ok().and_then(|mut q| q.pop());
        let Some((k, job)) = next else { break };
        let result = match store.load(&job.key, &job.dataset.split) {
            Some(done) => Ok(done),
            None if execution.stored_only => Err(Error::NotEnoughData(format!(
                "fold {} is not stored: run every shard first",
                job.key
            ))),
            None => {
                let features = match (sole.lock().ok().and_then(|mut s| s.take()), shared) {
                    (Some(owned), _) => Ok(Cow::Owned(owned)),
                    (None, Some(shared)) => Ok(Cow::Borrowed(shared)),
                    (None, None) => {
                        Err(Error::Invalid("the sole fold's features were taken".into()))
                    }
                };
                let mut model = models();
                features
                    .and_then(|f| fit_fold(panel, f, job.dataset, spec, model.as_mut(), cache))
                    .and_then(|fold| {
                        store.save(&job.key, &fold, &model.artifacts())?;
                        Ok(fold)
                    })
            }
        };
        if result.is_err() {
            failed.store(true, std::sync::atomic::Ordering::SeqCst);
        }
        if let Ok(mut slot) = slots[k].lock() {
            *slot = Some(result);
        }
    };
    let threads = execution.parallel.clamp(1, n.max(1));
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
