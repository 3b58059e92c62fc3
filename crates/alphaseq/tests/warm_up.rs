//! The warm-up check beside the look-ahead test: a live system's history starts somewhere else
//! than the backtest's, so every feature computed on a series cut at a later start must equal the
//! full history's value once its documented warm-up has passed (`FeatureSpec::settled`, from each
//! indicator's `Memory`). Windows agree right after the warm-up, recursive filters (EWMs, RMAs)
//! after the rows they need to forget the start; running totals never agree, and the catalogue
//! says so, which is checked too. On real prices (the sample's stocks and index, 2005-2021, with
//! the 2008 crash inside the compared span) and on a long random walk for the winsorised
//! momentum features, whose half-life-252 EWM needs about 10,000 rows.

#![allow(clippy::unwrap_used)] // a panic is a failed test

mod common;

use std::collections::BTreeMap;

use alphaseq::data::{read_sources, Bars, Panel, PanelOptions};
use alphaseq::features::indicators::{self, Convention, Memory};
use alphaseq::features::{
    BarField, CalendarFeature, FeatureMatrix, FeatureSpec, IdentityFeature, MomentumSpec,
};

/// Agreement required once settled, relative to the column's mean absolute value: round-off of
/// running sums started at different bars, far above it any missed dependence on the start.
const TOLERANCE: f64 = 1e-8;
/// The smallest scale a column is measured against: a market's alpha to itself is round-off
/// around zero (1e-17), where a relative comparison would measure noise against noise.
const SMALLEST_SCALE: f64 = 1e-6;

fn everything(market: &str, winsorise: bool) -> FeatureSpec {
    FeatureSpec {
        returns: vec![1, 5],
        volatility: vec![21],
        prices: vec![BarField::Open, BarField::Close, BarField::Volume],
        indicators: vec!["all".into()],
        momentum: Some(MomentumSpec {
            market: Some(market.into()),
            winsorise,
            ..MomentumSpec::default()
        }),
        calendar: vec![CalendarFeature::Month, CalendarFeature::DayOfYear],
        identity: vec![IdentityFeature::Ticker, IdentityFeature::Sector],
        exclude_indicators: vec![],
        look_ahead: Default::default(),
        convention: Default::default(),
        indicator_prices: Default::default(),
    }
}

/// The panel from date index `start` on, sectors kept.
fn cut(panel: &Panel, start: usize) -> Panel {
    let bars = panel
        .all_bars()
        .iter()
        .map(|b| {
            let tail = |v: &Vec<f64>| v[start..].to_vec();
            Bars {
                open: tail(&b.open),
                high: tail(&b.high),
                low: tail(&b.low),
                close: tail(&b.close),
                adj_close: tail(&b.adj_close),
                volume: tail(&b.volume),
            }
        })
        .collect();
    let mut out =
        Panel::new(panel.dates()[start..].to_vec(), panel.tickers().to_vec(), bars).unwrap();
    let sectors: BTreeMap<String, String> = (0..panel.tickers().len())
        .filter_map(|i| Some((panel.tickers()[i].clone(), panel.sector(i)?.to_string())))
        .collect();
    out.set_sectors(&sectors);
    out
}

/// What the comparison of one panel found.
#[derive(Default)]
struct Found {
    /// Values compared after they settled.
    compared: usize,
    /// Columns with at least one value compared.
    columns: Vec<String>,
}

/// Compares every settled value of the features of `panel` cut at `start` with the full
/// history's; a running total must still differ at the last bar, a recursive column right after
/// its warm-up (else it would be a window, and the catalogue would overstate its warm-up).
fn compare(panel: &Panel, spec: &FeatureSpec, start: usize) -> Found {
    let full = FeatureMatrix::compute(panel, spec).unwrap();
    let late = FeatureMatrix::compute(&cut(panel, start), spec).unwrap();
    let settled = spec.settled();
    assert_eq!(settled.len(), full.names().len(), "one settled row count per column");
    let n = panel.dates().len();
    let mut found = Found::default();
    for (j, name) in full.names().iter().enumerate() {
        let Some(rows) = settled[j] else { continue };
        for i in 0..panel.tickers().len() {
            let ticker = &panel.tickers()[i];
            let pairs: Vec<(f64, f64)> =
                (start + rows..n).map(|t| (full.row(i, t)[j], late.row(i, t - start)[j])).collect();
            let finite: Vec<f64> = pairs.iter().map(|p| p.0).filter(|v| v.is_finite()).collect();
            if finite.is_empty() {
                continue;
            }
            let scale = finite.iter().map(|v| v.abs()).sum::<f64>() / finite.len() as f64;
            for (k, (a, b)) in pairs.iter().enumerate() {
                let date = panel.dates()[start + rows + k];
                assert_eq!(a.is_nan(), b.is_nan(), "{ticker} {name} on {date}: {a} vs {b}");
                assert!(
                    a.is_nan() || (a - b).abs() <= TOLERANCE * scale.max(SMALLEST_SCALE),
                    "{ticker} {name} on {date}, {} rows after a start cut at {}: {a} in the full \
                     history, {b} from the later start (settled after {rows} rows, scale {scale})",
                    start + rows + k - start,
                    panel.dates()[start],
                );
                found.compared += usize::from(a.is_finite());
            }
            if !found.columns.contains(name) {
                found.columns.push(name.clone());
            }
        }
    }
    found
}

