//! TA-Lib's algorithms (the C library 0.8.1 that the `TA-Lib` Python package 0.8.2 bundles), for the
//! `talib` convention: what pandas-ta returns with TA-Lib installed. Each function follows TA-Lib's
//! own arithmetic (its seeds, its running sums, its zero tests) so that values agree to rounding,
//! and pads its lookback with NaN as the Python wrapper does. Like the wrapper, each starts at the
//! first row where every input is present (leading NaN skipped); a missing value after that
//! propagates as in TA-Lib.
//!
//! Tested through the indicators that use them against `pandas_ta_talib_values.json.gz`
//! (tools/oracles/pandas_ta_talib_values.py, which checks pandas-ta's columns against TA-Lib's
//! functions called directly).

/// TA-Lib's `TA_EPSILON`: below it a range or a variance counts as zero (`TA_IS_ZERO_OR_NEG`).
const EPSILON: f64 = 1e-14;

/// The first row from which every one of `inputs` is present.
fn begin(inputs: &[&[f64]]) -> usize {
    let n = inputs[0].len();
    (0..n).find(|&t| inputs.iter().all(|x| !x[t].is_nan())).unwrap_or(n)
}

/// Runs `f` on the inputs from their first complete row and pads the result back with NaN.
fn from_begin(inputs: &[&[f64]], f: impl Fn(&[&[f64]]) -> Vec<f64>) -> Vec<f64> {
    let start = begin(inputs);
    let tail: Vec<&[f64]> = inputs.iter().map(|x| &x[start..]).collect();
    let mut out = vec![f64::NAN; start];
    out.extend(f(&tail));
    out
}

/// `TA_SMA`: the mean of the last `n` values by a running total; lookback n - 1.
pub fn sma(x: &[f64], n: usize) -> Vec<f64> {
    from_begin(&[x], |v| sma_from(v[0], n))
}

fn sma_from(x: &[f64], n: usize) -> Vec<f64> {
    let m = x.len();
    let mut out = vec![f64::NAN; m];
    if n == 0 || m < n {
        return out;
    }
    let mut total: f64 = x[..n - 1].iter().sum();
    for t in n - 1..m {
        total += x[t];
        out[t] = total / n as f64;
        total -= x[t + 1 - n];
    }
    out
}

/// `TA_EMA` with TA-Lib's default compatibility: seeded with the SMA of the first `n` values
/// (at row n - 1), then `prev + (x - prev) k` with `k = 2 / (n + 1)`.
pub fn ema(x: &[f64], n: usize) -> Vec<f64> {
    from_begin(&[x], |v| ema_from(v[0], n, 2.0 / (n as f64 + 1.0)))
}

fn ema_from(x: &[f64], n: usize, k: f64) -> Vec<f64> {
    let m = x.len();
    let mut out = vec![f64::NAN; m];
    if n == 0 || m < n {
        return out;
    }
    let mut prev = x[..n].iter().sum::<f64>() / n as f64;
    out[n - 1] = prev;
    for t in n..m {
        prev = (x[t] - prev) * k + prev;
        out[t] = prev;
    }
    out
}

/// `TA_DEMA`: 2 EMA - EMA(EMA); lookback 2 (n - 1).
pub fn dema(x: &[f64], n: usize) -> Vec<f64> {
    let e1 = ema(x, n);
    let e2 = ema(&e1, n);
    e1.iter().zip(&e2).map(|(a, b)| 2.0 * a - b).collect()
}

/// `TA_TEMA`: 3 EMA - 3 EMA(EMA) + EMA(EMA(EMA)); lookback 3 (n - 1).
pub fn tema(x: &[f64], n: usize) -> Vec<f64> {
    let e1 = ema(x, n);
    let e2 = ema(&e1, n);
    let e3 = ema(&e2, n);
    (0..x.len()).map(|t| 3.0 * e1[t] - 3.0 * e2[t] + e3[t]).collect()
}

/// `TA_TRIMA`: the triangular mean, an SMA of an SMA over `n / 2 + 1` and `(n + 1) / 2` values
/// (n even: weights 1, 2, .. n/2, n/2, .. 2, 1); lookback n - 1.
pub fn trima(x: &[f64], n: usize) -> Vec<f64> {
    let (a, b) = if n % 2 == 1 { (n.div_ceil(2), n.div_ceil(2)) } else { (n / 2, n / 2 + 1) };
    sma(&sma(x, a), b)
}

/// `TA_TRANGE`: the true range from the second bar on.
pub fn true_range(high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    from_begin(&[high, low, close], |v| {
        let (h, l, c) = (v[0], v[1], v[2]);
        (0..h.len())
            .map(|t| {
                if t == 0 {
                    return f64::NAN;
                }
                let greatest = h[t] - l[t];
                let up = (c[t - 1] - h[t]).abs();
                let down = (c[t - 1] - l[t]).abs();
                greatest.max(up).max(down)
            })
            .collect()
    })
}

