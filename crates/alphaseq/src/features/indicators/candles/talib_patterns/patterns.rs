//! The patterns, each TA-Lib's `TA_CDL*` function: lookback, conditions and running totals.

use super::*;

/// A TA-Lib candlestick pattern: pandas-ta's name (`CDL_` + the upper-cased name is its column).
pub struct Pattern {
    /// pandas-ta's name, TA-Lib's function without `CDL`, lower-case (`"2crows"`).
    pub name: &'static str,
    /// The rows before the first output.
    pub lookback: usize,
    pub(super) f: fn(&Candles) -> Option<Vec<f64>>,
}

/// Every pattern alphaseq computes, in pandas-ta's (alphabetical) order.
pub const PATTERNS: &[Pattern] = &[
    Pattern { name: "2crows", lookback: BODY_LONG.period + 2, f: two_crows },
    Pattern { name: "3blackcrows", lookback: SHADOW_VERY_SHORT.period + 3, f: three_black_crows },
    Pattern { name: "3inside", lookback: BODY_LONG.period + 2, f: three_inside },
    Pattern { name: "3linestrike", lookback: NEAR.period + 3, f: three_line_strike },
    Pattern { name: "3outside", lookback: 3, f: three_outside },
    Pattern { name: "3starsinsouth", lookback: 12, f: three_stars_in_south },
    Pattern { name: "3whitesoldiers", lookback: 12, f: three_white_soldiers },
    Pattern { name: "abandonedbaby", lookback: 12, f: abandoned_baby },
    Pattern { name: "advanceblock", lookback: 12, f: advance_block },
    Pattern { name: "belthold", lookback: 10, f: belt_hold },
    Pattern { name: "breakaway", lookback: 14, f: breakaway },
    Pattern { name: "closingmarubozu", lookback: 10, f: closing_marubozu },
    Pattern { name: "concealbabyswall", lookback: 13, f: concealing_baby_swallow },
    Pattern { name: "counterattack", lookback: 11, f: counterattack },
    Pattern { name: "darkcloudcover", lookback: 11, f: dark_cloud_cover },
    Pattern { name: "dojistar", lookback: 11, f: doji_star },
    Pattern { name: "dragonflydoji", lookback: 10, f: dragonfly_doji },
    Pattern { name: "engulfing", lookback: 2, f: engulfing },
    Pattern { name: "eveningdojistar", lookback: 12, f: evening_doji_star },
    Pattern { name: "eveningstar", lookback: 12, f: evening_star },
    Pattern { name: "gapsidesidewhite", lookback: 7, f: gap_side_side_white },
    Pattern { name: "gravestonedoji", lookback: 10, f: gravestone_doji },
    Pattern { name: "hammer", lookback: 11, f: hammer },
    Pattern { name: "hangingman", lookback: 11, f: hanging_man },
    Pattern { name: "harami", lookback: 11, f: harami },
    Pattern { name: "haramicross", lookback: 11, f: harami_cross },
    Pattern { name: "highwave", lookback: 10, f: high_wave },
    Pattern { name: "hikkake", lookback: 5, f: hikkake },
    Pattern { name: "hikkakemod", lookback: 10, f: hikkake_modified },
    Pattern { name: "homingpigeon", lookback: 11, f: homing_pigeon },
    Pattern { name: "identical3crows", lookback: 12, f: identical_three_crows },
    Pattern { name: "inneck", lookback: 11, f: in_neck },
    Pattern { name: "invertedhammer", lookback: 11, f: inverted_hammer },
    Pattern { name: "kicking", lookback: 11, f: kicking },
    Pattern { name: "kickingbylength", lookback: 11, f: kicking_by_length },
    Pattern { name: "ladderbottom", lookback: 14, f: ladder_bottom },
    Pattern { name: "longleggeddoji", lookback: 10, f: long_legged_doji },
    Pattern { name: "longline", lookback: 10, f: long_line },
    Pattern { name: "marubozu", lookback: 10, f: marubozu },
    Pattern { name: "matchinglow", lookback: 6, f: matching_low },
    Pattern { name: "mathold", lookback: 14, f: mat_hold },
    Pattern { name: "morningdojistar", lookback: 12, f: morning_doji_star },
    Pattern { name: "morningstar", lookback: 12, f: morning_star },
    Pattern { name: "onneck", lookback: 11, f: on_neck },
    Pattern { name: "piercing", lookback: 11, f: piercing },
    Pattern { name: "rickshawman", lookback: 10, f: rickshaw_man },
    Pattern { name: "risefall3methods", lookback: 14, f: rise_fall_three_methods },
    Pattern { name: "separatinglines", lookback: 11, f: separating_lines },
    Pattern { name: "shootingstar", lookback: 11, f: shooting_star },
    Pattern { name: "shortline", lookback: 10, f: short_line },
    Pattern { name: "spinningtop", lookback: 10, f: spinning_top },
    Pattern { name: "stalledpattern", lookback: 12, f: stalled_pattern },
    Pattern { name: "sticksandwich", lookback: 7, f: stick_sandwich },
    Pattern { name: "takuri", lookback: 10, f: takuri },
    Pattern { name: "tasukigap", lookback: 7, f: tasuki_gap },
    Pattern { name: "thrusting", lookback: 11, f: thrusting },
    Pattern { name: "tristar", lookback: 12, f: tristar },
    Pattern { name: "unique3river", lookback: 12, f: unique_three_river },
    Pattern { name: "upsidegap2crows", lookback: 12, f: upside_gap_two_crows },
    Pattern { name: "xsidegap3methods", lookback: 2, f: x_side_gap_three_methods },
];

/// The penetration into the first body that TA-Lib's star patterns require (its default, which
/// pandas-ta keeps).
const PENETRATION: f64 = 0.3;

/// A pattern over the last `bars` candles: `rule(i, limits)` with the threshold of each
/// (setting, candles back) for row `i`, from the lookback (the longest period + bars - 1) on.
fn candles(
    c: &Candles,
    bars: usize,
    settings: &[(Setting, usize)],
    rule: impl Fn(usize, &[f64; 12]) -> f64,
) -> Option<Vec<f64>> {
    let start = settings.iter().map(|(s, _)| s.period).max().unwrap_or(0) + bars - 1;
    let mut out = outputs(c, start)?;
    let mut totals: Vec<Total> =
        settings.iter().map(|(s, back)| Total::new(c, *s, start, *back)).collect();
    let mut limits = [0.0; 12];
    for i in start..c.len() {
        for (limit, total) in limits.iter_mut().zip(&totals) {
            *limit = total.at(c, i);
        }
        out[i] = rule(i, &limits);
        for total in totals.iter_mut().rev() {
            total.advance(c, i);
        }
    }
    Some(out)
}

