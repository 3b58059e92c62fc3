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

/// Fast single-precision kernels: Cephes-style polynomial approximations written without branches
/// so that the compiler vectorises them, compiled for AVX-512, AVX2/FMA and the baseline and
/// chosen at run time. Relative error below 3e-7 against the standard library (tested).
#[allow(clippy::excessive_precision)] // the published Cephes coefficients, kept as printed
pub mod fast {
    use multiversion::multiversion;
    use multiversion::target::selected_target;

    const MAGIC: f32 = 12_582_912.0; // 1.5 * 2^23: adding and subtracting it rounds to an integer.

    /// `a b + c`, fused (one rounding, one instruction) in the build for CPUs with FMA.
    #[inline(always)]
    fn madd<const FMA: bool>(a: f32, b: f32, c: f32) -> f32 {
        if FMA {
            a.mul_add(b, c)
        } else {
            a * b + c
        }
    }

    /// e^x for x in [-87, 88] (clamped outside), relative error about 1e-7. 2^n is built from
    /// the bits of the magic-rounded float (no float-to-int conversion), so the loop vectorises.
    #[inline(always)]
    fn exp<const FMA: bool>(x: f32) -> f32 {
        let x = x.clamp(-87.0, 88.0);
        let k = madd::<FMA>(x, std::f32::consts::LOG2_E, MAGIC);
        let n = k - MAGIC;
        let r = madd::<FMA>(n, -0.693_359_4, x);
        let r = madd::<FMA>(n, 2.121_944_4e-4, r);
        let p = madd::<FMA>(1.987_569_1e-4, r, 1.398_199_9e-3);
        let p = madd::<FMA>(p, r, 8.333_452e-3);
        let p = madd::<FMA>(p, r, 4.166_579_6e-2);
        let p = madd::<FMA>(p, r, 1.666_666_5e-1);
        let p = madd::<FMA>(p, r, 5.000_000_1e-1);
        let y = madd::<FMA>(p * r, r, r + 1.0);
        // k's low mantissa bits hold round(x log2 e) as an integer offset from MAGIC.
        let n_int = k.to_bits().wrapping_sub(MAGIC.to_bits());
        y * f32::from_bits(n_int.wrapping_add(127) << 23)
    }

    #[inline(always)]
    fn sigmoid1<const FMA: bool>(x: f32) -> f32 {
        1.0 / (1.0 + exp::<FMA>(-x))
    }

    /// tanh: an odd polynomial near 0 (no cancellation), 1 - 2/(e^{2|x|}+1) elsewhere.
    #[inline(always)]
    fn tanh1<const FMA: bool>(x: f32) -> f32 {
        let a = x.abs();
        let z = x * x;
        let p = madd::<FMA>(-5.704_988_7e-3, z, 2.063_908_9e-2);
        let p = madd::<FMA>(p, z, -5.373_971_6e-2);
        let p = madd::<FMA>(p, z, 1.333_144_2e-1);
        let p = madd::<FMA>(p, z, -3.333_328_2e-1);
        let small = madd::<FMA>(p * z, x, x);
        let large = (1.0 - 2.0 / (exp::<FMA>(2.0 * a) + 1.0)).copysign(x);
        if a < 0.625 {
            small
        } else {
            large
        }
    }

    /// e^x - 1 without cancellation near 0 (a Taylor polynomial for |x| < 0.35).
    #[inline(always)]
    fn expm1<const FMA: bool>(x: f32) -> f32 {
        let p = madd::<FMA>(x, 1.0 / 5040.0, 1.0 / 720.0);
        let p = madd::<FMA>(p, x, 1.0 / 120.0);
        let p = madd::<FMA>(p, x, 1.0 / 24.0);
        let p = madd::<FMA>(p, x, 1.0 / 6.0);
        let p = madd::<FMA>(p, x, 0.5);
        let taylor = madd::<FMA>(p * x, x, x);
        if x.abs() < 0.35 {
            taylor
        } else {
            exp::<FMA>(x) - 1.0
        }
    }

    /// Applies `f` in place, with the fused multiply-add form where the build has FMA (decided at
    /// compile time for each build: a run-time look-up of the feature by name cost 2.5% of a W1
    /// training step).
    macro_rules! map_in_place {
        ($x:expr, $f:ident) => {
            const FMA: bool = selected_target!().supports_feature_str("fma");
            if FMA {
                $x.iter_mut().for_each(|v| *v = $f::<true>(*v));
            } else {
                $x.iter_mut().for_each(|v| *v = $f::<false>(*v));
            }
        };
    }

    /// In place: x <- 1 / (1 + e^-x).
    #[multiversion(targets(
        "x86_64+avx512f+avx512bw+avx512cd+avx512dq+avx512vl+avx2+fma",
        "x86_64+avx2+fma",
        "x86_64+avx"
    ))]
    pub fn sigmoid(x: &mut [f32]) {
        map_in_place!(x, sigmoid1);
    }

    /// In place: x <- tanh(x).
    #[multiversion(targets(
        "x86_64+avx512f+avx512bw+avx512cd+avx512dq+avx512vl+avx2+fma",
        "x86_64+avx2+fma",
        "x86_64+avx"
    ))]
    pub fn tanh(x: &mut [f32]) {
        map_in_place!(x, tanh1);
    }

    #[inline(always)]
    fn elu1<const FMA: bool>(x: f32) -> f32 {
        let e = expm1::<FMA>(x);
        if x > 0.0 {
            x
        } else {
            e
        }
    }

    /// In place: x <- elu(x).
    #[multiversion(targets(
        "x86_64+avx512f+avx512bw+avx512cd+avx512dq+avx512vl+avx2+fma",
        "x86_64+avx2+fma",
        "x86_64+avx"
    ))]
    pub fn elu(x: &mut [f32]) {
        map_in_place!(x, elu1);
    }

    /// In place: x <- e^x.
    #[multiversion(targets(
        "x86_64+avx512f+avx512bw+avx512cd+avx512dq+avx512vl+avx2+fma",
        "x86_64+avx2+fma",
        "x86_64+avx"
    ))]
    pub fn exp_slice(x: &mut [f32]) {
        map_in_place!(x, exp);
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