/// `TA_ATR`: Wilder's average of the true range, seeded with the SMA of its first `n` values (at
/// row n); lookback n.
pub fn atr(high: &[f64], low: &[f64], close: &[f64], n: usize) -> Vec<f64> {
    let tr = true_range(high, low, close);
    if n <= 1 {
        return tr;
    }
    let start = tr.iter().position(|v| !v.is_nan()).unwrap_or(tr.len());
    let mut out = vec![f64::NAN; tr.len()];
    if tr.len() < start + n {
        return out;
    }
    let mut prev = tr[start..start + n].iter().sum::<f64>() / n as f64;
    out[start + n - 1] = prev;
    for t in start + n..tr.len() {
        prev = (prev * (n as f64 - 1.0) + tr[t]) / n as f64;
        out[t] = prev;
    }
    out
}

/// `TA_NATR`: 100 ATR / close (0 where the close is 0).
pub fn natr(high: &[f64], low: &[f64], close: &[f64], n: usize) -> Vec<f64> {
    let atr = atr(high, low, close, n);
    atr.iter()
        .zip(close)
        .map(|(a, c)| {
            if a.is_nan() {
                f64::NAN
            } else if *c != 0.0 {
                a / c * 100.0
            } else {
                0.0
            }
        })
        .collect()
}

/// Wilder's smoothed gains and losses of TA-Lib's RSI and CMO: the mean of the first `n` changes
/// (at row n), then `(prev (n - 1) + change) / n`; `f(gain, loss)` gives the output.
fn wilder_oscillator(x: &[f64], n: usize, f: impl Fn(f64, f64) -> f64) -> Vec<f64> {
    from_begin(&[x], |v| {
        let x = v[0];
        let m = x.len();
        let mut out = vec![f64::NAN; m];
        if n < 2 || m <= n {
            return out;
        }
        let (mut gain, mut loss) = (0.0, 0.0);
        // a change goes to the gains or (as its size) to the losses
        let book = |t: usize, gain: &mut f64, loss: &mut f64| {
            let d = x[t] - x[t - 1];
            if d < 0.0 {
                *loss -= d;
            } else {
                *gain += d;
            }
        };
        for t in 1..=n {
            book(t, &mut gain, &mut loss);
        }
        gain /= n as f64;
        loss /= n as f64;
        out[n] = f(gain, loss);
        for t in n + 1..m {
            loss *= n as f64 - 1.0;
            gain *= n as f64 - 1.0;
            book(t, &mut gain, &mut loss);
            loss /= n as f64;
            gain /= n as f64;
            out[t] = f(gain, loss);
        }
        out
    })
}

/// `TA_RSI`: `100 gain / (gain + loss)` of Wilder's smoothed changes (0 when both are 0);
/// lookback n.
pub fn rsi(x: &[f64], n: usize) -> Vec<f64> {
    wilder_oscillator(x, n, |g, l| if g + l != 0.0 { 100.0 * (g / (g + l)) } else { 0.0 })
}

/// `TA_CMO`: `100 (gain - loss) / (gain + loss)` of the same smoothed changes; lookback n.
pub fn cmo(x: &[f64], n: usize) -> Vec<f64> {
    wilder_oscillator(x, n, |g, l| if g + l != 0.0 { 100.0 * ((g - l) / (g + l)) } else { 0.0 })
}

/// `TA_VAR` (population variance); lookback n - 1. TA-Lib 0.8's values agree with the mean
/// squared deviation from the window's mean to about 1e-12 (not with the running totals of
/// values and squares of running-total form, which differs by 1e-10 on prices), so alphaseq computes
/// that.
pub fn var(x: &[f64], n: usize) -> Vec<f64> {
    let mean = sma(x, n);
    (0..x.len())
        .map(|t| {
            if mean[t].is_nan() {
                f64::NAN
            } else {
                squared_deviation(&x[t + 1 - n..=t], mean[t])
            }
        })
        .collect()
}

/// The mean squared deviation of `window` from `mean`.
fn squared_deviation(window: &[f64], mean: f64) -> f64 {
    window.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / window.len() as f64
}

/// `TA_STDDEV(n, nbdev)`: `sqrt(VAR) nbdev`, 0 where the variance is below TA-Lib's epsilon.
pub fn stddev(x: &[f64], n: usize, nbdev: f64) -> Vec<f64> {
    var(x, n)
        .into_iter()
        .map(|v| {
            if v.is_nan() {
                v
            } else if v < EPSILON {
                0.0
            } else {
                v.sqrt() * nbdev
            }
        })
        .collect()
}