/// `value` where `hit`, else 0.
fn when(hit: bool, value: f64) -> f64 {
    if hit {
        value
    } else {
        0.0
    }
}

/// `100 × colour` where `hit`, else 0.
fn signed(c: &Candles, i: usize, hit: bool) -> f64 {
    if hit {
        f64::from(c.color(i)) * 100.0
    } else {
        0.0
    }
}

/// 100 where `hit`, else 0.
fn flag(hit: bool) -> f64 {
    if hit {
        100.0
    } else {
        0.0
    }
}

/// Two crows: a long white candle, a black one gapping up, a black one opening inside the second
/// body and closing inside the first.
fn two_crows(c: &Candles) -> Option<Vec<f64>> {
    let start = BODY_LONG.period + 2;
    let mut out = outputs(c, start)?;
    let mut long = Total::new(c, BODY_LONG, start, 2);
    for i in start..c.len() {
        if c.white(i - 2)
            && c.body(i - 2) > long.at(c, i)
            && c.black(i - 1)
            && c.body_gap_up(i - 1, i - 2)
            && c.black(i)
            && c.o[i] < c.o[i - 1]
            && c.o[i] > c.c[i - 1]
            && c.c[i] > c.o[i - 2]
            && c.c[i] < c.c[i - 2]
        {
            out[i] = -100.0;
        }
        long.advance(c, i);
    }
    Some(out)
}

/// Three black crows: after a white candle, three declining black candles, each opening inside
/// the previous body, with very short lower shadows.
fn three_black_crows(c: &Candles) -> Option<Vec<f64>> {
    let start = SHADOW_VERY_SHORT.period + 3;
    let mut out = outputs(c, start)?;
    let mut short: Vec<Total> =
        (0..3).map(|k| Total::new(c, SHADOW_VERY_SHORT, start, k)).collect();
    for i in start..c.len() {
        if c.white(i - 3)
            && c.black(i - 2)
            && c.black(i - 1)
            && c.black(i)
            && c.o[i - 1] < c.o[i - 2]
            && c.o[i - 1] > c.c[i - 2]
            && c.o[i] < c.o[i - 1]
            && c.o[i] > c.c[i - 1]
            && c.h[i - 3] > c.c[i - 2]
            && c.c[i - 2] > c.c[i - 1]
            && c.c[i - 1] > c.c[i]
            && c.lower_shadow(i - 2) < short[2].at(c, i)
            && c.lower_shadow(i - 1) < short[1].at(c, i)
            && c.lower_shadow(i) < short[0].at(c, i)
        {
            out[i] = -100.0;
        }
        for total in short.iter_mut().rev() {
            total.advance(c, i);
        }
    }
    Some(out)
}

/// Three inside up/down: a long candle, a short one inside its body, a third of the opposite
/// colour to the first closing beyond the first's open.
fn three_inside(c: &Candles) -> Option<Vec<f64>> {
    let start = BODY_SHORT.period.max(BODY_LONG.period) + 2;
    let mut out = outputs(c, start)?;
    let mut long = Total::new(c, BODY_LONG, start, 2);
    let mut short = Total::new(c, BODY_SHORT, start, 1);
    for i in start..c.len() {
        let closes_out = (c.white(i - 2) && c.black(i) && c.c[i] < c.o[i - 2])
            || (c.black(i - 2) && c.white(i) && c.c[i] > c.o[i - 2]);
        if c.c[i - 1].max(c.o[i - 1]) < c.c[i - 2].max(c.o[i - 2])
            && c.c[i - 1].min(c.o[i - 1]) > c.c[i - 2].min(c.o[i - 2])
            && closes_out
            && c.body(i - 2) > long.at(c, i)
            && c.body(i - 1) <= short.at(c, i)
        {
            out[i] = f64::from(-c.color(i - 2)) * 100.0;
        }
        long.advance(c, i);
        short.advance(c, i);
    }
    Some(out)
}

/// Three-line strike: three candles of one colour with rising (falling) closes, each opening
/// within or near the previous body, then one of the other colour opening beyond the third close
/// and closing beyond the first open.
fn three_line_strike(c: &Candles) -> Option<Vec<f64>> {
    let start = NEAR.period + 3;
    let mut out = outputs(c, start)?;
    let mut near: Vec<Total> = (2..4).map(|k| Total::new(c, NEAR, start, k)).collect();
    for i in start..c.len() {
        let (n3, n2) = (near[1].at(c, i), near[0].at(c, i));
        let strike = (c.white(i - 1)
            && c.c[i - 1] > c.c[i - 2]
            && c.c[i - 2] > c.c[i - 3]
            && c.o[i] > c.c[i - 1]
            && c.c[i] < c.o[i - 3])
            || (c.black(i - 1)
                && c.c[i - 1] < c.c[i - 2]
                && c.c[i - 2] < c.c[i - 3]
                && c.o[i] < c.c[i - 1]
                && c.c[i] > c.o[i - 3]);
        if c.color(i - 3) == c.color(i - 2)
            && c.color(i - 2) == c.color(i - 1)
            && c.color(i) == -c.color(i - 1)
            && c.o[i - 2] >= c.o[i - 3].min(c.c[i - 3]) - n3
            && c.o[i - 2] <= c.o[i - 3].max(c.c[i - 3]) + n3
            && c.o[i - 1] >= c.o[i - 2].min(c.c[i - 2]) - n2
            && c.o[i - 1] <= c.o[i - 2].max(c.c[i - 2]) + n2
            && strike
        {
            out[i] = f64::from(c.color(i - 1)) * 100.0;
        }
        for total in near.iter_mut().rev() {
            total.advance(c, i);
        }
    }
    Some(out)
}

/// Belt hold: a long body with no (very short) shadow on the side it opened.
fn belt_hold(c: &Candles) -> Option<Vec<f64>> {
    candles(c, 1, &[(BODY_LONG, 0), (SHADOW_VERY_SHORT, 0)], |i, l| {
        let shaven =
            (c.white(i) && c.lower_shadow(i) < l[1]) || (c.black(i) && c.upper_shadow(i) < l[1]);
        signed(c, i, c.body(i) > l[0] && shaven)
    })
}

/// Closing marubozu: a long body with no (very short) shadow on the side it closed.
fn closing_marubozu(c: &Candles) -> Option<Vec<f64>> {
    candles(c, 1, &[(BODY_LONG, 0), (SHADOW_VERY_SHORT, 0)], |i, l| {
        let shaven =
            (c.white(i) && c.upper_shadow(i) < l[1]) || (c.black(i) && c.lower_shadow(i) < l[1]);
        signed(c, i, c.body(i) > l[0] && shaven)
    })
}

