//! Own calendars (`data.calendar = "own"`): a stock trading on weekdays (with a holiday), a coin
//! trading every day and a currency trading on weekdays in one panel. Each ticker's features,
//! targets, samples and windows must equal those of the ticker run alone on its own dates; no
//! value at a date may change when the data after it does; and a book holds a closed market's
//! position, earning Monday's return from Friday's close.

#![allow(clippy::unwrap_used)] // a panic is a failed test

use std::sync::Arc;

use alphaseq::backtest::{self, Costs};
use alphaseq::data::{Bars, Panel};
use alphaseq::dataset::{self, Dataset, DatasetSpec, Sample, TargetKind};
use alphaseq::features::{CalendarFeature, FeatureMatrix, FeatureSpec, IdentityFeature};
use alphaseq::forecast::Windows;
use alphaseq::rng::Rng;
use alphaseq::strategy::{self, Market, Rule, StrategySpec};
use chrono::{Datelike, Days, NaiveDate, Weekday};

const N_DAYS: u64 = 420;

fn day(k: u64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + Days::new(k)
}

/// Which of the calendar days each ticker trades: the coin every day, the currency on
/// weekdays, the stock on weekdays but every 17th day (its exchange's holidays).
fn trades(ticker: usize, k: u64) -> bool {
    let weekday = !matches!(day(k).weekday(), Weekday::Sat | Weekday::Sun);
    match ticker {
        0 => true,
        1 => weekday,
        _ => weekday && k % 17 != 5,
    }
}

const TICKERS: [&str; 3] = ["BTC-USD", "EURUSD=X", "STK"];

/// A random walk of OHLCV bars per ticker on its own days.
fn series(ticker: usize, seed: u64) -> Vec<(u64, [f64; 6])> {
    let mut rng = Rng::new(seed + ticker as u64);
    let mut p = 100.0;
    (0..N_DAYS)
        .filter(|&k| trades(ticker, k))
        .map(|k| {
            p *= (0.01 * rng.normal()).exp();
            let (hi, lo) = (p * (1.0 + 0.005 * rng.uniform()), p * (1.0 - 0.005 * rng.uniform()));
            let open = lo + (hi - lo) * rng.uniform();
            (k, [open, hi, lo, p, p * 0.98, 1e6 * (1.0 + rng.uniform())])
        })
        .collect()
}

fn bars_on(days: &[u64], rows: &[(u64, [f64; 6])]) -> Bars {
    let mut b = Bars::missing(days.len());
    for (k, v) in rows {
        let t = days.iter().position(|d| d == k).unwrap();
        for (field, x) in b.fields_mut().into_iter().zip(v) {
            field[t] = *x;
        }
    }
    b
}

/// The three tickers on the union of their days, each keeping its own calendar.
fn union_panel(seed: u64) -> Panel {
    let days: Vec<u64> = (0..N_DAYS).filter(|&k| (0..3).any(|i| trades(i, k))).collect();
    let bars = (0..3).map(|i| bars_on(&days, &series(i, seed))).collect();
    let names = TICKERS.iter().map(|t| t.to_string()).collect();
    let mut panel = Panel::new(days.iter().map(|&k| day(k)).collect(), names, bars).unwrap();
    panel.keep_own_calendars();
    panel
}

/// Ticker `i` alone on its own days.
fn alone(i: usize, seed: u64) -> Panel {
    let rows = series(i, seed);
    let days: Vec<u64> = rows.iter().map(|r| r.0).collect();
    let dates = days.iter().map(|&k| day(k)).collect();
    Panel::new(dates, vec![TICKERS[i].into()], vec![bars_on(&days, &rows)]).unwrap()
}

fn features() -> FeatureSpec {
    FeatureSpec {
        returns: vec![1, 5],
        volatility: vec![10],
        prices: vec![],
        indicators: vec!["rsi".into(), "macd".into(), "bbands".into(), "obv".into()],
        momentum: None,
        calendar: vec![CalendarFeature::DayOfWeek],
        identity: vec![IdentityFeature::Ticker],
        exclude_indicators: vec![],
        look_ahead: Default::default(),
        convention: Default::default(),
        indicator_prices: Default::default(),
    }
}

fn same(a: f64, b: f64) -> bool {
    (a.is_nan() && b.is_nan()) || a == b
}

/// The panel index of each date of ticker `i`'s own series.
fn own_dates(panel: &Panel, i: usize, single: &Panel) -> Vec<usize> {
    single
        .dates()
        .iter()
        .map(|d| panel.dates().binary_search(d).unwrap())
        .collect::<Vec<_>>()
        .into_iter()
        .inspect(|&t| assert!(panel.bars(i).is_present(t)))
        .collect()
}

