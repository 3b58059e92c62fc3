//! The engine's benchmark workloads (the shapes of the engine issue) and a timer for them.
//!
//! - W1: sequence 52 x 1, LSTM(25, seq) -> LSTM(10) -> Dense(10, relu) -> Dense(1), batch 64, MSE,
//!   Adam.
//! - W2: sequence 63 x 21, LSTM(120, seq) -> Dropout(0.25) -> time-distributed Dense(1), batch 32.
//!
//! Training throughput counts samples per second over full steps (forward, loss, backward, Adam)
//! on synthetic standard-normal data, after warm-up steps; inference runs the forward pass in
//! evaluation mode on the same batch. `parallel` trains N independent models on N threads (in
//! windows alternating with one model's, so that the two rates meet the same conditions), and one
//! model with its batches split over N threads (see [`crate::parallel`]).

use std::time::Instant;

use serde::Serialize;

use crate::activation::Activation;
use crate::init::InitScheme;
use crate::loss::Loss;
use crate::model::{LayerSpec, ModelSpec, Sequential};
use crate::optim::{Optimizer, OptimizerConfig};
use crate::parallel::StepRunner;
use crate::rng::Rng;
use crate::source::SampleSource;

/// A benchmark workload: model, sequence length and batch size.
#[derive(Debug, Clone, PartialEq)]
pub struct Workload {
    /// Short name (W1, W2).
    pub name: &'static str,
    /// The model.
    pub spec: ModelSpec,
    /// Time steps.
    pub steps: usize,
    /// Batch size.
    pub batch: usize,
}

/// The two workloads of the engine issue.
pub fn workloads() -> Vec<Workload> {
    let lstm = |units, return_sequences| LayerSpec::lstm(units, return_sequences, Activation::Tanh);
    vec![
        Workload {
            name: "W1",
            spec: ModelSpec {
                features: 1,
                layers: vec![
                    lstm(25, true),
                    lstm(10, false),
                    LayerSpec::dense(10, Activation::Relu),
                    LayerSpec::dense(1, Activation::Linear),
                ],
                ..ModelSpec::default()
            },
            steps: 52,
            batch: 64,
        },
        Workload {
            name: "W2",
            spec: ModelSpec {
                features: 21,
                layers: vec![
                    lstm(120, true),
                    LayerSpec::dropout(0.25),
                    LayerSpec::dense(1, Activation::Linear),
                ],
                ..ModelSpec::default()
            },
            steps: 63,
            batch: 32,
        },
    ]
}

/// Measured throughput of one workload.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Throughput {
    /// Workload name.
    pub workload: String,
    /// Training samples per second (one model).
    pub train_samples_per_sec: f64,
    /// Inference samples per second (one model).
    pub infer_samples_per_sec: f64,
    /// Training samples per second of one model whose batches are split over `parallel` threads.
    pub threaded_train_samples_per_sec: f64,
    /// Inference samples per second of one model with the batch split over `parallel` threads.
    pub threaded_infer_samples_per_sec: f64,
    /// Models trained at once in the parallel run (and threads of the threaded run).
    pub parallel_models: usize,
    /// Training samples per second summed over the parallel models.
    pub parallel_train_samples_per_sec: f64,
    /// The GEMM kernels' instruction set ([`crate::gemm::kernels`]).
    pub kernels: String,
}

/// The benchmark's fixed batch as a sample source.
struct FixedBatch {
    x: Vec<f32>,
    y: Vec<f32>,
    steps: usize,
    batch: usize,
    features: usize,
    outputs: usize,
}

impl SampleSource for FixedBatch {
    fn len(&self) -> usize {
        self.batch
    }

    fn steps(&self) -> usize {
        self.steps
    }

    fn gather(&self, idx: &[usize], x: &mut Vec<f32>, y: &mut Vec<f32>) {
        x.clear();
        for r in 0..self.features * self.steps {
            x.extend(idx.iter().map(|&i| self.x[r * self.batch + i]));
        }
        y.clear();
        for r in 0..self.outputs {
            y.extend(idx.iter().map(|&i| self.y[r * self.batch + i]));
        }
    }
}

