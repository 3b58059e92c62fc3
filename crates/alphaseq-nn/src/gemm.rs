//! Matrix products on row-major slices, checked, on top of the `gemm` crate (which picks AVX2/FMA
//! or AVX-512 kernels at run time). This is the only module with `unsafe`: the wrapper verifies
//! every dimension and slice length before calling the raw-pointer routine.

#![allow(unsafe_code)]

use crate::real::Real;

/// Whether an operand is used as stored or transposed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// As stored.
    N,
    /// Transposed.
    T,
}

/// `c = beta_c * c + a' * b'` where `a'` is `op_a(a)` (m x k) and `b'` is `op_b(b)` (k x n), all
/// row-major and densely packed (`a` is m x k, or k x m when transposed; likewise `b`).
/// `accumulate = false` ignores the old contents of `c` (beta_c = 0).
///
/// # Panics
/// If a slice is shorter than its dimensions require (a programming error in the engine).
#[allow(clippy::too_many_arguments)]
pub fn matmul<T: Real>(
    m: usize,
    n: usize,
    k: usize,
    a: &[T],
    op_a: Op,
    b: &[T],
    op_b: Op,
    c: &mut [T],
    accumulate: bool,
) {
    assert!(a.len() >= m * k, "gemm: lhs has {} elements, needs {}", a.len(), m * k);
    assert!(b.len() >= k * n, "gemm: rhs has {} elements, needs {}", b.len(), k * n);
    assert!(c.len() >= m * n, "gemm: dst has {} elements, needs {}", c.len(), m * n);
    if m == 0 || n == 0 {
        return;
    }
    if k == 0 {
        if !accumulate {
            c[..m * n].iter_mut().for_each(|v| *v = T::ZERO);
        }
        return;
    }
    // (row stride, column stride) of each operand as the product sees it.
    let (a_rs, a_cs) = match op_a {
        Op::N => (k as isize, 1),
        Op::T => (1, m as isize),
    };
    let (b_rs, b_cs) = match op_b {
        Op::N => (n as isize, 1),
        Op::T => (1, k as isize),
    };
    // SAFETY: the asserts above guarantee that every element the strides address lies inside the
    // slices: a' addresses a[i*a_rs + p*a_cs] for i < m, p < k, which is < m*k for both layouts;
    // likewise b' (< k*n) and c (i*n + j < m*n). `c` is borrowed mutably, so it cannot alias `a`
    // or `b`. The routine is single-threaded (Parallelism::None), so no data escapes the call.
    unsafe {
        gemm::gemm(
            m,
            n,
            k,
            c.as_mut_ptr(),
            1,
            n as isize,
            accumulate,
            a.as_ptr(),
            a_cs,
            a_rs,
            b.as_ptr(),
            b_cs,
            b_rs,
            T::ONE,
            T::ONE,
            false,
            false,
            false,
            gemm::Parallelism::None,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(m: usize, n: usize, k: usize, a: &[f64], op_a: Op, b: &[f64], op_b: Op) -> Vec<f64> {
        let at = |i: usize, p: usize| if op_a == Op::N { a[i * k + p] } else { a[p * m + i] };
        let bt = |p: usize, j: usize| if op_b == Op::N { b[p * n + j] } else { b[j * k + p] };
        (0..m * n).map(|ij| (0..k).map(|p| at(ij / n, p) * bt(p, ij % n)).sum()).collect()
    }

    #[test]
    fn all_transpose_combinations_match_a_naive_product() {
        let (m, n, k) = (7, 5, 11);
        let a: Vec<f64> = (0..m * k).map(|i| (i as f64 * 0.37).sin()).collect();
        let b: Vec<f64> = (0..k * n).map(|i| (i as f64 * 0.11).cos()).collect();
        for op_a in [Op::N, Op::T] {
            for op_b in [Op::N, Op::T] {
                let expected = naive(m, n, k, &a, op_a, &b, op_b);
                let mut c = vec![1.0; m * n];
                matmul(m, n, k, &a, op_a, &b, op_b, &mut c, false);
                assert!(
                    c.iter().zip(&expected).all(|(x, y)| (x - y).abs() < 1e-12),
                    "{op_a:?} {op_b:?}"
                );
                matmul(m, n, k, &a, op_a, &b, op_b, &mut c, true);
                assert!(
                    c.iter().zip(&expected).all(|(x, y)| (x - 2.0 * y).abs() < 1e-12),
                    "accumulate {op_a:?} {op_b:?}"
                );
            }
        }
    }
}
