//! Numerical kernels that reproduce pandas' arithmetic (so that values agree to rounding): rolling
//! windows that need every value present, and `ewm(adjust=False).mean()` with pandas' NaN rules.

/// Mean of the last `n` values (NaN unless all n are present): pandas-ta's `sma`, with pandas'
/// own online algorithm ([`online::rolling_mean`]).
pub fn rolling_mean(x: &[f64], n: usize) -> Vec<f64> {
    online::rolling_mean(x, n)
}

/// Sample standard deviation (ddof = 1) of the last `n` values; NaN unless all are present
/// (pandas' online algorithm, [`online::rolling_std`]).
pub fn rolling_std(x: &[f64], n: usize) -> Vec<f64> {
    if n < 2 {
        return vec![f64::NAN; x.len()];
    }
    online::rolling_std(x, n)
}

/// pandas `Series.ewm(alpha=alpha, adjust=False).mean()` (ignore_na=False, min_periods=0): the
/// first present value starts the average; a missing value leaves the previous result and decays
/// the old weight, so the next value x gets `y = (w y + alpha x) / (w + alpha)` with
/// `w = (1 - alpha)^(gap + 1)`, as pandas documents. (pandas 3.1 departs from this at exactly
/// alpha = 0.5 after a gap, giving `w y + (1 - w) x`; pandas-ta reaches alpha = 0.5 only for EMA(3)
/// or RMA(2) on a series with interior gaps.)
pub fn ewm_mean(x: &[f64], alpha: f64) -> Vec<f64> {
    let mut out = vec![f64::NAN; x.len()];
    let mut weighted = f64::NAN;
    let mut old_wt = 1.0;
    for (t, &cur) in x.iter().enumerate() {
        if weighted.is_nan() {
            if !cur.is_nan() {
                weighted = cur;
            }
        } else {
            old_wt *= 1.0 - alpha;
            if !cur.is_nan() {
                if weighted != cur {
                    weighted = (old_wt * weighted + alpha * cur) / (old_wt + alpha);
                }
                old_wt = 1.0;
            }
        }
        out[t] = weighted;
    }
    out
}

/// pandas-ta's pi in Ehlers' filters (SSF, SSF3, TRENDFLEX, REFLEX): 3.14159, not `f64::consts::PI`.
#[allow(clippy::approx_constant)] // pandas-ta's rounded value, which its values carry
pub const PANDAS_TA_PI: f64 = 3.141_59;

/// pandas-ta's square root of 2 in the same filters: 1.414.
#[allow(clippy::approx_constant)]
pub const PANDAS_TA_SQRT2: f64 = 1.414;

/// pandas-ta's square root of 3 in SSF3: 1.732.
pub const PANDAS_TA_SQRT3: f64 = 1.732;

/// numpy's sum of a contiguous float array (`add.reduce`): pairwise, in blocks of up to 128
/// values summed with 8 accumulators, so pandas' `mean` rounds as numpy does.
pub fn numpy_sum(a: &[f64]) -> f64 {
    let n = a.len();
    if n < 8 {
        a.iter().fold(0.0, |s, v| s + v)
    } else if n <= 128 {
        let mut r = [0.0f64; 8];
        r.copy_from_slice(&a[..8]);
        let whole = n - n % 8;
        for block in a[8..whole].chunks_exact(8) {
            for (acc, v) in r.iter_mut().zip(block) {
                *acc += v;
            }
        }
        let mut res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for v in &a[whole..] {
            res += v;
        }
        res
    } else {
        let half = n / 2;
        let half = half - half % 8;
        numpy_sum(&a[..half]) + numpy_sum(&a[half..])
    }
}