/// `TA_BBANDS(n, up, down, SMA)`: the SMA and the population standard deviation about it (as
/// [`var`], 0 below TA-Lib's epsilon); returns (upper, middle, lower).
pub fn bbands(x: &[f64], n: usize, up: f64, down: f64) -> [Vec<f64>; 3] {
    let middle = sma(x, n);
    let m = x.len();
    let sd: Vec<f64> = (0..m)
        .map(|t| {
            if middle[t].is_nan() {
                return f64::NAN;
            }
            let v = squared_deviation(&x[t + 1 - n..=t], middle[t]);
            if v < EPSILON {
                0.0
            } else {
                v.sqrt()
            }
        })
        .collect();
    let band = |k: f64| -> Vec<f64> { (0..m).map(|t| middle[t] + k * sd[t]).collect() };
    let (upper, lower) = if up == down {
        let width: Vec<f64> = sd.iter().map(|s| s * up).collect();
        (
            (0..m).map(|t| middle[t] + width[t]).collect(),
            (0..m).map(|t| middle[t] - width[t]).collect(),
        )
    } else {
        (band(up), band(-down))
    };
    [upper, middle, lower]
}

/// `TA_MACD(fast, slow, signal)`: both EMAs seeded at row slow - 1 (the fast one with the SMA of
/// the `fast` values ending there, so it starts later than an EMA of its own), the signal an EMA
/// of the MACD line seeded with its first `signal` values; every output from row
/// slow + signal - 2. Returns (macd, signal, histogram).
pub fn macd(x: &[f64], fast: usize, slow: usize, signal: usize) -> [Vec<f64>; 3] {
    let (fast, slow) = if slow < fast { (slow, fast) } else { (fast, slow) };
    let start = begin(&[x]);
    let m = x.len();
    let mut out = [vec![f64::NAN; m], vec![f64::NAN; m], vec![f64::NAN; m]];
    let first = start + slow - 1;
    let lookback = slow - 1 + signal - 1;
    if m < start + lookback + 1 {
        return out;
    }
    let k = |n: usize| 2.0 / (n as f64 + 1.0);
    let run = |n: usize| -> Vec<f64> {
        let mut e = vec![f64::NAN; m];
        let mut prev = x[first + 1 - n..=first].iter().sum::<f64>() / n as f64;
        e[first] = prev;
        for t in first + 1..m {
            prev = (x[t] - prev) * k(n) + prev;
            e[t] = prev;
        }
        e
    };
    let (f, s) = (run(fast), run(slow));
    let line: Vec<f64> = (first..m).map(|t| f[t] - s[t]).collect();
    let sig = ema_from(&line, signal, k(signal));
    for (i, t) in (first..m).enumerate() {
        if t >= start + lookback {
            out[0][t] = line[i];
            out[1][t] = sig[i];
            out[2][t] = line[i] - sig[i];
        }
    }
    out
}

/// `TA_WCLPRICE`: `(high + low + 2 close) / 4`.
pub fn wclprice(high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    (0..close.len()).map(|t| (high[t] + low[t] + close[t] * 2.0) / 4.0).collect()
}

/// `TA_OBV`: the first volume, then plus (minus) each volume on a higher (lower) close.
pub fn obv(close: &[f64], volume: &[f64]) -> Vec<f64> {
    from_begin(&[close, volume], |v| {
        let (c, vol) = (v[0], v[1]);
        let mut out = Vec::with_capacity(c.len());
        let mut prev = vol.first().copied().unwrap_or(f64::NAN);
        for t in 0..c.len() {
            if t > 0 {
                if c[t] > c[t - 1] {
                    prev += vol[t];
                } else if c[t] < c[t - 1] {
                    prev -= vol[t];
                }
            }
            out.push(prev);
        }
        out
    })
}

/// `TA_ADOSC(fast, slow)`: EMAs of the accumulation/distribution line, both started at its
/// first value and updated as `k ad + (1 - k) prev`; lookback slow - 1 (of the slower period).
pub fn adosc(
    high: &[f64],
    low: &[f64],
    close: &[f64],
    volume: &[f64],
    fast: usize,
    slow: usize,
) -> Vec<f64> {
    from_begin(&[high, low, close, volume], |v| {
        let (h, l, c, vol) = (v[0], v[1], v[2], v[3]);
        let m = h.len();
        let mut out = vec![f64::NAN; m];
        let lookback = fast.max(slow) - 1;
        if m <= lookback {
            return out;
        }
        let (kf, ks) = (2.0 / (fast as f64 + 1.0), 2.0 / (slow as f64 + 1.0));
        let mut ad = 0.0;
        let mut step = |t: usize| {
            let range = h[t] - l[t];
            if range > 0.0 {
                ad += (((c[t] - l[t]) - (h[t] - c[t])) / range) * vol[t];
            }
            ad
        };
        let first = step(0);
        let (mut fast_ema, mut slow_ema) = (first, first);
        for t in 1..m {
            let ad = step(t);
            fast_ema = kf * ad + (1.0 - kf) * fast_ema;
            slow_ema = ks * ad + (1.0 - ks) * slow_ema;
            if t >= lookback {
                out[t] = fast_ema - slow_ema;
            }
        }
        out
    })
}

