//! The scalar types the engine runs on: `f32` for training and inference, `f64` for
//! finite-difference gradient checks. Activation kernels are per type: fast vectorisable
//! approximations for `f32` (see [`crate::fast`]), the standard library for `f64`.

use std::fmt::{Debug, Display};
use std::ops::{Add, AddAssign, Div, Mul, MulAssign, Neg, Sub, SubAssign};

/// The sum of `row` in eight interleaved partial sums (a fixed order, so reproducible), which
/// the compiler keeps in one vector register; a single running sum cannot be vectorised.
pub fn row_sum<T: Real>(row: &[T]) -> T {
    let mut lanes = [T::ZERO; 8];
    let mut chunks = row.chunks_exact(8);
    for c in &mut chunks {
        for (l, v) in lanes.iter_mut().zip(c) {
            *l += *v;
        }
    }
    let tail = chunks.remainder().iter().fold(T::ZERO, |s, v| s + *v);
    lanes.iter().fold(T::ZERO, |s, v| s + *v) + tail
}

/// A floating-point scalar the engine can compute with.
pub trait Real:
    Copy
    + Default
    + PartialOrd
    + Debug
    + Display
    + Send
    + Sync
    + 'static
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
    + AddAssign
    + SubAssign
    + MulAssign
{
    /// 0.
    const ZERO: Self;
    /// 1.
    const ONE: Self;
    /// Conversion from f64 (rounding for f32).
    fn from_f64(x: f64) -> Self;
    /// Conversion to f64.
    fn to_f64(self) -> f64;
    /// Square root.
    fn sqrt(self) -> Self;
    /// e^x (exact, from the standard library).
    fn exp(self) -> Self;
    /// In place: x <- sigmoid(x).
    fn sigmoid_slice(x: &mut [Self]);
    /// In place: x <- tanh(x).
    fn tanh_slice(x: &mut [Self]);
    /// In place: x <- elu(x) = x if x > 0 else e^x - 1.
    fn elu_slice(x: &mut [Self]);
    /// The slice as `f32`, when `Self` is `f32` (the engine's own SIMD kernels are f32 only).
    fn as_f32(x: &[Self]) -> Option<&[f32]>;
    /// The slice as `f32`, when `Self` is `f32`.
    fn as_f32_mut(x: &mut [Self]) -> Option<&mut [f32]>;
}

impl Real for f32 {
    const ZERO: f32 = 0.0;
    const ONE: f32 = 1.0;
    fn from_f64(x: f64) -> f32 {
        x as f32
    }
    fn to_f64(self) -> f64 {
        self as f64
    }
    fn sqrt(self) -> f32 {
        f32::sqrt(self)
    }
    fn exp(self) -> f32 {
        f32::exp(self)
    }
    fn sigmoid_slice(x: &mut [f32]) {
        crate::fast::sigmoid(x)
    }
    fn tanh_slice(x: &mut [f32]) {
        crate::fast::tanh(x)
    }
    fn elu_slice(x: &mut [f32]) {
        crate::fast::elu(x)
    }
    fn as_f32(x: &[f32]) -> Option<&[f32]> {
        Some(x)
    }
    fn as_f32_mut(x: &mut [f32]) -> Option<&mut [f32]> {
        Some(x)
    }
}

impl Real for f64 {
    const ZERO: f64 = 0.0;
    const ONE: f64 = 1.0;
    fn from_f64(x: f64) -> f64 {
        x
    }
    fn to_f64(self) -> f64 {
        self
    }
    fn sqrt(self) -> f64 {
        f64::sqrt(self)
    }
    fn exp(self) -> f64 {
        f64::exp(self)
    }
    fn sigmoid_slice(x: &mut [f64]) {
        x.iter_mut().for_each(|v| *v = 1.0 / (1.0 + (-*v).exp()));
    }
    fn tanh_slice(x: &mut [f64]) {
        x.iter_mut().for_each(|v| *v = v.tanh());
    }
    fn elu_slice(x: &mut [f64]) {
        x.iter_mut().for_each(|v| *v = if *v > 0.0 { *v } else { v.exp_m1() });
    }
    fn as_f32(_: &[f64]) -> Option<&[f32]> {
        None
    }
    fn as_f32_mut(_: &mut [f64]) -> Option<&mut [f32]> {
        None
    }
}
