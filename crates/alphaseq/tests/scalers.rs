//! The scalers against scikit-learn (fixture from tools/oracles/sklearn_scalers.py: real features
//! of AAPL, fitted on the first 400 rows, applied to all), per-ticker fitting, and the columns a
//! scaler must leave alone.

#![allow(clippy::unwrap_used)] // a panic is a failed test

use alphaseq::dataset::{Scaler, ScalerKind, ScalerSpec};
use alphaseq::features::FeatureMatrix;
use serde_json::Value;

fn matrix(v: &Value) -> Vec<Vec<f64>> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect())
        .collect()
}

fn features(rows: &[Vec<f64>], tickers: usize) -> FeatureMatrix {
    let names = (0..rows[0].len()).map(|j| format!("f{j}")).collect();
    let block: Vec<f64> = rows.iter().flatten().copied().collect();
    FeatureMatrix::from_blocks(names, rows.len(), vec![block; tickers]).unwrap()
}

#[test]
fn scalers_equal_scikit_learn() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/sklearn_scalers.json"
    ))
    .unwrap();
    let fx: Value = serde_json::from_str(&text).unwrap();
    let x = matrix(&fx["x"]);
    let train = fx["train_rows"].as_u64().unwrap() as usize;
    for (name, kind) in [
        ("standard", ScalerKind::Standard),
        ("min_max", ScalerKind::MinMax),
        ("robust", ScalerKind::Robust),
    ] {
        let want = matrix(&fx["scaled"][name]);
        for per_ticker in [false, true] {
            let mut m = features(&x, 2);
            let spec = ScalerSpec { kind, per_ticker };
            let scaler = Scaler::fit(&m, &[0, 1], 0..=train - 1, spec).unwrap();
            scaler.transform(&mut m).unwrap();
            for i in 0..2 {
                for (t, row) in want.iter().enumerate() {
                    for (j, (a, b)) in m.row(i, t).iter().zip(row).enumerate() {
                        assert!(
                            (a - b).abs() <= 1e-9 * b.abs() + 1e-12,
                            "{name} per_ticker={per_ticker} row {t} col {j}: alphaseq {a}, sklearn {b}"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn a_per_ticker_scaler_uses_each_tickers_own_rows_and_drops_tickers_without_training_rows() {
    let rows: Vec<Vec<f64>> = (0..10).map(|t| vec![t as f64, 2.0]).collect();
    let mut block_b: Vec<f64> = rows.iter().flatten().map(|v| v * 10.0).collect();
    block_b[..8].iter_mut().for_each(|v| *v = f64::NAN); // ticker 1 starts at row 4
    let block_c = vec![f64::NAN; 20]; // ticker 2 has no rows
    let a: Vec<f64> = rows.iter().flatten().copied().collect();
    let mut m =
        FeatureMatrix::from_blocks(vec!["x".into(), "c".into()], 10, vec![a, block_b, block_c])
            .unwrap();
    let spec = ScalerSpec { kind: ScalerKind::MinMax, per_ticker: true };
    let s = Scaler::fit(&m, &[0, 1, 2], 0..=5, spec).unwrap();
    s.transform(&mut m).unwrap();
    // ticker 0: rows 0..=5 -> x in [0, 5]; ticker 1: rows 4..=5 -> x in [40, 50]
    assert_eq!(m.row(0, 5)[0], 1.0);
    assert_eq!(m.row(0, 9)[0], 9.0 / 5.0, "later rows may leave [0, 1]");
    assert_eq!(m.row(1, 4)[0], 0.0);
    assert_eq!(m.row(1, 5)[0], 1.0);
    assert_eq!(m.row(0, 3)[1], 0.0, "a constant column keeps scale 1 and is only centred");
    assert!(s.group(2).is_none() && m.row(2, 0).iter().all(|v| v.is_nan()));
    // a scaler refuses a matrix with other columns
    let other =
        FeatureMatrix::from_blocks(vec!["y".into(), "c".into()], 1, vec![vec![0.0, 0.0]; 3]);
    assert!(s.transform(&mut other.unwrap()).is_err());
}

#[test]
fn calendar_and_identity_columns_are_not_scaled() {
    use alphaseq::data::{Bars, Panel};
    use alphaseq::features::{CalendarFeature, FeatureSpec, IdentityFeature};
    let d0 = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    let dates: Vec<_> = (0..40).map(|i| d0 + chrono::Duration::days(i)).collect();
    let bars = (0..2)
        .map(|k| {
            let mut b = Bars::missing(40);
            for t in 0..40 {
                let p = 100.0 + (t * (k + 1)) as f64 + (t % 3) as f64;
                (b.open[t], b.high[t], b.low[t], b.close[t], b.adj_close[t], b.volume[t]) =
                    (p, p + 1.0, p - 1.0, p, p, 1000.0);
            }
            b
        })
        .collect();
    let panel = Panel::new(dates, vec!["A".into(), "B".into()], bars).unwrap();
    let spec = FeatureSpec {
        returns: vec![1],
        volatility: vec![],
        calendar: vec![CalendarFeature::Month],
        identity: vec![IdentityFeature::Ticker],
        exclude_indicators: vec![],
        look_ahead: Default::default(),
        convention: Default::default(),
        indicator_prices: Default::default(),
        ..FeatureSpec::default()
    };
    let raw = FeatureMatrix::compute(&panel, &spec).unwrap();
    let mut m = raw.clone();
    let s = Scaler::fit(&m, &[0, 1], 0..=30, ScalerSpec::default()).unwrap();
    s.transform(&mut m).unwrap();
    for t in 1..40 {
        assert_ne!(m.row(1, t)[0], raw.row(1, t)[0], "returns are scaled");
        assert_eq!(&m.row(1, t)[1..], &raw.row(1, t)[1..], "month and ticker id are not");
    }
    assert_eq!(raw.row(1, 5)[13], 1.0, "ticker_id of B");
}
