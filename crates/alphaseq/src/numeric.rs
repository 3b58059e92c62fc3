//! Small numerical helpers shared by modules that must not depend on each other (data sets,
//! strategies, metrics, features): ranks with ties, pandas' `qcut`, and the sums of a line fitted
//! against the row number.

/// 1-based ranks with ties averaged (scipy `rankdata(method="average")`).
pub fn average_ranks(x: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..x.len()).collect();
    order.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut ranks = vec![0.0; x.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && x[order[end]] == x[order[start]] {
            end += 1;
        }
        let rank = (start + end + 1) as f64 / 2.0;
        order[start..end].iter().for_each(|&k| ranks[k] = rank);
        start = end;
    }
    ranks
}

/// pandas `qcut(x, q, labels=False, duplicates="drop")`: the 0-based bin of each value (`None`
/// for a NaN; edges at numpy's linear quantiles, the first bin closed on the left) and the number
/// of bins left after duplicate edges are dropped.
pub fn qcut(pred: &[f64], q: usize) -> (Vec<Option<usize>>, usize) {
    let mut sorted: Vec<f64> = pred.iter().copied().filter(|p| !p.is_nan()).collect();
    if sorted.is_empty() || q == 0 {
        return (vec![None; pred.len()], 0);
    }
    sorted.sort_by(f64::total_cmp);
    let quantile = |p: f64| {
        let pos = p * (sorted.len() - 1) as f64;
        let (lo, frac) = (pos.floor() as usize, pos - pos.floor());
        let (a, b) = (sorted[lo], sorted[(lo + 1).min(sorted.len() - 1)]);
        if frac >= 0.5 {
            b - (b - a) * (1.0 - frac)
        } else {
            a + (b - a) * frac
        }
    };
    let mut edges: Vec<f64> = (0..=q).map(|k| quantile(k as f64 / q as f64)).collect();
    edges.dedup();
    let bins = edges.len().saturating_sub(1);
    let assign = |p: f64| -> Option<usize> {
        if p.is_nan() || bins == 0 {
            return None;
        }
        // (e[k], e[k+1]] with the first bin also holding e[0]
        let k = edges[1..].partition_point(|e| *e < p);
        Some(k.min(bins - 1))
    };
    (pred.iter().map(|p| assign(*p)).collect(), bins)
}

/// Serde for an `f64` that may be NaN: NaN (or an infinity) is written as `null` and `null` reads
/// back as NaN, so JSON (which has no NaN) round-trips it. Use with `#[serde(with = ...)]`.
pub mod nan_as_null {
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes a finite value as a number, anything else as `null`.
    pub fn serialize<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
        if v.is_finite() {
            s.serialize_f64(*v)
        } else {
            s.serialize_none()
        }
    }

    /// Reads a number, or `null` as NaN.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
    }
}

/// [`nan_as_null`] for a list of (prediction, realised) pairs.
pub mod nan_pairs_as_null {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Writes each pair as two numbers or `null`s.
    pub fn serialize<S: Serializer>(v: &[(f64, f64)], s: S) -> Result<S::Ok, S::Error> {
        let f = |x: f64| x.is_finite().then_some(x);
        v.iter().map(|(a, b)| (f(*a), f(*b))).collect::<Vec<_>>().serialize(s)
    }

    /// Reads pairs, `null` as NaN.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(f64, f64)>, D::Error> {
        let v = Vec::<(Option<f64>, Option<f64>)>::deserialize(d)?;
        Ok(v.into_iter().map(|(a, b)| (a.unwrap_or(f64::NAN), b.unwrap_or(f64::NAN))).collect())
    }
}

/// Serde for a list whose non-finite entries are infinities (a ROC curve's first threshold):
/// written as `null`, read back as +inf.
pub mod null_as_inf {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Writes finite values as numbers, anything else as `null`.
    pub fn serialize<S: Serializer>(v: &[f64], s: S) -> Result<S::Ok, S::Error> {
        v.iter().map(|x| x.is_finite().then_some(*x)).collect::<Vec<_>>().serialize(s)
    }

    /// Reads numbers, `null` as +inf.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
        let v = Vec::<Option<f64>>::deserialize(d)?;
        Ok(v.into_iter().map(|x| x.unwrap_or(f64::INFINITY)).collect())
    }
}

/// The centred sums of `y` against its row number 0, 1, ..: `(sxy, sxx, syy)` about the row
/// mean and `y_mean` (the caller's mean, so that it can round as its reference does). The
/// least-squares slope is `sxy / sxx`, the squared correlation `sxy^2 / (sxx syy)`.
pub fn sums_against_row(y: &[f64], y_mean: f64) -> (f64, f64, f64) {
    let x_mean = (y.len() as f64 - 1.0) / 2.0;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (i, v) in y.iter().enumerate() {
        let (dx, dy) = (i as f64 - x_mean, v - y_mean);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    (sxy, sxx, syy)
}