#[test]
fn each_ticker_sees_what_it_would_see_alone() {
    let panel = union_panel(7);
    let spec = features();
    let m = FeatureMatrix::compute(&panel, &spec).unwrap();
    let ds = DatasetSpec {
        sequence_length: 5,
        sampling_rate: 2,
        stride: 3,
        horizon: 2,
        ..DatasetSpec::default()
    };
    for target in [TargetKind::NextReturn, TargetKind::VolScaled, TargetKind::NextPrices] {
        let ds = DatasetSpec { target, ..ds.clone() };
        let table = dataset::target_table(&panel, &ds, &[0, 1, 2], 252.0);
        let candidates = Dataset::candidates(&m, &[0, 1, 2], &ds, &table).unwrap();
        for i in 0..3 {
            let single = alone(i, 7);
            let dates = own_dates(&panel, i, &single);
            let mut s = FeatureMatrix::compute(&single, &spec).unwrap();
            // the ticker id is its place in the panel it is computed in
            let id = s.names().iter().position(|n| n == "ticker_id").unwrap();
            let k = s.n_features();
            for t in 0..single.dates().len() {
                s.block_mut(0)[t * k + id] = i as f64;
            }
            for (u, &t) in dates.iter().enumerate() {
                assert!(m.row(i, t).iter().zip(s.row(0, u)).all(|(a, b)| same(*a, *b)));
            }
            let gaps = (0..panel.dates().len()).filter(|t| !dates.contains(t));
            assert!(gaps.clone().all(|t| m.row(i, t).iter().all(|v| v.is_nan())));
            // targets, samples and their windows
            let t1 = dataset::target_table(&single, &ds, &[0], 252.0);
            for (u, &t) in dates.iter().enumerate() {
                assert!(table.row(i, t).iter().zip(t1.row(0, u)).all(|(a, b)| same(*a, *b)));
            }
            let c1 = Dataset::candidates(&s, &[0], &ds, &t1).unwrap();
            let mine: Vec<&Sample> = candidates.iter().filter(|c| c.ticker == i as u32).collect();
            assert_eq!(mine.len(), c1.len(), "{} samples", TICKERS[i]);
            assert!(c1.len() > 50, "{}", c1.len());
            let wm = Windows::new(&m, &candidates, ds.window(), Some(&table));
            let w1 = Windows::new(&s, &c1, ds.window(), Some(&t1));
            let first = candidates.iter().position(|c| c.ticker == i as u32).unwrap();
            for (j, c) in c1.iter().enumerate() {
                assert_eq!(mine[j].t as usize, dates[c.t as usize]);
                assert!(same(mine[j].target, c.target));
                for k in 0..ds.sequence_length {
                    assert_eq!(wm.row(first + j, k), w1.row(j, k));
                    let (a, b) = (wm.step_targets(first + j, k), w1.step_targets(j, k));
                    assert!(a.unwrap().iter().zip(b.unwrap()).all(|(a, b)| same(*a, *b)));
                }
                let realised = dataset::realised_at(&m, mine[j], ds.horizon);
                let alone_realised = dataset::realised_at(&s, c, ds.horizon);
                assert_eq!(realised, dates.get(alone_realised).copied().unwrap_or(usize::MAX));
            }
        }
    }
}

#[test]
fn no_value_at_a_date_changes_with_the_data_after_it() {
    let panel = union_panel(11);
    let spec = features();
    let ds = DatasetSpec { sequence_length: 3, horizon: 1, ..DatasetSpec::default() };
    let m = FeatureMatrix::compute(&panel, &spec).unwrap();
    let table = dataset::target_table(&panel, &ds, &[0, 1, 2], 252.0);
    for cut in [150, 151, 152, 300] {
        let mut future = panel.clone();
        for i in 0..3 {
            let b = future.bars_mut(i);
            for field in b.fields_mut() {
                for v in field[cut + 1..].iter_mut().filter(|v| !v.is_nan()) {
                    *v *= 1.7;
                }
            }
        }
        let f = FeatureMatrix::compute(&future, &spec).unwrap();
        let moved = dataset::target_table(&future, &ds, &[0, 1, 2], 252.0);
        for i in 0..3 {
            for t in 0..=cut {
                assert!(m.row(i, t).iter().zip(f.row(i, t)).all(|(a, b)| same(*a, *b)));
                let s = Sample { ticker: i as u32, t: t as u32, target: 0.0 };
                if dataset::realised_at(&m, &s, ds.horizon) <= cut {
                    assert!(same(table.row(i, t)[0], moved.row(i, t)[0]), "{i} {t}");
                }
            }
        }
    }
}

