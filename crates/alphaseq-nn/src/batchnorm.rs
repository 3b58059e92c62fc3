//! Batch normalisation over the feature axis of 2-D (`[C][B]`) and 3-D (`[C][T*B]`) data, as Keras
//! `BatchNormalization()` (axis -1): in training each feature is normalised with the mean and the
//! biased variance of its batch (all batch and time positions), then scaled by gamma and shifted
//! by beta; the moving statistics follow `moving = momentum * moving + (1 - momentum) * batch`.
//! In evaluation the moving statistics are used. Defaults: momentum 0.99, epsilon 1e-3 (Keras;
//! PyTorch uses momentum 0.1 in the other direction, eps 1e-5 and the unbiased running variance).

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::layer::{Companion, Kind, Layer, LayerConfig, Pass, Shape, Site, Tensor};
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

fn bn_momentum() -> f64 {
    0.99
}

fn bn_epsilon() -> f64 {
    1e-3
}

/// Batch normalisation over the feature axis in a model description (`type = "batch_norm"`,
/// Keras `BatchNormalization()`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchNormSpec {
    /// Decay of the moving statistics (Keras 0.99).
    #[serde(default = "bn_momentum")]
    pub momentum: f64,
    /// Added to the variance (Keras 1e-3).
    #[serde(default = "bn_epsilon")]
    pub epsilon: f64,
}

impl Default for BatchNormSpec {
    fn default() -> Self {
        BatchNormSpec { momentum: bn_momentum(), epsilon: bn_epsilon() }
    }
}

impl<T: Real> LayerConfig<T> for BatchNormSpec {
    fn label(&self) -> String {
        "BatchNorm".to_string()
    }

    fn build(&self, site: &Site) -> Result<(Box<dyn Layer<T>>, Shape)> {
        let (momentum, epsilon) = (self.momentum, self.epsilon);
        if !((0.0..1.0).contains(&momentum) && epsilon > 0.0 && epsilon.is_finite()) {
            return Err(site.invalid("batch norm needs momentum in [0, 1) and epsilon > 0"));
        }
        let config = BatchNormConfig { features: site.input.width(), momentum, epsilon };
        Ok((Box::new(BatchNorm::<T>::new(config)), site.input))
    }
}

impl<T: Real> Layer<T> for BatchNorm<T> {
    fn kind(&self) -> Kind {
        Kind { id: "batch_norm", keras: "BatchNormalization", keras_name: "batch_normalization" }
    }

    fn forward(&mut self, input: &[T], pass: Pass, out: &mut Vec<T>) {
        BatchNorm::forward(self, input, pass.columns, pass.train, out);
    }

    fn backward(&mut self, _input: &[T], dout: &[T], _input_grad: bool, dx: &mut Vec<T>) -> bool {
        BatchNorm::backward(self, dout, dx);
        true
    }

    fn tensors(&mut self) -> Vec<Tensor<'_, T>> {
        let c = self.config.features;
        vec![
            Tensor::param("gamma", "weight", vec![c], &mut self.gamma, &mut self.grad_gamma),
            Tensor::param("beta", "bias", vec![c], &mut self.beta, &mut self.grad_beta),
            Tensor::buffer("moving_mean", "running_mean", vec![c], &mut self.moving_mean),
            Tensor::buffer("moving_var", "running_var", vec![c], &mut self.moving_var)
                .with_companion(Companion::BatchCount("num_batches_tracked")),
        ]
    }

    fn parameters(&self) -> usize {
        self.config.parameters()
    }

    fn trainable_parameters(&self) -> usize {
        2 * self.config.features
    }

    fn mixes_samples(&self, train: bool) -> bool {
        // evaluation uses the moving statistics
        train
    }

    fn boxed(&self) -> Box<dyn Layer<T>> {
        Box::new(self.clone())
    }
}
