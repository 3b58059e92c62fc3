//! Batch normalisation over the feature axis of 2-D (`[C][B]`) and 3-D (`[C][T*B]`) data, as Keras
//! `BatchNormalization()` (axis -1): in training each feature is normalised with the mean and the
//! biased variance of its batch (all batch and time positions), then scaled by gamma and shifted
//! by beta; the moving statistics follow `moving = momentum * moving + (1 - momentum) * batch`.
//! In evaluation the moving statistics are used. Defaults: momentum 0.99, epsilon 1e-3 (Keras;
//! PyTorch uses momentum 0.1 in the other direction, eps 1e-5 and the unbiased running variance).

use serde::{Deserialize, Serialize};

use crate::real::Real;

/// Configuration of a batch-normalisation layer.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchNormConfig {
    /// Features (channels) C.
    pub features: usize,
    /// Decay of the moving statistics.
    pub momentum: f64,
    /// Added to the variance.
    pub epsilon: f64,
}

impl BatchNormConfig {
    /// Parameters as Keras counts them: gamma, beta, moving mean and moving variance, 4C (2C
    /// trainable).
    pub fn parameters(&self) -> usize {
        4 * self.features
    }
}

/// A batch-normalisation layer.
#[derive(Debug, Clone)]
pub struct BatchNorm<T> {
    /// Configuration.
    pub config: BatchNormConfig,
    /// Scale `[C]`.
    pub gamma: Vec<T>,
    /// Shift `[C]`.
    pub beta: Vec<T>,
    /// Moving mean `[C]` (not trained by gradient).
    pub moving_mean: Vec<T>,
    /// Moving variance `[C]` (not trained by gradient).
    pub moving_var: Vec<T>,
    /// Gradient of `gamma`.
    pub grad_gamma: Vec<T>,
    /// Gradient of `beta`.
    pub grad_beta: Vec<T>,
    /// Normalised input of the last training pass, `[C][N]`.
    x_hat: Vec<T>,
    /// 1 / sqrt(var + eps) per feature of the last training pass.
    inv_std: Vec<T>,
    trained: bool,
}

impl<T: Real> BatchNorm<T> {
    /// A layer with gamma 1, beta 0, moving mean 0 and moving variance 1.
    pub fn new(config: BatchNormConfig) -> BatchNorm<T> {
        let c = config.features;
        BatchNorm {
            config,
            gamma: vec![T::ONE; c],
            beta: vec![T::ZERO; c],
            moving_mean: vec![T::ZERO; c],
            moving_var: vec![T::ONE; c],
            grad_gamma: vec![T::ZERO; c],
            grad_beta: vec![T::ZERO; c],
            x_hat: vec![],
            inv_std: vec![],
            trained: false,
        }
    }

    /// Normalises `x` (`[C][cols]`), with batch statistics in training and moving ones otherwise.
    pub fn forward(&mut self, x: &[T], cols: usize, train: bool, y: &mut Vec<T>) {
        let c = self.config.features;
        assert_eq!(x.len(), c * cols, "batch norm input length");
        let eps = self.config.epsilon;
        y.resize(x.len(), T::ZERO);
        self.trained = train;
        self.x_hat.resize(x.len(), T::ZERO);
        self.inv_std.resize(c, T::ZERO);
        let m = self.config.momentum;
        for f in 0..c {
            let row = &x[f * cols..(f + 1) * cols];
            let (mean, inv) = if train {
                let mean = row.iter().map(|v| v.to_f64()).sum::<f64>() / cols as f64;
                let var =
                    row.iter().map(|v| (v.to_f64() - mean).powi(2)).sum::<f64>() / cols as f64;
                self.moving_mean[f] =
                    T::from_f64(m * self.moving_mean[f].to_f64() + (1.0 - m) * mean);
                self.moving_var[f] = T::from_f64(m * self.moving_var[f].to_f64() + (1.0 - m) * var);
                let inv = 1.0 / (var + eps).sqrt();
                self.inv_std[f] = T::from_f64(inv);
                (mean, inv)
            } else {
                let inv = 1.0 / (self.moving_var[f].to_f64() + eps).sqrt();
                self.inv_std[f] = T::from_f64(inv);
                (self.moving_mean[f].to_f64(), inv)
            };
            let (mean, inv) = (T::from_f64(mean), T::from_f64(inv));
            let (g, b) = (self.gamma[f], self.beta[f]);
            let out = &mut y[f * cols..(f + 1) * cols];
            for (k, v) in row.iter().enumerate() {
                let xh = (*v - mean) * inv;
                self.x_hat[f * cols + k] = xh;
                out[k] = g * xh + b;
            }
        }
    }

    /// Adds the gamma and beta gradients and writes dx. After a training pass the batch
    /// statistics' dependence on x is included; after an evaluation pass it is a fixed affine map.
    pub fn backward(&mut self, dy: &[T], dx: &mut Vec<T>) {
        let c = self.config.features;
        let cols = dy.len() / c.max(1);
        dx.resize(dy.len(), T::ZERO);
        for f in 0..c {
            let d = &dy[f * cols..(f + 1) * cols];
            let out = &mut dx[f * cols..(f + 1) * cols];
            let xh = &self.x_hat[f * cols..(f + 1) * cols];
            let sum_d = d.iter().map(|v| v.to_f64()).sum::<f64>();
            let sum_dx = d.iter().zip(xh).map(|(a, b)| a.to_f64() * b.to_f64()).sum::<f64>();
            self.grad_beta[f] += T::from_f64(sum_d);
            self.grad_gamma[f] += T::from_f64(sum_dx);
            let scale = self.gamma[f].to_f64() * self.inv_std[f].to_f64();
            if self.trained {
                // dx = gamma / sigma * (dy - mean(dy) - x_hat * mean(dy * x_hat))
                let n = cols as f64;
                let (mean_d, mean_dx) = (T::from_f64(sum_d / n), T::from_f64(sum_dx / n));
                for k in 0..cols {
                    out[k] = T::from_f64(scale) * (d[k] - mean_d - xh[k] * mean_dx);
                }
            } else {
                for k in 0..cols {
                    out[k] = T::from_f64(scale) * d[k];
                }
            }
        }
    }
}
