//! One training step of one model on several threads: the batch is split into contiguous parts,
//! each part runs forward on its own replica of the model, the predictions are merged and the loss
//! is computed once over the whole batch (so non-separable losses such as the Sharpe ratio stay
//! exact), its gradient is split back, each replica runs backward, the gradients are summed in a
//! fixed order into the model, the optimiser steps once, and the new weights go back to the
//! replicas (these three elementwise passes also run on all the threads, each on its part of
//! every tensor). Same thread count + same seed = same numbers; the result equals the one-thread step
//! up to the order of floating-point sums, except for dropout masks, which each replica draws from
//! its own seeded stream. Models with batch or cross-sectional normalisation run on one thread,
//! since statistics over parts of a batch would change the model.
//!
//! The replicas' parts run on a small pool of persistent threads (the caller's thread takes the
//! first part). Fresh threads per step cost more than they seem: each starts cold and allocates
//! and faults in the GEMM crate's per-thread packing buffer (the size of L2) again.

use crate::loss::Loss;
use crate::model::{Inputs, Sequential, Shape};
use crate::optim::{Optimizer, Param, StepRule};
use crate::penalty::Penalty;
use crate::source::SampleSource;

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

/// Runs training steps of `model` split over replicas (1 = no replicas), on a pool of threads.
pub struct StepRunner {
    replicas: Vec<Sequential<f32>>,
    parts: Vec<Part>,
    /// Threads for the replicas' parts (none on one thread).
    pool: Option<rayon::ThreadPool>,
    /// The model's weight penalties (fixed by its description), once the first step asks.
    penalties: Option<Vec<Penalty>>,
    /// The steps' (prediction, target) pairs, while [`StepRunner::keep_outputs`] asks for them.
    outputs: Option<Vec<(f32, f32)>>,
}

impl StepRunner {
    /// `threads` replicas of `model` (one when a layer mixes the samples of a batch), run on
    /// `workers` threads (default: one per replica). The numbers depend on the replicas only:
    /// with fewer workers the parts queue, and every sum keeps its replica order.
    pub fn new(
        model: &Sequential<f32>,
        threads: usize,
        workers: Option<usize>,
        seed: u64,
    ) -> StepRunner {
        let threads = if model.mixes_samples(true) { 1 } else { threads.max(1) };
        let workers = workers.unwrap_or(threads).clamp(1, threads);
        let replicas = (1..threads)
            .map(|r| {
                let mut m = model.clone();
                m.reseed_dropout(seed ^ (0x9E37_79B9 * r as u64));
                m
            })
            .collect();
        // Without a pool (it could not be built) the parts run one after another: same numbers.
        let pool = (workers > 1)
            .then(|| rayon::ThreadPoolBuilder::new().num_threads(workers - 1).build().ok())
            .flatten();
        let parts = (0..threads).map(|_| Part::default()).collect();
        StepRunner { replicas, parts, pool, penalties: None, outputs: None }
    }

    /// Replicas in use (the parts a batch is split into).
    pub fn threads(&self) -> usize {
        self.replicas.len() + 1
    }

    /// From now on, keeps every step's training-mode predictions beside their targets (for
    /// training metrics, as Keras computes them over an epoch's batches).
    pub fn keep_outputs(&mut self) {
        self.outputs.get_or_insert_with(Vec::new);
    }

    /// The (prediction, target) pairs kept since the last call, emptied.
    pub fn take_outputs(&mut self) -> Vec<(f32, f32)> {
        self.outputs.as_mut().map(std::mem::take).unwrap_or_default()
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
        let group = crate::train::cross_section(model, chunk.len());
        // weight penalties: their value joins the loss, their gradient the summed gradients
        let penalties: &[Penalty] = self.penalties.get_or_insert_with(|| model.penalties());
        let penalty = model.penalty_with(penalties);
        let mut models: Vec<&mut Sequential<f32>> = std::iter::once(&mut *model)
            .chain(self.replicas.iter_mut())
            .take(sizes.len())
            .collect();
        let parts = &mut self.parts[..sizes.len()];
        // The loss over the whole batch, then its gradient split back into the parts.
        let pred = merge(parts.iter().map(|p| p.pred.as_slice()), rows, &sizes);
        let y = merge(parts.iter().map(|p| p.y.as_slice()), rows, &sizes);
        let (value, grad) = loss.value_and_grad_grouped(&pred, &y, class_weights, group);
        if let Some(kept) = &mut self.outputs {
            kept.extend(pred.iter().copied().zip(y.iter().copied()));
        }
        split(&grad, rows, &sizes, parts.iter_mut().map(|p| &mut p.grad));
        // Backward, in parallel.
        let jobs = models.iter_mut().zip(parts.iter()).map(|(m, p)| {
            move || {
                m.zero_grad();
                m.backward(&p.grad, false);
            }
        });
        run_all(self.pool.as_ref(), jobs);
        drop(models);
        // Every replica gets the new weights, also those a short batch left idle.
        let summed = sizes.len() - 1;
        sum_step_broadcast(self.pool.as_ref(), model, &mut self.replicas, (summed, penalties), opt);
        value + penalty
    }
}

