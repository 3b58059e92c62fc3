//! Times the engine's GEMM shapes (W2) under different operand layouts, with the `gemm` and
//! `matrixmultiply` crates: `cargo run --release -p alphaseq-nn --example gemm_layouts`.
#![allow(unsafe_code, missing_docs, clippy::too_many_arguments)]
use std::time::Instant;

#[derive(Clone, Copy)]
struct Case {
    name: &'static str,
    m: usize,
    n: usize,
    k: usize,
    // (row stride, col stride) of dst, lhs, rhs
    d: (isize, isize),
    a: (isize, isize),
    b: (isize, isize),
}

fn time(iters: usize, mut f: impl FnMut()) -> f64 {
    (0..5)
        .map(|_| {
            let t0 = Instant::now();
            for _ in 0..iters {
                f();
            }
            t0.elapsed().as_secs_f64() / iters as f64
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    // The batch of one replica (W2's 32, or 16 when two threads split it): BATCH=16.
    let b: usize = std::env::var("BATCH").map_or(32, |v| v.parse().expect("BATCH"));
    let (h, g, f) = (120usize, 480usize, 21usize);
    let tb = 63 * b;
    let cases = [
        Case {
            name: "step fwd Z(BxG) += Hp(BxH) Whh^T, Whh [G][H]",
            m: b,
            n: g,
            k: h,
            d: (g as isize, 1),
            a: (h as isize, 1),
            b: (1, h as isize),
        },
        Case {
            name: "step fwd Z(BxG) += Hp(BxH) Whh^T, Whh [H][G]",
            m: b,
            n: g,
            k: h,
            d: (g as isize, 1),
            a: (h as isize, 1),
            b: (g as isize, 1),
        },
        Case {
            name: "step fwd Z^T(GxB) += Whh(GxH) Hp^T, Whh [G][H], Hp^T [H][B]",
            m: g,
            n: b,
            k: h,
            d: (b as isize, 1),
            a: (h as isize, 1),
            b: (b as isize, 1),
        },
        Case {
            name: "step fwd Z^T(GxB) += Whh(GxH) Hp^T, Whh col-major, Hp^T [H][B]",
            m: g,
            n: b,
            k: h,
            d: (b as isize, 1),
            a: (1, g as isize),
            b: (b as isize, 1),
        },
        Case {
            name: "step fwd Z [B][G] (col-major Z^T) += Whh col-major Hp^T",
            m: g,
            n: b,
            k: h,
            d: (1, g as isize),
            a: (1, g as isize),
            b: (b as isize, 1),
        },
        Case {
            name: "step bwd dH(BxH) = dZ(BxG) Whh, Whh [G][H]",
            m: b,
            n: h,
            k: g,
            d: (h as isize, 1),
            a: (g as isize, 1),
            b: (h as isize, 1),
        },
        Case {
            name: "step bwd dH^T(HxB) = Whh^T dZ^T, Whh [G][H], dZ^T [G][B]",
            m: h,
            n: b,
            k: g,
            d: (b as isize, 1),
            a: (1, h as isize),
            b: (b as isize, 1),
        },
        Case {
            name: "step bwd dH [B][H] (col-major dH^T) = Whh^T dZ^T, dZ^T [G][B]",
            m: h,
            n: b,
            k: g,
            d: (1, h as isize),
            a: (1, h as isize),
            b: (b as isize, 1),
        },
        Case {
            name: "proj X(TBxF) Wih^T, Wih [G][F]",
            m: tb,
            n: g,
            k: f,
            d: (g as isize, 1),
            a: (f as isize, 1),
            b: (1, f as isize),
        },
        Case {
            name: "dWhh(GxH) = dZ^T(Gx(T-1)B) Hs",
            m: g,
            n: h,
            k: tb - b,
            d: (h as isize, 1),
            a: (1, g as isize),
            b: (h as isize, 1),
        },
    ];
    for c in cases {
        let av = vec![0.5f32; c.m * c.k];
        let bv = vec![0.25f32; c.k * c.n];
        let mut dv = vec![0.0f32; c.m * c.n];
        let iters = (2_000_000_000 / (c.m * c.n * c.k)).clamp(20, 20_000);
        let t_gemm = time(iters, || unsafe {
            gemm::gemm(
                c.m,
                c.n,
                c.k,
                dv.as_mut_ptr(),
                c.d.1,
                c.d.0,
                true,
                av.as_ptr(),
                c.a.1,
                c.a.0,
                bv.as_ptr(),
                c.b.1,
                c.b.0,
                1.0f32,
                1.0f32,
                false,
                false,
                false,
                gemm::Parallelism::None,
            )
        });
        let t_mm = time(iters, || unsafe {
            matrixmultiply::sgemm(
                c.m,
                c.k,
                c.n,
                1.0,
                av.as_ptr(),
                c.a.0,
                c.a.1,
                bv.as_ptr(),
                c.b.0,
                c.b.1,
                1.0,
                dv.as_mut_ptr(),
                c.d.0,
                c.d.1,
            )
        });
        let gf = |t: f64| 2.0 * (c.m * c.n * c.k) as f64 / t / 1e9;
        println!(
            "{:<62} gemm {:>7.1} us {:>5.1} GF/s | matrixmultiply {:>7.1} us {:>5.1} GF/s",
            c.name,
            t_gemm * 1e6,
            gf(t_gemm),
            t_mm * 1e6,
            gf(t_mm)
        );
    }
    // The engine's own products (its AVX-512 kernel where the CPU has it) on the per-step shapes.
    use alphaseq_nn::gemm::{matmul_strided, Mat, Op};
    let whh_t = vec![0.5f32; h * g]; // column-major W_hh, [H][4H]
    let whh = vec![0.5f32; g * h]; // row-major W_hh, [4H][H]
    let hs = vec![0.25f32; h * tb]; // [H][T*B]
    let dz = vec![0.25f32; g * 256]; // a chunk of gate gradients, [4H][256]
    let mut z = vec![0.0f32; g * b];
    let mut dh = vec![0.0f32; h * b];
    let fwd = time(20_000, || {
        let (w, hp) = (Mat::dense(&whh_t, g, Op::T), Mat { data: &hs, ld: tb, op: Op::N });
        matmul_strided(g, b, h, w, hp, &mut z, b, true);
    });
    let bwd = time(20_000, || {
        let (w, d) = (Mat::dense(&whh, h, Op::T), Mat { data: &dz, ld: 256, op: Op::N });
        matmul_strided(h, b, g, w, d, &mut dh, b, false);
    });
    let gf = |t: f64| 2.0 * (g * b * h) as f64 / t / 1e9;
    println!(
        "engine ({}): step fwd {:.1} us {:.1} GF/s, step bwd {:.1} us {:.1} GF/s",
        alphaseq_nn::gemm::kernels(),
        fwd * 1e6,
        gf(fwd),
        bwd * 1e6,
        gf(bwd)
    );
}