/// `TA_BOP`: `(close - open) / (high - low)`, 0 where the range is below TA-Lib's epsilon.
pub fn bop(open: &[f64], high: &[f64], low: &[f64], close: &[f64]) -> Vec<f64> {
    (0..close.len())
        .map(|t| {
            let range = high[t] - low[t];
            if range.is_nan() || close[t].is_nan() || open[t].is_nan() {
                f64::NAN
            } else if range < EPSILON {
                0.0
            } else {
                (close[t] - open[t]) / range
            }
        })
        .collect()
}

/// `TA_MFI(n)`: the money flow of a rising (falling) typical price summed over the last `n`
/// changes; `100 pos / (pos + neg)`, 0 when that total is below 1; lookback n.
pub fn mfi(high: &[f64], low: &[f64], close: &[f64], volume: &[f64], n: usize) -> Vec<f64> {
    from_begin(&[high, low, close, volume], |v| {
        let (h, l, c, vol) = (v[0], v[1], v[2], v[3]);
        let m = h.len();
        let mut out = vec![f64::NAN; m];
        if n == 0 || m <= n {
            return out;
        }
        let tp: Vec<f64> = (0..m).map(|t| (h[t] + l[t] + c[t]) / 3.0).collect();
        let mut flows = vec![(0.0, 0.0); m];
        for t in 1..m {
            let money = tp[t] * vol[t];
            flows[t] = if tp[t] > tp[t - 1] {
                (money, 0.0)
            } else if tp[t] < tp[t - 1] {
                (0.0, money)
            } else {
                (0.0, 0.0)
            };
        }
        let (mut pos, mut neg) = (0.0, 0.0);
        for &(p, q) in &flows[1..=n] {
            pos += p;
            neg += q;
        }
        for t in n..m {
            if t > n {
                pos += flows[t].0 - flows[t - n].0;
                neg += flows[t].1 - flows[t - n].1;
            }
            let total = pos + neg;
            out[t] = if total < 1.0 { 0.0 } else { 100.0 * (pos / total) };
        }
        out
    })
}

/// `TA_ULTOSC(p1, p2, p3)`: the buying pressure over the true range summed over three windows
/// (periods sorted), `100 (4 a1 + 2 a2 + a3) / 7`; lookback the longest period.
pub fn ultosc(high: &[f64], low: &[f64], close: &[f64], periods: [usize; 3]) -> Vec<f64> {
    let mut p = periods;
    p.sort_unstable();
    p.reverse();
    // TA-Lib sorts longest first and names them in reverse: a1 is the shortest
    let (long, middle, short) = (p[0], p[1], p[2]);
    from_begin(&[high, low, close], |v| {
        let (h, l, c) = (v[0], v[1], v[2]);
        let m = h.len();
        let mut out = vec![f64::NAN; m];
        if m <= long {
            return out;
        }
        let mut bp = vec![0.0; m];
        let mut tr = vec![0.0; m];
        for t in 1..m {
            let true_low = l[t].min(c[t - 1]);
            bp[t] = c[t] - true_low;
            tr[t] = h[t].max(c[t - 1]) - true_low;
        }
        let sums = |n: usize, t: usize| -> (f64, f64) {
            (t + 1 - n..=t).fold((0.0, 0.0), |(a, b), i| (a + bp[i], b + tr[i]))
        };
        for t in long..m {
            let ratio = |n: usize| {
                let (b, r) = sums(n, t);
                if r != 0.0 {
                    b / r
                } else {
                    0.0
                }
            };
            out[t] = 100.0 * ((4.0 * ratio(short) + 2.0 * ratio(middle) + ratio(long)) / 7.0);
        }
        out
    })
}

/// `TA_CCI(n)`: `(tp - mean) / (0.015 mean deviation)` of the typical price over `n` bars, 0
/// where either is 0; lookback n - 1.
pub fn cci(high: &[f64], low: &[f64], close: &[f64], n: usize) -> Vec<f64> {
    from_begin(&[high, low, close], |v| {
        let (h, l, c) = (v[0], v[1], v[2]);
        let m = h.len();
        let mut out = vec![f64::NAN; m];
        if n == 0 || m < n {
            return out;
        }
        let tp: Vec<f64> = (0..m).map(|t| (h[t] + l[t] + c[t]) / 3.0).collect();
        for t in n - 1..m {
            let window = &tp[t + 1 - n..=t];
            let average = window.iter().sum::<f64>() / n as f64;
            let deviation = window.iter().map(|v| (v - average).abs()).sum::<f64>() / n as f64;
            let distance = tp[t] - average;
            out[t] = if distance != 0.0 && deviation != 0.0 {
                distance / (0.015 * deviation)
            } else {
                0.0
            };
        }
        out
    })
}

