//! The indicator catalogue against pandas-ta (fixtures from tools/oracles/pandas_ta_indicators.py
//! and pandas_ta_study_values.py, its pure-pandas path, on real series), and free of look-ahead:
//! every indicator of the catalogue is covered by both tests without further work, and one missing
//! from the fixtures fails.

#![allow(clippy::unwrap_used)] // a panic is a failed test

use alphaseq::features::indicators::volume::vwap::{Anchor, Vwap};
use alphaseq::features::indicators::{
    catalogue, look_ahead_catalogue, select_choices, select_choices_with, Choice, Indicator,
    LookAhead, Ohlcv, Rules,
};
use chrono::NaiveDate;
use common::FixtureBars;
use serde_json::Value;

mod common;

/// Parameterisations checked beyond the catalogue's defaults: VWAP's other anchors, and
/// non-default parameters set as an experiment file sets them (through `select_choices`).
fn anchored_variants() -> Vec<Box<dyn Indicator>> {
    let mut out: Vec<Box<dyn Indicator>> =
        [Anchor::Week, Anchor::Month, Anchor::Quarter, Anchor::Year]
            .into_iter()
            .map(|anchor| Box::new(Vwap { anchor }) as Box<dyn Indicator>)
            .collect();
    let configured: Vec<Choice> = serde_json::from_str(
        r#"[{"kind": "rsi", "length": 21}, {"kind": "macd", "fast": 8, "slow": 21, "signal": 5},
            {"kind": "bbands", "length": 20, "std": 2.5}, {"kind": "stoch", "k": 9, "d": 4, "smooth_k": 2},
            {"kind": "supertrend", "length": 10, "multiplier": 2.5}, {"kind": "kc", "length": 10, "scalar": 1.5},
            {"kind": "cci", "length": 30, "c": 0.02}, {"kind": "sma", "length": 50}]"#,
    )
    .unwrap();
    out.extend(select_choices(&configured).unwrap());
    out
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap_or(f64::NAN)).collect()
}

/// The fixtures' series, each with pandas-ta's columns: the explicit calls of
/// pandas_ta_indicators.py (defaults and the variants) and `study("All")`'s values from
/// pandas_ta_study_values.py, merged by series name.
fn fixture_series() -> Vec<(Value, serde_json::Map<String, Value>)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/");
    let explicit: Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{dir}pandas_ta_indicators.json")).unwrap(),
    )
    .unwrap();
    let mut study = String::new();
    std::io::Read::read_to_string(
        &mut flate2::read::GzDecoder::new(
            std::fs::File::open(format!("{dir}pandas_ta_study_values.json.gz")).unwrap(),
        ),
        &mut study,
    )
    .unwrap();
    let study: Value = serde_json::from_str(&study).unwrap();
    let mut out: Vec<(Value, serde_json::Map<String, Value>)> = vec![];
    for fixture in [&explicit, &study] {
        for series in fixture["series"].as_array().unwrap() {
            let columns = series["columns"].as_object().unwrap().clone();
            match out.iter_mut().find(|(s, _)| s["name"] == series["name"]) {
                Some((_, merged)) => merged.extend(columns),
                None => out.push((series.clone(), columns)),
            }
        }
    }
    out
}