/// pandas-ta's "presma" start (as TA-Lib): NaN before index n-1, the mean of the present values
/// among the first n at n-1 (pandas' `mean` skips NaN, summing as numpy does), then the values
/// as they are.
pub fn sma_seeded(x: &[f64], n: usize) -> Vec<f64> {
    let mut out = x.to_vec();
    if n == 0 || x.len() < n {
        return vec![f64::NAN; x.len()];
    }
    let present = x[..n].iter().filter(|v| !v.is_nan()).count();
    let filled: Vec<f64> = x[..n].iter().map(|v| if v.is_nan() { 0.0 } else { *v }).collect();
    let seed = if present == 0 { f64::NAN } else { numpy_sum(&filled) / present as f64 };
    out[..n - 1].iter_mut().for_each(|v| *v = f64::NAN);
    out[n - 1] = seed;
    out
}

/// pandas-ta's `ema(x, n)` with `presma`: the SMA-seeded series smoothed with alpha = 2 / (n + 1).
pub fn ema(x: &[f64], n: usize) -> Vec<f64> {
    ewm_mean(&sma_seeded(x, n), 2.0 / (n as f64 + 1.0))
}

/// Applies `f` to `x` from its first present value on (pandas' `series.loc[first_valid_index():]`)
/// and pads the result back with NaN.
pub fn from_first_valid(x: &[f64], f: impl Fn(&[f64]) -> Vec<f64>) -> Vec<f64> {
    let start = x.iter().position(|v| !v.is_nan()).unwrap_or(x.len());
    let mut out = vec![f64::NAN; start];
    out.extend(f(&x[start..]));
    out
}

/// pandas-ta's `non_zero_range(a, b)`, made causal: a - b, plus machine epsilon from the first
/// bar where a == b on. **pandas-ta adds the epsilon to every bar when any bar of the whole series
/// has a == b, so a flat bar in the future changes the past (by 2.2e-16 absolute, enough to move
/// a ratio such as BOP or a sign); alphaseq does not copy that look-ahead.** The two agree on any
/// series whose first flat bar, if any, is its first bar (the fixtures' series are of both kinds).
pub fn non_zero_range(a: &[f64], b: &[f64]) -> Vec<f64> {
    let eps = flat_since(a, b);
    a.iter().zip(b).zip(eps).map(|((x, y), e)| x - y + e).collect()
}

/// Machine epsilon from the first t with a\[t\] == b\[t\] on, 0 before: the causal form of
/// pandas-ta's "any a == b" rule.
pub fn flat_since(a: &[f64], b: &[f64]) -> Vec<f64> {
    let mut seen = false;
    a.iter()
        .zip(b)
        .map(|(x, y)| {
            seen |= x == y;
            if seen {
                f64::EPSILON
            } else {
                0.0
            }
        })
        .collect()
}

/// `f` over every complete window of `n` values ending at t (NaN if a value is missing).
pub fn rolling(x: &[f64], n: usize, f: impl Fn(&[f64]) -> f64) -> Vec<f64> {
    let mut out = vec![f64::NAN; x.len()];
    for t in n.saturating_sub(1)..x.len() {
        let w = &x[t + 1 - n..=t];
        if w.iter().all(|v| !v.is_nan()) {
            out[t] = f(w);
        }
    }
    out
}

/// pandas' `cumsum()` (skipna): NaN where the input is NaN, the running sum of the present values
/// elsewhere.
pub fn cumsum(x: &[f64]) -> Vec<f64> {
    let mut total = 0.0;
    x.iter()
        .map(|v| {
            if v.is_nan() {
                f64::NAN
            } else {
                total += v;
                total
            }
        })
        .collect()
}

/// Sum of each complete window of `n` values (NaN if one is missing).
pub fn rolling_sum(x: &[f64], n: usize) -> Vec<f64> {
    online::rolling_sum(x, n)
}

/// The accumulation/distribution money flow of each bar: (2 close - high - low) volume / (high -
/// low), the range with pandas-ta's epsilon (pandas-ta `ad` without an open).
pub fn money_flow(x: &super::Ohlcv) -> Vec<f64> {
    let range = non_zero_range(x.high, x.low);
    (0..x.close.len())
        .map(|t| (2.0 * x.close[t] - (x.high[t] + x.low[t])) * x.volume[t] / range[t])
        .collect()
}