/// TA-Lib's fast %K: `(close - lowest low) / ((highest high - lowest low) / 100)` over `n` bars,
/// 0 where the range is 0; from row n - 1.
fn fast_k(high: &[f64], low: &[f64], close: &[f64], n: usize) -> Vec<f64> {
    let m = high.len();
    let mut out = vec![f64::NAN; m];
    for t in n.saturating_sub(1)..m {
        let lo = low[t + 1 - n..=t].iter().copied().fold(f64::INFINITY, f64::min);
        let hi = high[t + 1 - n..=t].iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let diff = (hi - lo) / 100.0;
        out[t] = if diff != 0.0 { (close[t] - lo) / diff } else { 0.0 };
    }
    out
}

/// `TA_STOCH(k, slow_k SMA, slow_d SMA)`: (slow %K, slow %D), both from row
/// k - 1 + slow_k - 1 + slow_d - 1.
pub fn stoch(
    high: &[f64],
    low: &[f64],
    close: &[f64],
    k: usize,
    slow_k: usize,
    slow_d: usize,
) -> [Vec<f64>; 2] {
    let start = begin(&[high, low, close]);
    let m = high.len();
    let fk = fast_k(&high[start..], &low[start..], &close[start..], k);
    let sk = sma_from_offset(&fk, k - 1, slow_k);
    let sd = sma_from_offset(&sk, k - 1 + slow_k - 1, slow_d);
    let lookback = k - 1 + slow_k - 1 + slow_d - 1;
    [pad(&sk, start, lookback, m), pad(&sd, start, lookback, m)]
}

/// `TA_STOCHF(k, fast_d SMA)`: (fast %K, fast %D), both from row k - 1 + fast_d - 1.
pub fn stochf(high: &[f64], low: &[f64], close: &[f64], k: usize, fast_d: usize) -> [Vec<f64>; 2] {
    let start = begin(&[high, low, close]);
    let m = high.len();
    let fk = fast_k(&high[start..], &low[start..], &close[start..], k);
    let fd = sma_from_offset(&fk, k - 1, fast_d);
    let lookback = k - 1 + fast_d - 1;
    [pad(&fk, start, lookback, m), pad(&fd, start, lookback, m)]
}

/// `TA_T3(n, v)`: six EMAs in cascade (`k x + (1 - k) prev`, each seeded with the mean of the
/// previous one's first `n` values), combined with TA-Lib's coefficients; lookback 6 (n - 1).
pub fn t3(x: &[f64], n: usize, v: f64) -> Vec<f64> {
    from_begin(&[x], |x| {
        let x = x[0];
        let (m, lookback) = (x.len(), 6 * (n.max(1) - 1));
        let mut out = vec![f64::NAN; m];
        if m <= lookback {
            return out;
        }
        if n <= 1 {
            return x.to_vec();
        }
        let k = 2.0 / (n as f64 + 1.0);
        let one_minus_k = 1.0 - k;
        let mut e = [0.0; 6];
        let mut today = 0;
        let mut total = 0.0;
        for _ in 0..n {
            total += x[today];
            today += 1;
        }
        e[0] = total / n as f64;
        // e[j] is seeded with the mean of e[j - 1]'s first n values, the lower ones updated on
        for j in 1..6 {
            let mut total = e[j - 1];
            for _ in 1..n {
                e[0] = k * x[today] + one_minus_k * e[0];
                today += 1;
                for i in 1..j {
                    e[i] = k * e[i - 1] + one_minus_k * e[i];
                }
                total += e[j - 1];
            }
            e[j] = total / n as f64;
        }
        let square = v * v;
        let c1 = -square * v;
        let c2 = 3.0 * (square - c1);
        let c3 = -6.0 * square - 3.0 * (v - c1);
        let c4 = 1.0 + 3.0 * v - c1 + 3.0 * square;
        let combined = |e: &[f64; 6]| c1 * e[5] + c2 * e[4] + c3 * e[3] + c4 * e[2];
        out[lookback] = combined(&e);
        for t in today..m {
            e[0] = k * x[t] + one_minus_k * e[0];
            for i in 1..6 {
                e[i] = k * e[i - 1] + one_minus_k * e[i];
            }
            out[t] = combined(&e);
        }
        out
    })
}

