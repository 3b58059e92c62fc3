//! No look-ahead, proven by perturbation: on random-walk panels, changing every price after date t
//! changes no feature, prediction, weight or booked return dated t or earlier, and targets look
//! forward by exactly their horizon.

#![allow(clippy::unwrap_used)] // test helpers may panic: a panic is a failed test

use alphaseq::data::{Bars, Panel};
use alphaseq::dataset::{targets, DatasetSpec, SplitSpec};
use alphaseq::forecast::{LinearForecaster, LinearSpec};
use alphaseq::pipeline::{self, PipelineOutput, PipelineSpec};
use alphaseq::strategy::StrategySpec;
use chrono::NaiveDate;
use proptest::prelude::*;

/// SplitMix64: a tiny seeded generator so the test needs no RNG crate.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform().max(1e-300), self.uniform());
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }
}

fn random_walk_panel(seed: u64, n_tickers: usize, n_dates: usize) -> Panel {
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
                b.volume[t] = 1e6;
            }
            b
        })
        .collect();
    let tickers = (0..n_tickers).map(|i| format!("T{i}")).collect();
    Panel::new(dates, tickers, bars).unwrap()
}

/// Multiplies every price after date index `cut` by a random factor.
fn perturb_after(panel: &Panel, cut: usize, seed: u64) -> Panel {
    let mut rng = Rng(seed ^ 0xDEAD_BEEF);
    let mut out = panel.clone();
    for i in 0..panel.tickers().len() {
        let b = out.bars_mut(i);
        for t in cut + 1..b.len() {
            let f = (0.2 * rng.normal()).exp();
            for field in [&mut b.open, &mut b.high, &mut b.low, &mut b.close, &mut b.adj_close] {
                field[t] *= f;
            }
        }
    }
    out
}

fn spec(horizon: usize) -> PipelineSpec {
    PipelineSpec {
        dataset: DatasetSpec {
            horizon,
            split: SplitSpec { ratios: Some([0.5, 0.25, 0.25]), ..SplitSpec::default() },
            ..DatasetSpec::default()
        },
        strategy: StrategySpec { cost_bps: 3.0, ..StrategySpec::default() },
        benchmark: Some("T0".into()),
        ..PipelineSpec::default()
    }
}

fn run(panel: &Panel, horizon: usize) -> PipelineOutput {
    let mut model = LinearForecaster::new(LinearSpec::default());
    pipeline::run(panel, &spec(horizon), &mut model).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn nothing_dated_t_or_earlier_depends_on_later_prices(seed in any::<u64>(), cut_frac in 0.02f64..0.97, horizon in 1usize..4) {
        let panel = random_walk_panel(seed, 5, 360);
        let cut = (cut_frac * 359.0) as usize;
        let moved = perturb_after(&panel, cut, seed);
        let (a, b) = (run(&panel, horizon), run(&moved, horizon));

        for i in 0..5 {
            for t in 0..=cut {
                let (x, y) = (a.features.row(i, t), b.features.row(i, t));
                prop_assert!(x.iter().zip(y).all(|(x, y)| x.to_bits() == y.to_bits()), "feature of T{i} at {t} moved (cut {cut})");
            }
        }
        let early = |o: &PipelineOutput| o.predictions.iter().filter(|p| p.date <= panel.dates()[cut]).map(|p| (p.date, p.ticker.clone(), p.prediction.to_bits())).collect::<Vec<_>>();
        prop_assert_eq!(early(&a), early(&b), "a prediction dated at or before the cut moved");
        for t in 0..=cut {
            prop_assert_eq!(&a.weights[t], &b.weights[t], "weights at {} moved (cut {})", t, cut);
        }
        let booked = |o: &PipelineOutput| o.ledger.dates.iter().zip(&o.ledger.net).filter(|(d, _)| **d <= cut).map(|(d, r)| (*d, r.to_bits())).collect::<Vec<_>>();
        prop_assert_eq!(booked(&a), booked(&b), "a return booked at or before the cut moved");

        // Targets look forward by exactly `horizon` bars.
        let (ta, tb) = (targets(&panel, &spec(horizon).dataset), targets(&moved, &spec(horizon).dataset));
        for i in 0..5 {
            for t in 0..=cut.saturating_sub(horizon) {
                if t + horizon <= cut {
                    prop_assert_eq!(ta[i][t].to_bits(), tb[i][t].to_bits(), "target of T{} at {} moved", i, t);
                }
            }
            if cut + 1 < 360 && cut + 1 >= horizon {
                let t = cut + 1 - horizon;
                prop_assert_ne!(ta[i][t].to_bits(), tb[i][t].to_bits(), "target at {} should see the price at {}", t, cut + 1);
            }
        }
    }
}

#[test]
fn the_same_inputs_give_bit_identical_outputs() {
    let panel = random_walk_panel(7, 4, 300);
    let (a, b) = (run(&panel, 1), run(&panel, 1));
    let bits = |o: &PipelineOutput| {
        let p: Vec<(u64, u64)> =
            o.predictions.iter().map(|p| (p.prediction.to_bits(), p.target.to_bits())).collect();
        let l: Vec<u64> = o.ledger.net.iter().map(|r| r.to_bits()).collect();
        (p, l)
    };
    assert!(!a.predictions.is_empty() && !a.ledger.net.is_empty());
    assert!(bits(&a) == bits(&b), "two runs on the same data differ");
}
