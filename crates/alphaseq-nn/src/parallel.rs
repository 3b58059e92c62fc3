//! One training step of one model on several threads: the batch is split into contiguous parts,
//! each part runs forward on its own replica of the model, the predictions are merged and the loss
//! is computed once over the whole batch (so non-separable losses such as the Sharpe ratio stay
//! exact), its gradient is split back, each replica runs backward, the gradients are summed in a
//! fixed order into the model, the optimiser steps once, and the new weights go back to the
//! replicas. Same thread count + same seed = same numbers; the result equals the one-thread step
//! up to the order of floating-point sums, except for dropout masks, which each replica draws from
//! its own seeded stream. Models with batch normalisation run on one thread, since statistics over
//! parts of a batch would change the model.
//!
//! The replicas' parts run on a small pool of persistent threads (the caller's thread takes the
//! first part). Fresh threads per step cost more than they seem: each starts cold and allocates
//! and faults in the GEMM crate's per-thread packing buffer (the size of L2) again.

use crate::loss::Loss;
use crate::model::{Inputs, Sequential, Shape};
use crate::optim::Optimizer;
use crate::train::SampleSource;

/// One part's buffers.
#[derive(Default)]
struct Part {
    x: Vec<f32>,
    y: Vec<f32>,
    categorical: Vec<Vec<u32>>,
    statics: Vec<f32>,
    pred: Vec<f32>,
    grad: Vec<f32>,
}

/// Runs training steps of `model` on `threads` threads (1 = no replicas).
pub struct StepRunner {
    replicas: Vec<Sequential<f32>>,
    parts: Vec<Part>,
    /// Threads for the replicas' parts (none on one thread).
    pool: Option<rayon::ThreadPool>,
}

impl StepRunner {
    /// Replicas of `model` for `threads` threads (fewer when the model has batch normalisation).
    pub fn new(model: &Sequential<f32>, threads: usize, seed: u64) -> StepRunner {
        let threads = if model.has_batch_norm() { 1 } else { threads.max(1) };
        let replicas = (1..threads)
            .map(|r| {
                let mut m = model.clone();
                m.reseed_dropout(seed ^ (0x9E37_79B9 * r as u64));
                m
            })
            .collect();
        // Without a pool (it could not be built) the parts run one after another: same numbers.
        let pool = (threads > 1)
            .then(|| rayon::ThreadPoolBuilder::new().num_threads(threads - 1).build().ok())
            .flatten();
        StepRunner { replicas, parts: (0..threads).map(|_| Part::default()).collect(), pool }
    }

    /// Threads in use.
    pub fn threads(&self) -> usize {
        self.replicas.len() + 1
    }

    /// One optimiser step on the samples `chunk` of `data`; returns the batch loss.
    pub fn step(
        &mut self,
        model: &mut Sequential<f32>,
        data: &dyn SampleSource,
        chunk: &[usize],
        loss: Loss,
        class_weights: Option<[f64; 2]>,
        opt: &mut Optimizer,
    ) -> f64 {
        let (sizes, rows) = self.forward_split(model, data, chunk, true);
        let mut models: Vec<&mut Sequential<f32>> = std::iter::once(&mut *model)
            .chain(self.replicas.iter_mut())
            .take(sizes.len())
            .collect();
        let parts = &mut self.parts[..sizes.len()];
        // The loss over the whole batch, then its gradient split back into the parts.
        let pred = merge(parts.iter().map(|p| p.pred.as_slice()), rows, &sizes);
        let y = merge(parts.iter().map(|p| p.y.as_slice()), rows, &sizes);
        let (value, grad) = loss.value_and_grad_weighted(&pred, &y, class_weights);
        split(&grad, rows, &sizes, parts.iter_mut().map(|p| &mut p.grad));
        // Backward, in parallel.
        let jobs = models.iter_mut().zip(parts.iter()).map(|(m, p)| {
            move || {
                m.zero_grad();
                m.backward(&p.grad, false);
            }
        });
        run_all(self.pool.as_ref(), jobs);
        // Sum the gradients into the model (fixed order), step, broadcast the weights.
        let (head, rest) = models.split_first_mut().expect("at least one part");
        {
            let mut params = head.params();
            for other in rest.iter_mut() {
                for (p, q) in params.iter_mut().zip(other.params()) {
                    p.grad.iter_mut().zip(q.grad.iter()).for_each(|(a, b)| *a += *b);
                }
            }
            opt.step(&mut params);
        }
        let values: Vec<Vec<f32>> = head.params().iter().map(|p| p.value.to_vec()).collect();
        for r in &mut self.replicas {
            for (p, v) in r.params().iter_mut().zip(&values) {
                p.value.copy_from_slice(v);
            }
        }
        value
    }
}

