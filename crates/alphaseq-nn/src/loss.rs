//! Losses: value and gradient with respect to the predictions, over every element of a batch.

use serde::{Deserialize, Serialize};

use crate::real::Real;

/// Probabilities are clipped to [EPSILON, 1 - EPSILON] in cross-entropy, as Keras does.
const EPSILON: f64 = 1e-7;

/// A training loss.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Loss {
    /// Mean squared error (PyTorch `MSELoss()`, Keras `"mse"`).
    #[default]
    Mse,
    /// Mean absolute error (PyTorch `L1Loss()`, Keras `"mae"`); gradient sign(p - y), 0 at p = y.
    Mae,
    /// Binary cross-entropy on probabilities (a sigmoid output), with optional class weights:
    /// `sum_i w(y_i) * -(y log p + (1 - y) log(1 - p)) / N`, p clipped to [1e-7, 1 - 1e-7]
    /// (Keras `binary_crossentropy` with `class_weight`, which divides by the batch size).
    BinaryCrossentropy,
    /// The Sharpe-ratio loss of Lim, Zohren and Roberts (2019): with captured returns
    /// c = position * next return over the batch, `-sqrt(252) * mean(c) / sqrt(mean(c^2) -
    /// mean(c)^2 + 1e-9)` (population variance, as their code).
    Sharpe,
    /// The Sharpe-ratio loss of a cross-sectional portfolio (the deep-momentum paper's): a
    /// batch is the stocks of the same dates and a many-to-many output gives each a position per
    /// date (step); the portfolio's return on a date is the sum over the batch of position x
    /// return, and the loss is the Sharpe loss above over those daily returns. Positions are
    /// normally made dollar-neutral with an absolute sum of 1 per date first
    /// (`cross_sectional_norm`). Needs `training.batches = "by_date"` and a sequence output.
    #[serde(rename = "cross_sectional_sharpe")]
    CrossSectionalSharpe,
}

impl Loss {
    /// The loss of `pred` against `target` and its gradient with respect to `pred`.
    pub fn value_and_grad<T: Real>(self, pred: &[T], target: &[T]) -> (f64, Vec<T>) {
        self.value_and_grad_weighted(pred, target, None)
    }

    /// As [`Loss::value_and_grad`], with class weights `[w0, w1]` for binary cross-entropy
    /// (ignored by the other losses).
    pub fn value_and_grad_weighted<T: Real>(
        self,
        pred: &[T],
        target: &[T],
        class_weights: Option<[f64; 2]>,
    ) -> (f64, Vec<T>) {
        self.value_and_grad_grouped(pred, target, class_weights, 1)
    }