/// Dragonfly doji: a doji with no (very short) upper shadow and a lower one.
fn dragonfly_doji(c: &Candles) -> Option<Vec<f64>> {
    candles(c, 1, &[(BODY_DOJI, 0), (SHADOW_VERY_SHORT, 0)], |i, l| {
        flag(c.body(i) <= l[0] && c.upper_shadow(i) < l[1] && c.lower_shadow(i) > l[1])
    })
}

/// Gravestone doji: a doji with no (very short) lower shadow and an upper one.
fn gravestone_doji(c: &Candles) -> Option<Vec<f64>> {
    candles(c, 1, &[(BODY_DOJI, 0), (SHADOW_VERY_SHORT, 0)], |i, l| {
        flag(c.body(i) <= l[0] && c.lower_shadow(i) < l[1] && c.upper_shadow(i) > l[1])
    })
}

/// High wave: a short body with very long shadows on both sides.
fn high_wave(c: &Candles) -> Option<Vec<f64>> {
    candles(c, 1, &[(BODY_SHORT, 0), (SHADOW_VERY_LONG, 0)], |i, l| {
        signed(c, i, c.body(i) < l[0] && c.upper_shadow(i) > l[1] && c.lower_shadow(i) > l[1])
    })
}

/// Long-legged doji: a doji with a long shadow on either side.
fn long_legged_doji(c: &Candles) -> Option<Vec<f64>> {
    candles(c, 1, &[(BODY_DOJI, 0), (SHADOW_LONG, 0)], |i, l| {
        flag(c.body(i) <= l[0] && (c.lower_shadow(i) > l[1] || c.upper_shadow(i) > l[1]))
    })
}

/// Long line: a long body with short shadows.
fn long_line(c: &Candles) -> Option<Vec<f64>> {
    candles(c, 1, &[(BODY_LONG, 0), (SHADOW_SHORT, 0)], |i, l| {
        signed(c, i, c.body(i) > l[0] && c.upper_shadow(i) < l[1] && c.lower_shadow(i) < l[1])
    })
}

/// Marubozu: a long body with no (very short) shadows.
fn marubozu(c: &Candles) -> Option<Vec<f64>> {
    candles(c, 1, &[(BODY_LONG, 0), (SHADOW_VERY_SHORT, 0)], |i, l| {
        signed(c, i, c.body(i) > l[0] && c.upper_shadow(i) < l[1] && c.lower_shadow(i) < l[1])
    })
}

/// Rickshaw man: a doji with long shadows, its body near the middle of the range.
fn rickshaw_man(c: &Candles) -> Option<Vec<f64>> {
    candles(c, 1, &[(BODY_DOJI, 0), (SHADOW_LONG, 0), (NEAR, 0)], |i, l| {
        let middle = c.l[i] + c.high_low(i) / 2.0;
        flag(
            c.body(i) <= l[0]
                && c.lower_shadow(i) > l[1]
                && c.upper_shadow(i) > l[1]
                && c.o[i].min(c.c[i]) <= middle + l[2]
                && c.o[i].max(c.c[i]) >= middle - l[2],
        )
    })
}

/// Short line: a short body with short shadows.
fn short_line(c: &Candles) -> Option<Vec<f64>> {
    candles(c, 1, &[(BODY_SHORT, 0), (SHADOW_SHORT, 0)], |i, l| {
        signed(c, i, c.body(i) < l[0] && c.upper_shadow(i) < l[1] && c.lower_shadow(i) < l[1])
    })
}

/// Spinning top: a short body with shadows longer than the body on both sides.
fn spinning_top(c: &Candles) -> Option<Vec<f64>> {
    candles(c, 1, &[(BODY_SHORT, 0)], |i, l| {
        let body = c.body(i);
        signed(c, i, body < l[0] && c.upper_shadow(i) > body && c.lower_shadow(i) > body)
    })
}

/// Takuri: a dragonfly doji with a very long lower shadow.
fn takuri(c: &Candles) -> Option<Vec<f64>> {
    candles(c, 1, &[(BODY_DOJI, 0), (SHADOW_VERY_SHORT, 0), (SHADOW_VERY_LONG, 0)], |i, l| {
        flag(c.body(i) <= l[0] && c.upper_shadow(i) < l[1] && c.lower_shadow(i) > l[2])
    })
}

/// Counterattack: two long candles of opposite colours closing at (about) the same price.
fn counterattack(c: &Candles) -> Option<Vec<f64>> {
    let settings = [(EQUAL, 1), (BODY_LONG, 1), (BODY_LONG, 0)];
    candles(c, 2, &settings, |i, l| {
        let hit = c.color(i - 1) == -c.color(i)
            && c.body(i - 1) > l[1]
            && c.body(i) > l[2]
            && c.c[i] <= c.c[i - 1] + l[0]
            && c.c[i] >= c.c[i - 1] - l[0];
        when(hit, f64::from(c.color(i)) * 100.0)
    })
}

/// Dark cloud cover: a long white candle, then a black one opening above its high and closing
/// below the middle of its body (penetration 0.5, pandas-ta's default).
fn dark_cloud_cover(c: &Candles) -> Option<Vec<f64>> {
    candles(c, 2, &[(BODY_LONG, 1)], |i, l| {
        let hit = c.white(i - 1)
            && c.body(i - 1) > l[0]
            && c.black(i)
            && c.o[i] > c.h[i - 1]
            && c.c[i] > c.o[i - 1]
            && c.c[i] < c.c[i - 1] - c.body(i - 1) * 0.5;
        when(hit, -100.0)
    })
}

/// Doji star: a long candle, then a doji whose body gaps away from it.
fn doji_star(c: &Candles) -> Option<Vec<f64>> {
    candles(c, 2, &[(BODY_DOJI, 0), (BODY_LONG, 1)], |i, l| {
        let gap = (c.white(i - 1) && c.body_gap_up(i, i - 1))
            || (c.black(i - 1) && c.body_gap_down(i, i - 1));
        let hit = c.body(i - 1) > l[1] && c.body(i) <= l[0] && gap;
        when(hit, f64::from(-c.color(i - 1)) * 100.0)
    })
}

/// Engulfing: a body engulfing the previous one of the other colour (±80 where an end is level).
fn engulfing(c: &Candles) -> Option<Vec<f64>> {
    candles(c, 3, &[], |i, _| {
        let up = c.white(i)
            && c.black(i - 1)
            && ((c.c[i] >= c.o[i - 1] && c.o[i] < c.c[i - 1])
                || (c.c[i] > c.o[i - 1] && c.o[i] <= c.c[i - 1]));
        let down = c.black(i)
            && c.white(i - 1)
            && ((c.o[i] >= c.c[i - 1] && c.c[i] < c.o[i - 1])
                || (c.o[i] > c.c[i - 1] && c.c[i] <= c.o[i - 1]));
        let grade = if c.o[i] != c.c[i - 1] && c.c[i] != c.o[i - 1] { 100.0 } else { 80.0 };
        when(up || down, f64::from(c.color(i)) * grade)
    })
}