#[test]
fn training_samples_are_purged_by_the_date_their_own_target_is_realised() {
    let panel = union_panel(3);
    let m = FeatureMatrix::compute(&panel, &features()).unwrap();
    let ds = DatasetSpec { horizon: 1, ..DatasetSpec::default() };
    let table = Arc::new(dataset::target_table(&panel, &ds, &[0, 1, 2], 252.0));
    let candidates = Dataset::candidates(&m, &[0, 1, 2], &ds, &table).unwrap();
    // training ends on a Saturday: the stock's Friday sample is realised on Monday, after it
    let saturday = (200..260).find(|&t| panel.dates()[t].weekday() == Weekday::Sat).unwrap();
    let split = dataset::Split {
        train_start: 0,
        train_end: saturday,
        valid_end: saturday + 60,
        test_end: panel.dates().len() - 1,
        embargo: 0,
    };
    let out =
        Dataset::assign(&candidates, split, |s| dataset::realised_at(&m, s, ds.horizon), table);
    let friday = saturday - 1;
    let has = |part: &[Sample], i: usize, t: usize| {
        part.iter().any(|s| s.ticker == i as u32 && s.t as usize == t)
    };
    assert!(!has(&out.train, 2, friday) && !has(&out.valid, 2, friday), "realised Monday");
    assert!(has(&out.train, 0, friday), "the coin's Friday target is realised on Saturday");
    assert!(!has(&out.train, 0, saturday));
    assert!(out.train.iter().all(|s| dataset::realised_at(&m, s, 1) <= saturday));
}

#[test]
fn a_closed_market_holds_its_position_and_earns_from_its_last_close() {
    let panel = union_panel(5);
    let own = panel.own_calendars().unwrap().clone();
    let returns: Vec<Vec<f64>> = (0..3).map(|i| panel.holding_returns(i)).collect();
    let sectors = [None; 3];
    let costs = Costs::flat(10.0);
    let market = Market {
        dates: panel.dates(),
        returns: &returns,
        sectors: &sectors,
        periods_per_year: 252.0,
        costs: &costs,
        own: Some(&own),
    };
    // each ticker forecasts on its own bars: the coin down, the others up
    let n = panel.dates().len();
    let mut predictions = vec![];
    for (i, c) in own.iter().enumerate() {
        for &t in c.bars() {
            predictions.push((i, t as usize, if i == 0 { -0.01 } else { 0.01 }));
        }
    }
    let spec = StrategySpec { rule: Rule::LongShort, ..StrategySpec::default() };
    let w = strategy::weights(&spec, &predictions, &market, n);
    let friday = (100..n).find(|&t| panel.dates()[t].weekday() == Weekday::Fri).unwrap();
    let (saturday, monday) = (friday + 1, friday + 3);
    assert_eq!(panel.dates()[monday].weekday(), Weekday::Mon);
    // every listed ticker is in the cross-section every day, the closed ones at their last
    // forecast: one third each, and the weekend changes nothing
    assert_eq!(w[friday], [-1.0 / 3.0, 1.0 / 3.0, 1.0 / 3.0]);
    assert_eq!(w[saturday], w[friday]);
    assert_eq!(w[friday + 2], w[friday]);
    let ledger = backtest::run(&w, &returns, friday, monday, &costs, 0);
    let p = |i: usize, t: usize| panel.bars(i).adj_close[t];
    let coin = |t: usize| p(0, t) / p(0, t - 1) - 1.0;
    let (sat, sun, mon) = (&ledger.gross[0], &ledger.gross[1], &ledger.gross[2]);
    assert!((sat - (-coin(saturday) / 3.0)).abs() < 1e-15, "only the coin moves on Saturday");
    assert!((sun - (-coin(saturday + 1) / 3.0)).abs() < 1e-15);
    let stock = p(2, monday) / p(2, friday) - 1.0;
    let fx = p(1, monday) / p(1, friday) - 1.0;
    let expected = (-coin(monday) + fx + stock) / 3.0;
    assert!((mon - expected).abs() < 1e-15, "Monday pays Friday-to-Monday");
    assert_eq!(ledger.missing_returns, 0);
    assert_eq!(ledger.turnover[1], 0.0, "nothing traded over the weekend");
    // on a stock holiday (a weekday without its bar) the stock holds too
    let holiday = (friday..n).find(|&t| own[2].is_closed(t) && own[1].is_bar(t)).unwrap();
    assert_eq!(w[holiday][2], w[holiday - 1][2]);
    // the test itself depends on how the panel was built: no date without any bar
    assert!((0..n).all(|t| (0..3).any(|i| own[i].is_bar(t))));
}
