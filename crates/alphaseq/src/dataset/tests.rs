//! Unit tests of the data set: targets, ranks, samples, splits and walk-forward folds.

use super::*;
use crate::data::Bars;

#[test]
fn average_ranks_follow_scipy() {
    // scipy.stats.rankdata([3, 1, 4, 1, 5]) -> [3. , 1.5, 4. , 1.5, 5. ]
    assert_eq!(average_ranks(&[3.0, 1.0, 4.0, 1.0, 5.0]), [3.0, 1.5, 4.0, 1.5, 5.0]);
}

#[test]
fn direction_and_rank_targets() {
    let d0 = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    let dates = (0..3).map(|i| d0 + chrono::Duration::days(i)).collect();
    let prices = [[10.0, 11.0, 11.0], [10.0, 9.0, 9.5], [10.0, 12.0, f64::NAN]];
    let bars = prices
        .iter()
        .map(|p| {
            let mut b = Bars::missing(3);
            b.adj_close = p.to_vec();
            b.close = p.to_vec();
            b
        })
        .collect();
    let panel = Panel::new(dates, vec!["A".into(), "B".into(), "C".into()], bars).unwrap();
    let spec = |target| DatasetSpec { target, ..DatasetSpec::default() };
    let dir = targets(&panel, &spec(TargetKind::Direction), &[0, 1, 2], 252.0);
    assert_eq!(dir[0][..2], [1.0, 0.0], "a zero return is not up");
    assert_eq!(dir[1][..2], [0.0, 1.0]);
    assert!(dir[0][2].is_nan() && dir[2][1].is_nan(), "unrealised");
    let rank = targets(&panel, &spec(TargetKind::CrossSectionalRank), &[0, 1, 2], 252.0);
    // day 0: returns +10%, -10%, +20% -> ranks 2, 1, 3 -> 0.5, 0, 1
    assert_eq!([rank[0][0], rank[1][0], rank[2][0]], [0.5, 0.0, 1.0]);
    // day 1: C has no return; A 0%, B +5.6% among two
    assert_eq!([rank[0][1], rank[1][1]], [0.0, 1.0]);
    assert!(rank[2][1].is_nan());
    let only_a = targets(&panel, &spec(TargetKind::CrossSectionalRank), &[0], 252.0);
    assert!(only_a[0][0].is_nan(), "one ticker has no rank");
    assert!(only_a[1].is_empty(), "untraded tickers get no row");
}

#[test]
fn windows_follow_timeseries_generator_semantics_and_never_span_a_gap() {
    use crate::forecast::Windows;
    let n = 40;
    let d0 = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    let dates = (0..n as i64).map(|i| d0 + chrono::Duration::days(i)).collect();
    let mut b = Bars::missing(n);
    for t in 0..n {
        let p = 100.0 + t as f64;
        (b.open[t], b.high[t], b.low[t], b.close[t], b.adj_close[t]) = (p, p, p, p, p);
    }
    b.adj_close[20] = f64::NAN; // a missing day: returns at 20 and 21 are undefined
    let panel = Panel::new(dates, vec!["A".into()], vec![b]).unwrap();
    let fs =
        crate::features::FeatureSpec { returns: vec![1], volatility: vec![], ..Default::default() };
    let features = FeatureMatrix::compute(&panel, &fs).unwrap();
    let spec = DatasetSpec {
        sequence_length: 3,
        sampling_rate: 2,
        stride: 4,
        split: SplitSpec {
            train_end: Some(d0 + chrono::Duration::days(14)),
            valid_end: Some(d0 + chrono::Duration::days(30)),
            ratios: None,
            embargo: 0,
        },
        ..DatasetSpec::default()
    };
    let ds = Dataset::build(&panel, &features, &[0], &spec, 252.0).unwrap();
    let all: Vec<u32> = ds.train.iter().chain(&ds.valid).chain(&ds.test).map(|s| s.t).collect();
    // returns exist from bar 1; a window covers (3 - 1) * 2 + 1 = 5 bars, so the first
    // as-of date is 5, then every 4th: 5, 9, 13, 17; 21 and 25 would cover bars 17..=25, which
    // hold the gap at 20-21, so the next is 29 (5 + 24), then 33, 37.
    assert_eq!(all, [5, 9, 13, 17, 29, 33, 37]);
    assert_eq!((ds.train.len(), ds.valid.len(), ds.test.len()), (3, 2, 2));
    let w = Windows::new(&features, &ds.train, spec.window(), None);
    let r = |t: usize| features.row(0, t)[0];
    assert_eq!([w.row(0, 0)[0], w.row(0, 1)[0], w.row(0, 2)[0]], [r(1), r(3), r(5)]);
    // train_stride thins the training and validation windows to every 3rd date; test stays
    let every = DatasetSpec { stride: 1, ..spec.clone() };
    let full = Dataset::build(&panel, &features, &[0], &every, 252.0).unwrap();
    let thin =
        Dataset::build(&panel, &features, &[0], &DatasetSpec { train_stride: 3, ..every }, 252.0)
            .unwrap();
    let third =
        |v: &[Sample]| -> Vec<u32> { v.iter().map(|s| s.t).filter(|t| t % 3 == 0).collect() };
    let ts = |v: &[Sample]| -> Vec<u32> { v.iter().map(|s| s.t).collect() };
    assert_eq!(ts(&thin.train), third(&full.train));
    assert_eq!(ts(&thin.valid), third(&full.valid));
    assert_eq!(ts(&thin.test), ts(&full.test));
    assert!(thin.train.len() < full.train.len() && !thin.valid.is_empty());
}