/// `x[t-n]`, NaN for the first n (pandas' `shift(n)`).
pub fn shift(x: &[f64], n: usize) -> Vec<f64> {
    (0..x.len()).map(|t| if t < n { f64::NAN } else { x[t - n] }).collect()
}

/// The last present value on or before each index, NaN before the first (pandas' `ffill`:
/// only NaN is filled, an infinite value is kept).
pub fn forward_filled(x: &[f64]) -> Vec<f64> {
    let mut last = f64::NAN;
    x.iter()
        .map(|&v| {
            if !v.is_nan() {
                last = v;
            }
            last
        })
        .collect()
}

/// pandas `rolling(n, min_periods = 1)` reduced with `f` (`f64::max`, `f64::min`): over the values
/// present among the last n, NaN only when none is.
pub fn rolling_partial(x: &[f64], n: usize, f: fn(f64, f64) -> f64) -> Vec<f64> {
    (0..x.len())
        .map(|t| {
            x[t + 1 - n.min(t + 1)..=t]
                .iter()
                .filter(|v| !v.is_nan())
                .copied()
                .reduce(f)
                .unwrap_or(f64::NAN)
        })
        .collect()
}

/// `x[t] - x[t-n]`, NaN for the first n.
pub fn diff(x: &[f64], n: usize) -> Vec<f64> {
    (0..x.len()).map(|t| if t < n { f64::NAN } else { x[t] - x[t - n] }).collect()
}

/// The dot product of `w` (oldest first) with each complete window of `w.len()` values (NaN if
/// one is missing): pandas-ta's `rolling(n).apply(weights(w))`.
pub fn weighted_window(x: &[f64], w: &[f64]) -> Vec<f64> {
    rolling(x, w.len(), |win| win.iter().zip(w).map(|(v, k)| v * k).sum())
}

/// pandas-ta's `wma(x, n)`: weights 1..=n on the last n values (newest heaviest) over n (n + 1) / 2;
/// NaN where the window holds a missing value.
pub fn wma(x: &[f64], n: usize) -> Vec<f64> {
    let scale = 2.0 / (n * n + n) as f64;
    let mut out = vec![f64::NAN; x.len()];
    for t in n.saturating_sub(1)..x.len() {
        let s: f64 = (0..n).map(|k| (k + 1) as f64 * x[t + 1 - n + k]).sum();
        out[t] = s * scale;
    }
    out
}

/// Median of each complete window of `n` values (the mean of the middle two for even n), NaN if
/// one is missing: pandas `rolling(n).median()`.
pub fn rolling_median(x: &[f64], n: usize) -> Vec<f64> {
    rolling_sorted(x, n, |sorted| {
        let n = sorted.len();
        if n % 2 == 1 {
            sorted[n / 2]
        } else {
            0.5 * (sorted[n / 2 - 1] + sorted[n / 2])
        }
    })
}

/// `pick` of each complete window of `n` values in ascending order (NaN if one is missing); the
/// window is kept sorted as it slides (a binary search out and in per bar), not sorted afresh.
pub fn rolling_sorted(x: &[f64], n: usize, pick: impl Fn(&[f64]) -> f64) -> Vec<f64> {
    let mut out = vec![f64::NAN; x.len()];
    let mut sorted: Vec<f64> = Vec::with_capacity(n + 1);
    let mut present = 0usize;
    for t in 0..x.len() {
        if x[t].is_nan() {
            present = 0;
            sorted.clear();
            continue;
        }
        present += 1;
        if present > n {
            let old = x[t - n];
            let at = sorted.partition_point(|v| v.total_cmp(&old).is_lt());
            sorted.remove(at);
        }
        let at = sorted.partition_point(|v| v.total_cmp(&x[t]).is_lt());
        sorted.insert(at, x[t]);
        if present >= n && n > 0 {
            out[t] = pick(&sorted);
        }
    }
    out
}

