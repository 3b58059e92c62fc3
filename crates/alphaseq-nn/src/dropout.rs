//! Inverted dropout: in training each element is zeroed with probability `rate` and the rest are
//! scaled by 1 / (1 - rate); in evaluation it is the identity. Masks come from a seeded stream,
//! one draw per forward pass, so training is reproducible.

use crate::real::Real;
use crate::rng::Rng;

/// A dropout layer.
#[derive(Debug, Clone)]
pub struct Dropout<T> {
    /// Drop probability in [0, 1).
    pub rate: f64,
    rng: Rng,
    mask: Vec<T>,
}

impl<T: Real> Dropout<T> {
    /// A layer dropping with probability `rate`, its masks drawn from `rng`.
    pub fn new(rate: f64, rng: Rng) -> Dropout<T> {
        Dropout { rate, rng, mask: vec![] }
    }

    /// Replaces the mask stream.
    pub fn reseed(&mut self, rng: Rng) {
        self.rng = rng;
    }

    /// Applies dropout in training, the identity otherwise.
    pub fn forward(&mut self, x: &[T], train: bool) -> Vec<T> {
        if !train || self.rate == 0.0 {
            self.mask.clear();
            return x.to_vec();
        }
        let keep = T::from_f64(1.0 / (1.0 - self.rate));
        // Each 64-bit draw decides two elements: 32 bits each, dropped below rate * 2^32.
        let threshold = (self.rate * 4_294_967_296.0) as u64;
        self.mask.resize(x.len(), T::ZERO);
        for pair in self.mask.chunks_mut(2) {
            let bits = self.rng.next_u64();
            for (m, half) in pair.iter_mut().zip([bits & 0xFFFF_FFFF, bits >> 32]) {
                *m = if half < threshold { T::ZERO } else { keep };
            }
        }
        x.iter().zip(&self.mask).map(|(v, m)| *v * *m).collect()
    }

    /// Gradient with respect to the input.
    pub fn backward(&self, dy: &[T]) -> Vec<T> {
        if self.mask.is_empty() {
            return dy.to_vec();
        }
        dy.iter().zip(&self.mask).map(|(d, m)| *d * *m).collect()
    }
}
