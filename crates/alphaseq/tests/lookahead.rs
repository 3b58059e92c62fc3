//! No look-ahead, proven by perturbation: on random-walk panels, changing every price after date t
//! changes no feature, prediction, weight or booked return (of the strategy, under each kind of
//! rule, or of a benchmark) dated t or earlier, and targets look forward by exactly their horizon.

#![allow(clippy::unwrap_used)] // test helpers may panic: a panic is a failed test

use alphaseq::data::Panel;
use alphaseq::dataset::{targets, DatasetSpec, SplitSpec};
use alphaseq::features::FeatureMatrix;
use alphaseq::forecast::{LinearForecaster, LinearSpec};
use alphaseq::pipeline::{self, PipelineOutput, PipelineSpec};
use alphaseq::portfolio::{Estimator, Neutrality};
use alphaseq::strategy::{
    Alpha, CostSpec, OptimizerSpec, Rebalance, Rule, StrategySpec, TickerCost, TopkDropoutSpec,
};
use proptest::prelude::*;

mod common;

use common::{perturb_after, random_walk_panel};

/// The rules under test: the default sign rule, the cross-sectional quantile rule, and
/// mean-variance with volatility targeting (trailing covariance windows); the fourth is
/// mean-variance with every control between the rule and the book (smoothing, realised
/// volatility, a schedule, bands and a trade limit); the fifth the cost-aware program from the
/// held book, with its risk limit corrected by the book's realised volatility; the sixth Qlib's
/// TopkDropout on the held book, charged by side with a minimum cost; the seventh the program
/// again on an EWM covariance with costs by side and name, the eighth on a PCA model.
const RULES: [Rule; 8] = [
    Rule::LongShort,
    Rule::TopBottom,
    Rule::MeanVariance,
    Rule::MeanVariance,
    Rule::MeanVariance,
    Rule::TopkDropout,
    Rule::MeanVariance,
    Rule::MeanVariance,
];

fn spec(horizon: usize) -> PipelineSpec {
    spec_with(horizon, Rule::LongShort)
}

fn spec_with(horizon: usize, rule: Rule) -> PipelineSpec {
    spec_of(horizon, rule, 0)
}

fn spec_of(horizon: usize, rule: Rule, controls: u8) -> PipelineSpec {
    let vol_target = (rule == Rule::MeanVariance).then_some(0.15);
    let strategy = StrategySpec {
        rule,
        cost_bps: 3.0,
        neutral: Neutrality::Dollar,
        cov_window: 20,
        vol_target,
        ..StrategySpec::default()
    };
    let costs = CostSpec {
        buy_bps: Some(2.0),
        sell_bps: Some(6.0),
        min_cost: 10.0,
        capital: Some(1e6),
        by_ticker: [("T1".to_string(), TickerCost::Sides([1.0, 9.0]))].into(),
    };
    let program = OptimizerSpec {
        risk_aversion: 0.5,
        alpha: Alpha::Score,
        gross: Some(3.0),
        ..OptimizerSpec::default()
    };
    let strategy = if controls == 3 {
        StrategySpec {
            topk_dropout: Some(TopkDropoutSpec { topk: 2, n_drop: 1, risk_degree: 0.95 }),
            costs: Some(costs),
            ..strategy
        }
    } else if controls >= 4 {
        let covariance = if controls == 4 {
            Estimator::Ewm { halflife: 5.0 }
        } else {
            Estimator::Pca { factors: 2 }
        };
        StrategySpec {
            covariance,
            realised_vol_window: Some(15),
            optimizer: Some(program),
            costs: Some(costs),
            ..strategy
        }
    } else if controls == 2 {
        StrategySpec {
            realised_vol_window: Some(15),
            no_trade_band: 0.001,
            optimizer: Some(program),
            ..strategy
        }
    } else if controls == 1 {
        StrategySpec {
            smoothing_halflife: Some(3.0),
            realised_vol_window: Some(15),
            rebalance: Rebalance::Every(2),
            no_trade_band: 0.002,
            max_trade: Some(0.8),
            ..strategy
        }
    } else {
        strategy
    };
    PipelineSpec {
        dataset: DatasetSpec {
            horizon,
            split: SplitSpec { ratios: Some([0.5, 0.25, 0.25]), ..SplitSpec::default() },
            ..DatasetSpec::default()
        },
        strategy,
        benchmark: Some("T0".into()),
        ..PipelineSpec::default()
    }
}

fn run(panel: &Panel, horizon: usize) -> PipelineOutput {
    run_with(panel, horizon, Rule::LongShort)
}

fn run_with(panel: &Panel, horizon: usize, rule: Rule) -> PipelineOutput {
    run_of(panel, horizon, rule, 0)
}

fn run_of(panel: &Panel, horizon: usize, rule: Rule, controls: u8) -> PipelineOutput {
    let mut model = LinearForecaster::new(LinearSpec::default());
    pipeline::run(panel, &spec_of(horizon, rule, controls), &mut model).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn nothing_dated_t_or_earlier_depends_on_later_prices(seed in any::<u64>(), cut_frac in 0.02f64..0.97, horizon in 1usize..4, rule in 0usize..8) {
        let panel = random_walk_panel(seed, 5, 360);
        let cut = (cut_frac * 359.0) as usize;
        let moved = perturb_after(&panel, cut, seed);
        let (rule, controls) = (RULES[rule], rule.saturating_sub(2) as u8);
        let (a, b) = (run_of(&panel, horizon, rule, controls), run_of(&moved, horizon, rule, controls));
        prop_assert!(a.weights.iter().flatten().any(|w| *w != 0.0), "{:?} took no position", rule);

        // Raw features; the scaled ones use the training span's statistics, like the model (the
        // scaler's own test is in lookahead_features.rs).
        let raw = |p: &Panel| FeatureMatrix::compute(p, &spec(horizon).features).unwrap();
        let (fa, fb) = (raw(&panel), raw(&moved));
        for i in 0..5 {
            for t in 0..=cut {
                let (x, y) = (fa.row(i, t), fb.row(i, t));
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
        prop_assert_eq!(a.benchmarks.len(), b.benchmarks.len());
        for (x, y) in a.benchmarks.iter().zip(&b.benchmarks) {
            let early = |l: &alphaseq::backtest::Ledger| l.dates.iter().zip(&l.net).filter(|(d, _)| **d <= cut).map(|(d, r)| (*d, r.to_bits())).collect::<Vec<_>>();
            prop_assert_eq!(early(&x.ledger), early(&y.ledger), "benchmark {} booked a moved return at or before the cut", x.key);
        }

        // Targets look forward by exactly `horizon` bars.
        let (ta, tb) = (targets(&panel, &spec(horizon).dataset, &[0, 1, 2, 3, 4], 252.0), targets(&moved, &spec(horizon).dataset, &[0, 1, 2, 3, 4], 252.0));
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
