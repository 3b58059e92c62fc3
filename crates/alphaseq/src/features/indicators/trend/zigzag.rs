//! ZIGZAG (pandas-ta `zigzag`, legs 10, deviation 5%): the swing highs and lows at least
//! `deviation` percent apart. A bar is a candidate low (high) when its low (high) is the lowest
//! (highest) of the `legs + 1` bars centred on it (`legs / 2` either side); pandas-ta then walks
//! the candidates **from the last one backwards**, keeping a swing when it moves more than
//! `deviation` percent from the last kept one. Columns `ZIGZAGs_5.0%_10` (+1 swing high, -1
//! swing low), `ZIGZAGv_5.0%_10` (its price) and `ZIGZAGd_5.0%_10` (its move in percent), NaN on
//! every other bar (0 in the feature matrix: no swing).
//!
//! **It reads the future** twice over: a candidate needs `legs / 2` later bars, and which
//! candidates are kept depends on the whole rest of the series. Refused as an input unless
//! `features.look_ahead = "allow"`. pandas-ta's `backtest = True` form (candidates walked
//! forwards, shifted by `legs / 2`) is not offered.

use crate::features::indicators::{Family, Indicator, Ohlcv};

/// Zigzag swings (reads the future).
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Zigzag {
    /// Bars of the centred window that confirms a candidate, minus one.
    pub legs: usize,
    /// Least move between kept swings, in percent.
    pub deviation: f64,
}

/// A candidate or kept swing: its bar, +1 (high) or -1 (low), its price, its move in percent.
#[derive(Debug, Clone, Copy)]
struct Swing {
    bar: usize,
    side: f64,
    value: f64,
    dev: f64,
}

impl Indicator for Zigzag {
    fn family(&self) -> Family {
        Family::Trend
    }

    fn columns(&self) -> Vec<String> {
        // Python's str of a float: 5.0, 2.5
        let d = if self.deviation.fract() == 0.0 {
            format!("{:.1}", self.deviation)
        } else {
            format!("{}", self.deviation)
        };
        ["ZIGZAGs", "ZIGZAGv", "ZIGZAGd"]
            .iter()
            .map(|c| format!("{c}_{d}%_{}", self.legs))
            .collect()
    }

    fn params(&self) -> String {
        format!("legs={} deviation={}", self.legs, self.deviation)
    }

    fn warm_up(&self) -> usize {
        self.legs / 2
    }

    fn intermittent(&self) -> Vec<bool> {
        vec![true; 3]
    }

    fn events(&self) -> bool {
        true
    }

    fn look_ahead(&self) -> Option<String> {
        Some(format!(
            "a swing at t needs the {} bars after t, and which swings are kept depends on the \
             rest of the series (walked from its end)",
            self.legs / 2
        ))
    }

    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>> {
        let m = x.high.len();
        let mut out = vec![vec![f64::NAN; m]; 3];
        if m < self.legs + 1 {
            return out;
        }
        let candidates = candidates(x.high, x.low, self.legs);
        if candidates.is_empty() {
            return out;
        }
        for s in kept_from_the_end(&candidates, self.deviation) {
            out[0][s.bar] = s.side;
            out[1][s.bar] = s.value;
            out[2][s.bar] = s.dev;
        }
        out
    }
}

/// pandas-ta's `nb_rolling_hl`: the bars whose low (then high) is the extreme of the window of
/// `legs / 2` bars either side, in bar order (a bar can be both).
fn candidates(high: &[f64], low: &[f64], legs: usize) -> Vec<Swing> {
    let left = legs / 2;
    let right = left + 1;
    let mut out = vec![];
    for i in left..high.len().saturating_sub(right) {
        let window = i - left..i + right;
        if low[window.clone()].iter().all(|&v| low[i] <= v) {
            out.push(Swing { bar: i, side: -1.0, value: low[i], dev: 0.0 });
        }
        if high[window].iter().all(|&v| high[i] >= v) {
            out.push(Swing { bar: i, side: 1.0, value: high[i], dev: 0.0 });
        }
    }
    out
}

/// pandas-ta's `nb_find_zz`, line for line: from the last candidate backwards, a candidate on the
/// kept swing's side replaces it when more extreme (once two are kept), one on the other side is
/// kept when it moves more than `deviation` percent; each kept swing's `dev` is the move to the
/// next (later) one.
fn kept_from_the_end(c: &[Swing], deviation: f64) -> Vec<Swing> {
    let last = c[c.len() - 1];
    let mut zz = vec![Swing { dev: 0.0, ..last }];
    for s in c[..c.len() - 1].iter().rev() {
        let k = zz.len() - 1;
        let kept = zz[k];
        let same_side = s.side == kept.side;
        if same_side {
            let more_extreme =
                if kept.side < 0.0 { s.value < kept.value } else { s.value > kept.value };
            if more_extreme && k > 1 {
                let current = if kept.side < 0.0 {
                    (zz[k - 1].value - s.value) / s.value
                } else {
                    (s.value - zz[k - 1].value) / s.value
                };
                zz[k] = Swing { bar: s.bar, side: s.side, value: s.value, dev: zz[k].dev };
                zz[k - 1].dev = 100.0 * current;
            }
        } else {
            let current = if kept.side < 0.0 {
                (s.value - kept.value) / s.value
            } else {
                (kept.value - s.value) / s.value
            };
            if current > 0.01 * deviation {
                if kept.bar == s.bar {
                    continue;
                }
                zz.push(Swing { bar: s.bar, side: s.side, value: s.value, dev: 0.0 });
                zz[k].dev = 100.0 * current;
            }
        }
    }
    // nb_map_zz writes them in this order: an earlier entry on the same bar is overwritten
    zz
}