struct Trainer {
    model: Sequential<f32>,
    opt: Optimizer,
    runner: StepRunner,
    data: FixedBatch,
    all: Vec<usize>,
}

impl Trainer {
    fn new(w: &Workload, seed: u64, threads: usize) -> Trainer {
        let model = Sequential::<f32>::new(&w.spec, InitScheme::Torch, seed)
            .expect("benchmark models are valid");
        let mut rng = Rng::new(seed ^ 0x5EED);
        let x = (0..w.steps * w.batch * w.spec.features).map(|_| rng.normal() as f32).collect();
        let outputs = match model.output_shape() {
            crate::model::Shape::Sequence(width) => w.steps * width,
            crate::model::Shape::Rows(width) => width,
        };
        let y = (0..outputs * w.batch).map(|_| rng.normal() as f32).collect();
        let data =
            FixedBatch { x, y, steps: w.steps, batch: w.batch, features: w.spec.features, outputs };
        let runner = StepRunner::new(&model, threads, None, seed);
        Trainer {
            model,
            opt: Optimizer::new(OptimizerConfig::default()),
            runner,
            data,
            all: (0..w.batch).collect(),
        }
    }

    fn train_step(&mut self) -> f64 {
        self.runner.step(&mut self.model, &self.data, &self.all, Loss::Mse, None, &mut self.opt)
    }

    fn infer(&mut self) -> f32 {
        self.model
            .forward(&self.data.x, self.data.steps, self.data.batch, false)
            .expect("shapes fixed")[0]
    }
}

/// Runs `steps` training steps of workload `w` on `threads` threads, then as many inference passes
/// (on `threads` threads) when `infer`; returns the last loss. A fixed amount of work, for counting cycles with `perf stat` (on a
/// shared machine, user cycles move far less than wall-clock rates): see `examples/fixed_work.rs`.
pub fn fixed_work(w: &Workload, threads: usize, steps: usize, infer: bool) -> f64 {
    let mut t = Trainer::new(w, 42, threads);
    let mut loss = 0.0;
    for _ in 0..steps {
        loss = t.train_step();
    }
    for _ in 0..if infer { steps } else { 0 } {
        std::hint::black_box(t.runner.infer(&mut t.model, &t.data, &t.all));
    }
    loss
}

/// Seconds per call of `f`: the median of `repeats` timings, each of enough calls to last about
/// `window` seconds (calibrated on a first run), so that short steps are not lost in timer noise.
fn median_time(repeats: usize, window: f64, mut f: impl FnMut()) -> f64 {
    let t0 = Instant::now();
    let mut calls = 0usize;
    while t0.elapsed().as_secs_f64() < window / 4.0 || calls < 2 {
        f();
        calls += 1;
    }
    let per_call = t0.elapsed().as_secs_f64() / calls as f64;
    let iters = ((window / per_call) as usize).max(2);
    let times: Vec<f64> = (0..repeats)
        .map(|_| {
            let t0 = Instant::now();
            for _ in 0..iters {
                f();
            }
            t0.elapsed().as_secs_f64() / iters as f64
        })
        .collect();
    median(times)
}

