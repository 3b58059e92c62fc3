//! Weight penalties in Keras' form: a layer's `kernel_regularizer`, `recurrent_regularizer` and
//! `bias_regularizer`, each `{ l1 = .., l2 = .. }` (Keras `regularizers.L1L2(l1, l2)`), add
//! `l1 * sum |w| + l2 * sum w^2` over the tensor to the loss and `l1 * sign(w) + 2 l2 w` to its
//! gradient (sign(0) = 0, TensorFlow's gradient of `abs`). As in Keras the penalty is part of
//! the loss the optimiser sees, so it is added before gradients are clipped, once per batch, and
//! the `loss` and `val_loss` a history records include it (Keras adds `model.losses` to both).
//!
//! Which tensor is which: the input kernel (`w_ih`, a dense layer's `w`) is the kernel, `w_hh`
//! the recurrent kernel, and `bias` (a dense layer's `b`, both of a GRU's `b_ih` and `b_hh`,
//! which Keras keeps as one `(2, 3H)` bias) the bias.

use serde::{Deserialize, Serialize};

use crate::real::Real;

/// `l1 * sum |w| + l2 * sum w^2` (Keras `L1L2`).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Penalty {
    /// Weight of the sum of absolute values.
    #[serde(default)]
    pub l1: f64,
    /// Weight of the sum of squares.
    #[serde(default)]
    pub l2: f64,
}

impl Penalty {
    /// True when it adds nothing.
    pub fn is_zero(&self) -> bool {
        self.l1 == 0.0 && self.l2 == 0.0
    }

    /// Its value on `w` (summed in f64).
    pub fn value<T: Real>(&self, w: &[T]) -> f64 {
        if self.is_zero() {
            return 0.0;
        }
        let (abs, squares) = w.iter().fold((0.0, 0.0), |(a, s), v| {
            let v = v.to_f64();
            (a + v.abs(), s + v * v)
        });
        self.l1 * abs + self.l2 * squares
    }

    /// Adds its gradient at `w` to `grad`.
    pub fn add_gradient<T: Real>(&self, w: &[T], grad: &mut [T]) {
        if self.is_zero() {
            return;
        }
        for (g, v) in grad.iter_mut().zip(w) {
            let v = v.to_f64();
            let sign = if v > 0.0 {
                1.0
            } else if v < 0.0 {
                -1.0
            } else {
                0.0
            };
            *g += T::from_f64(self.l1 * sign + 2.0 * self.l2 * v);
        }
    }

    /// Checks that both weights are finite and not negative.
    ///
    /// # Errors
    /// A message naming `what` and the bad weight.
    pub fn check(&self, what: &str) -> Result<(), String> {
        for (name, v) in [("l1", self.l1), ("l2", self.l2)] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(format!("{what}.{name} = {v}: a penalty weight is a number >= 0"));
            }
        }
        Ok(())
    }
}

/// A layer's penalties by the role of its tensors.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Regularizers {
    /// The input kernel's (Keras `kernel_regularizer`).
    pub kernel: Option<Penalty>,
    /// The recurrent kernel's (Keras `recurrent_regularizer`).
    pub recurrent: Option<Penalty>,
    /// The bias' (Keras `bias_regularizer`).
    pub bias: Option<Penalty>,
}

impl Regularizers {
    /// The penalty of the layer's tensor `name` (zero for a tensor without a role).
    pub fn of(&self, name: &str) -> Penalty {
        let role = match name {
            "w_ih" | "w" => self.kernel,
            "w_hh" => self.recurrent,
            "bias" | "b" | "b_ih" | "b_hh" => self.bias,
            _ => None,
        };
        role.unwrap_or_default()
    }

    /// Checks every penalty's weights.
    ///
    /// # Errors
    /// A message naming the regularizer and the bad weight.
    pub fn check(&self) -> Result<(), String> {
        for (what, p) in [
            ("kernel_regularizer", self.kernel),
            ("recurrent_regularizer", self.recurrent),
            ("bias_regularizer", self.bias),
        ] {
            if let Some(p) = p {
                p.check(what)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_and_gradient_follow_keras_l1l2() {
        let p = Penalty { l1: 0.01, l2: 0.1 };
        let w = [0.5f64, -2.0, 0.0];
        // 0.01 * 2.5 + 0.1 * (0.25 + 4)
        assert!((p.value(&w) - 0.45).abs() < 1e-15);
        let mut g = [1.0f64, 1.0, 1.0];
        p.add_gradient(&w, &mut g);
        assert_eq!(g, [1.0 + 0.01 + 0.1, 1.0 - 0.01 - 0.4, 1.0]);
        // the gradient is the value's derivative away from zero
        let h = 1e-7;
        for i in 0..2 {
            let mut up = w;
            up[i] += h;
            let numeric = (p.value(&up) - p.value(&w)) / h;
            assert!((numeric - (g[i] - 1.0)).abs() < 1e-5, "{i}: {numeric}");
        }
        assert!(Penalty { l1: -1.0, l2: 0.0 }.check("kernel_regularizer").is_err());
    }

    #[test]
    fn tensors_take_their_roles_penalty() {
        let k = Penalty { l1: 1.0, l2: 0.0 };
        let r = Regularizers {
            kernel: Some(k),
            recurrent: None,
            bias: Some(Penalty { l1: 0.0, l2: 2.0 }),
        };
        assert_eq!(r.of("w_ih"), k);
        assert_eq!(r.of("w"), k);
        assert!(r.of("w_hh").is_zero() && r.of("gamma").is_zero());
        assert_eq!(r.of("b_hh").l2, 2.0);
    }
}