/// Hammer: a short body with a long lower shadow and no (very short) upper one, its body at or
/// near the previous low.
fn hammer(c: &Candles) -> Option<Vec<f64>> {
    let settings = [(BODY_SHORT, 0), (SHADOW_LONG, 0), (SHADOW_VERY_SHORT, 0), (NEAR, 1)];
    candles(c, 2, &settings, |i, l| {
        let hit = c.body(i) < l[0]
            && c.lower_shadow(i) > l[1]
            && c.upper_shadow(i) < l[2]
            && c.c[i].min(c.o[i]) <= c.l[i - 1] + l[3];
        when(hit, 100.0)
    })
}

/// Hanging man: the hammer's shape with its body at or near the previous high.
fn hanging_man(c: &Candles) -> Option<Vec<f64>> {
    let settings = [(BODY_SHORT, 0), (SHADOW_LONG, 0), (SHADOW_VERY_SHORT, 0), (NEAR, 1)];
    candles(c, 2, &settings, |i, l| {
        let hit = c.body(i) < l[0]
            && c.lower_shadow(i) > l[1]
            && c.upper_shadow(i) < l[2]
            && c.c[i].min(c.o[i]) >= c.h[i - 1] - l[3];
        when(hit, -100.0)
    })
}

/// Harami (and its cross, `doji`): a long body, then a short one (a doji) inside it; ±80 where an
/// end is level.
fn harami_with(c: &Candles, inner: Setting) -> Option<Vec<f64>> {
    candles(c, 2, &[(BODY_LONG, 1), (inner, 0)], |i, l| {
        if !(c.body(i - 1) > l[0] && c.body(i) <= l[1]) {
            return 0.0;
        }
        let (top, bottom) = (c.c[i].max(c.o[i]), c.c[i].min(c.o[i]));
        let (outer_top, outer_bottom) = (c.c[i - 1].max(c.o[i - 1]), c.c[i - 1].min(c.o[i - 1]));
        let sign = f64::from(-c.color(i - 1));
        if top < outer_top && bottom > outer_bottom {
            sign * 100.0
        } else if top <= outer_top && bottom >= outer_bottom {
            sign * 80.0
        } else {
            0.0
        }
    })
}

fn harami(c: &Candles) -> Option<Vec<f64>> {
    harami_with(c, BODY_SHORT)
}

fn harami_cross(c: &Candles) -> Option<Vec<f64>> {
    harami_with(c, BODY_DOJI)
}

/// Homing pigeon: a long black candle, then a short black one inside its body.
fn homing_pigeon(c: &Candles) -> Option<Vec<f64>> {
    candles(c, 2, &[(BODY_SHORT, 0), (BODY_LONG, 1)], |i, l| {
        let hit = c.black(i - 1)
            && c.black(i)
            && c.body(i - 1) > l[1]
            && c.body(i) <= l[0]
            && c.o[i] < c.o[i - 1]
            && c.c[i] > c.c[i - 1];
        when(hit, 100.0)
    })
}

/// In-neck: a long black candle, then a white one opening below its low and closing at or
/// just above its close.
fn in_neck(c: &Candles) -> Option<Vec<f64>> {
    candles(c, 2, &[(EQUAL, 1), (BODY_LONG, 1)], |i, l| {
        let hit = c.black(i - 1)
            && c.body(i - 1) > l[1]
            && c.white(i)
            && c.o[i] < c.l[i - 1]
            && c.c[i] <= c.c[i - 1] + l[0]
            && c.c[i] >= c.c[i - 1];
        when(hit, -100.0)
    })
}

/// Inverted hammer: a short body with a long upper shadow and no (very short) lower one, its body
/// gapping down.
fn inverted_hammer(c: &Candles) -> Option<Vec<f64>> {
    let settings = [(BODY_SHORT, 0), (SHADOW_LONG, 0), (SHADOW_VERY_SHORT, 0)];
    candles(c, 2, &settings, |i, l| {
        let hit = c.body(i) < l[0]
            && c.upper_shadow(i) > l[1]
            && c.lower_shadow(i) < l[2]
            && c.body_gap_down(i, i - 1);
        when(hit, 100.0)
    })
}

/// Two marubozu of opposite colours with a gap between them; `by_length`: the direction of the
/// longer one.
fn kicking_with(c: &Candles, by_length: bool) -> Option<Vec<f64>> {
    let settings = [(SHADOW_VERY_SHORT, 1), (SHADOW_VERY_SHORT, 0), (BODY_LONG, 1), (BODY_LONG, 0)];
    candles(c, 2, &settings, |i, l| {
        let hit = c.color(i - 1) == -c.color(i)
            && c.body(i - 1) > l[2]
            && c.upper_shadow(i - 1) < l[0]
            && c.lower_shadow(i - 1) < l[0]
            && c.body(i) > l[3]
            && c.upper_shadow(i) < l[1]
            && c.lower_shadow(i) < l[1]
            && ((c.black(i - 1) && c.gap_up(i, i - 1)) || (c.white(i - 1) && c.gap_down(i, i - 1)));
        let longer = if by_length && c.body(i) <= c.body(i - 1) { i - 1 } else { i };
        when(hit, f64::from(c.color(longer)) * 100.0)
    })
}

fn kicking(c: &Candles) -> Option<Vec<f64>> {
    kicking_with(c, false)
}

fn kicking_by_length(c: &Candles) -> Option<Vec<f64>> {
    kicking_with(c, true)
}

/// Matching low: two black candles closing at (about) the same price.
fn matching_low(c: &Candles) -> Option<Vec<f64>> {
    candles(c, 2, &[(EQUAL, 1)], |i, l| {
        let hit = c.black(i - 1)
            && c.black(i)
            && c.c[i] <= c.c[i - 1] + l[0]
            && c.c[i] >= c.c[i - 1] - l[0];
        when(hit, 100.0)
    })
}

/// On-neck: a long black candle, then a white one opening below its low and closing at it.
fn on_neck(c: &Candles) -> Option<Vec<f64>> {
    candles(c, 2, &[(EQUAL, 1), (BODY_LONG, 1)], |i, l| {
        let hit = c.black(i - 1)
            && c.body(i - 1) > l[1]
            && c.white(i)
            && c.o[i] < c.l[i - 1]
            && c.c[i] <= c.l[i - 1] + l[0]
            && c.c[i] >= c.l[i - 1] - l[0];
        when(hit, -100.0)
    })
}