    /// As [`Loss::value_and_grad_weighted`], for a batch whose consecutive runs of `group`
    /// elements are one date's cross-section (a many-to-many output, step-major): the
    /// cross-sectional Sharpe loss sums each run into that date's portfolio return (the other
    /// losses ignore `group`; a `group` of 1 makes it the plain Sharpe loss).
    pub fn value_and_grad_grouped<T: Real>(
        self,
        pred: &[T],
        target: &[T],
        class_weights: Option<[f64; 2]>,
        group: usize,
    ) -> (f64, Vec<T>) {
        assert_eq!(pred.len(), target.len(), "loss: predictions and targets differ in length");
        let n = pred.len().max(1) as f64;
        let pairs = pred.iter().zip(target).map(|(p, y)| (p.to_f64(), y.to_f64()));
        match self {
            Loss::Mse => {
                let mut value = 0.0;
                let grad = pairs.map(|(p, y)| {
                    value += (p - y) * (p - y);
                    T::from_f64(2.0 * (p - y) / n)
                });
                let grad = grad.collect();
                (value / n, grad)
            }
            Loss::Mae => {
                let mut value = 0.0;
                let grad = pairs
                    .map(|(p, y)| {
                        value += (p - y).abs();
                        let sign = if p > y {
                            1.0
                        } else if p < y {
                            -1.0
                        } else {
                            0.0
                        };
                        T::from_f64(sign / n)
                    })
                    .collect();
                (value / n, grad)
            }
            Loss::BinaryCrossentropy => {
                let [w0, w1] = class_weights.unwrap_or([1.0, 1.0]);
                let mut value = 0.0;
                let grad = pairs
                    .map(|(p, y)| {
                        let w = if y > 0.5 { w1 } else { w0 };
                        let pc = p.clamp(EPSILON, 1.0 - EPSILON);
                        value += -w * (y * pc.ln() + (1.0 - y) * (1.0 - pc).ln());
                        let inside = p > EPSILON && p < 1.0 - EPSILON;
                        T::from_f64(if inside { w * (p - y) / (p * (1.0 - p)) / n } else { 0.0 })
                    })
                    .collect();
                (value / n, grad)
            }
            Loss::Sharpe => {
                let k = 252f64.sqrt();
                let c: Vec<f64> = pairs.clone().map(|(p, y)| p * y).collect();
                let mean = c.iter().sum::<f64>() / n;
                let mean_sq = c.iter().map(|v| v * v).sum::<f64>() / n;
                let var = mean_sq - mean * mean + 1e-9;
                let s = var.sqrt();
                let grad = c
                    .iter()
                    .zip(target)
                    .map(|(ci, y)| {
                        T::from_f64(-k / (n * s) * (1.0 - mean * (ci - mean) / var) * y.to_f64())
                    })
                    .collect();
                (-k * mean / s, grad)
            }
            Loss::CrossSectionalSharpe => {
                let k = 252f64.sqrt();
                let group = group.max(1);
                // each date's portfolio return, then the Sharpe loss over the dates
                let r: Vec<f64> = pred
                    .chunks(group)
                    .zip(target.chunks(group))
                    .map(|(p, y)| p.iter().zip(y).map(|(p, y)| p.to_f64() * y.to_f64()).sum())
                    .collect();
                let g = r.len().max(1) as f64;
                let mean = r.iter().sum::<f64>() / g;
                let var = r.iter().map(|v| v * v).sum::<f64>() / g - mean * mean + 1e-9;
                let s = var.sqrt();
                let grad = target
                    .iter()
                    .enumerate()
                    .map(|(i, y)| {
                        let ri = r[i / group];
                        T::from_f64(-k / (g * s) * (1.0 - mean * (ri - mean) / var) * y.to_f64())
                    })
                    .collect();
                (-k * mean / s, grad)
            }
        }
    }
}

