//! A random forest for feature importances, in scikit-learn's design: each tree is a CART grown
//! on a bootstrap sample, choosing at each node the best exact threshold among a random subset of
//! `max_features` features (Gini impurity for classes, variance for a continuous target), to
//! `max_depth`; class weights multiply each sample's weight. A feature's importance is its total
//! weighted impurity decrease in a tree, normalised to sum to 1 per tree, averaged over the trees
//! (scikit-learn's `feature_importances_`). Trees grow in parallel, each from its own seed, so the
//! result does not depend on the number of threads.
//!
//! Why our own and not a crate: smartcore's random forest keeps its trees private and gives no
//! importances; linfa has single trees and a generic bagging learner but no per-split feature
//! sampling. Boruta needs only importances, which this gives in about 200 lines.

use crate::rng::Rng;

/// What the forest fits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Task {
    /// Labels 0 / 1, Gini impurity, with the two class weights.
    Classify([f64; 2]),
    /// A continuous target, variance impurity.
    Regress,
}

/// Forest settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ForestSpec {
    /// Number of trees.
    pub trees: usize,
    /// Maximum depth (the root is depth 0).
    pub max_depth: usize,
    /// Features tried at each split.
    pub max_features: usize,
    /// Fewest samples a node must hold to be split.
    pub min_samples_split: usize,
    /// Seed of the bootstrap and feature draws.
    pub seed: u64,
}

/// Samples as rows of features with a target.
#[derive(Debug, Clone, Copy)]
pub struct Data<'a> {
    /// Row-major `n x p` features.
    pub x: &'a [f64],
    /// Number of features p.
    pub p: usize,
    /// Targets (0 / 1 for classification).
    pub y: &'a [f64],
}

impl Data<'_> {
    fn n(&self) -> usize {
        self.y.len()
    }

    fn at(&self, i: usize, j: usize) -> f64 {
        self.x[i * self.p + j]
    }
}

/// Impurity sums of a set of weighted samples.
#[derive(Debug, Clone, Copy, Default)]
struct Stats {
    w: f64,
    /// Classification: weight of class 1. Regression: weighted sum of y.
    s1: f64,
    /// Regression: weighted sum of y^2.
    s2: f64,
}

impl Stats {
    fn add(&mut self, w: f64, y: f64, task: Task) {
        self.w += w;
        match task {
            Task::Classify(_) => self.s1 += w * y,
            Task::Regress => {
                self.s1 += w * y;
                self.s2 += w * y * y;
            }
        }
    }

    fn minus(self, o: Stats) -> Stats {
        Stats { w: self.w - o.w, s1: self.s1 - o.s1, s2: self.s2 - o.s2 }
    }

    /// Impurity times weight (Gini or variance, each weighted by the node's weight).
    fn weighted_impurity(&self, task: Task) -> f64 {
        if self.w <= 0.0 {
            return 0.0;
        }
        match task {
            Task::Classify(_) => {
                let p1 = self.s1 / self.w;
                self.w * 2.0 * p1 * (1.0 - p1)
            }
            Task::Regress => (self.s2 - self.s1 * self.s1 / self.w).max(0.0),
        }
    }
}

