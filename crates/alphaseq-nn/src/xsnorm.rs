//! Cross-sectional normalisation, the layer the deep-momentum paper puts before its Sharpe loss
//! (its `ZeroMeanLayer`): when the samples of a batch are the stocks of one set of dates, it turns
//! each step's outputs into the weights of a dollar-neutral portfolio. Per feature row and time
//! step, across the batch: `c_b = x_b - mean(x)`, `y_b = c_b / (sum_j |c_j| + epsilon)`, so the
//! weights sum to 0 and their absolute values to 1 (short of epsilon). Sums are taken in f64.
//!
//! Backward, with `D = sum_j |c_j| + epsilon`: `dc_b = (dy_b - sign(c_b) * sum_j dy_j y_j) / D`,
//! then `dx_b = dc_b - mean(dc)` (sign(0) = 0, a subgradient). It has no parameters; its output
//! depends on the whole batch, so a batch through it is never split across threads.
//!
//! Every sample of the batch counts: a sampler that pads missing stocks must not pass the padding
//! through this layer.

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::layer::{Kind, Layer, LayerConfig, Pass, Shape, Site};
use crate::real::Real;

fn default_epsilon() -> f64 {
    1e-9
}

/// Cross-sectional normalisation in a model description (`type = "cross_sectional_norm"`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrossSectionalNormSpec {
    /// Added to the sum of absolute values (1e-9).
    #[serde(default = "default_epsilon")]
    pub epsilon: f64,
}

impl Default for CrossSectionalNormSpec {
    fn default() -> Self {
        CrossSectionalNormSpec { epsilon: default_epsilon() }
    }
}

impl<T: Real> LayerConfig<T> for CrossSectionalNormSpec {
    fn label(&self) -> String {
        "CrossSectionalNorm".to_string()
    }

    fn build(&self, site: &Site) -> Result<(Box<dyn Layer<T>>, Shape)> {
        if !(self.epsilon >= 0.0 && self.epsilon.is_finite()) {
            return Err(site.invalid(format!("epsilon {} must be finite and >= 0", self.epsilon)));
        }
        let layer = CrossSectionalNorm { epsilon: self.epsilon, y: vec![], inv_d: vec![] };
        Ok((Box::new(layer), site.input))
    }
}

/// The layer, with the output and `1 / D` per (row, step) of its last pass.
#[derive(Debug, Clone)]
pub struct CrossSectionalNorm<T> {
    epsilon: f64,
    y: Vec<T>,
    inv_d: Vec<f64>,
}

impl<T: Real> Layer<T> for CrossSectionalNorm<T> {
    fn kind(&self) -> Kind {
        Kind {
            id: "cross_sectional_norm",
            keras: "CrossSectionalNorm",
            keras_name: "cross_sectional_norm",
        }
    }

    fn forward(&mut self, input: &[T], pass: Pass, out: &mut Vec<T>) {
        let b = pass.batch;
        out.resize(input.len(), T::ZERO);
        self.inv_d.clear();
        for (x, y) in input.chunks_exact(b).zip(out.chunks_exact_mut(b)) {
            let mean = x.iter().map(|v| v.to_f64()).sum::<f64>() / b as f64;
            let abs = x.iter().map(|v| (v.to_f64() - mean).abs()).sum::<f64>();
            let inv = 1.0 / (abs + self.epsilon);
            for (o, v) in y.iter_mut().zip(x) {
                *o = T::from_f64((v.to_f64() - mean) * inv);
            }
            self.inv_d.push(inv);
        }
        self.y.clone_from(out);
    }

    fn backward(&mut self, _input: &[T], dout: &[T], _input_grad: bool, dx: &mut Vec<T>) -> bool {
        let b = dout.len() / self.inv_d.len().max(1);
        dx.resize(dout.len(), T::ZERO);
        let groups = dout.chunks_exact(b).zip(self.y.chunks_exact(b)).zip(dx.chunks_exact_mut(b));
        for (((dy, y), dx), inv) in groups.zip(&self.inv_d) {
            let dot = dy.iter().zip(y).map(|(d, y)| d.to_f64() * y.to_f64()).sum::<f64>();
            let sign = |v: f64| {
                if v > 0.0 {
                    1.0
                } else if v < 0.0 {
                    -1.0
                } else {
                    0.0
                }
            };
            let dc = |k: usize| (dy[k].to_f64() - sign(y[k].to_f64()) * dot) * inv;
            let mean = (0..b).map(dc).sum::<f64>() / b as f64;
            for (k, g) in dx.iter_mut().enumerate() {
                *g = T::from_f64(dc(k) - mean);
            }
        }
        true
    }

    fn mixes_samples(&self, _train: bool) -> bool {
        true
    }

    fn boxed(&self) -> Box<dyn Layer<T>> {
        Box::new(self.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::init::InitScheme;

    fn layer() -> Box<dyn Layer<f64>> {
        let site = Site { index: 0, input: Shape::Sequence(1), scheme: InitScheme::Torch, seed: 0 };
        LayerConfig::<f64>::build(&CrossSectionalNormSpec::default(), &site).unwrap().0
    }

    #[test]
    fn each_step_becomes_a_dollar_neutral_portfolio_of_unit_gross() {
        // 2 steps x 4 samples, feature-major: column t*B + b.
        let x = [0.3, -1.2, 2.0, 0.5, 1.0, 1.0, 1.0, 5.0];
        let mut y = vec![];
        let mut l = layer();
        l.forward(&x, Pass { steps: 2, batch: 4, columns: 8, train: true, keep: true }, &mut y);
        for step in y.chunks(4) {
            assert!(step.iter().sum::<f64>().abs() < 1e-12);
            assert!((step.iter().map(|v| v.abs()).sum::<f64>() - 1.0).abs() < 1e-8);
        }
        // The second step: mean 2, deviations -1, -1, -1, 3 over 6.
        let expected = [-1.0 / 6.0, -1.0 / 6.0, -1.0 / 6.0, 0.5];
        for (a, e) in y[4..].iter().zip(expected) {
            assert!((a - e).abs() < 1e-9, "{a} {e}");
        }
    }
}
