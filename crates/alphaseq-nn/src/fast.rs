//! Fast single-precision kernels: Cephes-style polynomial approximations written without branches
//! so that the compiler vectorises them, compiled for AVX-512, AVX2/FMA and the baseline and
//! chosen at run time. Relative error below 3e-7 against the standard library (tested).
#![allow(clippy::excessive_precision)] // the published Cephes coefficients, kept as printed

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
