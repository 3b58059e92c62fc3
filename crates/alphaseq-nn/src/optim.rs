//! Optimisers over a model's parameter tensors, visited in a fixed order.
//!
//! Adam follows PyTorch (`torch.optim.Adam`): `m = b1 m + (1-b1) g`, `v = b2 v + (1-b2) g^2`,
//! `p -= lr * m_hat / (sqrt(v_hat) + eps)` with bias-corrected `m_hat`, `v_hat`. (Keras adds eps
//! to `sqrt(v) ` before the bias correction of the step size and defaults eps to 1e-7; the two
//! agree to within eps.) Gradient clipping: `clipnorm` rescales each tensor's gradient to at most
//! that L2 norm (Keras `clipnorm`); `global_clipnorm` rescales all gradients together (PyTorch
//! `clip_grad_norm_`, Keras `global_clipnorm`).

use serde::{Deserialize, Serialize};

use crate::real::Real;

/// Adam's options.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AdamConfig {
    /// Learning rate.
    pub lr: f64,
    /// First-moment decay.
    pub beta1: f64,
    /// Second-moment decay.
    pub beta2: f64,
    /// Denominator term.
    pub epsilon: f64,
    /// Per-tensor gradient norm limit (Keras `clipnorm`).
    pub clipnorm: Option<f64>,
    /// Global gradient norm limit (PyTorch `clip_grad_norm_`).
    pub global_clipnorm: Option<f64>,
}

impl Default for AdamConfig {
    fn default() -> Self {
        AdamConfig {
            lr: 1e-3,
            beta1: 0.9,
            beta2: 0.999,
            epsilon: 1e-8,
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

/// Adam with its moment estimates.
#[derive(Debug, Clone)]
pub struct Adam {
    /// Options.
    pub config: AdamConfig,
    step: i32,
    m: Vec<Vec<f64>>,
    v: Vec<Vec<f64>>,
}

impl Adam {
    /// A fresh optimiser.
    pub fn new(config: AdamConfig) -> Adam {
        Adam { config, step: 0, m: vec![], v: vec![] }
    }

    /// One update of `params` (always visited in the same order).
    pub fn step<T: Real>(&mut self, params: &mut [Param<'_, T>]) {
        if self.m.is_empty() {
            self.m = params.iter().map(|p| vec![0.0; p.value.len()]).collect();
            self.v = self.m.clone();
        }
        clip(params, self.config.clipnorm, self.config.global_clipnorm);
        self.step += 1;
        let c = self.config;
        let bc1 = 1.0 - c.beta1.powi(self.step);
        let bc2 = 1.0 - c.beta2.powi(self.step);
        for (k, p) in params.iter_mut().enumerate() {
            let (m, v) = (&mut self.m[k], &mut self.v[k]);
            for i in 0..p.value.len() {
                let g = p.grad[i].to_f64();
                m[i] = c.beta1 * m[i] + (1.0 - c.beta1) * g;
                v[i] = c.beta2 * v[i] + (1.0 - c.beta2) * g * g;
                let update = c.lr * (m[i] / bc1) / ((v[i] / bc2).sqrt() + c.epsilon);
                p.value[i] -= T::from_f64(update);
            }
        }
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
        let mut adam = Adam::new(AdamConfig { lr: 0.1, ..AdamConfig::default() });
        adam.step(&mut [Param { value: &mut w, grad: &mut g }]);
        assert!((w[0] - 0.9).abs() < 1e-6 && (w[1] + 1.9).abs() < 1e-6, "{w:?}");
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