/// Sums the gradients of the first `summed` replicas into the model's (in replica order), adds
/// each tensor's penalty gradient, takes the optimiser's step and copies the new weights to
/// every replica: every tensor cut into one contiguous part per thread, each thread doing all
/// of it for its parts (with a pause for the clipping, which needs every gradient, when the
/// optimiser clips). Elementwise throughout, so the numbers are those of summing, stepping and
/// copying on one thread.
fn sum_step_broadcast(
    pool: Option<&rayon::ThreadPool>,
    head: &mut Sequential<f32>,
    replicas: &mut [Sequential<f32>],
    (summed, penalties): (usize, &[Penalty]),
    opt: &mut Optimizer,
) {
    let threads = replicas.len() + 1;
    let mut params = head.params();
    let mut replicas: Vec<Vec<Param<'_, f32>>> = replicas.iter_mut().map(|m| m.params()).collect();
    let clips = opt.clips();
    if clips {
        let parts = cut(&mut params, &mut replicas, None, (summed, penalties), threads);
        let jobs = parts.into_iter().map(|mut part| move || part.iter_mut().for_each(Piece::sum));
        run_all(pool, jobs);
    }
    let (rule, m, v) = opt.begin_step(&mut params);
    let parts = cut(&mut params, &mut replicas, Some((m, v)), (summed, penalties), threads);
    let jobs = parts.into_iter().map(|part| {
        move || {
            for mut piece in part {
                if !clips {
                    piece.sum();
                }
                piece.step(&rule);
            }
        }
    });
    run_all(pool, jobs);
}

/// One thread's part of one tensor: the model's values and gradients, the optimiser's state for
/// them (when stepping) and the replicas' values and gradients (the first `summed` of which are
/// added to the model's).
struct Piece<'a> {
    value: &'a mut [f32],
    grad: &'a mut [f32],
    state: Option<(&'a mut [f64], &'a mut [f64])>,
    replicas: Vec<(&'a mut [f32], &'a [f32])>,
    summed: usize,
    penalty: Penalty,
}

impl Piece<'_> {
    /// The summed replicas' gradients added to the model's, in replica order, then the
    /// penalty's gradient (elementwise: its part of the tensor alone).
    fn sum(&mut self) {
        for (_, g) in &self.replicas[..self.summed] {
            self.grad.iter_mut().zip(g.iter()).for_each(|(a, b)| *a += *b);
        }
        self.penalty.add_gradient(self.value, self.grad);
    }

    /// The optimiser's update, then the new values copied to the replicas.
    fn step(&mut self, rule: &StepRule) {
        let (m, v) = self.state.take().expect("a stepping piece has its state");
        rule.apply(&mut Param { value: self.value, grad: self.grad }, m, v);
        for (value, _) in &mut self.replicas {
            value.copy_from_slice(self.value);
        }
    }
}

/// The optimiser's state per tensor, as [`Optimizer::begin_step`] lends it.
type State<'a> = (&'a mut [Vec<f64>], &'a mut [Vec<f64>]);

