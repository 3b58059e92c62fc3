//! Matrix products on row-major slices, checked: on CPUs with AVX-512, the engine's own kernel for
//! every product whose right operand is used as stored (the recurrent layers' per-step products,
//! where n is the batch), and the `gemm` crate (which picks AVX2/FMA or AVX-512 kernels at run
//! time) for the rest. This is the only module with `unsafe`: the wrapper verifies every dimension
//! and slice length before calling either raw-pointer routine.

#![allow(unsafe_code)]

use crate::real::Real;

/// The instruction set of the products' kernels on this machine, by the `gemm` crate's own
/// run-time rule: "AVX-512" (its kernels and the engine's own) where the CPU has AVX-512F and the
/// `avx512` feature is on, else "AVX2/FMA" where it has FMA, else "scalar". Sums may round
/// differently in each, so a run's last bits depend on it (run logs and `alphaseq bench nn` name
/// it).
pub fn kernels() -> &'static str {
    if avx512_enabled() {
        return "AVX-512";
    }
    #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
    {
        if std::arch::is_x86_feature_detected!("fma") {
            return "AVX2/FMA";
        }
    }
    #[cfg(target_arch = "aarch64")]
    {
        if std::arch::is_aarch64_feature_detected!("neon") {
            return "NEON";
        }
    }
    "scalar"
}

/// Whether AVX-512 kernels run here (the `gemm` crate's, and on x86-64 the engine's own): the CPU
/// has AVX-512F and the `avx512` feature is on.
fn avx512_enabled() -> bool {
    #[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
    {
        cfg!(feature = "avx512") && std::arch::is_x86_feature_detected!("avx512f")
    }
    #[cfg(not(any(target_arch = "x86", target_arch = "x86_64")))]
    {
        false
    }
}

/// Whether an operand is used as stored or transposed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// As stored.
    N,
    /// Transposed.
    T,
}

/// A row-major matrix operand: its values, row stride (leading dimension) and orientation.
#[derive(Debug, Clone, Copy)]
pub struct Mat<'a, T> {
    /// The values; row r starts at `r * ld`.
    pub data: &'a [T],
    /// Row stride of the stored matrix (>= its stored row length).
    pub ld: usize,
    /// Used as stored or transposed.
    pub op: Op,
}

