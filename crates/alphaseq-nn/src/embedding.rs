//! Embedding of categorical ids (e.g. ticker ids) into dense vectors: a `[vocab][dim]` table,
//! looked up per sample; output feature-major `[dim][B]`. Keras initialises tables U(-0.05, 0.05),
//! PyTorch N(0, 1).

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::real::Real;

/// An embedding table's size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmbeddingSpec {
    /// Number of distinct ids (0 ..= vocab - 1).
    pub vocab: usize,
    /// Vector length.
    pub dim: usize,
}

/// An embedding layer.
#[derive(Debug, Clone)]
pub struct Embedding<T> {
    /// Size.
    pub spec: EmbeddingSpec,
    /// Table `[vocab][dim]` (PyTorch `nn.Embedding.weight`, Keras `embeddings`).
    pub table: Vec<T>,
    /// Gradient of the table.
    pub grad: Vec<T>,
    ids: Vec<u32>,
}

impl<T: Real> Embedding<T> {
    /// A zero table.
    pub fn new(spec: EmbeddingSpec) -> Embedding<T> {
        Embedding {
            spec,
            table: vec![T::ZERO; spec.vocab * spec.dim],
            grad: vec![T::ZERO; spec.vocab * spec.dim],
            ids: vec![],
        }
    }

    /// `[dim][B]` vectors of `ids`.
    ///
    /// # Errors
    /// [`Error::Shape`] for an id outside the vocabulary.
    pub fn forward(&mut self, ids: &[u32]) -> Result<Vec<T>> {
        let (dim, b) = (self.spec.dim, ids.len());
        if let Some(bad) = ids.iter().find(|&&i| i as usize >= self.spec.vocab) {
            return Err(Error::Shape(format!(
                "categorical id {bad} is outside the vocabulary of {}",
                self.spec.vocab
            )));
        }
        self.ids = ids.to_vec();
        let mut out = vec![T::ZERO; dim * b];
        for (col, &id) in ids.iter().enumerate() {
            for d in 0..dim {
                out[d * b + col] = self.table[id as usize * dim + d];
            }
        }
        Ok(out)
    }

    /// Adds `dout` (`[dim][B]`) to the rows of the ids of the last forward pass.
    pub fn backward(&mut self, dout: &[T]) {
        let (dim, b) = (self.spec.dim, self.ids.len());
        for (col, &id) in self.ids.iter().enumerate() {
            for d in 0..dim {
                self.grad[id as usize * dim + d] += dout[d * b + col];
            }
        }
    }
}
