//! Indicators as experiment features: selected by name or family, computed on each ticker's own
//! span of adjusted bars (so a ticker's values do not depend on which other tickers share the
//! calendar), and free of look-ahead through the whole feature matrix.

#![allow(clippy::unwrap_used)] // a panic is a failed test

use alphaseq::data::{read_sources, Panel, PanelOptions, Records};
use alphaseq::features::{FeatureMatrix, FeatureSpec};
use chrono::NaiveDate;

fn sample() -> Records {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/sample/prices.csv.gz");
    read_sources(&[path]).unwrap().0
}

fn spec(indicators: &[&str]) -> FeatureSpec {
    FeatureSpec {
        returns: vec![1],
        volatility: vec![],
        indicators: indicators.iter().map(|s| (*s).into()).collect(),
        ..FeatureSpec::default()
    }
}

/// The sample's AAPL alone, as a panel.
fn aapl_alone() -> Panel {
    let mut records = sample();
    let aapl = records.tickers.iter().position(|t| t == "AAPL").unwrap() as u32;
    records.rows.retain(|r| r.ticker == aapl);
    Panel::from_records(&records, &PanelOptions::default()).unwrap()
}

/// Only the listed tickers, the first of them from `from` on.
fn subset(records: &Records, keep: &[u32], late: u32, from: NaiveDate) -> Records {
    let mut out = records.clone();
    out.rows.retain(|r| keep.contains(&r.ticker) && (r.ticker != late || r.date >= from));
    out
}

#[test]
fn a_ticker_listed_later_gets_the_values_of_its_own_history() {
    let records = sample();
    let (a, b) = (0u32, 1u32);
    let from = NaiveDate::from_ymd_opt(2010, 1, 4).unwrap();
    let spec = spec(&["all"]);
    let alone =
        Panel::from_records(&subset(&records, &[a], a, from), &PanelOptions::default()).unwrap();
    let shared =
        Panel::from_records(&subset(&records, &[a, b], a, from), &PanelOptions::default()).unwrap();
    assert!(shared.dates()[0] < from, "the other ticker must start earlier");
    let name = &records.tickers[a as usize];
    let (fa, fs) = (
        FeatureMatrix::compute(&alone, &spec).unwrap(),
        FeatureMatrix::compute(&shared, &spec).unwrap(),
    );
    let (ia, is) = (alone.ticker_index(name).unwrap(), shared.ticker_index(name).unwrap());
    let offset = shared.dates().iter().position(|d| *d == alone.dates()[0]).unwrap();
    for t in 0..offset {
        assert!(fs.row(is, t).iter().all(|v| v.is_nan()), "{name}: values before its first bar");
    }
    let mut compared = 0;
    for t in 0..alone.dates().len() {
        let (x, y) = (fa.row(ia, t), fs.row(is, t + offset));
        for ((col, u), v) in fa.names().iter().zip(x).zip(y) {
            assert!(
                u.to_bits() == v.to_bits(),
                "{name} {col} on {}: {u} alone, {v} shared",
                alone.dates()[t]
            );
            compared += usize::from(!u.is_nan());
        }
    }
    assert!(compared > 100_000, "only {compared} values compared");
}

#[test]
fn selection_by_name_family_and_all() {
    let names = spec(&["RSI", "macd"]).names();
    assert_eq!(names, ["ret_1", "RSI_14", "MACD_12_26_9", "MACDh_12_26_9", "MACDs_12_26_9"]);
    let momentum = spec(&["momentum"]).names();
    assert!(momentum.contains(&"RSI_14".to_string()) && !momentum.contains(&"SMA_10".to_string()));
    // twice asked, once computed; the sides that are NaN by design in pandas-ta are written
    // too (0 where the other side applies)
    let psar = spec(&["psar", "trend", "psar"]).names();
    assert_eq!(psar.iter().filter(|n| n.starts_with("PSARaf")).count(), 1);
    let sides = psar.iter().filter(|n| n.starts_with("PSARl_") || n.starts_with("PSARs_"));
    assert_eq!(sides.count(), 2);
    assert_eq!(spec(&["hilo"]).names(), ["ret_1", "HILO_13_21", "HILOl_13_21", "HILOs_13_21"]);
    let all = spec(&["all"]);
    assert!(all.names().len() > 100, "{}", all.names().len());
    let slowest = alphaseq::features::indicators::catalogue().iter().map(|i| i.warm_up()).max();
    assert_eq!(Some(all.warm_up()), slowest);
}

#[test]
fn an_unknown_indicator_is_named_with_the_choices() {
    let e = spec(&["rsi", "rsii"]).validate().unwrap_err().to_string();
    assert!(e.contains("\"rsii\"") && e.contains("momentum") && e.contains("vidya"), "{e}");
}

#[test]
fn changing_prices_after_a_date_moves_no_feature_before_it() {
    let records = sample();
    let cut = NaiveDate::from_ymd_opt(2012, 6, 29).unwrap();
    let mut moved = records.clone();
    for (k, r) in moved.rows.iter_mut().enumerate().filter(|(_, r)| r.date > cut) {
        let f = 1.0 + 0.2 * (k % 7) as f64 / 7.0;
        (r.open, r.high, r.low, r.close, r.adj_close) =
            (r.open * f, r.high * f * 1.01, r.low * f * 0.99, r.close * f, r.adj_close * f);
        r.volume *= 2.0;
    }
    let spec = spec(&["all"]);
    let (p, q) = (
        Panel::from_records(&records, &PanelOptions::default()).unwrap(),
        Panel::from_records(&moved, &PanelOptions::default()).unwrap(),
    );
    let (fp, fq) =
        (FeatureMatrix::compute(&p, &spec).unwrap(), FeatureMatrix::compute(&q, &spec).unwrap());
    let last = p.dates().iter().rposition(|d| *d <= cut).unwrap();
    for i in 0..p.tickers().len() {
        for t in 0..=last {
            for ((col, u), v) in fp.names().iter().zip(fp.row(i, t)).zip(fq.row(i, t)) {
                assert!(
                    u.to_bits() == v.to_bits(),
                    "{} {col} on {} moved",
                    p.tickers()[i],
                    p.dates()[t]
                );
            }
        }
    }
}

