//! Permutation feature importance of a fitted [`Forecaster`] (Breiman; scikit-learn's
//! `permutation_importance` with the loss as score): on a seeded sample of windows (validation
//! windows, typically), the loss with every feature intact, then for each feature the loss after
//! shuffling that feature across the sampled windows (the whole sequence of a window moves
//! together, so the feature's own time structure is kept and only its link to the target is
//! broken), repeated; the importance is the mean increase in loss. Features are permuted on a
//! copy: the model and its data are not touched.

use serde::Serialize;

use super::{Forecaster, Windows};
use crate::dataset::{Sample, WindowShape};
use crate::error::Result;
use crate::features::FeatureMatrix;
use crate::rng::Rng;

/// One feature's importance.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Importance {
    /// Feature name.
    pub feature: String,
    /// Mean increase of the loss over the repeats.
    pub mean_increase: f64,
    /// Standard deviation of the increase over the repeats (ddof 0, as scikit-learn).
    pub std_increase: f64,
}

/// Settings (`[importance]`; an empty table gives the defaults).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ImportanceSpec {
    /// Shuffles per feature.
    pub repeats: usize,
    /// At most this many windows (a seeded sample).
    pub max_windows: usize,
    /// Seed of the sample and the shuffles.
    pub seed: u64,
}

impl Default for ImportanceSpec {
    fn default() -> Self {
        ImportanceSpec { repeats: 5, max_windows: 2000, seed: 42 }
    }
}

/// The windows laid out contiguously, `L` rows each, grouped in per-ticker blocks so that the
/// samples keep their tickers (for embeddings).
struct Copy {
    features: FeatureMatrix,
    samples: Vec<Sample>,
    /// (ticker, first row) of each window, in sample order.
    slots: Vec<(usize, usize)>,
}

fn lay_out(w: &Windows, chosen: &[usize]) -> Copy {
    let (l, k) = (w.sequence_length(), w.features.n_features());
    let tickers = w.features.n_tickers();
    let mut count = vec![0usize; tickers];
    let mut slots = Vec::with_capacity(chosen.len());
    for &i in chosen {
        let tk = w.samples[i].ticker as usize;
        slots.push((tk, count[tk] * l));
        count[tk] += 1;
    }
    let rows = l * count.iter().copied().max().unwrap_or(0).max(1);
    let mut blocks = vec![vec![f64::NAN; rows * k]; tickers];
    let mut samples = Vec::with_capacity(chosen.len());
    for (&i, &(tk, first)) in chosen.iter().zip(&slots) {
        for step in 0..l {
            blocks[tk][(first + step) * k..(first + step + 1) * k].copy_from_slice(w.row(i, step));
        }
        let s = w.samples[i];
        samples.push(Sample { ticker: s.ticker, t: (first + l - 1) as u32, target: s.target });
    }
    let mut features = FeatureMatrix::from_blocks(w.features.names().to_vec(), rows, blocks)
        .expect("blocks are rows x features");
    features.set_kinds(w.features.kinds().to_vec());
    Copy { features, samples, slots }
}

/// Mean squared error of predictions against the samples' targets.
fn mse(pred: &[f64], samples: &[Sample]) -> f64 {
    let pairs = pred.iter().zip(samples).filter(|(p, s)| p.is_finite() && s.target.is_finite());
    let (n, sum) = pairs.fold((0usize, 0.0), |(n, s), (p, x)| (n + 1, s + (p - x.target).powi(2)));
    sum / n.max(1) as f64
}