/// Piercing: a long black candle, then a long white one opening below its low and closing above
/// the middle of its body.
fn piercing(c: &Candles) -> Option<Vec<f64>> {
    candles(c, 2, &[(BODY_LONG, 1), (BODY_LONG, 0)], |i, l| {
        let hit = c.black(i - 1)
            && c.body(i - 1) > l[0]
            && c.white(i)
            && c.body(i) > l[1]
            && c.o[i] < c.l[i - 1]
            && c.c[i] < c.o[i - 1]
            && c.c[i] > c.c[i - 1] + c.body(i - 1) * 0.5;
        when(hit, 100.0)
    })
}

/// Separating lines: candles of opposite colours opening at (about) the same price, the second
/// a long belt hold.
fn separating_lines(c: &Candles) -> Option<Vec<f64>> {
    let settings = [(SHADOW_VERY_SHORT, 0), (BODY_LONG, 0), (EQUAL, 1)];
    candles(c, 2, &settings, |i, l| {
        let hit = c.color(i - 1) == -c.color(i)
            && c.o[i] <= c.o[i - 1] + l[2]
            && c.o[i] >= c.o[i - 1] - l[2]
            && c.body(i) > l[1]
            && ((c.white(i) && c.lower_shadow(i) < l[0])
                || (c.black(i) && c.upper_shadow(i) < l[0]));
        when(hit, f64::from(c.color(i)) * 100.0)
    })
}

/// Shooting star: a short body with a long upper shadow and no (very short) lower one, its body
/// gapping up.
fn shooting_star(c: &Candles) -> Option<Vec<f64>> {
    let settings = [(BODY_SHORT, 0), (SHADOW_LONG, 0), (SHADOW_VERY_SHORT, 0)];
    candles(c, 2, &settings, |i, l| {
        let hit = c.body(i) < l[0]
            && c.upper_shadow(i) > l[1]
            && c.lower_shadow(i) < l[2]
            && c.body_gap_up(i, i - 1);
        when(hit, -100.0)
    })
}

/// Thrusting: a long black candle, then a white one opening below its low and closing into its
/// body but below its middle.
fn thrusting(c: &Candles) -> Option<Vec<f64>> {
    candles(c, 2, &[(EQUAL, 1), (BODY_LONG, 1)], |i, l| {
        let hit = c.black(i - 1)
            && c.body(i - 1) > l[1]
            && c.white(i)
            && c.o[i] < c.l[i - 1]
            && c.c[i] > c.c[i - 1] + l[0]
            && c.c[i] <= c.c[i - 1] + c.body(i - 1) * 0.5;
        when(hit, -100.0)
    })
}

/// Three outside up/down: an engulfing, then a third candle closing further in its direction.
fn three_outside(c: &Candles) -> Option<Vec<f64>> {
    candles(c, 4, &[], |i, _| {
        let up = c.white(i - 1)
            && c.black(i - 2)
            && c.c[i - 1] > c.o[i - 2]
            && c.o[i - 1] < c.c[i - 2]
            && c.c[i] > c.c[i - 1];
        let down = c.black(i - 1)
            && c.white(i - 2)
            && c.o[i - 1] > c.c[i - 2]
            && c.c[i - 1] < c.o[i - 2]
            && c.c[i] < c.c[i - 1];
        when(up || down, f64::from(c.color(i - 1)) * 100.0)
    })
}

/// Three advancing white soldiers: three white candles with very short upper shadows, rising
/// closes, each opening within or near the previous body, none much shorter than the one before.
fn three_white_soldiers(c: &Candles) -> Option<Vec<f64>> {
    let settings = [
        (SHADOW_VERY_SHORT, 2),
        (SHADOW_VERY_SHORT, 1),
        (SHADOW_VERY_SHORT, 0),
        (NEAR, 2),
        (NEAR, 1),
        (FAR, 2),
        (FAR, 1),
        (BODY_SHORT, 0),
    ];
    candles(c, 3, &settings, |i, l| {
        let hit = c.white(i - 2)
            && c.upper_shadow(i - 2) < l[0]
            && c.white(i - 1)
            && c.upper_shadow(i - 1) < l[1]
            && c.white(i)
            && c.upper_shadow(i) < l[2]
            && c.c[i] > c.c[i - 1]
            && c.c[i - 1] > c.c[i - 2]
            && c.o[i - 1] > c.o[i - 2]
            && c.o[i - 1] <= c.c[i - 2] + l[3]
            && c.o[i] > c.o[i - 1]
            && c.o[i] <= c.c[i - 1] + l[4]
            && c.body(i - 1) > c.body(i - 2) - l[5]
            && c.body(i) > c.body(i - 1) - l[6]
            && c.body(i) > l[7];
        when(hit, 100.0)
    })
}

/// Abandoned baby: a long candle, a doji gapping away (the whole candle), then a candle of the
/// other colour gapping back and closing well into the first body.
fn abandoned_baby(c: &Candles) -> Option<Vec<f64>> {
    let settings = [(BODY_LONG, 2), (BODY_DOJI, 1), (BODY_SHORT, 0)];
    candles(c, 3, &settings, |i, l| {
        let top = c.white(i - 2)
            && c.black(i)
            && c.c[i] < c.c[i - 2] - c.body(i - 2) * PENETRATION
            && c.gap_up(i - 1, i - 2)
            && c.gap_down(i, i - 1);
        let bottom = c.black(i - 2)
            && c.white(i)
            && c.c[i] > c.c[i - 2] + c.body(i - 2) * PENETRATION
            && c.gap_down(i - 1, i - 2)
            && c.gap_up(i, i - 1);
        let hit =
            c.body(i - 2) > l[0] && c.body(i - 1) <= l[1] && c.body(i) > l[2] && (top || bottom);
        when(hit, f64::from(c.color(i)) * 100.0)
    })
}

/// The evening (morning) star family: a long white (black) candle, a short body (`middle`: a
/// short body or a doji) gapping up (down), then a black (white) candle that is not short closing
/// well into the first body.
fn star(c: &Candles, middle: Setting, evening: bool) -> Option<Vec<f64>> {
    let settings = [(BODY_LONG, 2), (middle, 1), (BODY_SHORT, 0)];
    candles(c, 3, &settings, |i, l| {
        let shape = c.body(i - 2) > l[0] && c.body(i - 1) <= l[1] && c.body(i) > l[2];
        let hit = if evening {
            c.white(i - 2)
                && c.body_gap_up(i - 1, i - 2)
                && c.black(i)
                && c.c[i] < c.c[i - 2] - c.body(i - 2) * PENETRATION
        } else {
            c.black(i - 2)
                && c.body_gap_down(i - 1, i - 2)
                && c.white(i)
                && c.c[i] > c.c[i - 2] + c.body(i - 2) * PENETRATION
        };
        when(shape && hit, if evening { -100.0 } else { 100.0 })
    })
}

fn evening_doji_star(c: &Candles) -> Option<Vec<f64>> {
    star(c, BODY_DOJI, true)
}

fn evening_star(c: &Candles) -> Option<Vec<f64>> {
    star(c, BODY_SHORT, true)
}