#[test]
fn every_feature_from_a_later_start_equals_the_full_history_once_settled() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/sample/prices.csv.gz");
    let mut records = read_sources(&[path]).unwrap().0;
    let keep: Vec<u32> = ["AAPL", "BAC", "XOM", "^GSPC"]
        .iter()
        .map(|t| records.tickers.iter().position(|n| n == t).unwrap() as u32)
        .collect();
    records.rows.retain(|r| keep.contains(&r.ticker));
    let panel = Panel::from_records(&records, &PanelOptions::default()).unwrap().adjusted();
    let n = panel.dates().len();
    // pandas-ta's values and TA-Lib's (other seeds and warm-ups, the same memories)
    for convention in [Convention::PandasTa, Convention::Talib] {
        let spec = FeatureSpec { convention, ..everything("^GSPC", false) };
        starts_agree_once_settled(&panel, &spec, n);
    }
}

fn starts_agree_once_settled(panel: &Panel, spec: &FeatureSpec, n: usize) {
    let settled = spec.settled();
    // A start a year in, which leaves room for the slowest column (the 32/96 MACD, about 3,100
    // rows) in 4,100 bars, and one just before the 2008 crash.
    for start in [250, 800] {
        let found = compare(panel, spec, start);
        let checkable = settled.iter().filter(|s| s.is_some_and(|r| start + r < n)).count();
        assert_eq!(found.columns.len(), checkable, "columns compared after a start at {start}");
        assert!(found.compared > 3_000_000, "only {} values compared", found.compared);
        if start == 250 {
            assert_eq!(checkable, settled.iter().flatten().count(), "a column never compared");
        }
    }
}

#[test]
fn running_totals_never_settle_and_recursions_do_not_settle_at_once() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/sample/prices.csv.gz");
    let mut records = read_sources(&[path]).unwrap().0;
    let aapl = records.tickers.iter().position(|n| n == "AAPL").unwrap() as u32;
    records.rows.retain(|r| r.ticker == aapl);
    let panel = Panel::from_records(&records, &PanelOptions::default()).unwrap().adjusted();
    let start = 500;
    let late = cut(&panel, start);
    let n = panel.dates().len();
    for indicator in indicators::catalogue() {
        let columns = indicator.columns();
        let intermittent = indicator.intermittent();
        let (a, b) = (&panel.bars(0), &late.bars(0));
        let full = indicator.compute(&ohlcv(a, panel.dates()));
        let cut_off = indicator.compute(&ohlcv(b, late.dates()));
        let kept: Vec<usize> = (0..columns.len()).filter(|c| !intermittent[*c]).collect();
        let differ = |c: usize, t: usize| {
            let (x, y) = (full[c][t], cut_off[c][t - start]);
            (x - y).abs() > TOLERANCE * x.abs()
        };
        // Per column: a running total differs at the end; among the recursive columns of an
        // indicator, one differs right after its warm-up (Aberration's bands are windows, its
        // ATR is not).
        let memory = indicator.column_memory();
        for &c in &kept {
            if memory[c] == Memory::Cumulative {
                assert!(differ(c, n - 1), "{}: a running total agrees at the end", columns[c]);
            }
        }
        // a flag (every value 0 or 1) compares recursive values but moves only when they are
        // near equal, so it may well agree at once
        let flag = |c: usize| full[c].iter().all(|v| v.is_nan() || *v == 0.0 || *v == 1.0);
        let recursive: Vec<usize> = kept
            .iter()
            .copied()
            .filter(|&c| matches!(memory[c], Memory::Recursive { .. }) && !flag(c))
            .collect();
        if !recursive.is_empty() {
            let t = start + indicator.warm_up().max(indicator.placeholder_rows()) + 1;
            assert!(
                recursive.iter().any(|&c| differ(c, t)),
                "{columns:?}: recursive, yet equal to the full history right after the warm-up"
            );
        }
    }
}

fn ohlcv<'a>(b: &'a Bars, dates: &'a [chrono::NaiveDate]) -> indicators::Ohlcv<'a> {
    indicators::Ohlcv {
        open: &b.open,
        high: &b.high,
        low: &b.low,
        close: &b.close,
        volume: &b.volume,
        dates,
    }
}

#[test]
fn winsorised_momentum_features_settle_after_their_documented_rows() {
    let panel = common::random_walk_panel(7, 2, 14_500);
    let spec = FeatureSpec {
        returns: vec![],
        volatility: vec![],
        prices: vec![],
        indicators: vec![],
        momentum: Some(MomentumSpec {
            market: Some("T0".into()),
            winsorise: true,
            ..MomentumSpec::default()
        }),
        calendar: vec![],
        identity: vec![],
        exclude_indicators: vec![],
        look_ahead: Default::default(),
        convention: Default::default(),
        indicator_prices: Default::default(),
    };
    let rows = spec.settled();
    assert!(rows.iter().all(|r| r.is_some_and(|r| r > 10_000)), "{rows:?}");
    let found = compare(&panel, &spec, 300);
    assert_eq!(found.columns.len(), spec.names().len(), "{:?}", found.columns);
    assert!(found.compared > 1_000, "only {} values compared", found.compared);
}
