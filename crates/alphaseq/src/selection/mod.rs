//! Feature selection on the training samples: Boruta over a random forest's importances
//! ([`boruta`]), on the as-of rows of the training windows and their targets, never on
//! validation or test data. Depends on [`crate::features`] and [`crate::dataset`].

pub mod boruta;
pub mod forest;

pub use boruta::{BorutaReport, BorutaSpec, Decision};

use serde::{Deserialize, Serialize};

/// Feature selection of an experiment (`[selection]`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelectionSpec {
    /// Boruta (`[selection.boruta]`; an empty table gives BorutaPy's defaults).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boruta: Option<BorutaSpec>,
}

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use crate::dataset::Sample;
use crate::error::{Error, Result};
use crate::features::FeatureMatrix;
use crate::rng::Rng;

/// Runs Boruta on the training `samples` (at most `spec.max_samples` of them, drawn with the
/// seed), classifying when every target is 0 or 1 and regressing otherwise.
///
/// # Errors
/// [`Error::NotEnoughData`] with fewer than 10 samples.
pub fn boruta_on(
    features: &FeatureMatrix,
    samples: &[Sample],
    spec: &BorutaSpec,
    cache: &SelectionCache,
) -> Result<BorutaReport> {
    let mut chosen: Vec<&Sample> = samples.iter().filter(|s| s.target.is_finite()).collect();
    if chosen.len() < 10 {
        return Err(Error::NotEnoughData(format!(
            "features.boruta: {} training samples; Boruta needs at least 10",
            chosen.len()
        )));
    }
    if chosen.len() > spec.max_samples {
        Rng::derive(spec.seed, 0x5A_4D_50).shuffle(&mut chosen);
        chosen.truncate(spec.max_samples);
        chosen.sort_by_key(|s| (s.ticker, s.t));
    }
    let p = features.n_features();
    let mut x = Vec::with_capacity(chosen.len() * p);
    for s in &chosen {
        x.extend_from_slice(features.row(s.ticker as usize, s.t as usize));
    }
    let y: Vec<f64> = chosen.iter().map(|s| s.target).collect();
    let classify = y.iter().all(|v| *v == 0.0 || *v == 1.0);
    // the same inputs give the same report: compute it once per cache (the trials of a
    // search share their data set and selection, and wait for the first to finish it)
    let key = {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        features.names().hash(&mut h);
        x.iter().chain(&y).for_each(|v| v.to_bits().hash(&mut h));
        serde_json::to_string(spec).unwrap_or_default().hash(&mut h);
        h.finish()
    };
    let cell = {
        let mut memo = cache.boruta.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        memo.entry(key).or_default().clone()
    };
    Ok(cell
        .get_or_init(|| {
            let data = forest::Data { x: &x, p, y: &y };
            boruta::boruta(&data, features.names(), classify, spec)
        })
        .clone())
}

/// Selection results kept for reuse by whoever owns it (a search shares one between its trials;
/// every run of the library without one gets its own), so an expensive selection that depends
/// only on data runs once. Boruta reports are keyed by a hash of their inputs (rows, targets,
/// names, settings).
#[derive(Debug, Default)]
pub struct SelectionCache {
    boruta: Mutex<HashMap<u64, Arc<OnceLock<BorutaReport>>>>,
}