fn morning_doji_star(c: &Candles) -> Option<Vec<f64>> {
    star(c, BODY_DOJI, false)
}

fn morning_star(c: &Candles) -> Option<Vec<f64>> {
    star(c, BODY_SHORT, false)
}

/// Up/down-gap side-by-side white lines: after a gap, two white candles of about the same size
/// opening at about the same price.
fn gap_side_side_white(c: &Candles) -> Option<Vec<f64>> {
    candles(c, 3, &[(NEAR, 1), (EQUAL, 1)], |i, l| {
        let up = c.body_gap_up(i - 1, i - 2) && c.body_gap_up(i, i - 2);
        let down = c.body_gap_down(i - 1, i - 2) && c.body_gap_down(i, i - 2);
        let hit = (up || down)
            && c.white(i - 1)
            && c.white(i)
            && c.body(i) >= c.body(i - 1) - l[0]
            && c.body(i) <= c.body(i - 1) + l[0]
            && c.o[i] >= c.o[i - 1] - l[1]
            && c.o[i] <= c.o[i - 1] + l[1];
        when(hit, if c.body_gap_up(i - 1, i - 2) { 100.0 } else { -100.0 })
    })
}

/// Hikkake: an inside bar, then a bar breaking out of it (±100), confirmed (±200) when within
/// three bars the close passes the inside bar's high (low) against the breakout.
fn hikkake(c: &Candles) -> Option<Vec<f64>> {
    hikkake_with(c, 5, |i| {
        let inside = c.h[i - 1] < c.h[i - 2] && c.l[i - 1] > c.l[i - 2];
        inside
            && ((c.h[i] < c.h[i - 1] && c.l[i] < c.l[i - 1])
                || (c.h[i] > c.h[i - 1] && c.l[i] > c.l[i - 1]))
    })
}

/// Modified hikkake: two inside bars in a row, the second closing near its low (high), then a bar
/// breaking down (up) (±100), confirmed (±200) as in [`hikkake`].
fn hikkake_modified(c: &Candles) -> Option<Vec<f64>> {
    let start = NEAR.period.max(1) + 5;
    outputs(c, start)?; // too short for any output
    let mut near = Total::new(c, NEAR, start - 3, 2);
    hikkake_with(c, start, |i| {
        let limit = near.at(c, i);
        near.advance(c, i);
        let inside = c.h[i - 2] < c.h[i - 3]
            && c.l[i - 2] > c.l[i - 3]
            && c.h[i - 1] < c.h[i - 2]
            && c.l[i - 1] > c.l[i - 2];
        inside
            && ((c.h[i] < c.h[i - 1] && c.l[i] < c.l[i - 1] && c.c[i - 2] <= c.l[i - 2] + limit)
                || (c.h[i] > c.h[i - 1] && c.l[i] > c.l[i - 1] && c.c[i - 2] >= c.h[i - 2] - limit))
    })
}

/// The hikkake state machine from row `start - 3` (TA-Lib's warm-up of the pattern state):
/// `setup(i)` is the pattern at bar i (±100 by the breakout's direction); a close beyond the
/// inside bar against it within three bars confirms it (±200) and ends it.
fn hikkake_with(
    c: &Candles,
    start: usize,
    mut setup: impl FnMut(usize) -> bool,
) -> Option<Vec<f64>> {
    let mut out = outputs(c, start)?;
    let (mut index, mut result) = (0, 0.0);
    for i in start - 3..c.len() {
        if setup(i) {
            result = 100.0 * if c.h[i] < c.h[i - 1] { 1.0 } else { -1.0 };
            index = i;
            if i >= start {
                out[i] = result;
            }
        } else if i <= index + 3
            && ((result > 0.0 && c.c[i] > c.h[index - 1])
                || (result < 0.0 && c.c[i] < c.l[index - 1]))
        {
            if i >= start {
                out[i] = result + 100.0 * result.signum();
            }
            index = 0;
        }
    }
    Some(out)
}

/// Identical three crows: three black candles with very short lower shadows, each opening at
/// about the previous close.
fn identical_three_crows(c: &Candles) -> Option<Vec<f64>> {
    let settings = [
        (SHADOW_VERY_SHORT, 2),
        (SHADOW_VERY_SHORT, 1),
        (SHADOW_VERY_SHORT, 0),
        (EQUAL, 2),
        (EQUAL, 1),
    ];
    candles(c, 3, &settings, |i, l| {
        let hit = c.black(i - 2)
            && c.lower_shadow(i - 2) < l[0]
            && c.black(i - 1)
            && c.lower_shadow(i - 1) < l[1]
            && c.black(i)
            && c.lower_shadow(i) < l[2]
            && c.c[i - 2] > c.c[i - 1]
            && c.c[i - 1] > c.c[i]
            && c.o[i - 1] <= c.c[i - 2] + l[3]
            && c.o[i - 1] >= c.c[i - 2] - l[3]
            && c.o[i] <= c.c[i - 1] + l[4]
            && c.o[i] >= c.c[i - 1] - l[4];
        when(hit, -100.0)
    })
}

/// Stick sandwich: black, white above its close, then black closing at about the first close.
fn stick_sandwich(c: &Candles) -> Option<Vec<f64>> {
    candles(c, 3, &[(EQUAL, 2)], |i, l| {
        let hit = c.black(i - 2)
            && c.white(i - 1)
            && c.black(i)
            && c.l[i - 1] > c.c[i - 2]
            && c.c[i] <= c.c[i - 2] + l[0]
            && c.c[i] >= c.c[i - 2] - l[0];
        when(hit, 100.0)
    })
}

/// Tasuki gap: a gap, a candle in its direction, then one of the other colour closing into the
/// gap, the two bodies of about the same size.
fn tasuki_gap(c: &Candles) -> Option<Vec<f64>> {
    candles(c, 3, &[(NEAR, 1)], |i, l| {
        let near = (c.body(i - 1) - c.body(i)).abs() < l[0];
        let up = c.body_gap_up(i - 1, i - 2)
            && c.white(i - 1)
            && c.black(i)
            && c.o[i] < c.c[i - 1]
            && c.o[i] > c.o[i - 1]
            && c.c[i] < c.o[i - 1]
            && c.c[i] > c.c[i - 2].max(c.o[i - 2])
            && near;
        let down = c.body_gap_down(i - 1, i - 2)
            && c.black(i - 1)
            && c.white(i)
            && c.o[i] < c.o[i - 1]
            && c.o[i] > c.c[i - 1]
            && c.c[i] > c.o[i - 1]
            && c.c[i] < c.c[i - 2].min(c.o[i - 2])
            && near;
        if up {
            100.0
        } else if down {
            -100.0
        } else {
            0.0
        }
    })
}