#[test]
fn walk_forward_folds_purge_embargo_and_stitch_the_test_samples() {
    let n = 3 * 365;
    let d0 = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
    let dates: Vec<NaiveDate> = (0..n as i64).map(|i| d0 + chrono::Duration::days(i)).collect();
    let bars = (0..2)
        .map(|k| {
            let mut b = Bars::missing(n);
            for t in 0..n {
                let p = 100.0 + ((t * (k + 3)) % 17) as f64;
                (b.open[t], b.high[t], b.low[t], b.close[t], b.adj_close[t]) = (p, p, p, p, p);
            }
            b
        })
        .collect();
    let panel = Panel::new(dates.clone(), vec!["A".into(), "B".into()], bars).unwrap();
    let fs = crate::features::FeatureSpec {
        returns: vec![1, 5],
        volatility: vec![],
        ..Default::default()
    };
    let features = FeatureMatrix::compute(&panel, &fs).unwrap();
    let spec = DatasetSpec { horizon: 3, ..DatasetSpec::default() };
    let walk = WalkForwardSpec {
        first_test: NaiveDate::from_ymd_opt(2000, 7, 1).unwrap(),
        refit: Refit::Quarterly,
        window_years: None,
        window_bars: None,
        valid_fraction: 0.2,
        embargo: 4,
    };
    let folds = Dataset::walk_forward(&panel, &features, &[0, 1], &spec, &walk, 252.0).unwrap();
    assert_eq!(folds.len(), 10, "quarters from 2000-07 to the end of 2002");
    let mut tested = vec![];
    for ds in &folds {
        let sp = ds.split;
        assert!(ds
            .train
            .iter()
            .all(|s| (s.t as usize) >= sp.train_start && s.t as usize + 3 + 4 <= sp.train_end));
        assert!(ds
            .valid
            .iter()
            .all(|s| (s.t as usize) > sp.train_end && s.t as usize + 7 <= sp.valid_end));
        assert!(ds
            .test
            .iter()
            .all(|s| (s.t as usize) > sp.valid_end && (s.t as usize) <= sp.test_end));
        tested.extend(ds.test.iter().map(|s| (s.t, s.ticker)));
    }
    let first_test = dates.iter().position(|d| *d == walk.first_test).unwrap() as u32;
    let table = target_table(&panel, &spec, &[0, 1], 252.0);
    let all = Dataset::candidates(&features, &[0, 1], &spec, &table).unwrap();
    let mut expected: Vec<(u32, u32)> =
        all.iter().filter(|s| s.t >= first_test).map(|s| (s.t, s.ticker)).collect();
    expected.sort_unstable();
    tested.sort_unstable();
    assert_eq!(tested, expected, "every sample from the first test date is tested exactly once");
}