#[test]
fn every_indicator_equals_pandas_ta_on_real_series() {
    for (series, columns) in fixture_series() {
        let name = series["name"].as_str().unwrap();
        let bars = FixtureBars::of(&series);
        let x = bars.ohlcv();
        // TA-Lib's candlestick patterns are not pandas-ta's own: tests/talib.rs checks them
        for ind in catalogue().into_iter().filter(|i| !i.talib_only()).chain(anchored_variants()) {
            let mut slowest = 0;
            let intermittent = ind.intermittent();
            for ((col, ours), sometimes) in
                ind.columns().iter().zip(ind.compute(&x)).zip(intermittent)
            {
                let theirs = floats(
                    columns
                        .get(col)
                        .unwrap_or_else(|| panic!("{col} has no pandas-ta values in the fixture")),
                );
                assert_eq!(ours.len(), theirs.len(), "{name} {col}");
                // pandas-ta back-fills some warm-ups (SMC's gaps) with a later bar's value;
                // alphaseq does not: compared from the indicator's declared row on
                let skip = ind.pandas_ta_backfilled_rows();
                let leading = ours.iter().take_while(|v| v.is_nan()).count();
                let (ours, theirs) = (ours[skip..].to_vec(), theirs[skip..].to_vec());
                for (t, (a, b)) in ours.iter().zip(&theirs).enumerate() {
                    let t = t + skip;
                    assert_eq!(
                        a.is_nan(),
                        b.is_nan(),
                        "{name} {col} row {t}: alphaseq {a}, pandas-ta {b}"
                    );
                    // pandas' rolling skew and kurtosis keep running raw-moment sums and lose about
                    // 1e-10 (absolute) to cancellation near zero; alphaseq's centred moments are
                    // checked against exact rational arithmetic in their unit tests. Those two
                    // compare on the statistics' natural scale.
                    let scale = if col.starts_with("SKEW_") || col.starts_with("KURT_") {
                        b.abs().max(1.0)
                    } else {
                        b.abs()
                    };
                    if !b.is_nan() {
                        assert!(
                            (a - b).abs() <= 1e-9 * scale + 1e-12,
                            "{name} {col} row {t}: alphaseq {a}, pandas-ta {b}"
                        );
                    }
                }
                if sometimes {
                    continue; // NaN by design where the column does not apply
                }
                if ind.starts_on_the_prices() {
                    assert!(leading >= ind.warm_up(), "{name} {col}: starts before its warm-up");
                    continue;
                }
                assert!(
                    leading <= ind.warm_up(),
                    "{name} {col}: {leading} warm-up rows, more than {}",
                    ind.warm_up()
                );
                slowest = slowest.max(leading);
            }
            if ind.intermittent().iter().any(|i| !i) && !ind.starts_on_the_prices() {
                let cols = ind.columns();
                assert_eq!(
                    slowest,
                    ind.warm_up(),
                    "{name} {cols:?}: warm-up rows until every column is defined"
                );
            }
        }
    }
}

/// SplitMix64, so that the test needs no RNG crate.
fn random_bars(seed: u64, n: usize) -> [Vec<f64>; 5] {
    let mut s = seed;
    let mut next = || {
        s = s.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = s;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    };
    let (mut o, mut h, mut l, mut c, mut v) = (vec![], vec![], vec![], vec![], vec![]);
    let mut p = 100.0;
    for _ in 0..n {
        let open = p;
        p *= 1.0 + 0.04 * (next() - 0.5);
        o.push(open);
        c.push(p);
        h.push(open.max(p) * (1.0 + 0.01 * next()));
        l.push(open.min(p) * (1.0 - 0.01 * next()));
        v.push(1e6 * (0.5 + next()));
    }
    [o, h, l, c, v]
}

/// Random bars (`random_bars`' five fields) on `dates`, as an indicator's input.
fn bars_on<'a>(b: &'a [Vec<f64>; 5], dates: &'a [NaiveDate]) -> Ohlcv<'a> {
    Ohlcv { open: &b[0], high: &b[1], low: &b[2], close: &b[3], volume: &b[4], dates }
}

#[test]
fn no_indicator_reads_the_future() {
    for seed in 0..8u64 {
        let n = 300;
        let bars = random_bars(seed, n);
        let start = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        let dates: Vec<NaiveDate> = start.iter_days().take(n).collect();
        let cut = 60 + (seed as usize * 29) % 200;
        let mut moved = bars.clone();
        for series in moved.iter_mut() {
            for (t, v) in series.iter_mut().enumerate().skip(cut + 1) {
                *v *= 1.0 + 0.3 * ((t * 7 + seed as usize) % 5) as f64 / 5.0;
            }
        }
        let view = |b: &[Vec<f64>; 5]| -> Vec<Vec<f64>> {
            let x = bars_on(b, &dates);
            catalogue().iter().chain(&anchored_variants()).flat_map(|i| i.compute(&x)).collect()
        };
        let (a, b) = (view(&bars), view(&moved));
        let names: Vec<String> =
            catalogue().iter().chain(&anchored_variants()).flat_map(|i| i.columns()).collect();
        for ((col, x), y) in names.iter().zip(&a).zip(&b) {
            for t in 0..=cut {
                assert!(
                    x[t].to_bits() == y[t].to_bits(),
                    "{col} at {t} changed when prices after {cut} changed"
                );
            }
        }
        assert!(
            catalogue().iter().all(|i| !i.reads_future()),
            "the default catalogue never reads the future"
        );
    }
}