/// Tristar: three dojis (all measured against the average before the first), the middle one
/// gapping away.
fn tristar(c: &Candles) -> Option<Vec<f64>> {
    candles(c, 3, &[(BODY_DOJI, 2)], |i, l| {
        if !(c.body(i - 2) <= l[0] && c.body(i - 1) <= l[0] && c.body(i) <= l[0]) {
            return 0.0;
        }
        if c.body_gap_up(i - 1, i - 2) && c.o[i].max(c.c[i]) < c.o[i - 1].max(c.c[i - 1]) {
            -100.0
        } else if c.body_gap_down(i - 1, i - 2) && c.o[i].min(c.c[i]) > c.o[i - 1].min(c.c[i - 1]) {
            100.0
        } else {
            0.0
        }
    })
}

/// Unique three river: a long black candle, a black harami with a lower low, then a short white
/// candle opening above that low.
fn unique_three_river(c: &Candles) -> Option<Vec<f64>> {
    candles(c, 3, &[(BODY_LONG, 2), (BODY_SHORT, 0)], |i, l| {
        let hit = c.body(i - 2) > l[0]
            && c.black(i - 2)
            && c.black(i - 1)
            && c.c[i - 1] > c.c[i - 2]
            && c.o[i - 1] <= c.o[i - 2]
            && c.l[i - 1] < c.l[i - 2]
            && c.body(i) < l[1]
            && c.white(i)
            && c.o[i] > c.l[i - 1];
        when(hit, 100.0)
    })
}

/// Upside gap two crows: a long white candle, a short black one gapping up, then a black one
/// engulfing it and closing above the first close.
fn upside_gap_two_crows(c: &Candles) -> Option<Vec<f64>> {
    candles(c, 3, &[(BODY_LONG, 2), (BODY_SHORT, 1)], |i, l| {
        let hit = c.white(i - 2)
            && c.body(i - 2) > l[0]
            && c.black(i - 1)
            && c.body(i - 1) <= l[1]
            && c.body_gap_up(i - 1, i - 2)
            && c.black(i)
            && c.o[i] > c.o[i - 1]
            && c.c[i] < c.c[i - 1]
            && c.c[i] > c.c[i - 2];
        when(hit, -100.0)
    })
}

/// Upside/downside gap three methods: two candles of one colour with a gap between them, then one
/// of the other colour opening in the second body and closing in the first.
fn x_side_gap_three_methods(c: &Candles) -> Option<Vec<f64>> {
    candles(c, 3, &[], |i, _| {
        let hit = c.color(i - 2) == c.color(i - 1)
            && c.color(i - 1) == -c.color(i)
            && c.o[i] < c.c[i - 1].max(c.o[i - 1])
            && c.o[i] > c.c[i - 1].min(c.o[i - 1])
            && c.c[i] < c.c[i - 2].max(c.o[i - 2])
            && c.c[i] > c.c[i - 2].min(c.o[i - 2])
            && ((c.white(i - 2) && c.body_gap_up(i - 1, i - 2))
                || (c.black(i - 2) && c.body_gap_down(i - 1, i - 2)));
        when(hit, f64::from(c.color(i - 2)) * 100.0)
    })
}

/// Breakaway: a long candle, one of the same colour gapping away, two more moving on, then one of
/// the other colour closing inside the gap.
fn breakaway(c: &Candles) -> Option<Vec<f64>> {
    candles(c, 5, &[(BODY_LONG, 4)], |i, l| {
        let down = c.black(i - 4)
            && c.body_gap_down(i - 3, i - 4)
            && c.h[i - 2] < c.h[i - 3]
            && c.l[i - 2] < c.l[i - 3]
            && c.h[i - 1] < c.h[i - 2]
            && c.l[i - 1] < c.l[i - 2]
            && c.c[i] > c.o[i - 3]
            && c.c[i] < c.c[i - 4];
        let up = c.white(i - 4)
            && c.body_gap_up(i - 3, i - 4)
            && c.h[i - 2] > c.h[i - 3]
            && c.l[i - 2] > c.l[i - 3]
            && c.h[i - 1] > c.h[i - 2]
            && c.l[i - 1] > c.l[i - 2]
            && c.c[i] < c.o[i - 3]
            && c.c[i] > c.c[i - 4];
        let hit = c.color(i - 4) == c.color(i - 3)
            && c.color(i - 3) == c.color(i - 1)
            && c.color(i - 1) == -c.color(i)
            && c.body(i - 4) > l[0]
            && (down || up);
        when(hit, f64::from(c.color(i)) * 100.0)
    })
}

/// Ladder bottom: three black candles with lower opens and closes, a black one with an upper
/// shadow, then a white one opening above its body and closing above its high.
fn ladder_bottom(c: &Candles) -> Option<Vec<f64>> {
    candles(c, 5, &[(SHADOW_VERY_SHORT, 1)], |i, l| {
        let hit = c.black(i - 4)
            && c.black(i - 3)
            && c.black(i - 2)
            && c.o[i - 4] > c.o[i - 3]
            && c.o[i - 3] > c.o[i - 2]
            && c.c[i - 4] > c.c[i - 3]
            && c.c[i - 3] > c.c[i - 2]
            && c.black(i - 1)
            && c.upper_shadow(i - 1) > l[0]
            && c.white(i)
            && c.o[i] > c.o[i - 1]
            && c.c[i] > c.h[i - 1];
        when(hit, 100.0)
    })
}

/// Mat hold: a long white candle, a short black one gapping up, two more short ones falling but
/// holding within the first body (penetrating at most half of it, TA-Lib's default), then a white
/// candle closing above their highs.
fn mat_hold(c: &Candles) -> Option<Vec<f64>> {
    let settings = [(BODY_LONG, 4), (BODY_SHORT, 3), (BODY_SHORT, 2), (BODY_SHORT, 1)];
    candles(c, 5, &settings, |i, l| {
        let floor = c.c[i - 4] - c.body(i - 4) * 0.5;
        let bottom = |k: usize| c.o[k].min(c.c[k]);
        let top = |k: usize| c.c[k].max(c.o[k]);
        let hit = c.white(i - 4)
            && c.black(i - 3)
            && c.white(i)
            && c.body_gap_up(i - 3, i - 4)
            && bottom(i - 2) < c.c[i - 4]
            && bottom(i - 1) < c.c[i - 4]
            && bottom(i - 2) > floor
            && bottom(i - 1) > floor
            && top(i - 2) < c.o[i - 3]
            && top(i - 1) < top(i - 2)
            && c.o[i] > c.c[i - 1]
            && c.c[i] > c.h[i - 3].max(c.h[i - 2]).max(c.h[i - 1])
            && c.body(i - 4) > l[0]
            && c.body(i - 3) < l[1]
            && c.body(i - 2) < l[2]
            && c.body(i - 1) < l[3];
        when(hit, 100.0)
    })
}

