//! Least-squares linear baseline: `y = b0 + sum_j b_j z_j`, where z are the as-of date's features
//! standardised with the training mean and standard deviation (ddof = 0), solved by Cholesky on
//! the normal equations with an optional ridge penalty on the slopes (scikit-learn `Ridge` with
//! `fit_intercept=True` on standardised inputs; `ridge = 0` is ordinary least squares). Several
//! target columns (a `next_prices` target) get one such regression each, sharing the solve.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::forecast::{FitReport, Forecaster, Windows};

/// Options of the linear baseline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LinearSpec {
    /// L2 penalty on the standardised slopes (0 = OLS).
    pub ridge: f64,
}

impl Default for LinearSpec {
    fn default() -> Self {
        LinearSpec { ridge: 0.0 }
    }
}

/// The fitted (or not yet fitted) linear model.
#[derive(Debug, Clone, PartialEq)]
pub struct LinearForecaster {
    spec: LinearSpec,
    fitted: Option<Fitted>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Fitted {
    mean: Vec<f64>,
    scale: Vec<f64>,
    /// Per target column.
    intercepts: Vec<f64>,
    /// Per target column.
    slopes: Vec<Vec<f64>>,
    /// The traded column.
    primary: usize,
}

impl LinearForecaster {
    /// An unfitted model.
    pub fn new(spec: LinearSpec) -> Self {
        LinearForecaster { spec, fitted: None }
    }

    /// Slopes on the original (unstandardised) features, and the intercept, of the traded
    /// target, once fitted.
    pub fn coefficients(&self) -> Option<(f64, Vec<f64>)> {
        let f = self.fitted.as_ref()?;
        let slopes: Vec<f64> =
            f.slopes[f.primary].iter().zip(&f.scale).map(|(b, s)| b / s).collect();
        let intercept =
            f.intercepts[f.primary] - slopes.iter().zip(&f.mean).map(|(b, m)| b * m).sum::<f64>();
        Some((intercept, slopes))
    }
}

impl Fitted {
    fn predict_row(&self, x: &[f64], column: usize) -> f64 {
        let z = x.iter().zip(&self.mean).zip(&self.scale).map(|((v, m), s)| (v - m) / s);
        self.intercepts[column] + z.zip(&self.slopes[column]).map(|(z, b)| z * b).sum::<f64>()
    }
}

/// What `linear.json` holds: the options and the fitted coefficients.
#[derive(Serialize, Deserialize)]
struct Saved {
    spec: LinearSpec,
    fitted: Fitted,
}

impl LinearForecaster {
    /// A fitted forecaster from the `linear.json` its [`Forecaster::artifacts`] wrote.
    ///
    /// # Errors
    /// When the file is not such a file.
    pub fn restore(bytes: &[u8]) -> Result<LinearForecaster> {
        let saved: Saved =
            serde_json::from_slice(bytes).map_err(|e| Error::record("linear.json", e))?;
        Ok(LinearForecaster { spec: saved.spec, fitted: Some(saved.fitted) })
    }
}

impl Forecaster for LinearForecaster {
    fn artifacts(&self) -> Vec<(String, Vec<u8>)> {
        let Some(fitted) = &self.fitted else { return vec![] };
        let saved = Saved { spec: self.spec.clone(), fitted: fitted.clone() };
        vec![("linear.json".into(), serde_json::to_vec_pretty(&saved).unwrap_or_default())]
    }

    fn name(&self) -> String {
        if self.spec.ridge > 0.0 {
            format!("ridge(alpha={})", self.spec.ridge)
        } else {
            "linear least squares".to_string()
        }
    }

