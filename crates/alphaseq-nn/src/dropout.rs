//! Inverted dropout: in training each element is zeroed with probability `rate` and the rest are
//! scaled by 1 / (1 - rate); in evaluation it is the identity. Masks come from a seeded stream,
//! one draw per forward pass, so training is reproducible.

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::layer::{Kind, Layer, LayerConfig, Pass, Shape, Site};
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
    pub fn forward(&mut self, x: &[T], train: bool, out: &mut Vec<T>) {
        out.clear();
        if !train || self.rate == 0.0 {
            self.mask.clear();
            out.extend_from_slice(x);
            return;
        }
        let mut mask = std::mem::take(&mut self.mask);
        self.draw_mask(x.len(), &mut mask);
        out.extend(x.iter().zip(&mask).map(|(v, m)| *v * *m));
        self.mask = mask;
    }

    /// Draws a mask of `len` elements into `mask`: 0 with probability `rate`, else
    /// 1 / (1 - rate). Each 64-bit draw decides two elements, 32 bits each, dropped below
    /// rate * 2^32.
    pub fn draw_mask(&mut self, len: usize, mask: &mut Vec<T>) {
        let keep = T::from_f64(1.0 / (1.0 - self.rate));
        let threshold = (self.rate * 4_294_967_296.0) as u64;
        let scale = |bits: u64| if bits < threshold { T::ZERO } else { keep };
        mask.resize(len, T::ZERO);
        let mut pairs = mask.chunks_exact_mut(2);
        for m in &mut pairs {
            let bits = self.rng.next_u64();
            (m[0], m[1]) = (scale(bits & 0xFFFF_FFFF), scale(bits >> 32));
        }
        if let [m] = pairs.into_remainder() {
            *m = scale(self.rng.next_u64() & 0xFFFF_FFFF);
        }
    }

    /// Gradient with respect to the input, into `dx`.
    pub fn backward(&self, dy: &[T], dx: &mut Vec<T>) {
        dx.clear();
        if self.mask.is_empty() {
            dx.extend_from_slice(dy);
        } else {
            dx.extend(dy.iter().zip(&self.mask).map(|(d, m)| *d * *m));
        }
    }
}

/// Dropout in a model description (`type = "dropout"`), active in training only.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DropoutSpec {
    /// Drop probability.
    pub rate: f64,
}

impl<T: Real> LayerConfig<T> for DropoutSpec {
    fn label(&self) -> String {
        format!("Dropout({})", self.rate)
    }

    fn build(&self, site: &Site) -> Result<(Box<dyn Layer<T>>, Shape)> {
        let rate = self.rate;
        if !(0.0..1.0).contains(&rate) {
            return Err(site.invalid(format!("dropout rate {rate} must be in [0, 1)")));
        }
        Ok((Box::new(Dropout::<T>::new(rate, site.rng())), site.input))
    }
}

impl<T: Real> Layer<T> for Dropout<T> {
    fn kind(&self) -> Kind {
        Kind { id: "dropout", keras: "Dropout", keras_name: "dropout" }
    }

    fn forward(&mut self, input: &[T], pass: Pass, out: &mut Vec<T>) {
        Dropout::forward(self, input, pass.train, out);
    }

    fn backward(&mut self, _input: &[T], dout: &[T], _input_grad: bool, dx: &mut Vec<T>) -> bool {
        Dropout::backward(self, dout, dx);
        true
    }

    fn reseed(&mut self, rng: Rng) {
        Dropout::reseed(self, rng);
    }

    fn boxed(&self) -> Box<dyn Layer<T>> {
        Box::new(self.clone())
    }
}