/// Rising/falling three methods: a long candle, three short ones of the other colour inside its
/// range drifting against it, then a long candle of its colour closing beyond its close.
fn rise_fall_three_methods(c: &Candles) -> Option<Vec<f64>> {
    let settings =
        [(BODY_LONG, 4), (BODY_SHORT, 3), (BODY_SHORT, 2), (BODY_SHORT, 1), (BODY_LONG, 0)];
    candles(c, 5, &settings, |i, l| {
        let side = f64::from(c.color(i - 4));
        let inside = |k: usize| c.o[k].min(c.c[k]) < c.h[i - 4] && c.o[k].max(c.c[k]) > c.l[i - 4];
        let hit = c.body(i - 4) > l[0]
            && c.body(i - 3) < l[1]
            && c.body(i - 2) < l[2]
            && c.body(i - 1) < l[3]
            && c.body(i) > l[4]
            && c.color(i - 4) == -c.color(i - 3)
            && c.color(i - 3) == c.color(i - 2)
            && c.color(i - 2) == c.color(i - 1)
            && c.color(i - 1) == -c.color(i)
            && inside(i - 3)
            && inside(i - 2)
            && inside(i - 1)
            && c.c[i - 2] * side < c.c[i - 3] * side
            && c.c[i - 1] * side < c.c[i - 2] * side
            && c.o[i] * side > c.c[i - 1] * side
            && c.c[i] * side > c.c[i - 4] * side;
        when(hit, 100.0 * side)
    })
}

/// Three stars in the south: a long black candle with a long lower shadow, a smaller black one
/// opening higher within its range and trading lower but not below its low, then a small black
/// marubozu inside the second's range.
fn three_stars_in_south(c: &Candles) -> Option<Vec<f64>> {
    let settings = [
        (BODY_LONG, 2),
        (SHADOW_LONG, 2),
        (SHADOW_VERY_SHORT, 1),
        (SHADOW_VERY_SHORT, 0),
        (BODY_SHORT, 0),
    ];
    candles(c, 3, &settings, |i, l| {
        let hit = c.black(i - 2)
            && c.black(i - 1)
            && c.black(i)
            && c.body(i - 2) > l[0]
            && c.lower_shadow(i - 2) > l[1]
            && c.body(i - 1) < c.body(i - 2)
            && c.o[i - 1] > c.c[i - 2]
            && c.o[i - 1] <= c.h[i - 2]
            && c.l[i - 1] < c.c[i - 2]
            && c.l[i - 1] >= c.l[i - 2]
            && c.lower_shadow(i - 1) > l[2]
            && c.body(i) < l[4]
            && c.lower_shadow(i) < l[3]
            && c.upper_shadow(i) < l[3]
            && c.l[i] > c.l[i - 1]
            && c.h[i] < c.h[i - 1];
        when(hit, 100.0)
    })
}

/// Advance block: three white candles with rising closes, each opening within or near the
/// previous body, the first long with a short upper shadow, the advance weakening (smaller bodies
/// or long upper shadows).
fn advance_block(c: &Candles) -> Option<Vec<f64>> {
    let settings = [
        (SHADOW_SHORT, 2),
        (SHADOW_SHORT, 1),
        (SHADOW_SHORT, 0),
        (SHADOW_LONG, 1),
        (SHADOW_LONG, 0),
        (NEAR, 2),
        (NEAR, 1),
        (FAR, 2),
        (FAR, 1),
        (BODY_LONG, 2),
    ];
    candles(c, 3, &settings, |i, l| {
        let (b2, b1, b0) = (c.body(i - 2), c.body(i - 1), c.body(i));
        let weakening = (b1 < b2 - l[7] && b0 < b1 + l[6])
            || b0 < b1 - l[8]
            || (b0 < b1 && b1 < b2 && (c.upper_shadow(i) > l[2] || c.upper_shadow(i - 1) > l[1]))
            || (b0 < b1 && c.upper_shadow(i) > l[4]);
        let hit = c.white(i - 2)
            && c.white(i - 1)
            && c.white(i)
            && c.c[i] > c.c[i - 1]
            && c.c[i - 1] > c.c[i - 2]
            && c.o[i - 1] > c.o[i - 2]
            && c.o[i - 1] <= c.c[i - 2] + l[5]
            && c.o[i] > c.o[i - 1]
            && c.o[i] <= c.c[i - 1] + l[6]
            && b2 > l[9]
            && c.upper_shadow(i - 2) < l[0]
            && weakening;
        when(hit, -100.0)
    })
}

/// Concealing baby swallow: two black marubozu, a black candle gapping down with an upper shadow
/// into the second body, then a black candle engulfing it, shadows included.
fn concealing_baby_swallow(c: &Candles) -> Option<Vec<f64>> {
    let settings = [(SHADOW_VERY_SHORT, 3), (SHADOW_VERY_SHORT, 2), (SHADOW_VERY_SHORT, 1)];
    candles(c, 4, &settings, |i, l| {
        let hit = c.black(i - 3)
            && c.black(i - 2)
            && c.black(i - 1)
            && c.black(i)
            && c.lower_shadow(i - 3) < l[0]
            && c.upper_shadow(i - 3) < l[0]
            && c.lower_shadow(i - 2) < l[1]
            && c.upper_shadow(i - 2) < l[1]
            && c.body_gap_down(i - 1, i - 2)
            && c.upper_shadow(i - 1) > l[2]
            && c.h[i - 1] > c.c[i - 2]
            && c.h[i] > c.h[i - 1]
            && c.l[i] < c.l[i - 1];
        when(hit, 100.0)
    })
}

/// Stalled pattern: two long white candles with rising closes, the second with no (very short)
/// upper shadow opening within or near the first body, then a small white candle riding on the
/// second's shoulder.
fn stalled_pattern(c: &Candles) -> Option<Vec<f64>> {
    let settings = [
        (BODY_LONG, 2),
        (BODY_LONG, 1),
        (BODY_SHORT, 0),
        (SHADOW_VERY_SHORT, 1),
        (NEAR, 2),
        (NEAR, 1),
    ];
    candles(c, 3, &settings, |i, l| {
        let hit = c.white(i - 2)
            && c.white(i - 1)
            && c.white(i)
            && c.c[i] > c.c[i - 1]
            && c.c[i - 1] > c.c[i - 2]
            && c.body(i - 2) > l[0]
            && c.body(i - 1) > l[1]
            && c.upper_shadow(i - 1) < l[3]
            && c.o[i - 1] > c.o[i - 2]
            && c.o[i - 1] <= c.c[i - 2] + l[4]
            && c.body(i) < l[2]
            && c.o[i] >= c.c[i - 1] - c.body(i) - l[5];
        when(hit, -100.0)
    })
}