/// The mean importance of each feature over a forest fitted to `data`.
pub fn importances(data: &Data, task: Task, spec: &ForestSpec) -> Vec<f64> {
    let threads =
        std::thread::available_parallelism().map_or(1, |k| k.get()).min(spec.trees.max(1));
    let mut total = vec![0.0; data.p];
    let per_thread: Vec<Vec<Vec<f64>>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|k| {
                s.spawn(move || {
                    (k..spec.trees)
                        .step_by(threads)
                        .map(|t| {
                            tree_importances(data, task, spec, Rng::derive(spec.seed, t as u64))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("a forest thread panicked")).collect()
    });
    // Sum in tree order (thread k holds trees k, k + threads, ...), so the result is the same
    // for any number of threads.
    let mut trees: Vec<Option<&Vec<f64>>> = vec![None; spec.trees];
    for (k, list) in per_thread.iter().enumerate() {
        for (m, imp) in list.iter().enumerate() {
            trees[k + m * threads] = Some(imp);
        }
    }
    for imp in trees.into_iter().flatten() {
        total.iter_mut().zip(imp).for_each(|(a, b)| *a += b);
    }
    total.iter_mut().for_each(|v| *v /= spec.trees.max(1) as f64);
    total
}

/// One tree's normalised importances.
fn tree_importances(data: &Data, task: Task, spec: &ForestSpec, mut rng: Rng) -> Vec<f64> {
    let n = data.n();
    // bootstrap counts become sample weights (as scikit-learn does), times the class weight
    let mut weight = vec![0.0; n];
    for _ in 0..n {
        weight[rng.below(n)] += 1.0;
    }
    if let Task::Classify(cw) = task {
        for (w, y) in weight.iter_mut().zip(data.y) {
            *w *= cw[usize::from(*y > 0.5)];
        }
    }
    let rows: Vec<usize> = (0..n).filter(|&i| weight[i] > 0.0).collect();
    let mut imp = vec![0.0; data.p];
    let mut features: Vec<usize> = (0..data.p).collect();
    let mut stack = vec![(rows, 0usize)];
    while let Some((rows, depth)) = stack.pop() {
        if depth >= spec.max_depth || rows.len() < spec.min_samples_split.max(2) {
            continue;
        }
        let mut parent = Stats::default();
        rows.iter().for_each(|&i| parent.add(weight[i], data.y[i], task));
        let parent_imp = parent.weighted_impurity(task);
        if parent_imp <= 1e-12 * parent.w.max(1.0) {
            continue; // pure
        }
        // a partial Fisher-Yates draw of max_features features
        let m = spec.max_features.clamp(1, data.p);
        for k in 0..m {
            let r = k + rng.below(data.p - k);
            features.swap(k, r);
        }
        let mut best: Option<(f64, usize, f64)> = None; // (children impurity, feature, threshold)
        let mut pairs: Vec<(f64, usize)> = Vec::with_capacity(rows.len());
        for &j in &features[..m] {
            pairs.clear();
            pairs.extend(rows.iter().map(|&i| (data.at(i, j), i)));
            pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
            let mut left = Stats::default();
            for k in 0..pairs.len() - 1 {
                let (v, i) = pairs[k];
                left.add(weight[i], data.y[i], task);
                let next = pairs[k + 1].0;
                if next <= v {
                    continue; // no threshold between equal values
                }
                let right = parent.minus(left);
                let children = left.weighted_impurity(task) + right.weighted_impurity(task);
                if best.is_none_or(|(b, _, _)| children < b) {
                    best = Some((children, j, v + (next - v) / 2.0));
                }
            }
        }
        let Some((children, j, threshold)) = best else { continue };
        imp[j] += parent_imp - children;
        let (l, r): (Vec<usize>, Vec<usize>) =
            rows.iter().partition(|&&i| data.at(i, j) <= threshold);
        stack.push((l, depth + 1));
        stack.push((r, depth + 1));
    }
    let sum: f64 = imp.iter().sum();
    if sum > 0.0 {
        imp.iter_mut().for_each(|v| *v /= sum);
    }
    imp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_informative_feature_gets_the_importance_and_threads_do_not_matter() {
        let mut rng = Rng::new(3);
        let (n, p) = (400, 5);
        let mut x = vec![0.0; n * p];
        let mut y = vec![0.0; n];
        for i in 0..n {
            for j in 0..p {
                x[i * p + j] = rng.normal();
            }
            y[i] = f64::from(u8::from(x[i * p + 2] + 0.3 * rng.normal() > 0.0));
        }
        let data = Data { x: &x, p, y: &y };
        let spec =
            ForestSpec { trees: 50, max_depth: 4, max_features: 2, min_samples_split: 2, seed: 9 };
        let imp = importances(&data, Task::Classify([1.0, 1.0]), &spec);
        assert!((imp.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        assert!(imp[2] > 0.5, "{imp:?}");
        assert_eq!(imp, importances(&data, Task::Classify([1.0, 1.0]), &spec), "seeded");
        let yr: Vec<f64> = (0..n).map(|i| x[i * p] * 2.0 + 0.1 * rng.normal()).collect();
        let reg = importances(&Data { x: &x, p, y: &yr }, Task::Regress, &spec);
        assert!(reg[0] > 0.5, "{reg:?}");
    }
}