impl StepRunner {
    /// Predictions for the samples `chunk` (evaluation mode), the batch split over the threads;
    /// the replicas must hold the model's weights (they do after [`StepRunner::step`], or after
    /// [`StepRunner::sync`]). Output feature-major `[rows][chunk.len()]` as the model's own.
    pub fn infer(
        &mut self,
        model: &mut Sequential<f32>,
        data: &dyn SampleSource,
        chunk: &[usize],
    ) -> Vec<f32> {
        let (sizes, rows) = self.forward_split(model, data, chunk, false);
        let parts = &self.parts[..sizes.len()];
        merge(parts.iter().map(|p| p.pred.as_slice()), rows, &sizes)
    }

    /// Splits `chunk` into one piece per thread (the model takes the first, the replicas the
    /// rest) and runs the forward passes in parallel into `self.parts`; returns the pieces' sizes
    /// and the output rows per sample.
    fn forward_split(
        &mut self,
        model: &mut Sequential<f32>,
        data: &dyn SampleSource,
        chunk: &[usize],
        training: bool,
    ) -> (Vec<usize>, usize) {
        let steps = data.steps();
        let n = self.threads().min(chunk.len()).max(1);
        let pieces: Vec<&[usize]> = chunk.chunks(chunk.len().div_ceil(n)).collect();
        let mut models: Vec<&mut Sequential<f32>> = std::iter::once(&mut *model)
            .chain(self.replicas.iter_mut())
            .take(pieces.len())
            .collect();
        let parts = &mut self.parts[..pieces.len()];
        let jobs = models
            .iter_mut()
            .zip(parts.iter_mut())
            .zip(&pieces)
            .map(|((m, p), idx)| move || forward_part(m, p, data, idx, steps, training));
        run_all(self.pool.as_ref(), jobs);
        let rows = match models[0].output_shape() {
            Shape::Rows(w) => w,
            Shape::Sequence(w) => w * steps,
        };
        (pieces.iter().map(|p| p.len()).collect(), rows)
    }

    /// Copies the model's state (weights and moving statistics) to the replicas.
    pub fn sync(&mut self, model: &mut Sequential<f32>) {
        let state: Vec<Vec<f32>> = model.state_mut().iter().map(|t| t.values.to_vec()).collect();
        for r in &mut self.replicas {
            for (t, v) in r.state_mut().iter_mut().zip(&state) {
                t.values.copy_from_slice(v);
            }
        }
    }
}

/// Runs the jobs: the first on this thread, the others on `pool`'s threads (one after another
/// here when there is no pool); returns when all are done.
fn run_all<J: FnOnce() + Send>(pool: Option<&rayon::ThreadPool>, jobs: impl Iterator<Item = J>) {
    let mut jobs = jobs;
    let Some(first) = jobs.next() else { return };
    match pool {
        Some(pool) => pool.in_place_scope(|s| {
            for job in jobs {
                s.spawn(move |_| job());
            }
            first();
        }),
        None => {
            first();
            jobs.for_each(|job| job());
        }
    }
}