/// `TA_LINEARREG(n)` (`ahead` 0) and `TA_TSF(n)` (`ahead` 1): the least-squares line through the
/// last `n` values evaluated at the newest bar, or one bar beyond it, from TA-Lib's sums over
/// x = the lag; lookback n - 1.
pub fn linearreg(x: &[f64], n: usize, ahead: usize) -> Vec<f64> {
    from_begin(&[x], |x| {
        let x = x[0];
        let len = n as f64;
        let sum_x = len * (len - 1.0) * 0.5;
        let sum_x_sqr = len * (len - 1.0) * (2.0 * len - 1.0) / 6.0;
        let divisor = sum_x * sum_x - len * sum_x_sqr;
        let mut out = vec![f64::NAN; x.len()];
        for t in n.max(1) - 1..x.len() {
            let (mut sum_xy, mut sum_y) = (0.0, 0.0);
            for i in (0..n).rev() {
                sum_y += x[t - i];
                sum_xy += i as f64 * x[t - i];
            }
            let m = (len * sum_xy - sum_x * sum_y) / divisor;
            let b = (sum_y - m * sum_x) / len;
            out[t] = b + m * (len - 1.0 + ahead as f64);
        }
        out
    })
}

/// One bar's directional movements (+DM1, -DM1) as TA-Lib splits them.
fn directional_movement(high: &[f64], low: &[f64], t: usize) -> (f64, f64) {
    let plus = high[t] - high[t - 1];
    let minus = low[t - 1] - low[t];
    if minus > 0.0 && plus < minus {
        (0.0, minus)
    } else if plus > 0.0 && plus > minus {
        (plus, 0.0)
    } else {
        (0.0, 0.0)
    }
}

/// `TA_PLUS_DM(n)` and `TA_MINUS_DM(n)`: Wilder's running sums of the one-bar movements, the first
/// the plain sum of n - 1 of them (at row n - 1), then `prev - prev / n + dm`; lookback n - 1.
pub fn directional_movements(high: &[f64], low: &[f64], n: usize) -> [Vec<f64>; 2] {
    let run = |minus: bool| {
        from_begin(&[high, low], |v| {
            let (h, l) = (v[0], v[1]);
            let mut out = vec![f64::NAN; h.len()];
            let mut prev = 0.0;
            for t in 1..h.len() {
                let (p, m) = directional_movement(h, l, t);
                let dm = if minus { m } else { p };
                if n <= 1 {
                    out[t] = dm;
                    continue;
                }
                if t < n - 1 {
                    prev += dm;
                    continue;
                }
                prev = if t == n - 1 { prev + dm } else { prev - prev / n as f64 + dm };
                out[t] = prev;
            }
            out
        })
    };
    [run(false), run(true)]
}

/// `TA_ADX(n)`: Wilder's sums of +DM, -DM and the true range (each started with the plain sum of
/// n - 1 bars), DX = `100 |-DI - +DI| / (-DI + +DI)` (skipped where a total is below TA-Lib's
/// epsilon), the first ADX the mean of n DX, then `(prev (n - 1) + dx) / n`; lookback 2 n - 1.
pub fn adx(high: &[f64], low: &[f64], close: &[f64], n: usize) -> Vec<f64> {
    from_begin(&[high, low, close], |v| {
        let (h, l, c) = (v[0], v[1], v[2]);
        let m = h.len();
        let mut out = vec![f64::NAN; m];
        let lookback = 2 * n - 1;
        if n < 2 || m <= lookback {
            return out;
        }
        let nf = n as f64;
        let is_zero = |x: f64| -EPSILON < x && x < EPSILON;
        let (mut plus, mut minus, mut tr) = (0.0, 0.0, 0.0);
        let (mut sum_dx, mut prev_adx) = (0.0, f64::NAN);
        for t in 1..m {
            let (p, q) = directional_movement(h, l, t);
            let range = (h[t] - l[t]).max((h[t] - c[t - 1]).abs()).max((l[t] - c[t - 1]).abs());
            if t < n {
                plus += p;
                minus += q;
                tr += range;
                continue;
            }
            plus = plus - plus / nf + p;
            minus = minus - minus / nf + q;
            tr = tr - tr / nf + range;
            let mut dx = None;
            if !is_zero(tr) {
                let (minus_di, plus_di) = (100.0 * (minus / tr), 100.0 * (plus / tr));
                let total = minus_di + plus_di;
                if !is_zero(total) {
                    dx = Some(100.0 * ((minus_di - plus_di).abs() / total));
                }
            }
            if t < lookback {
                sum_dx += dx.unwrap_or(0.0);
                continue;
            }
            if t == lookback {
                sum_dx += dx.unwrap_or(0.0);
                prev_adx = sum_dx / nf;
            } else if let Some(dx) = dx {
                prev_adx = (prev_adx * (nf - 1.0) + dx) / nf;
            }
            out[t] = prev_adx;
        }
        out
    })
}

