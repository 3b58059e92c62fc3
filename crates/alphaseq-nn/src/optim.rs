//! Optimisers over a model's parameter tensors, visited in a fixed order, in PyTorch's forms:
//!
//! - Adam (`torch.optim.Adam`): `m = b1 m + (1-b1) g`, `v = b2 v + (1-b2) g^2`,
//!   `p -= lr * m_hat / (sqrt(v_hat) + eps)` with bias-corrected moments. Keras puts eps on the
//!   uncorrected `sqrt(v)` and defaults it to 1e-7; the two agree to within eps.
//! - RMSprop: `v = rho v + (1-rho) g^2`, `p -= lr * g / (sqrt(v) + eps)` (Keras and PyTorch alike;
//!   Keras' default rho 0.9 is used, PyTorch's is 0.99).
//! - SGD with momentum: `b = mu b + g`, `p -= lr b` (PyTorch; the same steps as Keras'
//!   `v = mu v - lr g`, `p += v` at a constant learning rate).
//!
//! Gradient clipping first: `clipnorm` rescales each tensor's gradient to at most that L2 norm
//! (Keras `clipnorm`); `global_clipnorm` rescales all gradients together (PyTorch
//! `clip_grad_norm_`, Keras `global_clipnorm`).

use multiversion::multiversion;
use serde::{Deserialize, Serialize};

use crate::real::Real;

/// Which update rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OptimizerKind {
    /// Adam.
    #[default]
    Adam,
    /// RMSprop.
    Rmsprop,
    /// Stochastic gradient descent with (optional) momentum.
    Sgd,
}

/// An optimiser's options (each rule uses the ones it needs).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OptimizerConfig {
    /// The update rule.
    pub kind: OptimizerKind,
    /// Learning rate.
    pub lr: f64,
    /// Adam: first-moment decay.
    pub beta1: f64,
    /// Adam: second-moment decay.
    pub beta2: f64,
    /// Adam, RMSprop: denominator term.
    pub epsilon: f64,
    /// RMSprop: decay of the squared-gradient average.
    pub rho: f64,
    /// SGD: momentum (0 = plain SGD).
    pub momentum: f64,
    /// Per-tensor gradient norm limit (Keras `clipnorm`).
    pub clipnorm: Option<f64>,
    /// Global gradient norm limit (PyTorch `clip_grad_norm_`).
    pub global_clipnorm: Option<f64>,
}

impl Default for OptimizerConfig {
    fn default() -> Self {
        OptimizerConfig {
            kind: OptimizerKind::Adam,
            lr: 1e-3,
            beta1: 0.9,
            beta2: 0.999,
            epsilon: 1e-8,
            rho: 0.9,
            momentum: 0.0,
            clipnorm: None,
            global_clipnorm: None,
        }
    }
}

/// A parameter tensor and its gradient.
pub struct Param<'a, T> {
    /// Values.
    pub value: &'a mut [T],
    /// Gradient.
    pub grad: &'a mut [T],
}

/// An optimiser with its state (moments, squared averages or momentum buffers).
#[derive(Debug, Clone)]
pub struct Optimizer {
    /// Options.
    pub config: OptimizerConfig,
    step: i32,
    m: Vec<Vec<f64>>,
    v: Vec<Vec<f64>>,
}

impl Optimizer {
    /// A fresh optimiser.
    pub fn new(config: OptimizerConfig) -> Optimizer {
        Optimizer { config, step: 0, m: vec![], v: vec![] }
    }

    /// One update of `params` (always visited in the same order).
    pub fn step<T: Real>(&mut self, params: &mut [Param<'_, T>]) {
        let (rule, m, v) = self.begin_step(params);
        for (k, p) in params.iter_mut().enumerate() {
            rule.apply(p, &mut m[k], &mut v[k]);
        }
    }

    /// The first half of [`Optimizer::step`], for a step whose elementwise updates run in parts
    /// (on several threads, see [`crate::parallel`]): clips `params`' gradients if configured,
    /// counts the step, and returns its rule and the state of each tensor (first and second
    /// moments, or momentum buffers, `[tensor][element]`). Applying the rule to every part of
    /// every tensor with the matching part of its state gives exactly [`Optimizer::step`].
    pub fn begin_step<T: Real>(
        &mut self,
        params: &mut [Param<'_, T>],
    ) -> (StepRule, &mut [Vec<f64>], &mut [Vec<f64>]) {
        if self.m.is_empty() {
            self.m = params.iter().map(|p| vec![0.0; p.value.len()]).collect();
            self.v = self.m.clone();
        }
        clip(params, self.config.clipnorm, self.config.global_clipnorm);
        self.step += 1;
        let c = self.config;
        let rule = StepRule {
            config: c,
            bc1: 1.0 - c.beta1.powi(self.step),
            bc2: 1.0 - c.beta2.powi(self.step),
            first: self.step == 1,
        };
        (rule, &mut self.m, &mut self.v)
    }

    /// Whether a step rescales the gradients first, which needs all of them at once.
    pub fn clips(&self) -> bool {
        self.config.clipnorm.is_some() || self.config.global_clipnorm.is_some()
    }
}

/// One step's update rule with its bias corrections; elementwise, so any part of a tensor can be
/// updated on its own (with the same part of its state).
#[derive(Debug, Clone, Copy)]
pub struct StepRule {
    config: OptimizerConfig,
    bc1: f64,
    bc2: f64,
    first: bool,
}

impl StepRule {
    /// `p -= rule(g)` elementwise, updating the state `m` and `v` (as long as `p`).
    pub fn apply<T: Real>(&self, p: &mut Param<'_, T>, m: &mut [f64], v: &mut [f64]) {
        let (c, bc1, bc2, first) = (self.config, self.bc1, self.bc2, self.first);
        // One loop per rule (the rule chosen outside), so that each loop vectorises.
        match c.kind {
            OptimizerKind::Adam => update(p, m, v, |g, m, v| {
                *m = c.beta1 * *m + (1.0 - c.beta1) * g;
                *v = c.beta2 * *v + (1.0 - c.beta2) * g * g;
                c.lr * (*m / bc1) / ((*v / bc2).sqrt() + c.epsilon)
            }),
            OptimizerKind::Rmsprop => update(p, m, v, |g, _, v| {
                *v = c.rho * *v + (1.0 - c.rho) * g * g;
                c.lr * g / (v.sqrt() + c.epsilon)
            }),
            OptimizerKind::Sgd => update(p, m, v, |g, m, _| {
                *m = if first { g } else { c.momentum * *m + g };
                c.lr * if c.momentum > 0.0 { *m } else { g }
            }),
        }
    }
}

/// `p -= rule(g, m, v)` elementwise, the rule updating its state `m` and `v` in place.
#[multiversion(targets(
    "x86_64+avx512f+avx512bw+avx512cd+avx512dq+avx512vl+avx2+fma",
    "x86_64+avx2+fma",
    "x86_64+avx"
))]
fn update<T: Real>(
    p: &mut Param<'_, T>,
    m: &mut [f64],
    v: &mut [f64],
    rule: impl Fn(f64, &mut f64, &mut f64) -> f64,
) {
    let n = p.value.len();
    let (value, grad, m, v) = (&mut p.value[..n], &p.grad[..n], &mut m[..n], &mut v[..n]);
    for i in 0..n {
        value[i] -= T::from_f64(rule(grad[i].to_f64(), &mut m[i], &mut v[i]));
    }
}