/// Rolling maximum over complete windows of n (NaN if a value is missing).
pub fn rolling_max(x: &[f64], n: usize) -> Vec<f64> {
    rolling_extreme(x, n, |a, b| a >= b)
}

/// Rolling minimum over complete windows of n (NaN if a value is missing).
pub fn rolling_min(x: &[f64], n: usize) -> Vec<f64> {
    rolling_extreme(x, n, |a, b| a <= b)
}

/// The extreme of each complete window of n (NaN if a value is missing), with a monotonic queue
/// of candidate indices: O(1) per bar whatever the window. `keeps(a, b)`: a newer value a
/// makes an older b no longer a candidate.
fn rolling_extreme(x: &[f64], n: usize, keeps: impl Fn(f64, f64) -> bool) -> Vec<f64> {
    let mut out = vec![f64::NAN; x.len()];
    let mut queue = std::collections::VecDeque::with_capacity(n + 1);
    let mut last_missing: Option<usize> = None;
    for t in 0..x.len() {
        if x[t].is_nan() {
            last_missing = Some(t);
            queue.clear();
            continue;
        }
        while queue.back().is_some_and(|&b: &usize| keeps(x[t], x[b])) {
            queue.pop_back();
        }
        queue.push_back(t);
        while queue.front().is_some_and(|&f| f + n <= t) {
            queue.pop_front();
        }
        let complete = n > 0 && t + 1 >= n && last_missing.is_none_or(|m| m + n <= t);
        if complete {
            out[t] = queue.front().map_or(f64::NAN, |&f| x[f]);
        }
    }
    out
}

/// numpy's `maximum`: NaN if either side is NaN (`f64::max` would return the other side).
pub fn nan_max(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else {
        a.max(b)
    }
}

/// numpy's `minimum`: NaN if either side is NaN.
pub fn nan_min(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else {
        a.min(b)
    }
}

/// The window's central moments m2, m3, m4 (each a mean over the n values, not n - 1), about its
/// mean: the building blocks of pandas' bias-corrected rolling skew and kurtosis.
pub fn central_moments(w: &[f64]) -> [f64; 3] {
    let n = w.len() as f64;
    let m = w.iter().sum::<f64>() / n;
    [2, 3, 4].map(|k| w.iter().map(|v| (v - m).powi(k)).sum::<f64>() / n)
}

/// pandas' smoothing factor from `halflife` (`ewm(halflife=h)`): alpha = 1 / (1 + com) with
/// com = 1 / (1 - exp(ln 0.5 / h)) - 1, computed along pandas' path so the rounding agrees.
pub fn alpha_from_halflife(halflife: f64) -> f64 {
    let decay = 1.0 - (0.5f64.ln() / halflife).exp();
    1.0 / (1.0 + (1.0 / decay - 1.0))
}

/// pandas' smoothing factor from `span` (`ewm(span=s)`): alpha = 1 / (1 + (s - 1) / 2).
pub fn alpha_from_span(span: f64) -> f64 {
    1.0 / (1.0 + (span - 1.0) / 2.0)
}

/// pandas `Series.ewm(alpha=alpha, min_periods=min_periods).mean()` with the default
/// `adjust=True` (weights (1 - alpha)^age over all past values, normalised) and `ignore_na=False`
/// (a missing value still ages the older ones). NaN until `min_periods` values are present.
pub fn ewm_mean_adjusted(x: &[f64], alpha: f64, min_periods: usize) -> Vec<f64> {
    let decay = 1.0 - alpha;
    let mut out = vec![f64::NAN; x.len()];
    let (mut weighted, mut old_wt, mut nobs) = (f64::NAN, 1.0, 0usize);
    for (t, &cur) in x.iter().enumerate() {
        let observed = !cur.is_nan();
        nobs += usize::from(observed);
        if weighted.is_nan() {
            weighted = cur;
        } else {
            old_wt *= decay;
            if observed {
                if weighted != cur {
                    weighted = (old_wt * weighted + cur) / (old_wt + 1.0);
                }
                old_wt += 1.0;
            }
        }
        if nobs >= min_periods.max(1) {
            out[t] = weighted;
        }
    }
    out
}