/// Measures one workload: medians of 5 timings of about `window` seconds each (after a warm-up
/// of a quarter window). One model's training rate and the rate of `parallel` independent models
/// trained at once (one thread each) are measured in alternating windows, so that their ratio
/// compares the two under the same conditions of a shared machine; then one model on `parallel`
/// threads.
pub fn measure(w: &Workload, window: f64, parallel: usize) -> Throughput {
    let (train_rate, parallel_rate) = one_and_many(w, window, parallel);
    let mut threaded = Trainer::new(w, 42, parallel);
    let threaded_train = median_time(5, window, || {
        threaded.train_step();
    });
    let threaded_infer = median_time(5, window, || {
        std::hint::black_box(threaded.runner.infer(
            &mut threaded.model,
            &threaded.data,
            &threaded.all,
        ));
    });
    let mut t = Trainer::new(w, 42, 1);
    let infer = median_time(5, window, || {
        std::hint::black_box(t.infer());
    });
    Throughput {
        workload: w.name.to_string(),
        train_samples_per_sec: train_rate,
        infer_samples_per_sec: w.batch as f64 / infer,
        threaded_train_samples_per_sec: w.batch as f64 / threaded_train,
        threaded_infer_samples_per_sec: w.batch as f64 / threaded_infer,
        parallel_models: parallel,
        parallel_train_samples_per_sec: parallel_rate,
        kernels: crate::gemm::kernels().to_string(),
    }
}

/// Training samples/s of one model and of `parallel` models at once (summed): medians over 5
/// rounds, each a window of the one model alone, then a window of all `parallel` models started
/// together (each counts the steps it finishes in the window; the others wait at a barrier
/// meanwhile, asleep).
fn one_and_many(w: &Workload, window: f64, parallel: usize) -> (f64, f64) {
    let steps_for = |t: &mut Trainer, seconds: f64| {
        let t0 = Instant::now();
        let mut steps = 0usize;
        while t0.elapsed().as_secs_f64() < seconds || steps < 2 {
            t.train_step();
            steps += 1;
        }
        (steps * w.batch) as f64 / t0.elapsed().as_secs_f64()
    };
    let rounds = 5;
    let start = std::sync::Barrier::new(parallel + 1);
    let done = std::sync::Barrier::new(parallel + 1);
    let mut one = Trainer::new(w, 42, 1);
    steps_for(&mut one, window / 4.0);
    let (mut alone, mut together) = (Vec::new(), Vec::new());
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..parallel)
            .map(|k| {
                let (start, done, steps_for) = (&start, &done, &steps_for);
                s.spawn(move || {
                    let mut t = Trainer::new(w, 100 + k as u64, 1);
                    steps_for(&mut t, window / 4.0);
                    (0..rounds)
                        .map(|_| {
                            start.wait();
                            let rate = steps_for(&mut t, window);
                            done.wait();
                            rate
                        })
                        .collect::<Vec<f64>>()
                })
            })
            .collect();
        for _ in 0..rounds {
            alone.push(steps_for(&mut one, window));
            start.wait();
            done.wait();
        }
        let rates: Vec<Vec<f64>> =
            workers.into_iter().map(|h| h.join().expect("benchmark thread")).collect();
        together = (0..rounds).map(|r| rates.iter().map(|v| v[r]).sum()).collect();
    });
    (median(alone), median(together))
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workloads_have_the_issue_shapes_and_run() {
        let w = workloads();
        assert_eq!(
            w.iter().map(|w| (w.name, w.steps, w.batch, w.spec.features)).collect::<Vec<_>>(),
            vec![("W1", 52, 64, 1), ("W2", 63, 32, 21)]
        );
        let models: Vec<Sequential<f32>> =
            w.iter().map(|w| Sequential::new(&w.spec, InitScheme::Keras, 1).unwrap()).collect();
        // Keras parameter counts: W1 2,700 + 1,440 + 110 + 11; W2 LSTM(120) on 21 features 68,160 + 121.
        assert_eq!(
            models.iter().map(Sequential::parameters).collect::<Vec<_>>(),
            vec![4_261, 68_281]
        );
        let mut t = Trainer::new(&w[0], 1, 1);
        let first = t.train_step();
        let later = (0..30).map(|_| t.train_step()).last().unwrap();
        assert!(
            later < first,
            "a few Adam steps reduce the loss on a fixed batch: {first} -> {later}"
        );
        let r = measure(&w[0], 0.002, 2);
        assert!(
            r.train_samples_per_sec > 0.0
                && r.infer_samples_per_sec > 0.0
                && r.parallel_train_samples_per_sec > 0.0
        );
    }
}
