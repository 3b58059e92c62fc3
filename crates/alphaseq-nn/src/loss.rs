//! Losses: value and gradient with respect to the predictions.

use serde::{Deserialize, Serialize};

use crate::real::Real;

/// A training loss.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Loss {
    /// Mean squared error over every element (PyTorch `MSELoss()`, Keras `"mse"`).
    #[default]
    Mse,
}

impl Loss {
    /// The loss of `pred` against `target` and its gradient with respect to `pred`.
    pub fn value_and_grad<T: Real>(self, pred: &[T], target: &[T]) -> (f64, Vec<T>) {
        assert_eq!(pred.len(), target.len(), "loss: predictions and targets differ in length");
        let n = pred.len().max(1) as f64;
        match self {
            Loss::Mse => {
                let scale = T::from_f64(2.0 / n);
                let mut value = 0.0;
                let grad = pred
                    .iter()
                    .zip(target)
                    .map(|(p, y)| {
                        let d = *p - *y;
                        value += d.to_f64() * d.to_f64();
                        d * scale
                    })
                    .collect();
                (value / n, grad)
            }
        }
    }
}
