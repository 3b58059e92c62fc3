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

/// Fast single-precision kernels: Cephes-style polynomial approximations written without branches
/// so that the compiler vectorises them, compiled for AVX2/FMA and for the baseline and chosen at
/// run time. Relative error below 3e-7 against the standard library (tested).
#[allow(clippy::excessive_precision)] // the published Cephes coefficients, kept as printed
pub mod fast {
    use multiversion::multiversion;

    const MAGIC: f32 = 12_582_912.0; // 1.5 * 2^23: adding and subtracting it rounds to an integer.

    /// e^x for x in [-87, 88] (clamped outside), relative error about 1e-7. 2^n is built from
    /// the bits of the magic-rounded float (no float-to-int conversion), so the loop vectorises.
    #[inline(always)]
    fn exp(x: f32) -> f32 {
        let x = x.clamp(-87.0, 88.0);
        let k = x * std::f32::consts::LOG2_E + MAGIC;
        let n = k - MAGIC;
        let r = x - n * 0.693_359_4 - n * -2.121_944_4e-4;
        let p = 1.987_569_1e-4f32;
        let p = p * r + 1.398_199_9e-3;
        let p = p * r + 8.333_452e-3;
        let p = p * r + 4.166_579_6e-2;
        let p = p * r + 1.666_666_5e-1;
        let p = p * r + 5.000_000_1e-1;
        let y = p * r * r + r + 1.0;
        // k's low mantissa bits hold round(x log2 e) as an integer offset from MAGIC.
        let n_int = k.to_bits().wrapping_sub(MAGIC.to_bits());
        y * f32::from_bits(n_int.wrapping_add(127) << 23)
    }

    #[inline(always)]
    fn sigmoid1(x: f32) -> f32 {
        1.0 / (1.0 + exp(-x))
    }

    /// tanh: an odd polynomial near 0 (no cancellation), 1 - 2/(e^{2|x|}+1) elsewhere.
    #[inline(always)]
    fn tanh1(x: f32) -> f32 {
        let a = x.abs();
        let z = x * x;
        let small = ((((-5.704_988_7e-3 * z + 2.063_908_9e-2) * z - 5.373_971_6e-2) * z
            + 1.333_144_2e-1)
            * z
            - 3.333_328_2e-1)
            * z
            * x
            + x;
        let large = (1.0 - 2.0 / (exp(2.0 * a) + 1.0)).copysign(x);
        if a < 0.625 {
            small
        } else {
            large
        }
    }

    /// e^x - 1 without cancellation near 0 (a Taylor polynomial for |x| < 0.35).
    #[inline(always)]
    fn expm1(x: f32) -> f32 {
        let taylor = x
            * (1.0
                + x * (0.5
                    + x * (1.0 / 6.0
                        + x * (1.0 / 24.0 + x * (1.0 / 120.0 + x * (1.0 / 720.0 + x / 5040.0))))));
        if x.abs() < 0.35 {
            taylor
        } else {
            exp(x) - 1.0
        }
    }

    /// In place: x <- 1 / (1 + e^-x).
    #[multiversion(targets("x86_64+avx2+fma", "x86_64+avx"))]
    pub fn sigmoid(x: &mut [f32]) {
        for v in x.iter_mut() {
            *v = sigmoid1(*v);
        }
    }

    /// In place: x <- tanh(x).
    #[multiversion(targets("x86_64+avx2+fma", "x86_64+avx"))]
    pub fn tanh(x: &mut [f32]) {
        for v in x.iter_mut() {
            *v = tanh1(*v);
        }
    }

    /// In place: x <- elu(x).
    #[multiversion(targets("x86_64+avx2+fma", "x86_64+avx"))]
    pub fn elu(x: &mut [f32]) {
        for v in x.iter_mut() {
            let e = expm1(*v);
            *v = if *v > 0.0 { *v } else { e };
        }
    }

    /// In place: x <- e^x.
    #[multiversion(targets("x86_64+avx2+fma", "x86_64+avx"))]
    pub fn exp_slice(x: &mut [f32]) {
        for v in x.iter_mut() {
            *v = exp(*v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