/// Class weights by the `n / (2 * count)` rule (scikit-learn's `compute_class_weight("balanced")`
/// for two classes) from binary targets; a class that never occurs gets weight 1.
pub fn balanced_class_weights<T: Real>(targets: &[T]) -> [f64; 2] {
    let n = targets.len() as f64;
    let ones = targets.iter().filter(|y| y.to_f64() > 0.5).count() as f64;
    let w = |count: f64| if count > 0.0 { n / (2.0 * count) } else { 1.0 };
    [w(n - ones), w(ones)]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numeric_grad(loss: Loss, p: &[f64], y: &[f64], w: Option<[f64; 2]>) -> Vec<f64> {
        let h = 1e-6;
        (0..p.len())
            .map(|i| {
                let (mut up, mut down) = (p.to_vec(), p.to_vec());
                up[i] += h;
                down[i] -= h;
                (loss.value_and_grad_weighted(&up, y, w).0
                    - loss.value_and_grad_weighted(&down, y, w).0)
                    / (2.0 * h)
            })
            .collect()
    }

    #[test]
    fn gradients_match_finite_differences() {
        let p = [0.31, -0.2, 0.77, 0.05, -0.64, 0.4];
        let y = [0.1, -0.5, 0.9, -0.02, -0.3, 0.33];
        let probs = [0.2, 0.7, 0.55, 0.9, 0.35, 0.6];
        let labels = [0.0, 1.0, 1.0, 1.0, 0.0, 0.0];
        for (loss, p, y, w) in [
            (Loss::Mse, &p, &y, None),
            (Loss::Mae, &p, &y, None),
            (Loss::Sharpe, &p, &y, None),
            (Loss::CrossSectionalSharpe, &p, &y, None),
            (Loss::BinaryCrossentropy, &probs, &labels, None),
            (Loss::BinaryCrossentropy, &probs, &labels, Some([0.75, 1.5])),
        ] {
            let (_, g) = loss.value_and_grad_weighted(p, y, w);
            for (a, b) in g.iter().zip(numeric_grad(loss, p, y, w)) {
                assert!(
                    (a - b).abs() <= 1e-6 * a.abs().max(b.abs()) + 1e-8,
                    "{loss:?} {w:?}: {a} vs {b}"
                );
            }
        }
    }

    #[test]
    fn values_match_their_definitions() {
        // Keras: keras.losses.binary_crossentropy([1, 0], [0.8, 0.4]) = mean(-ln 0.8, -ln 0.6).
        let (bce, _) = Loss::BinaryCrossentropy.value_and_grad(&[0.8f64, 0.4], &[1.0, 0.0]);
        assert!((bce - (-(0.8f64.ln()) - 0.6f64.ln()) / 2.0).abs() < 1e-12);
        let (weighted, _) = Loss::BinaryCrossentropy.value_and_grad_weighted(
            &[0.8f64, 0.4],
            &[1.0, 0.0],
            Some([2.0, 0.5]),
        );
        assert!((weighted - (-0.5 * 0.8f64.ln() - 2.0 * 0.6f64.ln()) / 2.0).abs() < 1e-12);
        let (mae, _) = Loss::Mae.value_and_grad(&[1.0f64, -1.0], &[0.5, 0.0]);
        assert!((mae - 0.75).abs() < 1e-12);
        // Always long on returns with mean 0.01 and population sd 0.02: Sharpe 0.5 per period.
        let (sharpe, _) = Loss::Sharpe.value_and_grad(&[1.0f64, 1.0], &[0.03, -0.01]);
        assert!((sharpe + 252f64.sqrt() * 0.01 / (0.0004f64 + 1e-9).sqrt()).abs() < 1e-9);
        assert_eq!(balanced_class_weights(&[1.0f64, 1.0, 1.0, 0.0]), [2.0, 4.0 / 6.0]);
    }

    #[test]
    fn the_cross_sectional_sharpe_is_that_of_the_daily_portfolio() {
        // 3 dates x 2 stocks, step-major: portfolio returns 0.5*0.02 - 0.5*0.01 = 0.005, then
        // 0.5*(-0.01) - 0.5*0.03 = -0.02, then 0.5*0.04 - 0.5*0.0 = 0.02
        let p = [0.5f64, -0.5, 0.5, -0.5, 0.5, -0.5];
        let y = [0.02f64, 0.01, -0.01, 0.03, 0.04, 0.0];
        let (value, grad) = Loss::CrossSectionalSharpe.value_and_grad_grouped(&p, &y, None, 2);
        let r = [0.005f64, -0.02, 0.02];
        let mean = r.iter().sum::<f64>() / 3.0;
        let var = r.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / 3.0;
        assert!((value + 252f64.sqrt() * mean / (var + 1e-9).sqrt()).abs() < 1e-9, "{value}");
        let h = 1e-6;
        for i in 0..p.len() {
            let (mut up, mut down) = (p, p);
            up[i] += h;
            down[i] -= h;
            let f = |q: &[f64]| Loss::CrossSectionalSharpe.value_and_grad_grouped(q, &y, None, 2).0;
            let numeric = (f(&up) - f(&down)) / (2.0 * h);
            assert!(
                (grad[i] - numeric).abs() <= 1e-6 * numeric.abs() + 1e-8,
                "{i}: {} vs {numeric}",
                grad[i]
            );
        }
        // one stock per date: the plain Sharpe loss
        let (plain, _) = Loss::Sharpe.value_and_grad(&p, &y);
        let (one, _) = Loss::CrossSectionalSharpe.value_and_grad_grouped(&p, &y, None, 1);
        assert!((plain - one).abs() < 1e-12);
    }
}