fn clip<T: Real>(params: &mut [Param<'_, T>], per_tensor: Option<f64>, global: Option<f64>) {
    let norm = |g: &[T]| g.iter().map(|x| x.to_f64() * x.to_f64()).sum::<f64>().sqrt();
    if let Some(limit) = per_tensor {
        for p in params.iter_mut() {
            let n = norm(p.grad);
            if n > limit {
                let s = T::from_f64(limit / n);
                p.grad.iter_mut().for_each(|g| *g *= s);
            }
        }
    }
    if let Some(limit) = global {
        let total = params.iter().map(|p| norm(p.grad).powi(2)).sum::<f64>().sqrt();
        if total > limit {
            let s = T::from_f64(limit / (total + 1e-6));
            params.iter_mut().for_each(|p| p.grad.iter_mut().for_each(|g| *g *= s));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adam_first_step_moves_each_weight_by_lr_against_its_gradient_sign() {
        let (mut w, mut g) = (vec![1.0f64, -2.0], vec![0.5, -3.0]);
        let mut adam = Optimizer::new(OptimizerConfig { lr: 0.1, ..OptimizerConfig::default() });
        adam.step(&mut [Param { value: &mut w, grad: &mut g }]);
        assert!((w[0] - 0.9).abs() < 1e-6 && (w[1] + 1.9).abs() < 1e-6, "{w:?}");
    }

    #[test]
    fn rmsprop_and_momentum_sgd_follow_their_recurrences() {
        let cfg = OptimizerConfig {
            kind: OptimizerKind::Rmsprop,
            lr: 0.01,
            ..OptimizerConfig::default()
        };
        let mut opt = Optimizer::new(cfg);
        let mut w = vec![1.0f64];
        for g in [2.0, -1.0] {
            opt.step(&mut [Param { value: &mut w, grad: &mut [g] }]);
        }
        // v1 = 0.1*4 = 0.4; w = 1 - 0.01*2/(sqrt(0.4)+1e-8); v2 = 0.9*0.4 + 0.1*1 = 0.46; w += 0.01/sqrt(0.46)
        let expected = 1.0 - 0.02 / (0.4f64.sqrt() + 1e-8) + 0.01 / (0.46f64.sqrt() + 1e-8);
        assert!((w[0] - expected).abs() < 1e-12);
        let mut sgd = Optimizer::new(OptimizerConfig {
            kind: OptimizerKind::Sgd,
            lr: 0.1,
            momentum: 0.9,
            ..OptimizerConfig::default()
        });
        let mut w = vec![0.0f64];
        for _ in 0..2 {
            sgd.step(&mut [Param { value: &mut w, grad: &mut [1.0] }]);
        }
        // b1 = 1, b2 = 0.9 + 1 = 1.9: w = -0.1 - 0.19
        assert!((w[0] + 0.29).abs() < 1e-12);
    }

    #[test]
    fn clipping_per_tensor_and_global() {
        let (mut a, mut b) = (vec![3.0f64, 4.0], vec![0.0, 12.0]);
        clip(
            &mut [
                Param { value: &mut [0.0, 0.0], grad: &mut a },
                Param { value: &mut [0.0, 0.0], grad: &mut b },
            ],
            Some(1.0),
            None,
        );
        assert!((a[0] - 0.6).abs() < 1e-12 && (b[1] - 1.0).abs() < 1e-12);
        let (mut a, mut b) = (vec![3.0f64, 4.0], vec![0.0, 12.0]);
        clip(
            &mut [
                Param { value: &mut [0.0, 0.0], grad: &mut a },
                Param { value: &mut [0.0, 0.0], grad: &mut b },
            ],
            None,
            Some(1.3),
        );
        let total = (a[0] * a[0] + a[1] * a[1] + b[1] * b[1]).sqrt();
        assert!((total - 1.3).abs() < 1e-6, "{total}");
    }
}