/// Every tensor of `params` (and the same tensor of each replica, and of the optimiser's state)
/// cut into `threads` contiguous parts of equal size (the last shorter); returns each thread's
/// pieces.
fn cut<'a>(
    params: &'a mut [Param<'_, f32>],
    replicas: &'a mut [Vec<Param<'_, f32>>],
    state: Option<State<'a>>,
    (summed, penalties): (usize, &[Penalty]),
    threads: usize,
) -> Vec<Vec<Piece<'a>>> {
    let mut parts: Vec<Vec<Piece<'a>>> = (0..threads).map(|_| Vec::new()).collect();
    let mut state = state.map(|(m, v)| (m.iter_mut(), v.iter_mut()));
    let mut replicas: Vec<_> = replicas.iter_mut().map(|r| r.iter_mut()).collect();
    for (k, p) in params.iter_mut().enumerate() {
        let penalty = penalties.get(k).copied().unwrap_or_default();
        let size = p.value.len().div_ceil(threads).max(1);
        let mut values = p.value.chunks_mut(size);
        let mut grads = p.grad.chunks_mut(size);
        let mut moments = state.as_mut().map(|(m, v)| {
            let (m, v) = (m.next().expect("state per tensor"), v.next().expect("state per tensor"));
            (m.chunks_mut(size), v.chunks_mut(size))
        });
        let mut theirs: Vec<_> = replicas
            .iter_mut()
            .map(|r| {
                let q = r.next().expect("replicas have the model's tensors");
                (q.value.chunks_mut(size), q.grad.chunks(size))
            })
            .collect();
        for part in parts.iter_mut() {
            let (Some(value), Some(grad)) = (values.next(), grads.next()) else { break };
            let state = moments.as_mut().map(|(m, v)| {
                (m.next().expect("state as long as values"), v.next().expect("state"))
            });
            let replicas = theirs
                .iter_mut()
                .map(|(v, g)| (v.next().expect("same shape"), g.next().expect("same shape")))
                .collect();
            part.push(Piece { value, grad, state, replicas, summed, penalty });
        }
    }
    parts
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
                LayerSpec::lstm(25, true, act),
                LayerSpec::gru(12, true, act),
                LayerSpec::rnn(7, false, act),
                LayerSpec::dense(5, Activation::Relu),
                LayerSpec::dense(1, Activation::Linear),
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

    fn small_model() -> Sequential<f32> {
        penalised_model(false)
    }

    /// An LSTM and a dense layer; `penalised`: with L1 and L2 penalties on some tensors.
    fn penalised_model(penalised: bool) -> Sequential<f32> {
        use crate::activation::Activation;
        use crate::init::InitScheme;
        use crate::model::{LayerSpec, ModelSpec};
        let mut lstm = crate::lstm::LstmSpec::new(5, false, Activation::Tanh);
        let mut dense = crate::dense::DenseSpec::new(1, Activation::Linear);
        if penalised {
            lstm.kernel_regularizer = Some(Penalty { l1: 0.01, l2: 0.02 });
            lstm.recurrent_regularizer = Some(Penalty { l1: 0.03, l2: 0.0 });
            dense.bias_regularizer = Some(Penalty { l1: 0.0, l2: 0.5 });
        }
        let spec = ModelSpec {
            features: 3,
            layers: vec![LayerSpec::Lstm(lstm), LayerSpec::Dense(dense)],
            ..ModelSpec::default()
        };
        Sequential::new(&spec, InitScheme::Keras, 7).unwrap()
    }

    fn weight_bits(m: &mut Sequential<f32>) -> Vec<u32> {
        m.params().iter().flat_map(|p| p.value.iter().map(|v| v.to_bits())).collect()
    }

    #[test]
    fn the_parallel_step_equals_summing_stepping_and_copying_on_one_thread() {
        // Bit for bit, with and without clipping and penalties, for 2 and 3 threads (tensors
        // whose sizes the thread count does not divide, and a bias of one value), and with
        // replicas that a short batch left out of the sum: every replica gets the new weights.
        use crate::optim::OptimizerConfig;
        for (threads, penalised) in [(2, false), (3, false), (2, true), (3, true)] {
            for summed in 0..threads {
                for global_clipnorm in [None, Some(1e-3)] {
                    let config = OptimizerConfig { global_clipnorm, ..OptimizerConfig::default() };
                    let mut models: Vec<Sequential<f32>> = (0..threads)
                        .map(|r| {
                            let mut m = penalised_model(penalised);
                            let mut rng = crate::rng::Rng::new(r as u64 + 1);
                            m.params().iter_mut().for_each(|p| {
                                p.grad.iter_mut().for_each(|g| *g = rng.normal() as f32)
                            });
                            m
                        })
                        .collect();
                    let mut expected = models[0].clone();
                    let penalties = expected.penalties();
                    assert_eq!(penalties.iter().any(|p| !p.is_zero()), penalised);
                    let mut serial = Optimizer::new(config);
                    {
                        let mut params = expected.params();
                        for other in models[1..=summed].iter_mut() {
                            for (p, q) in params.iter_mut().zip(other.params()) {
                                p.grad.iter_mut().zip(q.grad.iter()).for_each(|(a, b)| *a += *b);
                            }
                        }
                        for (p, pen) in params.iter_mut().zip(&penalties) {
                            pen.add_gradient(p.value, p.grad);
                        }
                        serial.step(&mut params);
                    }
                    let pool =
                        rayon::ThreadPoolBuilder::new().num_threads(threads - 1).build().unwrap();
                    let mut opt = Optimizer::new(config);
                    let (head, rest) = models.split_first_mut().unwrap();
                    sum_step_broadcast(Some(&pool), head, rest, (summed, &penalties), &mut opt);
                    let want = weight_bits(&mut expected);
                    let what = format!(
                        "{threads} threads, {summed} summed, clip {global_clipnorm:?}, penalised {penalised}"
                    );
                    assert_eq!(weight_bits(head), want, "model, {what}");
                    for r in rest.iter_mut() {
                        assert_eq!(weight_bits(r), want, "replica, {what}");
                    }
                }
            }
        }
    }

    #[test]
    fn a_batch_shorter_than_the_threads_still_updates_every_replica() {
        struct One;
        impl SampleSource for One {
            fn len(&self) -> usize {
                1
            }
            fn steps(&self) -> usize {
                4
            }
            fn gather(&self, idx: &[usize], x: &mut Vec<f32>, y: &mut Vec<f32>) {
                x.clear();
                x.extend((0..3 * 4 * idx.len()).map(|i| (i as f32 * 0.3).sin()));
                y.clear();
                y.extend(idx.iter().map(|_| 0.5));
            }
        }
        let mut model = small_model();
        let mut runner = StepRunner::new(&model, 3, None, 1);
        let mut opt = Optimizer::new(crate::optim::OptimizerConfig::default());
        for _ in 0..2 {
            runner.step(&mut model, &One, &[0], Loss::Mse, None, &mut opt);
        }
        let want = weight_bits(&mut model);
        assert_ne!(want, weight_bits(&mut small_model()), "the steps moved the weights");
        for r in &mut runner.replicas {
            assert_eq!(weight_bits(r), want);
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
