//! Helpers shared by the parity tests.

#![allow(dead_code)] // each test file uses a subset

/// A batch-first `[B][T][F]` tensor (PyTorch, Keras) in alphaseq's feature-major `[F][T][B]`.
pub fn to_feature_major(x: &[f32], batch: usize, steps: usize, width: usize) -> Vec<f32> {
    let mut out = vec![0.0; x.len()];
    for b in 0..batch {
        for t in 0..steps {
            for f in 0..width {
                out[(f * steps + t) * batch + b] = x[(b * steps + t) * width + f];
            }
        }
    }
    out
}

/// Per-tensor tolerance: max |ours - reference| <= tol * max |reference|.
#[track_caller]
pub fn assert_close(ours: &[f32], reference: &[f32], what: &str, tol: f32) {
    assert_eq!(ours.len(), reference.len(), "{what}: length");
    let scale = reference.iter().fold(0.0f32, |m, v| m.max(v.abs())).max(1e-12);
    let err = ours.iter().zip(reference).fold(0.0f32, |m, (a, b)| m.max((a - b).abs()));
    assert!(err <= tol * scale, "{what}: max abs error {err:e} against max |reference| {scale:e}");
}
