//! The momentum features against the pandas code their docs give (fixture from
//! tools/oracles/momentum_features.py, on real series: AAPL against ^GSPC, and ANTM through a bad
//! split record with winsorisation). Every column of the default set must be in the fixture.

#![allow(clippy::unwrap_used)] // a panic is a failed test

use alphaseq::features::MomentumSpec;
use serde_json::Value;

fn floats(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap_or(f64::NAN)).collect()
}

#[test]
fn momentum_features_equal_the_pandas_reference() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/momentum_features.json"
    ))
    .unwrap();
    let fx: Value = serde_json::from_str(&text).unwrap();
    for series in fx["series"].as_array().unwrap() {
        let name = series["name"].as_str().unwrap();
        let spec = MomentumSpec {
            winsorise: series["winsorise"].as_bool().unwrap(),
            ..MomentumSpec::default()
        };
        let price = floats(&series["price"]);
        let market = floats(&series["market_returns"]);
        let ours = spec.compute(&price, Some(&market));
        let names = spec.names();
        assert_eq!(ours.len(), names.len());
        let mut slowest = 0;
        for (col, ours) in names.iter().zip(&ours) {
            let theirs = floats(
                series["columns"].get(col).unwrap_or_else(|| panic!("{col} not in the fixture")),
            );
            assert_eq!(ours.len(), theirs.len(), "{name} {col}");
            for (t, (a, b)) in ours.iter().zip(&theirs).enumerate() {
                assert_eq!(
                    a.is_nan(),
                    b.is_nan(),
                    "{name} {col} row {t}: alphaseq {a}, pandas {b}"
                );
                // alpha_h is a difference of returns that crosses zero: compare on the scale of a
                // daily return there (1e-12 absolute); elsewhere 1e-9 relative.
                if !b.is_nan() {
                    assert!(
                        (a - b).abs() <= 1e-9 * b.abs() + 1e-12,
                        "{name} {col} row {t}: alphaseq {a}, pandas {b}"
                    );
                }
            }
            let leading = ours.iter().take_while(|v| v.is_nan()).count();
            slowest = slowest.max(leading);
        }
        assert_eq!(slowest, spec.warm_up(), "{name}: warm-up rows until every column is defined");
    }
}

#[test]
fn beta_of_the_market_to_itself_is_one_and_features_need_no_back_fill() {
    // A random walk standing in for the market, its own returns as the market's.
    let mut state = 7u64;
    let mut price = vec![100.0];
    for _ in 0..600 {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let u = (state >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
        price.push(price.last().unwrap() * (1.0 + 0.02 * u));
    }
    let r: Vec<f64> = (0..price.len())
        .map(|t| if t == 0 { f64::NAN } else { price[t] / price[t - 1] - 1.0 })
        .collect();
    let spec = MomentumSpec::default();
    let cols = spec.compute(&price, Some(&r));
    let names = spec.names();
    let col = |n: &str| &cols[names.iter().position(|x| x == n).unwrap()];
    for t in 252..price.len() {
        assert!((col("beta_252")[t] - 1.0).abs() < 1e-12);
        assert!(col("alpha_21")[t].abs() < 1e-15);
    }
    // Defined exactly from the warm-up on, never before (nothing is back-filled).
    assert!(col("nret_1")[59].is_nan() && col("nret_1")[60].is_finite());
    assert!(col("macd_8_24")[312].is_nan() && col("macd_8_24")[313].is_finite());
}

#[test]
fn the_vol_scaled_target_equals_the_reference_study() {
    use alphaseq::data::{Bars, Panel};
    use alphaseq::dataset::{targets, DatasetSpec, TargetKind};
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/momentum_features.json"
    ))
    .unwrap();
    let fx: Value = serde_json::from_str(&text).unwrap();
    let series = &fx["series"][0];
    let price = floats(&series["price"]);
    let want = floats(&series["columns"]["target_vol_scaled"]);
    let n = price.len();
    let mut bars = Bars::missing(n);
    for (t, p) in price.iter().enumerate() {
        (bars.open[t], bars.high[t], bars.low[t], bars.close[t], bars.adj_close[t]) =
            (*p, *p, *p, *p, *p);
        bars.volume[t] = 1.0;
    }
    let d0 = chrono::NaiveDate::from_ymd_opt(2011, 1, 3).unwrap();
    let dates = (0..n as i64).map(|i| d0 + chrono::Duration::days(i)).collect();
    let panel = Panel::new(dates, vec!["AAPL".into()], vec![bars]).unwrap();
    let spec = DatasetSpec { target: TargetKind::VolScaled, ..DatasetSpec::default() };
    let ours = &targets(&panel, &spec, &[0], 252.0)[0];
    let mut defined = 0;
    for (t, (a, b)) in ours.iter().zip(&want).enumerate() {
        assert_eq!(a.is_nan(), b.is_nan(), "row {t}: alphaseq {a}, reference {b}");
        if b.is_finite() {
            assert!(
                (a - b).abs() <= 1e-9 * b.abs() + 1e-15,
                "row {t}: alphaseq {a}, reference {b}"
            );
            defined += 1;
        }
    }
    assert!(defined > 600);
}