/// TA-Lib's price smoother for the Hilbert transform: a 4-bar WMA by running sums.
struct PriceWma {
    sub: f64,
    sum: f64,
    trailing: f64,
    trailing_idx: usize,
}

impl PriceWma {
    /// Started on the first three prices (`x[0..3]`).
    fn new(x: &[f64]) -> PriceWma {
        PriceWma {
            sub: x[0] + x[1] + x[2],
            sum: x[0] + x[1] * 2.0 + x[2] * 3.0,
            trailing: 0.0,
            trailing_idx: 0,
        }
    }

    /// Started and run over the prices before row `first` (TA-Lib's unrolled start).
    fn warmed(x: &[f64], first: usize) -> PriceWma {
        let mut wma = PriceWma::new(x);
        for value in &x[3..first] {
            wma.step(x, *value);
        }
        wma
    }

    /// The smoothed price with `value` (the next price) added.
    fn step(&mut self, x: &[f64], value: f64) -> f64 {
        self.sub += value;
        self.sub -= self.trailing;
        self.sum += value * 4.0;
        self.trailing = x[self.trailing_idx];
        self.trailing_idx += 1;
        let smoothed = self.sum * 0.1;
        self.sum -= self.sub;
        smoothed
    }
}

/// One of the Hilbert transform's four filters (detrender, Q1, jI, jQ), with TA-Lib's separate
/// circular buffers for even and odd bars.
#[derive(Default)]
struct HilbertFilter {
    buffer: [[f64; 3]; 2],
    prev: [f64; 2],
    prev_input: [f64; 2],
}

impl HilbertFilter {
    fn step(&mut self, parity: usize, idx: usize, input: f64, adjusted: f64) -> f64 {
        let temp = 0.0962 * input;
        let mut out = 0.0 - self.buffer[parity][idx];
        self.buffer[parity][idx] = temp;
        out += temp;
        out -= self.prev[parity];
        self.prev[parity] = 0.5769 * self.prev_input[parity];
        out += self.prev[parity];
        self.prev_input[parity] = input;
        out * adjusted
    }
}

/// The Hilbert transform of TA-Lib's MAMA and HT_TRENDLINE: filters, the in-phase and quadrature
/// components and the dominant cycle's period, bar by bar.
#[derive(Default)]
struct Hilbert {
    filters: [HilbertFilter; 4],
    idx: usize,
    /// The detrender 2 and 3 bars of the same parity back, for even and for odd bars.
    i1_prev: [[f64; 2]; 2],
    q2: f64,
    i2: f64,
    re: f64,
    im: f64,
    period: f64,
}

impl Hilbert {
    /// Transforms bar `today`'s smoothed price; returns (Q1, I1), I1 the detrender 3 bars back.
    fn transform(&mut self, today: usize, smoothed: f64) -> (f64, f64) {
        let adjusted = 0.075 * self.period + 0.54;
        let (parity, idx) = (today % 2, self.idx);
        let i1 = self.i1_prev[parity][1];
        let [detrend, quadrature, in_phase, jq] = &mut self.filters;
        let detrender = detrend.step(parity, idx, smoothed, adjusted);
        let q1 = quadrature.step(parity, idx, detrender, adjusted);
        let ji = in_phase.step(parity, idx, i1, adjusted);
        let jq = jq.step(parity, idx, q1, adjusted);
        if parity == 0 {
            self.idx = (self.idx + 1) % 3;
        }
        let (prev_q2, prev_i2) = (self.q2, self.i2);
        self.q2 = 0.2 * (q1 + ji) + 0.8 * prev_q2;
        self.i2 = 0.2 * (i1 - jq) + 0.8 * prev_i2;
        let other = &mut self.i1_prev[1 - parity];
        other[1] = other[0];
        other[0] = detrender;
        self.re = 0.2 * (self.i2 * prev_i2 + self.q2 * prev_q2) + 0.8 * self.re;
        self.im = 0.2 * (self.i2 * prev_q2 - self.q2 * prev_i2) + 0.8 * self.im;
        (q1, i1)
    }

    /// The period for the next bar, from Re and Im (`rad2deg`: each function's own constant).
    fn adjust_period(&mut self, rad2deg: f64) {
        let previous = self.period;
        if self.im != 0.0 && self.re != 0.0 {
            self.period = 360.0 / ((self.im / self.re).atan() * rad2deg);
        }
        if self.period > 1.5 * previous {
            self.period = 1.5 * previous;
        }
        if self.period < 0.67 * previous {
            self.period = 0.67 * previous;
        }
        self.period = self.period.clamp(6.0, 50.0);
        self.period = 0.2 * self.period + 0.8 * previous;
    }
}