/// pandas `Series.ewm(alpha=alpha, min_periods=min_periods).std()` (`adjust=True`, `bias=False`,
/// `ignore_na=False`): the square root of pandas' online exponentially weighted variance with its
/// bias correction (sum w)^2 / ((sum w)^2 - sum w^2); NaN until `min_periods` values are present
/// and where the correction is undefined (a single value).
pub fn ewm_std(x: &[f64], alpha: f64, min_periods: usize) -> Vec<f64> {
    let decay = 1.0 - alpha;
    let mut out = vec![f64::NAN; x.len()];
    let (mut mean, mut cov, mut nobs) = (f64::NAN, 0.0, 0usize);
    let (mut sum_wt, mut sum_wt2, mut old_wt) = (1.0, 1.0, 1.0);
    for (t, &cur) in x.iter().enumerate() {
        let observed = !cur.is_nan();
        nobs += usize::from(observed);
        if mean.is_nan() {
            mean = cur;
        } else {
            sum_wt *= decay;
            sum_wt2 *= decay * decay;
            old_wt *= decay;
            if observed {
                let old_mean = mean;
                if mean != cur {
                    mean = (old_wt * old_mean + cur) / (old_wt + 1.0);
                }
                cov = (old_wt * (cov + (old_mean - mean) * (old_mean - mean))
                    + (cur - mean) * (cur - mean))
                    / (old_wt + 1.0);
                sum_wt += 1.0;
                sum_wt2 += 1.0;
                old_wt += 1.0;
            }
        }
        if nobs >= min_periods.max(1) {
            let numerator = sum_wt * sum_wt;
            let denominator = numerator - sum_wt2;
            if denominator > 0.0 {
                out[t] = (numerator / denominator * cov).max(0.0).sqrt();
            }
        }
    }
    out
}

/// Sample covariance (ddof = 1) of the last `n` pairs; NaN unless all 2n values are present
/// (pandas `x.rolling(n).cov(y)`).
pub fn rolling_cov(x: &[f64], y: &[f64], n: usize) -> Vec<f64> {
    let mut out = vec![f64::NAN; x.len()];
    for t in n.saturating_sub(1)..x.len() {
        let (wx, wy) = (&x[t + 1 - n..=t], &y[t + 1 - n..=t]);
        if n > 1 && wx.iter().chain(wy).all(|v| !v.is_nan()) {
            let mx = wx.iter().sum::<f64>() / n as f64;
            let my = wy.iter().sum::<f64>() / n as f64;
            let s: f64 = wx.iter().zip(wy).map(|(a, b)| (a - mx) * (b - my)).sum();
            out[t] = s / (n - 1) as f64;
        }
    }
    out
}

/// pandas' online rolling accumulators (`pandas/_libs/window/aggregations.pyx`), O(1) per bar
/// whatever the window: a Kahan-compensated running sum and Welford's running variance, values
/// added and removed as the window slides, missing values skipped, and pandas' rule that a window
/// of identical values has exactly that mean and zero variance. Used where windows are long (the
/// momentum features' 252-bar statistics); results agree with the two-pass kernels above to
/// rounding and with pandas more closely still.
pub mod online {
    /// Count, compensated sum, count of negative values and same-value run of a sliding window.
    #[derive(Default)]
    struct Sum {
        nobs: usize,
        sum: f64,
        compensation_add: f64,
        compensation_remove: f64,
        negative: usize,
        same: usize,
        prev: f64,
    }