fn forward_part(
    model: &mut Sequential<f32>,
    part: &mut Part,
    data: &dyn SampleSource,
    idx: &[usize],
    steps: usize,
    train: bool,
) {
    data.gather(idx, &mut part.x, &mut part.y);
    data.gather_side(idx, &mut part.categorical, &mut part.statics);
    let inputs = Inputs {
        sequence: &part.x,
        steps,
        batch: idx.len(),
        categorical: &part.categorical,
        statics: &part.statics,
    };
    let pred = model.forward_inputs(inputs, train).expect("gathered batches fit the model");
    part.pred.clear();
    part.pred.extend_from_slice(pred);
}

/// Feature-major parts `[rows][n_k]` side by side as one `[rows][sum n_k]`.
fn merge<'a>(parts: impl Iterator<Item = &'a [f32]>, rows: usize, sizes: &[usize]) -> Vec<f32> {
    let total: usize = sizes.iter().sum();
    let mut out = vec![0.0; rows * total];
    let mut offset = 0;
    for (part, &n) in parts.zip(sizes) {
        for r in 0..rows {
            out[r * total + offset..r * total + offset + n]
                .copy_from_slice(&part[r * n..(r + 1) * n]);
        }
        offset += n;
    }
    out
}

/// The inverse of [`merge`].
fn split<'a>(
    full: &[f32],
    rows: usize,
    sizes: &[usize],
    parts: impl Iterator<Item = &'a mut Vec<f32>>,
) {
    let total: usize = sizes.iter().sum();
    let mut offset = 0;
    for (part, &n) in parts.zip(sizes) {
        part.clear();
        for r in 0..rows {
            part.extend_from_slice(&full[r * total + offset..r * total + offset + n]);
        }
        offset += n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_samples_prediction_does_not_depend_on_its_batch() {
        // `alphaseq signal` predicts one date's few samples and must reproduce the backtest,
        // which predicted them among many: every layer must round the same whatever the batch.
        use crate::activation::Activation;
        use crate::init::InitScheme;
        use crate::model::{LayerSpec, ModelSpec};
        let act = Activation::Tanh;
        let spec = ModelSpec {
            features: 3,
            layers: vec![
                LayerSpec::Lstm { units: 25, return_sequences: true, activation: act },
                LayerSpec::Gru { units: 12, return_sequences: true, activation: act },
                LayerSpec::Rnn { units: 7, return_sequences: false, activation: act },
                LayerSpec::Dense { units: 5, activation: Activation::Relu },
                LayerSpec::Dense { units: 1, activation: Activation::Linear },
            ],
            ..ModelSpec::default()
        };
        for seed in 0..30 {
            let mut model = Sequential::<f32>::new(&spec, InitScheme::Keras, seed).unwrap();
            let (steps, batch) = (6, 9);
            let mut rng = crate::rng::Rng::new(seed + 100);
            let x: Vec<f32> = (0..3 * steps * batch).map(|_| rng.normal() as f32).collect();
            let all = model.forward(&x, steps, batch, false).unwrap().to_vec();
            for b in 0..batch {
                // sample b alone: column t*batch + b of every feature row
                let alone: Vec<f32> = (0..3 * steps).map(|r| x[r * batch + b]).collect();
                let p = model.forward(&alone, steps, 1, false).unwrap()[0];
                assert_eq!(
                    p.to_bits(),
                    all[b].to_bits(),
                    "seed {seed} sample {b}: {p}, {}",
                    all[b]
                );
            }
        }
    }

    #[test]
    fn merge_and_split_are_inverse_column_concatenations() {
        let (a, b) = (vec![1.0, 2.0, 3.0, 4.0], vec![5.0, 6.0]); // [2][2] and [2][1]
        let full = merge([a.as_slice(), b.as_slice()].into_iter(), 2, &[2, 1]);
        assert_eq!(full, vec![1.0, 2.0, 5.0, 3.0, 4.0, 6.0]);
        let (mut x, mut y) = (vec![], vec![]);
        split(&full, 2, &[2, 1], [&mut x, &mut y].into_iter());
        assert_eq!((x, y), (a, b));
    }
}