    fn fit(&mut self, train: &Windows, valid: &Windows) -> Result<FitReport> {
        let k = train.features.n_features();
        let n = train.len();
        if n <= k + 1 {
            return Err(Error::NotEnoughData(format!(
                "{n} training samples for {} coefficients",
                k + 1
            )));
        }
        let last = train.sequence_length() - 1;
        let mut mean = vec![0.0; k];
        for i in 0..n {
            for (m, v) in mean.iter_mut().zip(train.row(i, last)) {
                *m += v;
            }
        }
        mean.iter_mut().for_each(|m| *m /= n as f64);
        let mut scale = vec![0.0; k];
        for i in 0..n {
            for ((s, v), m) in scale.iter_mut().zip(train.row(i, last)).zip(&mean) {
                *s += (v - m) * (v - m);
            }
        }
        for s in &mut scale {
            *s = (*s / n as f64).sqrt();
            if *s == 0.0 {
                *s = 1.0;
            }
        }
        let width = train.target_width();
        let ys: Vec<Vec<f64>> = (0..n).map(|i| train.target_row(i)).collect();
        let y_mean: Vec<f64> =
            (0..width).map(|c| ys.iter().map(|y| y[c]).sum::<f64>() / n as f64).collect();
        // Normal equations on standardised, centred data: (Z'Z + ridge*n I) b = Z'(y - ybar).
        let mut a = vec![0.0; k * k];
        let mut rhs = vec![vec![0.0; k]; width];
        let mut z = vec![0.0; k];
        for i in 0..n {
            for (j, zj) in z.iter_mut().enumerate() {
                *zj = (train.row(i, last)[j] - mean[j]) / scale[j];
            }
            for (c, rhs) in rhs.iter_mut().enumerate() {
                let y = ys[i][c] - y_mean[c];
                rhs.iter_mut().zip(&z).for_each(|(r, z)| *r += z * y);
            }
            for r in 0..k {
                for c in 0..=r {
                    a[r * k + c] += z[r] * z[c];
                }
            }
        }
        for r in 0..k {
            for c in 0..r {
                a[c * k + r] = a[r * k + c];
            }
            a[r * k + r] += self.spec.ridge * n as f64;
        }
        let slopes = rhs
            .iter()
            .map(|rhs| cholesky_solve(&mut a.clone(), rhs, k))
            .collect::<Result<Vec<_>>>()?;
        let primary = train.primary();
        self.fitted = Some(Fitted { mean, scale, intercepts: y_mean, slopes, primary });
        let mse = |w: &Windows| -> Result<f64> {
            let p = self.predict(w)?;
            Ok(p.iter().zip(w.samples).map(|(p, s)| (p - s.target).powi(2)).sum::<f64>()
                / w.len() as f64)
        };
        Ok(FitReport {
            train_loss: mse(train)?,
            valid_loss: mse(valid)?,
            valid_objective: None,
            parameters: k + 1,
            history_best: Default::default(),
        })
    }

    fn predict(&self, windows: &Windows) -> Result<Vec<f64>> {
        let f = self
            .fitted
            .as_ref()
            .ok_or_else(|| Error::Invalid("predict called before fit".into()))?;
        let last = windows.sequence_length() - 1;
        Ok((0..windows.len()).map(|i| f.predict_row(windows.row(i, last), f.primary)).collect())
    }

    fn predict_all(&self, windows: &Windows) -> Result<Vec<Vec<f64>>> {
        let f = self
            .fitted
            .as_ref()
            .ok_or_else(|| Error::Invalid("predict called before fit".into()))?;
        let last = windows.sequence_length() - 1;
        let columns = 0..f.intercepts.len();
        Ok((0..windows.len())
            .map(|i| columns.clone().map(|c| f.predict_row(windows.row(i, last), c)).collect())
            .collect())
    }
}

/// Solves `a x = b` for a symmetric positive-definite `a` (k x k, row-major; overwritten).
fn cholesky_solve(a: &mut [f64], b: &[f64], k: usize) -> Result<Vec<f64>> {
    for j in 0..k {
        let mut d = a[j * k + j];
        for p in 0..j {
            d -= a[j * k + p] * a[j * k + p];
        }
        if d <= 1e-12 * (1.0 + a[j * k + j].abs()) {
            return Err(Error::Numerical(format!(
                "the features are collinear (feature {} adds nothing); drop one or set model.ridge > 0",
                j + 1
            )));
        }
        let d = d.sqrt();
        a[j * k + j] = d;
        for i in j + 1..k {
            let mut s = a[i * k + j];
            for p in 0..j {
                s -= a[i * k + p] * a[j * k + p];
            }
            a[i * k + j] = s / d;
        }
    }
    let mut y = b.to_vec();
    for i in 0..k {
        for p in 0..i {
            y[i] -= a[i * k + p] * y[p];
        }
        y[i] /= a[i * k + i];
    }
    for i in (0..k).rev() {
        for p in i + 1..k {
            y[i] -= a[p * k + i] * y[p];
        }
        y[i] /= a[i * k + i];
    }
    Ok(y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cholesky_solves_a_small_system() {
        // [[4,2],[2,3]] x = [2,1] -> x = [0.5, 0]
        let mut a = vec![4.0, 2.0, 2.0, 3.0];
        let x = cholesky_solve(&mut a, &[2.0, 1.0], 2).unwrap();
        assert!((x[0] - 0.5).abs() < 1e-12 && x[1].abs() < 1e-12);
        let mut singular = vec![1.0, 1.0, 1.0, 1.0];
        assert!(cholesky_solve(&mut singular, &[1.0, 1.0], 2).is_err());
    }
}
