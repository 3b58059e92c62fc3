//! Activation functions and their derivatives. Derivatives are computed from the activation's
//! *output* where possible (sigmoid' = y(1-y), tanh' = 1-y^2, elu' = y+1 below 0), which is what
//! the recurrent kernels keep in their caches.

use serde::{Deserialize, Serialize};

use crate::real::Real;

/// An elementwise activation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Activation {
    /// Identity.
    #[default]
    Linear,
    /// max(0, x).
    Relu,
    /// x if x > 0 else e^x - 1 (alpha = 1, as Keras).
    Elu,
    /// Hyperbolic tangent.
    Tanh,
    /// Logistic sigmoid.
    Sigmoid,
}

/// The recurrent layers' default activation (serde default).
pub(crate) fn tanh() -> Activation {
    Activation::Tanh
}

impl Activation {
    /// In place: x <- act(x).
    pub fn apply<T: Real>(self, x: &mut [T]) {
        match self {
            Activation::Linear => {}
            Activation::Relu => x.iter_mut().for_each(|v| {
                if *v < T::ZERO {
                    *v = T::ZERO
                }
            }),
            Activation::Elu => T::elu_slice(x),
            Activation::Tanh => T::tanh_slice(x),
            Activation::Sigmoid => T::sigmoid_slice(x),
        }
    }

    /// d act / dx at the point whose output is `y`.
    #[inline]
    pub fn derivative_from_output<T: Real>(self, y: T) -> T {
        match self {
            Activation::Linear => T::ONE,
            Activation::Relu => {
                if y > T::ZERO {
                    T::ONE
                } else {
                    T::ZERO
                }
            }
            Activation::Elu => {
                if y > T::ZERO {
                    T::ONE
                } else {
                    y + T::ONE
                }
            }
            Activation::Tanh => T::ONE - y * y,
            Activation::Sigmoid => y * (T::ONE - y),
        }
    }
}

/// Evaluates `$body` with `$d` bound to the derivative of activation `$act` as a function of the
/// activation's output, for scalar type `$t`: a closure of its own type for tanh (the common
/// case), so that the compiler inlines it into the caller's loops, and the general
/// [`Activation::derivative_from_output`] otherwise. The recurrent layers' backward passes use it.
macro_rules! with_derivative {
    ($act:expr, $t:ty, |$d:ident| $body:expr) => {
        match $act {
            $crate::activation::Activation::Tanh => {
                let $d = |y: $t| <$t as $crate::real::Real>::ONE - y * y;
                $body
            }
            other => {
                let $d = move |y: $t| other.derivative_from_output(y);
                $body
            }
        }
    };
}
pub(crate) use with_derivative;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fast;

    fn grid() -> Vec<f32> {
        let mut xs: Vec<f32> = (-200_000..=200_000).map(|i| i as f32 * 1e-4).collect();
        xs.extend([1e-6, -1e-6, 1e-3, -1e-3, 30.0, -30.0, 80.0, -80.0]);
        xs
    }

    fn max_rel_err(f: fn(&mut [f32]), reference: fn(f64) -> f64, floor: f64) -> f64 {
        let xs = grid();
        let mut ys = xs.clone();
        f(&mut ys);
        xs.iter()
            .zip(&ys)
            .map(|(x, y)| {
                let r = reference(*x as f64);
                (*y as f64 - r).abs() / r.abs().max(floor)
            })
            .fold(0.0, f64::max)
    }

    #[test]
    fn fast_kernels_are_accurate_to_a_few_ulp() {
        let sig = max_rel_err(fast::sigmoid, |x| 1.0 / (1.0 + (-x).exp()), 1e-30);
        let tanh = max_rel_err(fast::tanh, f64::tanh, 1e-30);
        let elu = max_rel_err(fast::elu, |x| if x > 0.0 { x } else { x.exp_m1() }, 1e-30);
        let exp = max_rel_err(fast::exp_slice, |x| x.clamp(-87.0, 88.0).exp(), 1e-30);
        for (name, err) in [("sigmoid", sig), ("tanh", tanh), ("elu", elu), ("exp", exp)] {
            assert!(err < 3e-7, "{name}: max relative error {err:e}");
        }
    }

    #[test]
    fn derivatives_from_outputs() {
        let h = 1e-6;
        for act in [
            Activation::Tanh,
            Activation::Sigmoid,
            Activation::Elu,
            Activation::Relu,
            Activation::Linear,
        ] {
            for x in [-2.0f64, -0.3, 0.4, 1.7] {
                let f = |x: f64| {
                    let mut v = [x];
                    act.apply(&mut v);
                    v[0]
                };
                let numeric = (f(x + h) - f(x - h)) / (2.0 * h);
                let analytic = act.derivative_from_output(f(x));
                assert!(
                    (numeric - analytic).abs() < 1e-6,
                    "{act:?} at {x}: {numeric} vs {analytic}"
                );
            }
        }
    }
}
