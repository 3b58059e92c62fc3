//! Feature scalers with scikit-learn's definitions, fitted on the training span only (every
//! complete feature row dated on or before the last training date), globally or per ticker, then
//! applied to every date. Calendar and identity columns are left as they are. A fitted [`Scaler`]
//! serialises to JSON and is saved beside the model, so production scales today's features with
//! the training statistics.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::features::{ColumnKind, FeatureMatrix};

/// The scaling rule (`[dataset.scaler] kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScalerKind {
    /// scikit-learn `StandardScaler`: (x - mean) / std, std with ddof = 0; a constant column keeps
    /// scale 1.
    #[default]
    Standard,
    /// scikit-learn `MinMaxScaler` to \[0, 1\]: (x - min) / (max - min); a constant column keeps
    /// scale 1. Values outside the training range map outside \[0, 1\] (scikit-learn's default
    /// `clip=False`).
    MinMax,
    /// scikit-learn `RobustScaler`: (x - median) / (q75 - q25), quantiles by numpy's linear
    /// interpolation; a zero range keeps scale 1.
    Robust,
    /// No scaling.
    None,
}

/// How to scale (`[dataset.scaler]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ScalerSpec {
    /// The rule.
    pub kind: ScalerKind,
    /// Fit one scaler per ticker on its own training rows (a ticker without training rows then
    /// has no scaler and no samples) instead of one over all tickers.
    pub per_ticker: bool,
}

/// One fitted (center, scale) pair per column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fitted {
    /// Subtracted.
    pub center: Vec<f64>,
    /// Divided by.
    pub scale: Vec<f64>,
}

/// A fitted scaler.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scaler {
    /// The rule and grouping.
    pub spec: ScalerSpec,
    /// The columns it was fitted on, in order.
    pub columns: Vec<String>,
    /// One entry (global) or one per panel ticker (per ticker; `None` without training rows).
    pub groups: Vec<Option<Fitted>>,
}

impl Scaler {
    /// Fits on the complete rows of `tickers` dated in `train` (date indices; a split's
    /// `train_start..=train_end`).
    ///
    /// # Errors
    /// [`Error::NotEnoughData`] when no ticker has a complete training row.
    pub fn fit(
        features: &FeatureMatrix,
        tickers: &[usize],
        train: std::ops::RangeInclusive<usize>,
        spec: ScalerSpec,
    ) -> Result<Scaler> {
        let k = features.n_features();
        let numeric: Vec<bool> =
            features.kinds().iter().map(|c| *c == ColumnKind::Numeric).collect();
        let rows_of = |i: usize| -> Vec<&[f64]> {
            (*train.start()..=(*train.end()).min(features.n_dates().saturating_sub(1)))
                .filter(|&t| features.row_is_finite(i, t))
                .map(|t| features.row(i, t))
                .collect()
        };
        let fit_rows = |rows: &[&[f64]]| -> Option<Fitted> {
            if rows.is_empty() {
                return None;
            }
            let mut center = vec![0.0; k];
            let mut scale = vec![1.0; k];
            if spec.kind != ScalerKind::None {
                for j in (0..k).filter(|&j| numeric[j]) {
                    let column: Vec<f64> = rows.iter().map(|r| r[j]).collect();
                    (center[j], scale[j]) = statistic(spec.kind, column);
                }
            }
            Some(Fitted { center, scale })
        };
        let groups = if spec.per_ticker {
            let mut groups = vec![None; features.n_tickers()];
            for &i in tickers {
                groups[i] = fit_rows(&rows_of(i));
            }
            groups
        } else {
            let rows: Vec<&[f64]> = tickers.iter().flat_map(|&i| rows_of(i)).collect();
            vec![fit_rows(&rows)]
        };
        if groups.iter().all(Option::is_none) {
            return Err(Error::NotEnoughData(
                "scaler: no complete feature row in the training span".into(),
            ));
        }
        Ok(Scaler { spec, columns: features.names().to_vec(), groups })
    }

    /// The fitted statistics that apply to panel ticker `i`, if any.
    pub fn group(&self, ticker: usize) -> Option<&Fitted> {
        if self.spec.per_ticker {
            self.groups.get(ticker).and_then(Option::as_ref)
        } else {
            self.groups[0].as_ref()
        }
    }

    /// Scales every row of every ticker in place; a ticker without a scaler becomes all NaN.
    ///
    /// # Errors
    /// [`Error::Invalid`] when the matrix's columns are not the ones the scaler was fitted on.
    pub fn transform(&self, features: &mut FeatureMatrix) -> Result<()> {
        if features.names() != self.columns.as_slice() {
            return Err(Error::Invalid(format!(
                "scaler: fitted on columns {:?}, asked to scale {:?}",
                self.columns,
                features.names()
            )));
        }
        let k = self.columns.len();
        for i in 0..features.n_tickers() {
            let fitted = self.group(i).cloned();
            let block = features.block_mut(i);
            match fitted {
                Some(f) => {
                    for row in block.chunks_exact_mut(k.max(1)) {
                        for ((x, c), s) in row.iter_mut().zip(&f.center).zip(&f.scale) {
                            *x = (*x - c) / s;
                        }
                    }
                }
                None => block.iter_mut().for_each(|x| *x = f64::NAN),
            }
        }
        Ok(())
    }
}

/// (center, scale) of one column under `kind`, with scikit-learn's rule for a zero scale.
fn statistic(kind: ScalerKind, mut x: Vec<f64>) -> (f64, f64) {
    let n = x.len() as f64;
    let nonzero = |s: f64| if s == 0.0 || !s.is_finite() { 1.0 } else { s };
    match kind {
        ScalerKind::Standard => {
            let mean = x.iter().sum::<f64>() / n;
            let var = x.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
            (mean, nonzero(var.sqrt()))
        }
        ScalerKind::MinMax => {
            let lo = x.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            (lo, nonzero(hi - lo))
        }
        ScalerKind::Robust => {
            x.sort_by(f64::total_cmp);
            let q = |p: f64| {
                let pos = p * (x.len() - 1) as f64;
                let (lo, frac) = (pos.floor() as usize, pos - pos.floor());
                let (a, b) = (x[lo], x[(lo + 1).min(x.len() - 1)]);
                // numpy's _lerp, which interpolates from the nearer end
                if frac >= 0.5 {
                    b - (b - a) * (1.0 - frac)
                } else {
                    a + (b - a) * frac
                }
            };
            (q(0.5), nonzero(q(0.75) - q(0.25)))
        }
        ScalerKind::None => (0.0, 1.0),
    }
}
