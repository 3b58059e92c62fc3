//! `convention = "talib"`: what pandas-ta gives with TA-Lib installed (fixture
//! `pandas_ta_talib_values.json.gz` from tools/oracles/pandas_ta_talib_values.py, whose direct
//! columns it checks against TA-Lib's Python package). Every catalogue indicator whose pandas-ta
//! values change with TA-Lib computes the TA-Lib convention, equal to the fixture to 1e-9 on three
//! real series, with its own warm-up.

#![allow(clippy::unwrap_used)] // a panic is a failed test

use std::collections::BTreeSet;

use alphaseq::features::indicators::{
    catalogue, look_ahead_catalogue, select_choices_with, Choice, Convention, Rules,
};
use common::FixtureBars;
use serde_json::Value;

mod common;

fn floats(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap_or(f64::NAN)).collect()
}

fn fixture() -> Value {
    let path =
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/pandas_ta_talib_values.json.gz");
    let mut text = String::new();
    std::io::Read::read_to_string(
        &mut flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap()),
        &mut text,
    )
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a.is_nan() && b.is_nan()) || (a - b).abs() <= 1e-9 * b.abs() + 1e-12
}

#[test]
fn every_indicator_gives_pandas_ta_with_talib_or_is_refused() {
    let talib = Rules { convention: Convention::Talib, ..Rules::default() };
    let mut changed: BTreeSet<&'static str> = BTreeSet::new();
    let mut compared = 0;
    let mut wrong = vec![];
    // study("All")'s DPO_20 is the centred one (look-ahead), not the catalogue's
    let future: BTreeSet<String> =
        look_ahead_catalogue().iter().flat_map(|i| i.columns()).collect();
    let causal: BTreeSet<String> = catalogue().iter().flat_map(|i| i.columns()).collect();
    let skip = |col: &str| col == "DPO_20" || (future.contains(col) && !causal.contains(col));
    for series in fixture()["series"].as_array().unwrap() {
        let name = series["name"].as_str().unwrap();
        let columns = series["columns"].as_object().unwrap();
        let bars = FixtureBars::of(series);
        let x = bars.ohlcv();
        for ind in catalogue() {
            let pandas = ind.compute(&x);
            let differs = ind.columns().iter().zip(&pandas).any(|(col, ours)| {
                !skip(col)
                    && columns
                        .get(col)
                        .is_some_and(|t| !ours.iter().zip(floats(t)).all(|(a, b)| close(*a, b)))
            });
            if differs {
                changed.insert(ind.name());
            }
            let chosen = select_choices_with(&[Choice::from(ind.name())], &talib);
            let under = chosen.unwrap().remove(0);
            let computed = under.compute(&x);
            // the declared warm-up is the TA-Lib convention's own (on these gap-free series)
            let leading = computed
                .iter()
                .zip(under.intermittent())
                .filter(|(_, sometimes)| !sometimes)
                .map(|(c, _)| c.iter().take_while(|v| v.is_nan()).count())
                .max();
            let talib_mode =
                under.parameters().get("convention").and_then(|v| v.as_str()) == Some("talib");
            if talib_mode && !under.starts_on_the_prices() {
                if let Some(leading) = leading {
                    if leading != under.warm_up() {
                        wrong.push(format!(
                            "{name} {}: {leading} leading NaN under TA-Lib, warm_up() {}",
                            under.name(),
                            under.warm_up()
                        ));
                    }
                }
            }
            for (col, ours) in under.columns().iter().zip(computed) {
                let Some(theirs) = columns.get(col).filter(|_| !skip(col)) else { continue };
                // CFO = 100 (close - TSF) / close: TSF agrees with TA-Lib 0.8.1's to about 1e-13
                // of the price (its sums round differently from the C source's loop), which the
                // near-cancellation turns into 1e-11 of the oscillator; compared on TSF's scale
                let equal = |a: f64, b: f64| {
                    close(a, b) || (col.starts_with("CFO_") && (a - b).abs() <= 100.0 * 1e-9)
                };
                if let Some((t, (a, b))) =
                    ours.iter().zip(floats(theirs)).enumerate().find(|(_, (a, b))| !equal(**a, *b))
                {
                    wrong.push(format!(
                        "{name} {col} row {t}: alphaseq {a}, pandas-ta with TA-Lib {b}"
                    ));
                }
                compared += 1;
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // every column pandas-ta changes with TA-Lib is one alphaseq writes
    let ours: BTreeSet<String> = catalogue().iter().flat_map(|i| i.columns()).collect();
    let theirs: BTreeSet<String> = fixture()["series"][0]["columns"]
        .as_object()
        .unwrap()
        .keys()
        .filter(|c| !skip(c))
        .cloned()
        .collect();
    let unwritten: Vec<&String> = theirs.difference(&ours).collect();
    assert!(
        unwritten.is_empty(),
        "study(\"All\") with TA-Lib writes these, alphaseq not: {unwritten:?}"
    );
    let with_convention: BTreeSet<&str> = catalogue()
        .iter()
        .filter(|i| i.parameters().contains_key("convention"))
        .map(|i| i.name())
        .collect();
    let missing: BTreeSet<&str> = changed.difference(&with_convention).copied().collect();
    assert!(
        missing.is_empty(),
        "TA-Lib changes these and they have no TA-Lib convention: {missing:?}"
    );
    eprintln!(
        "TA-Lib convention: {} indicators change with TA-Lib; {} follow it ({compared} column checks)",
        changed.len(),
        with_convention.len()
    );
}

#[test]
fn talib_candlestick_patterns_equal_talib_bar_for_bar() {
    use alphaseq::features::indicators::candles::cdl_pattern::CdlPattern;
    use alphaseq::features::indicators::Indicator;
    let ours = CdlPattern::all();
    let columns = ours.columns();
    let mut wrong = vec![];
    let mut signals = 0;
    let mut missing = BTreeSet::new();
    for series in fixture()["series"].as_array().unwrap() {
        let name = series["name"].as_str().unwrap();
        let theirs = series["columns"].as_object().unwrap();
        let computed = ours.compute(&FixtureBars::of(series).ohlcv());
        for (col, values) in columns.iter().zip(&computed) {
            let expected = floats(&theirs[col]);
            if let Some(t) = (0..expected.len()).find(|&t| values[t] != expected[t]) {
                wrong
                    .push(format!("{name} {col} row {t}: {} vs TA-Lib {}", values[t], expected[t]));
            }
            signals += values.iter().filter(|v| **v != 0.0).count();
        }
        missing.extend(
            theirs.keys().filter(|k| k.starts_with("CDL_") && !columns.contains(k)).cloned(),
        );
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(missing.is_empty(), "TA-Lib's patterns alphaseq does not compute: {missing:?}");
    // the three series must exercise the patterns, not only agree on zeros
    assert!(signals > 3_000, "{signals} signals");
    eprintln!(
        "TA-Lib candlestick patterns: {} equal bar for bar ({signals} signals)",
        columns.len()
    );
}

#[test]
fn every_indicator_under_talib_takes_series_shorter_than_its_lookback() {
    use alphaseq::features::indicators::Ohlcv;
    let talib = Rules { convention: Convention::Talib, ..Rules::default() };
    let every = select_choices_with(&[Choice::from("all")], &talib).unwrap();
    let series = &fixture()["series"][0];
    let bars = FixtureBars::of(series);
    let x = bars.ohlcv();
    for n in [0, 1, 2, 3, 4, 6, 9, 13, 40] {
        let short = Ohlcv {
            open: &x.open[..n],
            high: &x.high[..n],
            low: &x.low[..n],
            close: &x.close[..n],
            volume: &x.volume[..n],
            dates: &x.dates[..n],
        };
        for ind in &every {
            for (col, values) in ind.columns().iter().zip(ind.compute(&short)) {
                assert_eq!(values.len(), n, "{col} on {n} bars");
            }
        }
    }
}