#[test]
fn the_look_ahead_indicators_equal_pandas_ta() {
    // pandas-ta's own (look-ahead) values, as study("All") writes them; the centred DPO is kept
    // under "DPO_20 (centered)" (the fixture's DPO_20 is the causal one), and pandas-ta writes
    // no VHM_610 for a series shorter than 610 bars (alphaseq's is NaN)
    let mut compared = 0;
    for (series, columns) in fixture_series() {
        let name = series["name"].as_str().unwrap();
        let bars = FixtureBars::of(&series);
        let x = bars.ohlcv();
        for ind in look_ahead_catalogue() {
            for (col, ours) in ind.columns().iter().zip(ind.compute(&x)) {
                let key =
                    if ind.name() == "dpo" { format!("{col} (centered)") } else { col.clone() };
                let theirs = match columns.get(&key) {
                    Some(values) => floats(values),
                    None if ind.name() == "vhm" && x.close.len() < 610 => {
                        vec![f64::NAN; x.close.len()]
                    }
                    None => panic!("{name} {key} has no pandas-ta values in the fixture"),
                };
                for (t, (a, b)) in ours.iter().zip(&theirs).enumerate() {
                    assert_eq!(
                        a.is_nan(),
                        b.is_nan(),
                        "{name} {col} row {t}: alphaseq {a}, pandas-ta {b}"
                    );
                    assert!(
                        b.is_nan() || (a - b).abs() <= 1e-9 * b.abs() + 1e-12,
                        "{name} {col} row {t}: alphaseq {a}, pandas-ta {b}"
                    );
                }
                compared += 1;
            }
        }
    }
    // 13 look-ahead columns and Ichimoku's 4 causal ones, on three series
    assert_eq!(compared, 3 * 17);
}

#[test]
fn the_look_ahead_indicators_do_read_the_future() {
    // the mark is earned: on random bars, changing the prices after a cut changes some value at
    // or before it, for every column that pandas-ta computes with later data
    let n = 300;
    let bars = random_bars(3, n);
    let start = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    let dates: Vec<NaiveDate> = start.iter_days().take(n).collect();
    let cut = 150;
    let mut moved = bars.clone();
    for series in moved.iter_mut() {
        for (t, v) in series.iter_mut().enumerate().skip(cut + 1) {
            *v *= 1.0 + 0.3 * ((t * 7) % 5) as f64 / 5.0;
        }
    }
    let (x, y) = (bars_on(&bars, &dates), bars_on(&moved, &dates));
    for ind in look_ahead_catalogue() {
        assert!(ind.reads_future(), "{}", ind.name());
        // VHM needs 610 bars: checked on a long series below
        if ind.name() == "vhm" {
            continue;
        }
        let (a, b) = (ind.compute(&x), ind.compute(&y));
        let changed: Vec<bool> = a
            .iter()
            .zip(&b)
            .map(|(p, q)| (0..=cut).any(|t| p[t].to_bits() != q[t].to_bits()))
            .collect();
        let cols = ind.columns();
        // Ichimoku's four causal lines stay put: only the chikou span moves
        for (col, moved) in cols.iter().zip(&changed) {
            let causal = ind.name() == "ichimoku" && !col.starts_with("ICS");
            assert_eq!(*moved, !causal, "{} {col}", ind.name());
        }
    }
    let long = random_bars(4, 700);
    let mut later = long.clone();
    later[4][690] *= 2.0;
    let days: Vec<NaiveDate> = start.iter_days().take(700).collect();
    let vhm = &look_ahead_catalogue()[4];
    let at = |b: &[Vec<f64>; 5]| vhm.compute(&bars_on(b, &days))[0][650];
    assert_eq!(vhm.name(), "vhm");
    assert_ne!(at(&long), at(&later), "VHM at bar 650 moves with the volume of bar 690");
}