    impl Sum {
        fn add(&mut self, v: f64) {
            if v.is_nan() {
                return;
            }
            self.nobs += 1;
            let y = v - self.compensation_add;
            let t = self.sum + y;
            self.compensation_add = t - self.sum - y;
            self.sum = t;
            self.negative += usize::from(v.is_sign_negative());
            if v == self.prev {
                self.same += 1;
            } else {
                self.same = 1;
                self.prev = v;
            }
        }

        fn remove(&mut self, v: f64) {
            if v.is_nan() {
                return;
            }
            self.nobs -= 1;
            let y = -v - self.compensation_remove;
            let t = self.sum + y;
            self.compensation_remove = t - self.sum - y;
            self.sum = t;
            self.negative -= usize::from(v.is_sign_negative());
        }
    }

    /// The output of a window of `n` ending at every t: `value(state, window)` when all `n` values
    /// are present, NaN otherwise. `step` updates the state from the previous window's (values
    /// leaving first, then the new one, as pandas does).
    fn slide<S>(
        x: &[f64],
        n: usize,
        state: &mut S,
        step: impl Fn(&mut S, Option<f64>, f64),
        value: impl Fn(&mut S, &[f64]) -> f64,
    ) -> Vec<f64> {
        let mut out = vec![f64::NAN; x.len()];
        let mut missing = 0usize;
        for t in 0..x.len() {
            let leaving = (t >= n).then(|| x[t - n]);
            missing -= leaving.map_or(0, |v| usize::from(v.is_nan()));
            missing += usize::from(x[t].is_nan());
            step(state, leaving, x[t]);
            if n > 0 && t + 1 >= n && missing == 0 {
                out[t] = value(state, &x[t + 1 - n..=t]);
            }
        }
        out
    }

    fn sum_step(s: &mut Sum, leaving: Option<f64>, v: f64) {
        if let Some(old) = leaving {
            s.remove(old);
        }
        s.add(v);
    }

    /// pandas `x.rolling(n).sum()` (`roll_sum`).
    pub fn rolling_sum(x: &[f64], n: usize) -> Vec<f64> {
        let value = |s: &mut Sum, _: &[f64]| {
            if s.same >= s.nobs {
                s.prev * s.nobs as f64
            } else {
                s.sum
            }
        };
        slide(x, n, &mut Sum::default(), sum_step, value)
    }

    /// pandas `x.rolling(n).mean()` (`roll_mean`, with its rules that a window of equal values has
    /// exactly that mean and a window of one sign a mean of that sign or zero).
    pub fn rolling_mean(x: &[f64], n: usize) -> Vec<f64> {
        let value = |s: &mut Sum, _: &[f64]| {
            let mean = s.sum / s.nobs as f64;
            if s.same >= s.nobs {
                s.prev
            } else if (s.negative == 0 && mean < 0.0) || (s.negative == s.nobs && mean > 0.0) {
                0.0
            } else {
                mean
            }
        };
        slide(x, n, &mut Sum::default(), sum_step, value)
    }

    /// Welford's running mean and sum of squared deviations, with Kahan compensation and pandas'
    /// flag for a catastrophic cancellation (the sum of squares falling below 1e3 eps of its
    /// previous value), after which the window is recomputed from scratch.
    #[derive(Default)]
    struct Var {
        nobs: f64,
        mean: f64,
        ssqdm: f64,
        compensation_add: f64,
        compensation_remove: f64,
        unstable: bool,
    }

    const INV_COND_TOL: f64 = f64::EPSILON * 1e3;

    impl Var {
        fn add(&mut self, v: f64) {
            if v.is_nan() {
                return;
            }
            let prev_m2 = self.ssqdm;
            self.nobs += 1.0;
            let prev_mean = self.mean - self.compensation_add;
            let y = v - self.compensation_add;
            let t = y - self.mean;
            self.compensation_add = t + self.mean - y;
            self.mean += t / self.nobs;
            self.ssqdm += (v - prev_mean) * (v - self.mean);
            if prev_m2 * INV_COND_TOL > self.ssqdm {
                self.unstable = true;
            }
        }

