//! Shared helpers of the integration tests: seeded random-walk panels and their perturbation
//! (the look-ahead tests), and the oracle fixtures' cases.

#![allow(dead_code, clippy::unwrap_used)] // each test file uses a part; a panic is a failed test

use alphaseq::data::{Bars, Panel};
use chrono::NaiveDate;
use serde::de::DeserializeOwned;

/// What every case of the portfolio oracles' fixtures holds (tools/oracles/sample_stocks.py
/// `case_of`): a date of the sample stocks, a sector id per stock, their 63 trailing returns and
/// their 21-day returns.
#[derive(serde::Deserialize)]
pub struct SampleDate {
    pub date: String,
    pub sectors: Vec<usize>,
    pub series: Vec<Vec<f64>>,
    pub mu: Vec<f64>,
}

/// The `cases` of `tests/fixtures/NAME` (an oracle script's output), checked to number `count`.
pub fn fixture_cases<T: DeserializeOwned>(name: &str, count: usize) -> Vec<T> {
    #[derive(serde::Deserialize)]
    struct Fixture<T> {
        cases: Vec<T>,
    }
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    let f: Fixture<T> = serde_json::from_str(&text).unwrap();
    assert_eq!(f.cases.len(), count, "{}", path.display());
    f.cases
}

/// SplitMix64: a tiny seeded generator so the test needs no RNG crate.
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform().max(1e-300), self.uniform());
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }
}

pub fn random_walk_panel(seed: u64, n_tickers: usize, n_dates: usize) -> Panel {
    let mut rng = Rng(seed);
    let d0 = NaiveDate::from_ymd_opt(2010, 1, 4).unwrap();
    let dates: Vec<NaiveDate> =
        (0..n_dates as i64).map(|i| d0 + chrono::Duration::days(i)).collect();
    let bars = (0..n_tickers)
        .map(|_| {
            let mut b = Bars::missing(n_dates);
            let mut p = 100.0;
            for t in 0..n_dates {
                p *= (0.015 * rng.normal()).exp();
                b.open[t] = p * (1.0 + 0.003 * rng.normal());
                b.close[t] = p;
                b.high[t] = p.max(b.open[t]) * 1.01;
                b.low[t] = p.min(b.open[t]) * 0.99;
                b.adj_close[t] = p * 0.9;
                b.volume[t] = (1e6 * (0.3 * rng.normal()).exp()).round();
            }
            b
        })
        .collect();
    let tickers = (0..n_tickers).map(|i| format!("T{i}")).collect();
    Panel::new(dates, tickers, bars).unwrap()
}

/// Multiplies every price after date index `cut` by a random factor.
pub fn perturb_after(panel: &Panel, cut: usize, seed: u64) -> Panel {
    let mut rng = Rng(seed ^ 0xDEAD_BEEF);
    let mut out = panel.clone();
    for i in 0..panel.tickers().len() {
        let b = out.bars_mut(i);
        for t in cut + 1..b.len() {
            let f = (0.2 * rng.normal()).exp();
            for field in [&mut b.open, &mut b.high, &mut b.low, &mut b.close, &mut b.adj_close] {
                field[t] *= f;
            }
            b.volume[t] = (b.volume[t] * (0.5 * rng.normal()).exp()).round();
        }
    }
    out
}

/// One series of the pandas-ta fixtures (`open` .. `volume` and `dates`, NaN for null).
pub struct FixtureBars {
    pub fields: [Vec<f64>; 5],
    pub dates: Vec<NaiveDate>,
}

impl FixtureBars {
    /// The bars of a fixture series object.
    pub fn of(series: &serde_json::Value) -> FixtureBars {
        let floats = |v: &serde_json::Value| -> Vec<f64> {
            v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap_or(f64::NAN)).collect()
        };
        FixtureBars {
            fields: ["open", "high", "low", "close", "volume"].map(|k| floats(&series[k])),
            dates: series["dates"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d.as_str().unwrap().parse().unwrap())
                .collect(),
        }
    }

    /// The bars as an indicator's input.
    pub fn ohlcv(&self) -> alphaseq::features::indicators::Ohlcv<'_> {
        let [o, h, l, c, v] = &self.fields;
        alphaseq::features::indicators::Ohlcv {
            open: o,
            high: h,
            low: l,
            close: c,
            volume: v,
            dates: &self.dates,
        }
    }
}
