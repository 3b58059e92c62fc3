//! Binary classification quality with scikit-learn's definitions: labels are 0/1, a probability
//! `p` is called 1 when `p > threshold` (the `(model.predict(x) > 0.5)` of Keras studies). Pairs
//! with a NaN are skipped.
//!
//! - `classification_report`: per class precision, recall, F1 and support; accuracy; macro and
//!   support-weighted averages. A zero division (no predicted or no true members) gives 0, as
//!   scikit-learn's default `zero_division="warn"` does.
//! - `confusion_matrix`: rows true class, columns predicted class (`[[tn, fp], [fn, tp]]`).
//! - `roc_curve`: scikit-learn's `roc_curve(drop_intermediate=True)`: thresholds at the distinct
//!   scores in decreasing order, the first at +inf, collinear points dropped.
//! - `roc_auc`: scikit-learn's `roc_auc_score`, the trapezoid area under the full curve (ties
//!   handled by the distinct thresholds); undefined with one class only.

use serde::Serialize;

fn pairs(prob: &[f64], label: &[f64]) -> Vec<(f64, bool)> {
    prob.iter()
        .zip(label)
        .filter(|(p, y)| p.is_finite() && y.is_finite())
        .map(|(p, y)| (*p, *y > 0.5))
        .collect()
}

/// Precision, recall, F1 and support of one class.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassScores {
    /// Of the predicted members, the share that are members.
    pub precision: f64,
    /// Of the members, the share predicted.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
    /// Members.
    pub support: usize,
}

/// scikit-learn's `classification_report` for two classes.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassificationReport {
    /// Class 0 ("down").
    pub class_0: ClassScores,
    /// Class 1 ("up").
    pub class_1: ClassScores,
    /// Share of correct calls.
    pub accuracy: f64,
    /// Unweighted mean of the two classes' scores.
    pub macro_avg: ClassScores,
    /// Support-weighted mean.
    pub weighted_avg: ClassScores,
    /// The 2 x 2 confusion matrix `[[tn, fp], [fn, tp]]`.
    pub confusion: [[usize; 2]; 2],
}

/// The report at `threshold`; `None` with no pairs.
pub fn classification_report(
    prob: &[f64],
    label: &[f64],
    threshold: f64,
) -> Option<ClassificationReport> {
    let v = pairs(prob, label);
    if v.is_empty() {
        return None;
    }
    let mut m = [[0usize; 2]; 2];
    for (p, y) in &v {
        m[usize::from(*y)][usize::from(*p > threshold)] += 1;
    }
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let scores = |c: usize| {
        let tp = m[c][c];
        let predicted = m[0][c] + m[1][c];
        let support = m[c][0] + m[c][1];
        let (precision, recall) = (ratio(tp, predicted), ratio(tp, support));
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        ClassScores { precision, recall, f1, support }
    };
    let (c0, c1) = (scores(0), scores(1));
    let n = v.len();
    let avg = |w0: f64, w1: f64| ClassScores {
        precision: w0 * c0.precision + w1 * c1.precision,
        recall: w0 * c0.recall + w1 * c1.recall,
        f1: w0 * c0.f1 + w1 * c1.f1,
        support: n,
    };
    let (s0, s1) = (c0.support as f64 / n as f64, c1.support as f64 / n as f64);
    Some(ClassificationReport {
        class_0: c0,
        class_1: c1,
        accuracy: (m[0][0] + m[1][1]) as f64 / n as f64,
        macro_avg: avg(0.5, 0.5),
        weighted_avg: avg(s0, s1),
        confusion: m,
    })
}

/// A ROC curve: false and true positive rates at decreasing thresholds.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RocCurve {
    /// False positive rates.
    pub fpr: Vec<f64>,
    /// True positive rates.
    pub tpr: Vec<f64>,
    /// Thresholds (the first is +inf, written as `null`).
    #[serde(with = "crate::numeric::null_as_inf")]
    pub thresholds: Vec<f64>,
}

/// Cumulative (false, true) positives at each distinct score, highest first.
fn cumulative(v: &mut [(f64, bool)]) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    v.sort_by(|a, b| b.0.total_cmp(&a.0));
    let (mut fps, mut tps, mut thr) = (vec![], vec![], vec![]);
    let (mut fp, mut tp) = (0.0, 0.0);
    for (k, (p, y)) in v.iter().enumerate() {
        if *y {
            tp += 1.0;
        } else {
            fp += 1.0;
        }
        if k + 1 == v.len() || v[k + 1].0 != *p {
            fps.push(fp);
            tps.push(tp);
            thr.push(*p);
        }
    }
    (fps, tps, thr)
}

/// scikit-learn's `roc_curve`; `None` unless both classes occur.
pub fn roc_curve(prob: &[f64], label: &[f64]) -> Option<RocCurve> {
    let mut v = pairs(prob, label);
    let (fps, tps, thr) = cumulative(&mut v);
    let (p, n) = (*tps.last()?, *fps.last()?);
    if p == 0.0 || n == 0.0 {
        return None;
    }
    // drop_intermediate: keep the ends and the points where the curve changes direction
    let mut keep = vec![0usize];
    for k in 1..fps.len().saturating_sub(1) {
        let second_diff_f = fps[k + 1] - 2.0 * fps[k] + fps[k - 1];
        let second_diff_t = tps[k + 1] - 2.0 * tps[k] + tps[k - 1];
        if second_diff_f != 0.0 || second_diff_t != 0.0 {
            keep.push(k);
        }
    }
    if fps.len() > 1 {
        keep.push(fps.len() - 1);
    }
    let mut curve = RocCurve { fpr: vec![0.0], tpr: vec![0.0], thresholds: vec![f64::INFINITY] };
    for k in keep {
        curve.fpr.push(fps[k] / n);
        curve.tpr.push(tps[k] / p);
        curve.thresholds.push(thr[k]);
    }
    Some(curve)
}

/// scikit-learn's `roc_auc_score`; `None` unless both classes occur.
pub fn roc_auc(prob: &[f64], label: &[f64]) -> Option<f64> {
    let mut v = pairs(prob, label);
    let (fps, tps, _) = cumulative(&mut v);
    let (p, n) = (*tps.last()?, *fps.last()?);
    if p == 0.0 || n == 0.0 {
        return None;
    }
    let (mut area, mut f0, mut t0) = (0.0, 0.0, 0.0);
    for (f, t) in fps.iter().zip(&tps) {
        let (f1, t1) = (f / n, t / p);
        area += (f1 - f0) * (t1 + t0) / 2.0;
        (f0, t0) = (f1, t1);
    }
    Some(area)
}