/// The mean squared error on the sampled windows, and the importance of every feature (in
/// feature order) as the increase of that error.
///
/// # Errors
/// When the model cannot predict the windows.
pub fn permutation_importance(
    model: &dyn Forecaster,
    windows: &Windows,
    spec: &ImportanceSpec,
) -> Result<(f64, Vec<Importance>)> {
    let mut rng = Rng::derive(spec.seed, 0x9E_12);
    let mut chosen: Vec<usize> = (0..windows.len()).collect();
    if chosen.len() > spec.max_windows {
        rng.shuffle(&mut chosen);
        chosen.truncate(spec.max_windows);
        chosen.sort_unstable();
    }
    let base = lay_out(windows, &chosen);
    let view = |f: &FeatureMatrix, samples: &[Sample]| -> Result<f64> {
        // the copy lays each window's rows out consecutively
        let w = Windows::new(f, samples, WindowShape::new(windows.sequence_length(), 1), None);
        Ok(mse(&model.predict(&w)?, samples))
    };
    let baseline = view(&base.features, &base.samples)?;
    let (l, k) = (windows.sequence_length(), windows.features.n_features());
    let mut out = Vec::with_capacity(k);
    for (j, name) in windows.features.names().iter().enumerate() {
        let mut increases = Vec::with_capacity(spec.repeats);
        for _ in 0..spec.repeats.max(1) {
            let mut order: Vec<usize> = (0..base.slots.len()).collect();
            rng.shuffle(&mut order);
            let mut shuffled = base.features.clone();
            for (to, &from) in order.iter().enumerate() {
                let ((tt, ft), (tf, ff)) = (base.slots[to], base.slots[from]);
                for step in 0..l {
                    let v = base.features.block(tf)[(ff + step) * k + j];
                    shuffled.block_mut(tt)[(ft + step) * k + j] = v;
                }
            }
            increases.push(view(&shuffled, &base.samples)? - baseline);
        }
        let n = increases.len() as f64;
        let mean = increases.iter().sum::<f64>() / n;
        let var = increases.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
        out.push(Importance {
            feature: name.clone(),
            mean_increase: mean,
            std_increase: var.sqrt(),
        });
    }
    Ok((baseline, out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forecast::{LinearForecaster, LinearSpec};

    #[test]
    fn the_feature_that_drives_the_target_matters_and_the_copy_predicts_as_the_original() {
        let mut rng = Rng::new(5);
        let (n, k, tickers) = (300, 3, 2);
        let blocks: Vec<Vec<f64>> =
            (0..tickers).map(|_| (0..n * k).map(|_| rng.normal()).collect()).collect();
        let features = FeatureMatrix::from_blocks(
            vec!["signal".into(), "noise".into(), "lagged".into()],
            n,
            blocks,
        )
        .unwrap();
        // the target depends on the signal at the as-of date and on "lagged" two rows earlier
        let samples: Vec<Sample> = (0..tickers)
            .flat_map(|tk| (4..n).map(move |t| (tk, t)))
            .map(|(tk, t)| {
                let row = |t: usize| features.row(tk, t).to_vec();
                let target = 2.0 * row(t)[0] + 0.5 * row(t - 2)[2] + 0.1 * rng.normal();
                Sample { ticker: tk as u32, t: t as u32, target }
            })
            .collect();
        let w = Windows::new(&features, &samples, WindowShape::new(3, 1), None);
        let mut model = LinearForecaster::new(LinearSpec::default());
        model.fit(&w, &w).unwrap();
        let spec = ImportanceSpec { repeats: 3, max_windows: 10_000, seed: 1 };
        let (baseline, imp) = permutation_importance(&model, &w, &spec).unwrap();
        assert!((baseline - mse(&model.predict(&w).unwrap(), &samples)).abs() < 1e-12);
        assert!(imp[0].mean_increase > 1.0, "{imp:?}");
        assert!(imp[1].mean_increase.abs() < 0.05, "{imp:?}");
        // the linear model sees only the as-of row, so the lagged feature cannot help it
        assert!(imp[2].mean_increase.abs() < 0.05, "{imp:?}");
        let (_, again) = permutation_importance(&model, &w, &spec).unwrap();
        assert_eq!(imp, again, "seeded");
        let small = ImportanceSpec { max_windows: 50, ..spec };
        let (b50, _) = permutation_importance(&model, &w, &small).unwrap();
        assert!(b50 > 0.0);
    }
}