        fn remove(&mut self, v: f64) {
            if v.is_nan() {
                return;
            }
            let prev_m2 = self.ssqdm;
            self.nobs -= 1.0;
            if self.nobs == 0.0 {
                (self.mean, self.ssqdm, self.unstable) = (0.0, 0.0, false);
                return;
            }
            let prev_mean = self.mean - self.compensation_remove;
            let y = v - self.compensation_remove;
            let t = y - self.mean;
            self.compensation_remove = t + self.mean - y;
            self.mean -= t / self.nobs;
            self.ssqdm -= (v - prev_mean) * (v - self.mean);
            if prev_m2 * INV_COND_TOL > self.ssqdm {
                self.unstable = true;
            }
        }
    }

    /// pandas `x.rolling(n).var()` (`roll_var`, ddof = 1).
    pub fn rolling_var(x: &[f64], n: usize) -> Vec<f64> {
        let step = |s: &mut Var, leaving: Option<f64>, v: f64| {
            if let Some(old) = leaving {
                s.remove(old);
            }
            s.add(v);
        };
        let value = |s: &mut Var, window: &[f64]| {
            if s.unstable {
                *s = Var::default();
                window.iter().for_each(|v| s.add(*v));
                s.unstable = false;
            }
            if s.nobs > 1.0 {
                s.ssqdm / (s.nobs - 1.0)
            } else {
                f64::NAN
            }
        };
        slide(x, n, &mut Var::default(), step, value)
    }

    /// pandas `x.rolling(n).std()`: the root of [`rolling_var`], a negative variance (rounding)
    /// giving 0 (pandas' `zsqrt`).
    pub fn rolling_std(x: &[f64], n: usize) -> Vec<f64> {
        rolling_var(x, n).into_iter().map(|v| if v < 0.0 { 0.0 } else { v.sqrt() }).collect()
    }