#[test]
fn look_ahead_is_refused_unless_allowed_and_never_in_all() {
    let choices = |json: &str| -> Vec<Choice> { serde_json::from_str(json).unwrap() };
    let allow = Rules { look_ahead: LookAhead::Allow, ..Rules::default() };
    for json in [
        r#"["zigzag"]"#,
        r#"["tos_stdevall"]"#,
        r#"["vhm"]"#,
        r#"[{"kind": "dpo", "centered": true}]"#,
        r#"[{"kind": "ichimoku", "include_chikou": true}]"#,
    ] {
        let e = select_choices(&choices(json)).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(
            e.contains("reads the future") && e.contains("features.look_ahead = \"allow\""),
            "{json}: {e}"
        );
        let allowed = select_choices_with(&choices(json), &allow).unwrap();
        assert!(allowed.len() == 1 && allowed[0].reads_future(), "{json}");
    }
    // the causal forms by the same names
    let plain = select_choices(&choices(r#"["dpo", "ichimoku"]"#)).unwrap();
    assert!(plain.iter().all(|i| !i.reads_future()));
    assert_eq!(plain[1].columns(), ["ISA_9", "ISB_26", "ITS_9", "IKS_26"]);
    // allowing adds nothing by itself
    for json in [r#"["all"]"#, r#"["trend", "statistics", "volume", "overlap"]"#] {
        let all = select_choices_with(&choices(json), &allow).unwrap();
        assert!(all.iter().all(|i| !i.reads_future()), "{json}");
    }
    // exclude leaves names and families out of all, never a configured entry
    let some = select_choices_with(
        &choices(r#"["all", { "kind": "rsi", "length": 21 }]"#),
        &Rules { exclude: vec!["candles".into(), "RSI".into()], ..Rules::default() },
    )
    .unwrap();
    let kept =
        catalogue().iter().filter(|i| i.family().name() != "candles" && i.name() != "rsi").count();
    assert_eq!(some.len(), kept + 1);
    assert!(some.iter().all(|i| i.family().name() != "candles"));
    assert_eq!(some.iter().filter(|i| i.name() == "rsi").count(), 1);
    assert_eq!(some.last().unwrap().columns(), ["RSI_21"]);
    let e = select_choices_with(
        &choices(r#"["all"]"#),
        &Rules { exclude: vec!["rsxx".into()], ..Rules::default() },
    )
    .err()
    .map(|e| e.to_string())
    .unwrap_or_default();
    assert!(e.contains("features.exclude_indicators") && e.contains("rsxx"), "{e}");
    let zz = select_choices_with(
        &choices(r#"[{"kind": "zigzag", "legs": 6, "deviation": 2.5}]"#),
        &allow,
    )
    .unwrap();
    assert_eq!(zz[0].columns(), ["ZIGZAGs_2.5%_6", "ZIGZAGv_2.5%_6", "ZIGZAGd_2.5%_6"]);
}

#[test]
fn bad_parameters_are_named() {
    let err = |json: &str| {
        let c: Vec<Choice> = serde_json::from_str(json).unwrap();
        select_choices(&c).err().map(|e| e.to_string()).unwrap_or_default()
    };
    let e = err(r#"[{"kind": "rsi", "lenght": 21}]"#);
    assert!(e.contains("rsi") && e.contains("\"lenght\"") && e.contains("length"), "{e}");
    assert!(err(r#"[{"kind": "rsi", "length": 0}]"#).contains("length = 0"));
    assert!(err(r#"[{"kind": "bbands", "std": -1.0}]"#).contains("std = -1.0"));
    assert!(err(r#"[{"kind": "rsi", "length": 2.5}]"#).contains("length = 2.5"));
    assert!(err(r#"[{"kind": "momentum", "length": 5}]"#).contains("not an indicator name"));
    assert!(err(r#"[{"kind": "hl2", "length": 5}]"#).contains("takes no parameters"));
    assert!(err(r#"[{"kind": "vwap", "anchor": "X"}]"#).contains("vwap"));
    let ok: Vec<Choice> = serde_json::from_str(r#"[{"kind": "VWAP", "anchor": "M"}]"#).unwrap();
    assert_eq!(select_choices(&ok).unwrap()[0].columns(), ["VWAP_M"]);
}

#[test]
fn every_indicator_runs_with_its_smallest_windows() {
    // Each whole-number parameter at 1, 2 and 3 (other parameters at their defaults) on random
    // bars: no panic, columns of the input's length.
    let bars = random_bars(5, 80);
    let d0 = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    let dates: Vec<NaiveDate> = (0..80).map(|i| d0 + chrono::Duration::days(i)).collect();
    let x = bars_on(&bars, &dates);
    let mut exercised = 0;
    for ind in catalogue() {
        let defaults = ind.parameters();
        for (key, value) in &defaults {
            if !value.is_u64() {
                continue;
            }
            for small in 1..=3u64 {
                let mut params = serde_json::Map::new();
                params.insert(key.clone(), small.into());
                let changed = ind.reconfigured(&params).unwrap();
                exercised += 1;
                let cols = changed.compute(&x);
                assert_eq!(cols.len(), changed.columns().len(), "{} {key}={small}", ind.name());
                assert!(cols.iter().all(|c| c.len() == 80), "{} {key}={small}", ind.name());
            }
        }
    }
    assert!(exercised > 3 * 80, "{exercised} (indicator, window) pairs");
}
