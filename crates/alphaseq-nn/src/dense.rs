//! Dense (fully connected) layer on feature-major data `x` `[in][N]`: `y = act(W x + b)`, W
//! stored `[out][in]` (PyTorch `Linear.weight`; Keras' kernel is its transpose). Applied to a
//! sequence it is time-distributed: the `T*B` columns share the weights.

use serde::{Deserialize, Serialize};

use crate::activation::Activation;
use crate::error::Result;
use crate::gemm::{matmul, Op};
use crate::init::{self, InitScheme};
use crate::layer::{Kind, Layer, LayerConfig, Pass, Shape, Site, Tensor};
use crate::penalty::{Penalty, Regularizers};
use crate::real::Real;
use crate::rng::Rng;

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

    /// Initialises the weights: Keras (glorot-uniform kernel, zero bias) or PyTorch (everything
    /// U(+-1/sqrt(in))).
    pub fn init(&mut self, scheme: InitScheme, rng: &mut Rng) {
        let (i, o) = (self.config.input, self.config.units);
        match scheme {
            InitScheme::Keras => init::glorot_uniform(&mut self.w, i, o, rng),
            InitScheme::Torch => {
                let k = 1.0 / (i as f64).sqrt();
                init::uniform(&mut self.w, k, rng);
                init::uniform(&mut self.b, k, rng);
            }
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

/// A dense layer in a model description (`type = "dense"`); time-distributed when its input is a
/// sequence.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DenseSpec {
    /// Output units.
    pub units: usize,
    /// Activation.
    #[serde(default)]
    pub activation: Activation,
    /// Penalty on the kernel `w` (Keras `kernel_regularizer`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kernel_regularizer: Option<Penalty>,
    /// Penalty on the bias `b` (Keras `bias_regularizer`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bias_regularizer: Option<Penalty>,
}

impl DenseSpec {
    /// Dense(units) without penalties.
    pub fn new(units: usize, activation: Activation) -> DenseSpec {
        DenseSpec { units, activation, kernel_regularizer: None, bias_regularizer: None }
    }

    /// Its penalties by tensor role.
    pub fn regularizers(&self) -> Regularizers {
        Regularizers {
            kernel: self.kernel_regularizer,
            recurrent: None,
            bias: self.bias_regularizer,
        }
    }
}

impl<T: Real> LayerConfig<T> for DenseSpec {
    fn label(&self) -> String {
        format!("Dense({})", self.units)
    }

    fn build(&self, site: &Site) -> Result<(Box<dyn Layer<T>>, Shape)> {
        let units = site.positive("units", self.units)?;
        self.regularizers().check().map_err(|m| site.invalid(m))?;
        let config = DenseConfig { input: site.input.width(), units, activation: self.activation };
        let mut layer = Dense::new(config);
        layer.init(site.scheme, &mut site.rng());
        Ok((Box::new(layer), site.input.with_width(units)))
    }
}

impl<T: Real> Layer<T> for Dense<T> {
    fn kind(&self) -> Kind {
        Kind { id: "dense", keras: "Dense", keras_name: "dense" }
    }

    fn forward(&mut self, input: &[T], pass: Pass, out: &mut Vec<T>) {
        Dense::forward(self, input, pass.columns, out);
    }

    fn backward(&mut self, input: &[T], dout: &[T], input_grad: bool, dx: &mut Vec<T>) -> bool {
        Dense::backward(self, input, dout, input_grad, dx)
    }

    fn tensors(&mut self) -> Vec<Tensor<'_, T>> {
        let (i, o) = (self.config.input, self.config.units);
        vec![
            Tensor::param("w", "weight", vec![o, i], &mut self.w, &mut self.grad_w),
            Tensor::param("b", "bias", vec![o], &mut self.b, &mut self.grad_b),
        ]
    }

    fn parameters(&self) -> usize {
        self.config.parameters()
    }

    fn boxed(&self) -> Box<dyn Layer<T>> {
        Box::new(self.clone())
    }
}