/// `TA_MAMA(fast, slow)`: Ehlers' MESA adaptive moving average and its follower FAMA, the rate
/// set by the Hilbert transform's phase change (degrees); lookback 32.
pub fn mama(x: &[f64], fast: f64, slow: f64) -> [Vec<f64>; 2] {
    let start = begin(&[x]);
    let x = &x[start..];
    let lookback = 32;
    let (mut mama_out, mut fama_out) = (vec![f64::NAN; x.len()], vec![f64::NAN; x.len()]);
    if x.len() > lookback {
        let rad2deg = 180.0 / (4.0 * 1f64.atan());
        let mut wma = PriceWma::warmed(x, 12);
        let mut hilbert = Hilbert::default();
        let (mut mama, mut fama, mut prev_phase) = (0.0, 0.0, 0.0);
        for today in 12..x.len() {
            let smoothed = wma.step(x, x[today]);
            let (q1, i1) = hilbert.transform(today, smoothed);
            let phase = if i1 != 0.0 { (q1 / i1).atan() * rad2deg } else { 0.0 };
            let mut rate = (prev_phase - phase).max(1.0);
            prev_phase = phase;
            rate = if rate > 1.0 { (fast / rate).max(slow) } else { fast };
            mama = rate * x[today] + (1.0 - rate) * mama;
            rate *= 0.5;
            fama = rate * mama + (1.0 - rate) * fama;
            if today >= lookback {
                mama_out[today] = mama;
                fama_out[today] = fama;
            }
            hilbert.adjust_period(rad2deg);
        }
    }
    [mama_out, fama_out].map(|v| {
        let mut out = vec![f64::NAN; start];
        out.extend(v);
        out
    })
}

/// `TA_HT_TRENDLINE`: Ehlers' instantaneous trendline, the mean price over the smoothed dominant
/// cycle period (whole bars), weighted 4-3-2-1 over its last four values; lookback 63.
pub fn ht_trendline(x: &[f64]) -> Vec<f64> {
    from_begin(&[x], |v| {
        let x = v[0];
        let lookback = 63;
        let mut out = vec![f64::NAN; x.len()];
        if x.len() <= lookback {
            return out;
        }
        let rad2deg = 45.0 / 1f64.atan();
        let mut wma = PriceWma::warmed(x, 37);
        let mut hilbert = Hilbert::default();
        let (mut smooth_period, mut trend) = (0.0, [0.0; 3]);
        for today in 37..x.len() {
            let smoothed = wma.step(x, x[today]);
            hilbert.transform(today, smoothed);
            hilbert.adjust_period(rad2deg);
            smooth_period = 0.33 * hilbert.period + 0.67 * smooth_period;
            let bars = (smooth_period + 0.5) as usize;
            let mut mean = 0.0;
            for i in 0..bars.min(today + 1) {
                mean += x[today - i];
            }
            if bars > 0 {
                mean /= bars as f64;
            }
            let line = (4.0 * mean + 3.0 * trend[0] + 2.0 * trend[1] + trend[2]) / 10.0;
            trend = [mean, trend[0], trend[1]];
            if today >= lookback {
                out[today] = line;
            }
        }
        out
    })
}

/// `v` (computed from row `start` of an `m`-row series) placed back at its rows, NaN before
/// its `lookback` (TA-Lib's outputs all start there).
fn pad(v: &[f64], start: usize, lookback: usize, m: usize) -> Vec<f64> {
    let mut out = vec![f64::NAN; m];
    for (i, x) in v.iter().enumerate().skip(lookback) {
        out[start + i] = *x;
    }
    out
}

/// The SMA of `x` over `n` values, `x` defined from `offset` on.
fn sma_from_offset(x: &[f64], offset: usize, n: usize) -> Vec<f64> {
    let mut out = vec![f64::NAN; x.len()];
    if offset < x.len() {
        for (i, v) in sma_from(&x[offset..], n).into_iter().enumerate() {
            out[offset + i] = v;
        }
    }
    out
}

/// An EMA under `convention`: pandas-ta's (`kernels::ema`: seeded with the mean of the first n
/// rows, missing ones skipped) or TA-Lib's ([`ema`]: from the first present row), as pandas-ta's
/// `ema()` gives it without and with TA-Lib installed.
pub fn ema_as(convention: super::Convention, x: &[f64], n: usize) -> Vec<f64> {
    match convention {
        super::Convention::PandasTa => super::kernels::ema(x, n),
        super::Convention::Talib => ema(x, n),
    }
}

/// pandas-ta's `stdev()` inside another indicator under `convention`: the sample standard
/// deviation (pandas' rolling, ddof 1) or TA-Lib's STDDEV (population, 0 below its epsilon).
pub fn std_as(convention: super::Convention, x: &[f64], n: usize) -> Vec<f64> {
    match convention {
        super::Convention::PandasTa => super::kernels::rolling_std(x, n),
        super::Convention::Talib => stddev(x, n, 1.0),
    }
}
