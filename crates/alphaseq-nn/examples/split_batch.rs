//! Measures W2 training with each batch split over two model replicas on two threads
//! (data parallelism inside a batch) against one thread: `cargo run --release --example split_batch`.
#![allow(missing_docs, clippy::unwrap_used)]
use std::time::Instant;

use alphaseq_nn::bench::workloads;
use alphaseq_nn::parallel::StepRunner;
use alphaseq_nn::{InitScheme, Loss, Optimizer, OptimizerConfig, Rng, SampleSource, Sequential};

struct Fixed {
    x: Vec<f32>,
    y: Vec<f32>,
    t: usize,
    b: usize,
    f: usize,
}

impl SampleSource for Fixed {
    fn len(&self) -> usize {
        self.b
    }
    fn steps(&self) -> usize {
        self.t
    }
    fn gather(&self, idx: &[usize], x: &mut Vec<f32>, y: &mut Vec<f32>) {
        x.clear();
        for r in 0..self.f * self.t {
            x.extend(idx.iter().map(|&i| self.x[r * self.b + i]));
        }
        y.clear();
        for r in 0..self.t {
            y.extend(idx.iter().map(|&i| self.y[r * self.b + i]));
        }
    }
}

fn main() {
    let w = workloads().into_iter().find(|w| w.name == "W2").unwrap();
    let (t, b, f) = (w.steps, w.batch, w.spec.features);
    let mut rng = Rng::new(1);
    let x: Vec<f32> = (0..t * b * f).map(|_| rng.normal() as f32).collect();
    let y: Vec<f32> = (0..t * b).map(|_| rng.normal() as f32).collect();
    // feature-major halves: columns t*b + j for j < b/2 and j >= b/2
    let half = |x: &[f32], width: usize, lo: usize, hi: usize| -> Vec<f32> {
        let mut out = Vec::with_capacity(width * t * (hi - lo));
        for r in 0..width * t {
            out.extend_from_slice(&x[r * b + lo..r * b + hi]);
        }
        out
    };
    let (xa, xb) = (half(&x, f, 0, b / 2), half(&x, f, b / 2, b));
    let (ya, yb) = (half(&y, 1, 0, b / 2), half(&y, 1, b / 2, b));
    let mut main = Sequential::<f32>::new(&w.spec, InitScheme::Torch, 1).unwrap();
    let mut opt = Optimizer::new(OptimizerConfig::default());
    let iters = 200;
    let t0 = Instant::now();
    for _ in 0..iters {
        main.zero_grad();
        let p = main.forward(&x, t, b, true).unwrap().to_vec();
        let (_, g) = Loss::Mse.value_and_grad(&p, &y);
        main.backward(&g, false);
        opt.step(&mut main.params());
    }
    let one = t0.elapsed().as_secs_f64() / iters as f64;
    let mut replicas = [main.clone(), main.clone()];
    let t0 = Instant::now();
    for _ in 0..iters {
        std::thread::scope(|s| {
            let [ra, rb] = &mut replicas;
            let ha = s.spawn(|| {
                ra.zero_grad();
                let p = ra.forward(&xa, t, b / 2, true).unwrap().to_vec();
                let (_, g) = Loss::Mse.value_and_grad(&p, &ya);
                ra.backward(&g, false);
            });
            rb.zero_grad();
            let p = rb.forward(&xb, t, b / 2, true).unwrap().to_vec();
            let (_, g) = Loss::Mse.value_and_grad(&p, &yb);
            rb.backward(&g, false);
            ha.join().unwrap();
        });
        let [ra, rb] = &mut replicas;
        {
            let mut pa = ra.params();
            for (p, q) in pa.iter_mut().zip(rb.params()) {
                p.grad.iter_mut().zip(q.grad.iter()).for_each(|(a, b)| *a = 0.5 * (*a + *b));
            }
            opt.step(&mut pa);
        }
        let values: Vec<Vec<f32>> = ra.params().iter().map(|p| p.value.to_vec()).collect();
        for (p, v) in rb.params().iter_mut().zip(values) {
            p.value.copy_from_slice(&v);
        }
    }
    let two = t0.elapsed().as_secs_f64() / iters as f64;
    let data = Fixed { x: x.clone(), y: y.clone(), t, b, f };
    let all: Vec<usize> = (0..b).collect();
    let mut runner = StepRunner::new(&replicas[0], 2, None, 1);
    let mut model = replicas[0].clone();
    let t0 = Instant::now();
    for _ in 0..iters {
        runner.step(&mut model, &data, &all, Loss::Mse, None, &mut opt);
    }
    let three = t0.elapsed().as_secs_f64() / iters as f64;
    println!("StepRunner on two threads {:.0} samples/s", b as f64 / three);
    println!(
        "W2 one thread {:.0} samples/s, batch split over two threads {:.0} samples/s ({:.2}x)",
        b as f64 / one,
        b as f64 / two,
        one / two
    );
}