#[test]
fn a_window_of_bars_keeps_every_bar_a_training_sample_reads_inside_it() {
    let d0 = NaiveDate::from_ymd_opt(2000, 1, 3).unwrap();
    let dates: Vec<NaiveDate> = (0..600).map(|i| d0 + chrono::Duration::days(i)).collect();
    let mut b = Bars::missing(600);
    let close: Vec<f64> = (0..600).map(|i| 100.0 + (i as f64 * 0.1).sin()).collect();
    (b.open, b.high, b.low, b.close, b.adj_close) =
        (close.clone(), close.clone(), close.clone(), close.clone(), close);
    let panel = Panel::new(dates, vec!["A".into()], vec![b]).unwrap();
    let fs = crate::features::FeatureSpec {
        returns: vec![],
        volatility: vec![],
        prices: vec![crate::features::BarField::Close],
        ..Default::default()
    };
    let features = FeatureMatrix::compute(&panel, &fs).unwrap();
    let spec = DatasetSpec {
        target: TargetKind::NextPrices,
        prices: vec![PriceField::Close],
        sequence_length: 10,
        ..DatasetSpec::default()
    };
    let walk = WalkForwardSpec {
        first_test: NaiveDate::from_ymd_opt(2001, 3, 1).unwrap(),
        refit: Refit::Monthly,
        window_years: None,
        window_bars: Some(100),
        valid_fraction: 0.0,
        embargo: 0,
    };
    let folds = Dataset::walk_forward(&panel, &features, &[0], &spec, &walk, 252.0).unwrap();
    assert!(folds.len() >= 5);
    for ds in &folds {
        let from = ds.split.valid_end + 1 - 100;
        assert_eq!(ds.split.train_start, from, "the scaler sees the 100 bars");
        assert!(ds.valid.is_empty());
        // 100 bars: windows of 10 and a target one bar on leave 90 samples
        assert_eq!(ds.train.len(), 90);
        assert!(ds.train.iter().all(|s| s.t as usize >= from + 9 && s.t as usize + 1 < from + 100));
    }
}

/// One ticker's three bars, its adjusted close half its close (a 2:1 adjustment).
fn three_bars() -> Panel {
    let d0 = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    let dates = (0..3).map(|i| d0 + chrono::Duration::days(i)).collect();
    let mut b = Bars::missing(3);
    (b.open, b.high, b.low, b.close) = (
        vec![10.0, 11.0, 12.0],
        vec![11.0, 12.5, 13.0],
        vec![9.5, 10.5, 11.0],
        vec![10.0, 12.0, 12.5],
    );
    b.adj_close = vec![5.0, 6.0, 6.25];
    Panel::new(dates, vec!["A".into()], vec![b]).unwrap()
}

#[test]
fn next_prices_in_price_units_are_the_prices_and_trade_as_the_same_returns() {
    let panel = three_bars();
    let returns = DatasetSpec { target: TargetKind::NextPrices, ..DatasetSpec::default() };
    let prices = DatasetSpec { next_prices_as: PriceUnits::Price, ..returns.clone() };
    let (r, p) =
        (target_table(&panel, &returns, &[0], 252.0), target_table(&panel, &prices, &[0], 252.0));
    assert_eq!(p.row(0, 0), [12.5, 10.5, 12.0, 6.0], "next high, low, close, adj close");
    for t in 0..2 {
        for (level, ret) in p.row(0, t).iter().zip(r.row(0, t)) {
            // bit for bit the return target: the same division
            assert_eq!(PriceUnits::Price.as_return(&panel, 0, t, *level), *ret);
            assert_eq!(PriceUnits::Return.as_return(&panel, 0, t, *ret), *ret);
        }
    }
    let wrong = DatasetSpec { next_prices_as: PriceUnits::Price, ..DatasetSpec::default() };
    let e = wrong.validate().unwrap_err();
    assert!(matches!(&e, Error::Config { key, .. } if key == "dataset.next_prices_as"), "{e:?}");
}

#[test]
fn next_prices_are_returns_from_the_as_of_adjusted_close() {
    let panel = three_bars();
    let spec = DatasetSpec { target: TargetKind::NextPrices, ..DatasetSpec::default() };
    let table = target_table(&panel, &spec, &[0], 252.0);
    assert_eq!(table.names, ["next_high", "next_low", "next_close", "next_adj_close"]);
    assert_eq!(table.primary, 3, "the adjusted close is traded");
    assert_eq!(
        table.row(0, 0),
        [12.5 / 5.0 - 1.0, 10.5 / 5.0 - 1.0, 12.0 / 5.0 - 1.0, 6.0 / 5.0 - 1.0]
    );
    assert!(table.row(0, 2).iter().all(|v| v.is_nan()));
    assert_eq!(targets(&panel, &spec, &[0], 252.0)[0][0], 6.0 / 5.0 - 1.0);
    let bad = DatasetSpec { prices: vec![], ..spec };
    assert!(bad.validate().is_err());
}
