//! Dense (fully connected) layer on feature-major data `x` `[in][N]`: `y = act(W x + b)`, W
//! stored `[out][in]` (PyTorch `Linear.weight`; Keras' kernel is its transpose). Applied to a
//! sequence it is time-distributed: the `T*B` columns share the weights.

use serde::{Deserialize, Serialize};

use crate::activation::Activation;
use crate::gemm::{matmul, Op};
use crate::real::Real;

/// Configuration of a dense layer.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DenseConfig {
    /// Input features.
    pub input: usize,
    /// Output units.
    pub units: usize,
    /// Activation.
    pub activation: Activation,
}

impl DenseConfig {
    /// Parameters: units * (input + 1).
    pub fn parameters(&self) -> usize {
        self.units * (self.input + 1)
    }
}

/// A dense layer with parameters, gradients and its last output.
#[derive(Debug, Clone)]
pub struct Dense<T> {
    /// Configuration.
    pub config: DenseConfig,
    /// Weights `[out][in]`.
    pub w: Vec<T>,
    /// Bias `[out]`.
    pub b: Vec<T>,
    /// Gradient of `w`.
    pub grad_w: Vec<T>,
    /// Gradient of `b`.
    pub grad_b: Vec<T>,
    y: Vec<T>,
}

impl<T: Real> Dense<T> {
    /// A layer with zero parameters.
    pub fn new(config: DenseConfig) -> Dense<T> {
        let (i, o) = (config.input, config.units);
        Dense {
            config,
            w: vec![T::ZERO; o * i],
            b: vec![T::ZERO; o],
            grad_w: vec![T::ZERO; o * i],
            grad_b: vec![T::ZERO; o],
            y: vec![],
        }
    }

    /// `[units][cols]` output for `[input][cols]` input `x`.
    pub fn forward(&mut self, x: &[T], cols: usize, y: &mut Vec<T>) {
        let (i, o) = (self.config.input, self.config.units);
        assert_eq!(x.len(), cols * i, "dense input length");
        y.resize(o * cols, T::ZERO);
        matmul(o, cols, i, &self.w, Op::N, x, Op::N, y, false);
        for (row, b) in y.chunks_exact_mut(cols).zip(&self.b) {
            row.iter_mut().for_each(|v| *v += *b);
        }
        self.config.activation.apply(y);
        self.y.clone_from(y);
    }

    /// Adds parameter gradients for `dy` and, when asked, writes the gradient with respect to `x`
    /// into `dx` (returning whether it did).
    pub fn backward(&mut self, x: &[T], dy: &[T], input_grad: bool, dx: &mut Vec<T>) -> bool {
        let (i, o) = (self.config.input, self.config.units);
        let cols = dy.len() / o;
        let act = self.config.activation;
        let dpre: Vec<T> = if act == Activation::Linear {
            dy.to_vec()
        } else {
            dy.iter().zip(&self.y).map(|(d, y)| *d * act.derivative_from_output(*y)).collect()
        };
        matmul(o, i, cols, &dpre, Op::N, x, Op::T, &mut self.grad_w, true);
        for (g, row) in self.grad_b.iter_mut().zip(dpre.chunks_exact(cols)) {
            *g += crate::real::row_sum(row);
        }
        if input_grad {
            dx.resize(i * cols, T::ZERO);
            matmul(i, cols, o, &self.w, Op::T, &dpre, Op::N, dx, false);
        }
        input_grad
    }
}
