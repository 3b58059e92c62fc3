//! TA-Lib's candlestick patterns (C library 0.8.1), as pandas-ta's `cdl_pattern` returns them with
//! TA-Lib installed: each bar 0, or ±100 (±200 where TA-Lib grades a confirmation) with the
//! pattern's direction. A pattern compares a candle's real body, shadows and high-low range with
//! the average of the same measure over the candles before it (TA-Lib's candle settings, below),
//! kept as TA-Lib keeps it: a running total started at the pattern's lookback, so the values agree
//! bar for bar. Rows before the lookback are 0, as TA-Lib's Python wrapper writes them.

mod patterns;

pub use patterns::{Pattern, PATTERNS};

/// What a candle setting measures.
#[derive(Clone, Copy, PartialEq)]
enum Range {
    RealBody,
    HighLow,
    Shadows,
}

/// A TA-Lib candle setting: the measure, how many earlier candles it averages (0: the candle's
/// own), and the factor on that average.
#[derive(Clone, Copy)]
struct Setting {
    range: Range,
    period: usize,
    factor: f64,
}

// TA-Lib's defaults (ta_global.c; its BodyVeryLong is used by no pattern)
const BODY_LONG: Setting = Setting { range: Range::RealBody, period: 10, factor: 1.0 };
const BODY_SHORT: Setting = Setting { range: Range::RealBody, period: 10, factor: 1.0 };
const BODY_DOJI: Setting = Setting { range: Range::HighLow, period: 10, factor: 0.1 };
const SHADOW_LONG: Setting = Setting { range: Range::RealBody, period: 0, factor: 1.0 };
const SHADOW_VERY_LONG: Setting = Setting { range: Range::RealBody, period: 0, factor: 2.0 };
const SHADOW_SHORT: Setting = Setting { range: Range::Shadows, period: 10, factor: 1.0 };
const SHADOW_VERY_SHORT: Setting = Setting { range: Range::HighLow, period: 10, factor: 0.1 };
const NEAR: Setting = Setting { range: Range::HighLow, period: 5, factor: 0.2 };
const FAR: Setting = Setting { range: Range::HighLow, period: 5, factor: 0.6 };
const EQUAL: Setting = Setting { range: Range::HighLow, period: 5, factor: 0.05 };

/// The bars a pattern reads, with TA-Lib's candle measures.
struct Candles<'a> {
    o: &'a [f64],
    h: &'a [f64],
    l: &'a [f64],
    c: &'a [f64],
}

impl Candles<'_> {
    fn len(&self) -> usize {
        self.c.len()
    }

    /// 1 for a white candle (close at or above the open), -1 for a black one.
    fn color(&self, i: usize) -> i32 {
        if self.c[i] >= self.o[i] {
            1
        } else {
            -1
        }
    }

    fn white(&self, i: usize) -> bool {
        self.color(i) == 1
    }

    fn black(&self, i: usize) -> bool {
        self.color(i) == -1
    }

    fn body(&self, i: usize) -> f64 {
        (self.c[i] - self.o[i]).abs()
    }

    fn body_top(&self, i: usize) -> f64 {
        if self.c[i] >= self.o[i] {
            self.c[i]
        } else {
            self.o[i]
        }
    }

    fn body_bottom(&self, i: usize) -> f64 {
        if self.c[i] >= self.o[i] {
            self.o[i]
        } else {
            self.c[i]
        }
    }

    fn upper_shadow(&self, i: usize) -> f64 {
        self.h[i] - self.body_top(i)
    }

    fn lower_shadow(&self, i: usize) -> f64 {
        self.body_bottom(i) - self.l[i]
    }

    fn high_low(&self, i: usize) -> f64 {
        self.h[i] - self.l[i]
    }

    fn range(&self, s: Setting, i: usize) -> f64 {
        match s.range {
            Range::RealBody => self.body(i),
            Range::HighLow => self.high_low(i),
            Range::Shadows => self.upper_shadow(i) + self.lower_shadow(i),
        }
    }

    /// `TA_CANDLEAVERAGE`: the setting's threshold for candle `i` from the running `total`.
    fn average(&self, s: Setting, total: f64, i: usize) -> f64 {
        let mean = if s.period != 0 { total / s.period as f64 } else { self.range(s, i) };
        s.factor * mean / if s.range == Range::Shadows { 2.0 } else { 1.0 }
    }

    /// `TA_REALBODYGAPUP(b, a)`: candle b's body entirely above candle a's.
    fn body_gap_up(&self, b: usize, a: usize) -> bool {
        self.o[b].min(self.c[b]) > self.o[a].max(self.c[a])
    }

    /// `TA_REALBODYGAPDOWN(b, a)`.
    fn body_gap_down(&self, b: usize, a: usize) -> bool {
        self.o[b].max(self.c[b]) < self.o[a].min(self.c[a])
    }

    /// `TA_CANDLEGAPUP(b, a)`: candle b's low above candle a's high.
    fn gap_up(&self, b: usize, a: usize) -> bool {
        self.l[b] > self.h[a]
    }

    /// `TA_CANDLEGAPDOWN(b, a)`.
    fn gap_down(&self, b: usize, a: usize) -> bool {
        self.h[b] < self.l[a]
    }
}

/// A setting's running total for the candle `back` bars before the current one: the sum of its
/// measure over the `period` candles before that candle, started at the lookback and moved on by
/// adding the newest and subtracting the oldest (TA-Lib's `PeriodTotal` and `TrailingIdx`).
struct Total {
    setting: Setting,
    back: usize,
    total: f64,
}

impl Total {
    /// Started for the first output row `start`.
    fn new(c: &Candles, setting: Setting, start: usize, back: usize) -> Total {
        let mut total = 0.0;
        for j in start - back - setting.period..start - back {
            total += c.range(setting, j);
        }
        Total { setting, back, total }
    }

    /// The threshold for the candle `back` bars before row `i`.
    fn at(&self, c: &Candles, i: usize) -> f64 {
        c.average(self.setting, self.total, i - self.back)
    }

    /// Moves the window on after row `i`.
    fn advance(&mut self, c: &Candles, i: usize) {
        let j = i - self.back;
        self.total += c.range(self.setting, j) - c.range(self.setting, j - self.setting.period);
    }
}

/// The output of a pattern with its first row `start` (its lookback): zeros, or `None` when the
/// series is too short for any output.
fn outputs(c: &Candles, start: usize) -> Option<Vec<f64>> {
    (c.len() > start).then(|| vec![0.0; c.len()])
}

/// Runs `pattern` over the bars from their first complete row (TA-Lib's wrapper skips leading
/// missing values), 0 before its lookback.
pub fn compute(
    pattern: &Pattern,
    open: &[f64],
    high: &[f64],
    low: &[f64],
    close: &[f64],
) -> Vec<f64> {
    let m = close.len();
    let start = (0..m)
        .find(|&t| !(open[t].is_nan() || high[t].is_nan() || low[t].is_nan() || close[t].is_nan()))
        .unwrap_or(m);
    let c = Candles { o: &open[start..], h: &high[start..], l: &low[start..], c: &close[start..] };
    let mut out = vec![0.0; start];
    out.extend((pattern.f)(&c).unwrap_or_else(|| vec![0.0; m - start]));
    out
}