    /// pandas `x.rolling(n).cov(y)` (ddof = 1): (mean(xy) - mean(x) mean(y)) n / (n - 1) from
    /// three rolling means, as pandas computes it.
    pub fn rolling_cov(x: &[f64], y: &[f64], n: usize) -> Vec<f64> {
        let xy: Vec<f64> = x.iter().zip(y).map(|(a, b)| a * b).collect();
        // A pair counts only when both are present (pandas' notna(x + y) count).
        let pair = |v: &[f64], w: &[f64]| -> Vec<f64> {
            v.iter().zip(w).map(|(a, b)| if b.is_nan() { f64::NAN } else { *a }).collect()
        };
        let (mx, my, mxy) =
            (rolling_mean(&pair(x, y), n), rolling_mean(&pair(y, x), n), rolling_mean(&xy, n));
        let bias = n as f64 / (n as f64 - 1.0);
        (0..x.len()).map(|t| (mxy[t] - mx[t] * my[t]) * bias).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ewm_follows_pandas_including_gaps() {
        // pandas 3.1.1: pd.Series([1., 2, None, None, None, 8, 3]).ewm(alpha=0.3, adjust=False).mean()
        //   -> [1.0, 1.3, 1.3, 1.3, 1.3, 5.02153304943529, 4.415073134604703]
        let y = ewm_mean(&[1.0, 2.0, f64::NAN, f64::NAN, f64::NAN, 8.0, 3.0], 0.3);
        for (a, b) in y.iter().zip([1.0, 1.3, 1.3, 1.3, 1.3, 5.02153304943529, 4.415073134604703]) {
            assert!((a - b).abs() < 1e-12, "{y:?}");
        }
        let lead = ewm_mean(&[f64::NAN, 2.0, 4.0], 0.5);
        assert!(lead[0].is_nan() && lead[1] == 2.0 && lead[2] == 3.0);
    }

    #[test]
    fn online_rolling_statistics_follow_pandas() {
        // pandas 3.1.1: s = pd.Series([1., 2, 4, None, 5, 5, 5, 7, 1e8, 3, 2, 1])
        //   s.rolling(3).var() -> [nan, nan, 2.333333333333333, nan, nan, nan, 0.0,
        //                          1.333333333333333, 3333332933333346.5, 3333333000000012.5,
        //                          3333333166666669.0, 1.0]
        //   s.rolling(3).sum().iloc[8:] -> [100000012.0, 100000010.0, 100000005.0, 6.0]
        let s = [1.0, 2.0, 4.0, f64::NAN, 5.0, 5.0, 5.0, 7.0, 1e8, 3.0, 2.0, 1.0];
        let var = online::rolling_var(&s, 3);
        assert!((var[2] - 2.333333333333333).abs() < 1e-12);
        assert!(var[3].is_nan() && var[5].is_nan());
        assert_eq!(var[6], 0.0, "identical values have zero variance exactly");
        assert!((var[7] - 1.3333333333333333).abs() < 1e-12);
        for (a, b) in
            var[8..11].iter().zip([3333332933333346.5, 3333333000000012.5, 3333333166666669.0])
        {
            assert!((a - b).abs() <= 1e-12 * b, "{var:?}");
        }
        assert_eq!(var[11], 1.0, "the window is clean again after the huge value leaves");
        assert_eq!(online::rolling_sum(&s, 3)[8..], [100000012.0, 100000010.0, 100000005.0, 6.0]);
        let two_pass = rolling_std(&s, 3);
        for (a, b) in online::rolling_std(&s, 3).iter().zip(&two_pass).take(8) {
            assert!(a.is_nan() && b.is_nan() || (a - b).abs() < 1e-12);
        }
        let y = [2.0, 1.0, 0.0, 3.0, 5.0];
        let cov = online::rolling_cov(&s[..5], &y, 3);
        // pandas: s.iloc[:5].rolling(3).cov(pd.Series(y)) -> [nan, nan, -1.5, nan, nan]
        assert!((cov[2] + 1.5).abs() < 1e-12 && cov[3].is_nan());
    }

    #[test]
    fn adjusted_ewm_mean_and_std_follow_pandas_including_gaps() {
        // pandas 3.1.1: s = pd.Series([1., 2, None, 4, 8, 3])
        //   s.ewm(alpha=0.3).mean() -> [1.0, 1.5882352941176472, 1.5882352941176472,
        //                               2.903982542280415, 5.1360430992948185, 4.3139094054661555]
        //   s.ewm(alpha=0.3).std()  -> [nan, 0.7071067811865476, 0.7071067811865475,
        //                               1.613923145545008, 3.267322485028476, 2.7551810624017117]
        let s = [1.0, 2.0, f64::NAN, 4.0, 8.0, 3.0];
        let mean = ewm_mean_adjusted(&s, 0.3, 0);
        let std = ewm_std(&s, 0.3, 0);
        let want_mean = [
            1.0,
            1.5882352941176472,
            1.5882352941176472,
            2.903982542280415,
            5.1360430992948185,
            4.3139094054661555,
        ];
        let want_std = [
            std::f64::consts::FRAC_1_SQRT_2, // 0.7071067811865476
            0.7071067811865475,
            1.613923145545008,
            3.267322485028476,
            2.7551810624017117,
        ];
        for (a, b) in mean.iter().zip(want_mean) {
            assert!((a - b).abs() < 1e-12, "{mean:?}");
        }
        assert!(std[0].is_nan());
        for (a, b) in std[1..].iter().zip(want_std) {
            assert!((a - b).abs() < 1e-12, "{std:?}");
        }
        assert!(
            ewm_mean_adjusted(&s, 0.3, 3)[1].is_nan() && !ewm_mean_adjusted(&s, 0.3, 3)[3].is_nan()
        );
    }
}
