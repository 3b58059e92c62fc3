//! Forecast-quality metrics on (prediction, realised) pairs; pairs with a NaN are skipped.
//! MSE, MAE and R2 follow scikit-learn (`mean_squared_error`, `mean_absolute_error`,
//! `r2_score`: `1 - SS_res / SS_tot` with
//! SS_tot around the mean of the realised values). Hit rate is the share of pairs whose signs
//! agree (a zero counts as a miss unless both are zero).

fn pairs<'a>(pred: &'a [f64], real: &'a [f64]) -> impl Iterator<Item = (f64, f64)> + 'a {
    pred.iter().zip(real).map(|(p, r)| (*p, *r)).filter(|(p, r)| p.is_finite() && r.is_finite())
}

/// Mean squared error; `None` with no pairs.
pub fn mse(pred: &[f64], real: &[f64]) -> Option<f64> {
    let (n, s) =
        pairs(pred, real).fold((0usize, 0.0), |(n, s), (p, r)| (n + 1, s + (p - r) * (p - r)));
    (n > 0).then(|| s / n as f64)
}

/// Mean absolute error; `None` with no pairs.
pub fn mae(pred: &[f64], real: &[f64]) -> Option<f64> {
    let (n, s) = pairs(pred, real).fold((0usize, 0.0), |(n, s), (p, r)| (n + 1, s + (p - r).abs()));
    (n > 0).then(|| s / n as f64)
}

/// Coefficient of determination; `None` with fewer than 2 pairs or constant realised values.
pub fn r2(pred: &[f64], real: &[f64]) -> Option<f64> {
    let v: Vec<(f64, f64)> = pairs(pred, real).collect();
    if v.len() < 2 {
        return None;
    }
    let mean = v.iter().map(|(_, r)| r).sum::<f64>() / v.len() as f64;
    let ss_tot: f64 = v.iter().map(|(_, r)| (r - mean) * (r - mean)).sum();
    let ss_res: f64 = v.iter().map(|(p, r)| (r - p) * (r - p)).sum();
    (ss_tot > 0.0).then(|| 1.0 - ss_res / ss_tot)
}

/// Share of pairs with the same sign; `None` with no pairs.
pub fn hit_rate(pred: &[f64], real: &[f64]) -> Option<f64> {
    let (n, hits) = pairs(pred, real).fold((0usize, 0usize), |(n, h), (p, r)| {
        (n + 1, h + (p.signum() == r.signum() && (p != 0.0) == (r != 0.0)) as usize)
    });
    (n > 0).then(|| hits as f64 / n as f64)
}

/// Ordinary least squares of the realised values on the predictions, as scipy's `linregress`:
/// slope, intercept, R2 (`rvalue**2`) and the slope's t-statistic (`slope / stderr`, with
/// `n - 2` degrees of freedom). The cross-sectional study's "R2" and "t-stat" of returns on the
/// signal are these, pooled over every (date, name) of the test span.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignalRegression {
    /// Pairs used.
    pub n: usize,
    /// Slope of realised on predicted.
    pub slope: f64,
    /// Intercept.
    pub intercept: f64,
    /// Squared Pearson correlation.
    pub r2: f64,
    /// Slope over its standard error (infinite, written as `null`, for a perfect fit).
    #[serde(with = "crate::numeric::nan_as_null")]
    pub t_stat: f64,
}

/// The regression of `real` on `pred`; `None` with fewer than 3 pairs or a constant side.
pub fn signal_regression(pred: &[f64], real: &[f64]) -> Option<SignalRegression> {
    let v: Vec<(f64, f64)> = pairs(pred, real).collect();
    let n = v.len();
    if n < 3 {
        return None;
    }
    let nf = n as f64;
    let mx = v.iter().map(|(p, _)| p).sum::<f64>() / nf;
    let my = v.iter().map(|(_, r)| r).sum::<f64>() / nf;
    let (mut sxx, mut syy, mut sxy) = (0.0, 0.0, 0.0);
    for (p, r) in &v {
        sxx += (p - mx) * (p - mx);
        syy += (r - my) * (r - my);
        sxy += (p - mx) * (r - my);
    }
    if sxx <= 0.0 || syy <= 0.0 {
        return None;
    }
    let rho = (sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0);
    let slope = sxy / sxx;
    let r2 = rho * rho;
    // scipy: stderr = sqrt((1 - r**2) * ssym / ssxm / df)
    let stderr = ((1.0 - r2) * syy / sxx / (nf - 2.0)).sqrt();
    let t_stat = if stderr > 0.0 { slope / stderr } else { f64::INFINITY.copysign(slope) };
    Some(SignalRegression { n, slope, intercept: my - slope * mx, r2, t_stat })
}