impl<'a, T> Mat<'a, T> {
    /// A densely packed operand (`ld` = stored row length).
    pub fn dense(data: &'a [T], stored_cols: usize, op: Op) -> Mat<'a, T> {
        Mat { data, ld: stored_cols, op }
    }
}

/// `c = c + a' * b'` (or `c = a' * b'` when `accumulate` is false) where `a'` = op(a) is m x k,
/// `b'` = op(b) is k x n, and c is m x n with row stride `ldc`. Operands may be strided
/// submatrices (rows `ld` apart), e.g. one time step's columns of a `[features][T*B]` matrix.
///
/// # Panics
/// If a slice is too short for its dimensions and stride (a programming error in the engine).
#[allow(clippy::too_many_arguments)] // the BLAS shape: sizes, two operands, destination, stride, mode
pub fn matmul_strided<T: Real>(
    m: usize,
    n: usize,
    k: usize,
    a: Mat<'_, T>,
    b: Mat<'_, T>,
    c: &mut [T],
    ldc: usize,
    accumulate: bool,
) {
    let start = if accumulate { Start::Dst } else { Start::Zero };
    matmul_onto(m, n, k, a, b, c, ldc, start);
}

/// What a product's sums are added to.
#[derive(Debug, Clone, Copy)]
pub enum Start<'a, T> {
    /// Nothing: c = a' b'.
    Zero,
    /// c's own values: c = c + a' b'.
    Dst,
    /// One value per row of c (a bias broadcast along the row): the same numbers as filling each
    /// row with its value and accumulating, without the pass that fills it.
    Rows(&'a [T]),
}

/// `c = start + a' * b'`, otherwise as [`matmul_strided`].
///
/// # Panics
/// As [`matmul_strided`], and if `start` has fewer row values than m.
#[allow(clippy::too_many_arguments)]
pub fn matmul_onto<T: Real>(
    m: usize,
    n: usize,
    k: usize,
    a: Mat<'_, T>,
    b: Mat<'_, T>,
    c: &mut [T],
    ldc: usize,
    start: Start<'_, T>,
) {
    if let Start::Rows(init) = start {
        assert!(init.len() >= m, "gemm: {} row values for {m} rows", init.len());
    }
    if m == 0 || n == 0 {
        return;
    }
    let needed = |rows: usize, cols: usize, ld: usize| {
        if rows == 0 || cols == 0 {
            0
        } else {
            (rows - 1) * ld + cols
        }
    };
    let (a_rows, a_cols) = if a.op == Op::N { (m, k) } else { (k, m) };
    let (b_rows, b_cols) = if b.op == Op::N { (k, n) } else { (n, k) };
    assert!(
        a.ld >= a_cols && a.data.len() >= needed(a_rows, a_cols, a.ld),
        "gemm: lhs too short for {a_rows}x{a_cols} with stride {}",
        a.ld
    );
    assert!(
        b.ld >= b_cols && b.data.len() >= needed(b_rows, b_cols, b.ld),
        "gemm: rhs too short for {b_rows}x{b_cols} with stride {}",
        b.ld
    );
    assert!(
        ldc >= n && c.len() >= needed(m, n, ldc),
        "gemm: dst too short for {m}x{n} with stride {ldc}"
    );
    #[cfg(target_arch = "x86_64")]
    if b.op == Op::N && k > 0 && avx512_enabled() {
        let init = match start {
            Start::Rows(init) => T::as_f32(init).map(avx512::Init::Rows),
            Start::Dst => Some(avx512::Init::Dst),
            Start::Zero => Some(avx512::Init::Zero),
        };
        if let (Some(a32), Some(b32), Some(c32), Some(init)) =
            (T::as_f32(a.data), T::as_f32(b.data), T::as_f32_mut(c), init)
        {
            let (a_rs, a_cs) = if a.op == Op::N { (a.ld, 1) } else { (1, a.ld) };
            // SAFETY: the asserts above guarantee that every element the kernel reads or writes
            // lies inside its slice: a[i*a_rs + p*a_cs] for i < m, p < k, b[p*b.ld + j] and
            // c[i*ldc + j] for j < n, init[i] (checked by the caller); lanes past n are masked
            // off and never touched. `c` is borrowed mutably, so it cannot alias `a`, `b` or
            // `init`. The CPU has AVX-512F (checked).
            unsafe {
                let a = avx512::Lhs { ptr: a32.as_ptr(), rs: a_rs, cs: a_cs };
                avx512::product(m, n, k, a, b32.as_ptr(), b.ld, c32.as_mut_ptr(), ldc, init);
            }
            return;
        }
    }
    let accumulate = match start {
        Start::Zero => false,
        Start::Dst => true,
        Start::Rows(init) => {
            for r in 0..m {
                c[r * ldc..r * ldc + n].iter_mut().for_each(|v| *v = init[r]);
            }
            true
        }
    };
    if k == 0 {
        if !accumulate {
            for r in 0..m {
                c[r * ldc..r * ldc + n].iter_mut().for_each(|v| *v = T::ZERO);
            }
        }
        return;
    }
    let b_row_stride = if b.op == Op::N { b.ld } else { 1 };
    if n == 1 && (ldc == 1 || b_row_stride == 1) {
        // A single column with a unit-stride destination or right operand would take the gemm
        // crate's matrix-vector paths, which round differently from its kernels: a model's
        // prediction for a sample would then depend on how many samples share its batch. Copies
        // with row stride 2 keep the kernel path.
        let mut wide_b = vec![T::ZERO; 2 * k];
        (0..k).for_each(|p| wide_b[2 * p] = b.data[p * b_row_stride]);
        let mut wide = vec![T::ZERO; 2 * m];
        if accumulate {
            (0..m).for_each(|r| wide[2 * r] = c[r * ldc]);
        }
        let b = Mat { data: &wide_b, ld: 2, op: Op::N };
        matmul_strided(m, 1, k, a, b, &mut wide, 2, accumulate);
        (0..m).for_each(|r| c[r * ldc] = wide[2 * r]);
        return;
    }
    // (row stride, column stride) of each operand as the product sees it.
    let (a_rs, a_cs) = if a.op == Op::N { (a.ld as isize, 1) } else { (1, a.ld as isize) };
    let (b_rs, b_cs) = if b.op == Op::N { (b.ld as isize, 1) } else { (1, b.ld as isize) };
    // SAFETY: the asserts above guarantee that every element the strides address lies inside its
    // slice: op(a) addresses a[i*a_rs + p*a_cs] for i < m, p < k, whose largest offset is
    // (a_rows - 1) * ld + a_cols - 1 < len; likewise b and c. `c` is borrowed mutably, so it
    // cannot alias `a` or `b`. The routine is single-threaded (Parallelism::None).
    unsafe {
        gemm::gemm(
            m,
            n,
            k,
            c.as_mut_ptr(),
            1,
            ldc as isize,
            accumulate,
            a.data.as_ptr(),
            a_cs,
            a_rs,
            b.data.as_ptr(),
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

/// The engine's own AVX-512 kernel for products whose right operand is used as stored, `b`'s rows
/// (and `c`'s) contiguous along n: every per-step product of the recurrent layers
/// (`Z_t += W H_{t-1}` forward, `dH = W^T dZ_t` backward), whose n is a batch or a replica's
/// share of one. The `gemm` crate vectorises those along n with only 6 accumulators when n is 16
/// (about 100 GFLOP/s against 155 at n = 32 or along the long side); this kernel broadcasts `a`
/// and keeps 24 registers of `c` (24 rows x 16 columns, or 12 x 32) through the whole k loop.
///
/// Each element is `start + sum_p a_ip b_pj` (start: c's value, the row's value or nothing), the
/// sum formed by one fused multiply-add per p in increasing p from zero, in its own lane: a
/// column's result does not depend on the other columns, their number or its position among
/// them, so a sample's prediction is the same alone and in any batch.
#[cfg(target_arch = "x86_64")]
mod avx512 {
    use std::arch::x86_64::{
        __m512, __mmask16, _mm512_add_ps, _mm512_fmadd_ps, _mm512_mask_storeu_ps,
        _mm512_maskz_loadu_ps, _mm512_set1_ps, _mm512_setzero_ps,
    };

    /// f32 lanes in a register.
    const LANES: usize = 16;

    /// The left operand: element (i, p) at `ptr + i*rs + p*cs`.
    #[derive(Clone, Copy)]
    pub struct Lhs {
        pub ptr: *const f32,
        pub rs: usize,
        pub cs: usize,
    }

    /// What the sums are added to.
    #[derive(Clone, Copy)]
    pub enum Init<'a> {
        /// Nothing.
        Zero,
        /// The destination's values.
        Dst,
        /// One value per row (read for rows 0..m).
        Rows(&'a [f32]),
    }

    /// The mask of the first `lanes` lanes (all 16 from 16 on).
    fn mask(lanes: usize) -> __mmask16 {
        if lanes >= LANES {
            0xFFFF
        } else {
            ((1u32 << lanes) - 1) as __mmask16
        }
    }

    /// `c[i*ldc + j] = init + sum_p a(i, p) * b[p*ldb + j]` for i < m, j < n, p < k (init: zero,
    /// `c`'s own value or row i's value), in tiles of 32 columns (16 when fewer remain) by 12
    /// rows (24 for 16 columns), then smaller blocks of rows.
    ///
    /// # Safety
    /// The CPU must have AVX-512F, and every element named above must lie inside its allocation;
    /// `c` must not overlap `a`, `b` or the row values.
    #[target_feature(enable = "avx512f")]
    #[allow(clippy::too_many_arguments)]
    pub unsafe fn product(
        m: usize,
        n: usize,
        k: usize,
        a: Lhs,
        b: *const f32,
        ldb: usize,
        c: *mut f32,
        ldc: usize,
        init: Init<'_>,
    ) {
        let mut j = 0;
        while j < n {
            let width = (n - j).min(2 * LANES);
            let masks = [mask(width), mask(width.saturating_sub(LANES))];
            let t = Tile { k, a, b: b.wrapping_add(j), ldb, c: c.wrapping_add(j), ldc, masks };
            // SAFETY: columns j..j + width <= n, which the caller guarantees to be in bounds.
            unsafe {
                match (width > LANES, a.rs == 1) {
                    (true, true) => t.rows::<12, 2, true>(m, init),
                    (true, false) => t.rows::<12, 2, false>(m, init),
                    (false, true) => t.rows::<24, 1, true>(m, init),
                    (false, false) => t.rows::<24, 1, false>(m, init),
                }
            }
            j += width;
        }
    }

    /// One column tile: `b` and `c` start at its first column.
    struct Tile {
        k: usize,
        a: Lhs,
        b: *const f32,
        ldb: usize,
        c: *mut f32,
        ldc: usize,
        masks: [__mmask16; 2],
    }

    impl Tile {
        /// All m rows of the tile: blocks of R rows, then of 8 and 4 (small layers' rows, which
        /// single rows would leave waiting on one chain of multiply-adds), then single rows.
        ///
        /// # Safety
        /// As [`product`], for the tile's columns.
        #[target_feature(enable = "avx512f")]
        unsafe fn rows<const R: usize, const Z: usize, const UNIT: bool>(
            &self,
            m: usize,
            init: Init<'_>,
        ) {
            let mut i = 0;
            // SAFETY (every loop): rows i..i + block <= m.
            while i + R <= m {
                unsafe { self.run::<R, Z, UNIT>(i, init) };
                i += R;
            }
            while i + 8 <= m {
                unsafe { self.run::<8, Z, UNIT>(i, init) };
                i += 8;
            }
            while i + 4 <= m {
                unsafe { self.run::<4, Z, UNIT>(i, init) };
                i += 4;
            }
            while i < m {
                unsafe { self.run::<1, Z, UNIT>(i, init) };
                i += 1;
            }
        }

        /// Rows `i..i + R` of the tile, `Z` registers of columns each; `UNIT` when a's rows are
        /// adjacent (`rs` = 1), so that the R broadcasts of a step p read constant offsets.
        ///
        /// # Safety
        /// As [`product`], for these rows and the tile's columns.
        #[target_feature(enable = "avx512f")]
        #[inline]
        unsafe fn run<const R: usize, const Z: usize, const UNIT: bool>(
            &self,
            i: usize,
            init: Init<'_>,
        ) {
            let rs = if UNIT { 1 } else { self.a.rs };
            let mut acc: [[__m512; Z]; R] = [[_mm512_setzero_ps(); Z]; R];
            for p in 0..self.k {
                let row = self.b.wrapping_add(p * self.ldb);
                let mut bv: [__m512; Z] = [_mm512_setzero_ps(); Z];
                for (z, v) in bv.iter_mut().enumerate() {
                    // SAFETY: the mask keeps the load inside row p's n columns.
                    *v = unsafe {
                        _mm512_maskz_loadu_ps(self.masks[z], row.wrapping_add(z * LANES))
                    };
                }
                let col = self.a.ptr.wrapping_add(p * self.a.cs + i * rs);
                for (r, acc) in acc.iter_mut().enumerate() {
                    // SAFETY: element (i + r, p) of a, inside it.
                    let w = _mm512_set1_ps(unsafe { *col.wrapping_add(r * rs) });
                    for z in 0..Z {
                        acc[z] = _mm512_fmadd_ps(w, bv[z], acc[z]);
                    }
                }
            }
            for (r, acc) in acc.iter().enumerate() {
                let out = self.c.wrapping_add((i + r) * self.ldc);
                for z in 0..Z {
                    let (dst, mask) = (out.wrapping_add(z * LANES), self.masks[z]);
                    // SAFETY: the mask keeps the load and store inside row i + r's n columns.
                    unsafe {
                        let v = match init {
                            Init::Zero => acc[z],
                            Init::Dst => _mm512_add_ps(_mm512_maskz_loadu_ps(mask, dst), acc[z]),
                            Init::Rows(values) => {
                                _mm512_add_ps(_mm512_set1_ps(values[i + r]), acc[z])
                            }
                        };
                        _mm512_mask_storeu_ps(dst, mask, v);
                    }
                }
            }
        }
    }
}

/// `c = c + a' * b'` for densely packed row-major operands (see [`matmul_strided`]): `a` is m x k
/// (k x m when transposed), `b` is k x n (n x k when transposed), `c` is m x n.
///
/// # Panics
/// If a slice is shorter than its dimensions require.
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
    let a = Mat::dense(a, if op_a == Op::N { k } else { m }, op_a);
    let b = Mat::dense(b, if op_b == Op::N { n } else { k }, op_b);
    matmul_strided(m, n, k, a, b, c, n, accumulate);
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

    #[test]
    fn a_column_is_computed_as_it_would_be_beside_others() {
        // Batch independence: one sample's products must round exactly as they do in a batch.
        let (m, k, n) = (40, 50, 3);
        let a: Vec<f32> = (0..k * m).map(|i| (i as f32 * 0.37).sin()).collect();
        let b: Vec<f32> = (0..k * n).map(|i| (i as f32 * 0.11).cos()).collect(); // [k][n]
        let first: Vec<f32> = (0..k).map(|p| b[p * n]).collect(); // its first column, dense
        let (b, first) =
            (Mat { data: &b, ld: n, op: Op::N }, Mat { data: &first, ld: 1, op: Op::N });
        for op in [Op::N, Op::T] {
            // a is [m][k] (op N) or [k][m] used transposed (op T, column-major)
            let lhs = Mat { data: &a, ld: if op == Op::N { k } else { m }, op };
            for accumulate in [false, true] {
                let mut full: Vec<f32> = (0..m * n).map(|i| i as f32 * 0.01).collect();
                let mut one: Vec<f32> = (0..m).map(|r| full[r * n]).collect();
                let mut dense_one = one.clone();
                matmul_strided(m, n, k, lhs, b, &mut full, n, accumulate);
                matmul_strided(m, 1, k, lhs, b, &mut one, 1, accumulate);
                matmul_strided(m, 1, k, lhs, first, &mut dense_one, 1, accumulate);
                for r in 0..m {
                    let what = format!("{op:?} row {r}, accumulate {accumulate}");
                    assert_eq!(one[r].to_bits(), full[r * n].to_bits(), "{what}");
                    assert_eq!(dense_one[r].to_bits(), full[r * n].to_bits(), "dense, {what}");
                }
            }
        }
    }

    #[test]
    fn f32_products_of_every_tile_shape_match_a_naive_product() {
        // Row counts around the kernel's blocks of 12 and 24 rows and column counts around its
        // 16- and 32-lane tiles, both layouts of the left operand, strided b and c, and both modes
        // (on a CPU without AVX-512 this checks the gemm crate's path instead).
        let k = 37;
        for m in [1, 5, 12, 13, 24, 25, 50, 63] {
            for n in [1, 2, 15, 16, 17, 31, 32, 33, 48, 70] {
                for op_a in [Op::N, Op::T] {
                    let a: Vec<f32> = (0..m * k).map(|i| (i as f32 * 0.37).sin()).collect();
                    let (ldb, ldc) = (n + 3, n + 5);
                    let b: Vec<f32> = (0..k * ldb).map(|i| (i as f32 * 0.11).cos()).collect();
                    let c0: Vec<f32> = (0..m * ldc).map(|i| (i as f32 * 0.07).sin()).collect();
                    let at = |i: usize, p: usize| {
                        f64::from(if op_a == Op::N { a[i * k + p] } else { a[p * m + i] })
                    };
                    let lhs = Mat { data: &a, ld: if op_a == Op::N { k } else { m }, op: op_a };
                    let rhs = Mat { data: &b, ld: ldb, op: Op::N };
                    for accumulate in [false, true] {
                        let mut c = c0.clone();
                        matmul_strided(m, n, k, lhs, rhs, &mut c, ldc, accumulate);
                        for i in 0..m {
                            for j in 0..ldc {
                                let got = f64::from(c[i * ldc + j]);
                                let start = f64::from(c0[i * ldc + j]);
                                if j >= n {
                                    assert_eq!(got, start, "column {j} past n = {n} was written");
                                    continue;
                                }
                                let sum: f64 =
                                    (0..k).map(|p| at(i, p) * f64::from(b[p * ldb + j])).sum();
                                let want = if accumulate { start + sum } else { sum };
                                assert!(
                                    (got - want).abs() < 1e-5 * (1.0 + want.abs()),
                                    "{m}x{n} {op_a:?} accumulate {accumulate} at ({i}, {j}): {got} vs {want}"
                                );
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn products_from_row_values_equal_filling_the_rows_and_accumulating() {
        // Bit for bit, in f32 (the AVX-512 kernel where the CPU has it) and f64, for n = 1 (the
        // single-column path), the kernel's tile widths and k = 0.
        fn check<T: Real>(m: usize, n: usize, k: usize, what: &str) {
            let a: Vec<T> = (0..k * m).map(|i| T::from_f64((i as f64 * 0.37).sin())).collect();
            let b: Vec<T> = (0..k * n).map(|i| T::from_f64((i as f64 * 0.11).cos())).collect();
            let init: Vec<T> = (0..m).map(|i| T::from_f64(i as f64 * 0.3 - 2.0)).collect();
            let (lhs, rhs) =
                (Mat { data: &a, ld: m, op: Op::T }, Mat { data: &b, ld: n, op: Op::N });
            let mut filled: Vec<T> = (0..m * n).map(|i| init[i / n]).collect();
            matmul_strided(m, n, k, lhs, rhs, &mut filled, n, true);
            let mut direct = vec![T::from_f64(7.0); m * n];
            matmul_onto(m, n, k, lhs, rhs, &mut direct, n, Start::Rows(&init));
            for (i, (x, y)) in filled.iter().zip(&direct).enumerate() {
                assert!(x.to_f64().to_bits() == y.to_f64().to_bits(), "{what} {m}x{n}x{k} at {i}");
            }
        }
        for (m, n, k) in
            [(30, 1, 21), (30, 16, 21), (30, 17, 21), (480, 32, 21), (13, 40, 5), (7, 9, 0)]
        {
            check::<f32>(m, n, k, "f32");
            check::<f64>(m, n, k, "f64");
        }
    }

    #[test]
    fn a_column_rounds_the_same_in_batches_of_every_width() {
        // Batch independence across the kernel's tiles: every column of a product with n columns,
        // wherever it falls in a 16- or 32-lane tile or a masked tail, is bit-equal to the product
        // of that column alone.
        let (m, k) = (30, 41);
        let a: Vec<f32> = (0..k * m).map(|i| (i as f32 * 0.37).sin()).collect();
        let lhs = Mat { data: &a, ld: m, op: Op::T };
        for n in [2, 16, 17, 32, 33, 47, 64, 80] {
            let b: Vec<f32> = (0..k * n).map(|i| (i as f32 * 0.13).cos()).collect();
            let mut full = vec![0.5f32; m * n];
            matmul_strided(m, n, k, lhs, Mat { data: &b, ld: n, op: Op::N }, &mut full, n, true);
            for j in 0..n {
                let column: Vec<f32> = (0..k).map(|p| b[p * n + j]).collect();
                let mut one = vec![0.5f32; m];
                let rhs = Mat { data: &column, ld: 1, op: Op::N };
                matmul_strided(m, 1, k, lhs, rhs, &mut one, 1, true);
                for i in 0..m {
                    assert_eq!(one[i].to_bits(), full[i * n + j].to_bits(), "n {n}, ({i}, {j})");
                }
            }
        }
    }

    #[test]
    fn strided_submatrices_multiply_like_their_dense_copies() {
        // A 3 x 4 block at column 2 of a 3 x 9 matrix, times a 4 x 2 block at column 5 of a 4 x 7.
        let big_a: Vec<f64> = (0..27).map(|i| i as f64 * 0.5 - 3.0).collect();
        let big_b: Vec<f64> = (0..28).map(|i| (i as f64).sin()).collect();
        let a: Vec<f64> = (0..3).flat_map(|r| big_a[r * 9 + 2..r * 9 + 6].to_vec()).collect();
        let b: Vec<f64> = (0..4).flat_map(|r| big_b[r * 7 + 5..r * 7 + 7].to_vec()).collect();
        let expected = naive(3, 2, 4, &a, Op::N, &b, Op::N);
        let mut c = [0.0; 3 * 5];
        let (lhs, rhs) = (
            Mat { data: &big_a[2..], ld: 9, op: Op::N },
            Mat { data: &big_b[5..], ld: 7, op: Op::N },
        );
        matmul_strided(3, 2, 4, lhs, rhs, &mut c[1..], 5, false);
        for r in 0..3 {
            for j in 0..2 {
                assert!((c[1 + r * 5 + j] - expected[r * 2 + j]).abs() < 1e-12);
            }
        }
        // Transposed strided operand: the 4 x 3 transpose of the first block.
        let at: Vec<f64> =
            (0..4).flat_map(|p| (0..3).map(move |r| (r, p))).map(|(r, p)| a[r * 4 + p]).collect();
        let mut c2 = [0.0; 3 * 2];
        matmul_strided(
            3,
            2,
            4,
            Mat { data: &at, ld: 3, op: Op::T },
            Mat { data: &b, ld: 2, op: Op::N },
            &mut c2,
            2,
            false,
        );
        assert!(c2.iter().zip(&expected).all(|(x, y)| (x - y).abs() < 1e-12));
    }
}