#[test]
fn every_catalogue_entry_writes_the_columns_it_lists() {
    use alphaseq::features::indicators::catalogue;
    let records = sample();
    let mut one = records.clone();
    one.rows.retain(|r| r.ticker == 0);
    let panel = Panel::from_records(&one, &PanelOptions::default()).unwrap();
    for ind in catalogue() {
        // every entry writes what it lists, alone too (HILO's three columns, NVI held)
        let spec = spec(&[ind.name()]);
        spec.validate().unwrap_or_else(|e| panic!("{}: {e}", ind.name()));
        let m = FeatureMatrix::compute(&panel, &spec).unwrap();
        assert_eq!(m.names()[1..], ind.columns(), "{}", ind.name());
        // every column has values, and a window after the warm-up is complete: the side
        // columns of a trailing stop are 0 where the other side applies, not NaN
        let n = panel.dates().len();
        let complete = (0..n).filter(|&t| m.row_is_finite(0, t)).count();
        assert!(complete > n / 2, "{}: {complete} complete rows of {n}", ind.name());
        let sides = (0..ind.columns().len()).filter(|&j| ind.intermittent()[j]);
        for j in sides {
            let column: Vec<f64> = (0..n).map(|t| m.row(0, t)[1 + j]).collect();
            let zeros = column.iter().filter(|v| **v == 0.0).count();
            let values = column.iter().filter(|v| v.is_finite() && **v != 0.0).count();
            let name = &m.names()[1 + j];
            assert!(zeros > 0 && values > 0, "{name}: {zeros} zeros, {values} values");
        }
    }
}

#[test]
fn indicators_are_computed_on_the_prices_the_config_names() {
    use alphaseq::features::IndicatorPrices;
    // raw prices: AAPL's 4:1 split of 2020-08-31 is in them
    let panel = aapl_alone();
    let b = panel.bars(0);
    let sma = |basis| {
        let spec = FeatureSpec { indicator_prices: basis, ..spec(&["sma"]) };
        let m = FeatureMatrix::compute(&panel, &spec).unwrap();
        let j = m.names().iter().position(|n| n == "SMA_10").unwrap();
        (0..panel.dates().len()).map(|t| m.row(0, t)[j]).collect::<Vec<f64>>()
    };
    let (adjusted, raw) = (sma(IndicatorPrices::Adjusted), sma(IndicatorPrices::Raw));
    let mean = |x: &[f64], t: usize| x[t - 9..=t].iter().sum::<f64>() / 10.0;
    let split = panel.dates().iter().position(|d| d.to_string() == "2020-08-31").unwrap();
    for t in [split - 1, split + 20] {
        assert!((raw[t] - mean(&b.close, t)).abs() < 1e-9 * raw[t]);
        assert!((adjusted[t] - mean(&b.adj_close, t)).abs() < 1e-9 * adjusted[t]);
    }
    assert!(raw[split - 1] > 3.5 * adjusted[split - 1], "before the split: raw is 4x");
}

#[test]
fn zigzag_swings_are_events_in_the_matrix_zero_between_them() {
    use alphaseq::features::indicators::{look_ahead_catalogue, Ohlcv};
    use alphaseq::features::LookAhead;
    let panel = aapl_alone();
    let spec = FeatureSpec { look_ahead: LookAhead::Allow, ..spec(&["zigzag"]) };
    let m = FeatureMatrix::compute(&panel, &spec).unwrap();
    // pandas-ta's values: NaN between swings
    let b = panel.bars(0);
    let factor: Vec<f64> = b.adj_close.iter().zip(&b.close).map(|(a, c)| a / c).collect();
    let adj = |x: &[f64]| -> Vec<f64> { x.iter().zip(&factor).map(|(v, f)| v * f).collect() };
    let (o, h, l) = (adj(&b.open), adj(&b.high), adj(&b.low));
    let x = Ohlcv {
        open: &o,
        high: &h,
        low: &l,
        close: &b.adj_close,
        volume: &b.volume,
        dates: panel.dates(),
    };
    let zigzag = &look_ahead_catalogue()[3];
    assert_eq!(zigzag.name(), "zigzag");
    let theirs = zigzag.compute(&x);
    let (mut swings, mut zeros) = (0, 0);
    for (j, column) in theirs.iter().enumerate() {
        for (t, v) in column.iter().enumerate() {
            let ours = m.row(0, t)[1 + j];
            if t < 5 {
                assert!(ours.is_nan(), "warm-up row {t}");
            } else if v.is_nan() {
                assert_eq!(ours, 0.0, "no swing at {t}");
                zeros += 1;
            } else {
                assert_eq!(ours.to_bits(), v.to_bits());
                swings += 1;
            }
        }
    }
    assert!(swings > 30 && zeros > 10 * swings, "{swings} swing values, {zeros} zeros");
}
