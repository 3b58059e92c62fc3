//! No look-ahead in anything a data set is made of, proven by perturbation on random-walk panels:
//! every indicator of the catalogue, every momentum feature, calendar and identity inputs, every
//! target kind, every scaler (global and per ticker) and the split. Prices and volumes after date
//! index `cut` change; nothing dated `cut` or earlier may, except that a target looks forward by
//! exactly its horizon (and the test checks that it does see the price `horizon` bars ahead).
//! Columns come from the specs, so an indicator or feature added later is covered without edits.

#![allow(clippy::unwrap_used)] // a panic is a failed test

mod common;

use alphaseq::data::Panel;
use alphaseq::dataset::{
    target_table, targets, DatasetSpec, Scaler, ScalerKind, ScalerSpec, SplitSpec, TargetKind,
};
use alphaseq::features::indicators::Convention;
use alphaseq::features::{
    BarField, CalendarFeature, FeatureMatrix, FeatureSpec, IdentityFeature, MomentumSpec,
};
use common::{perturb_after, random_walk_panel};
use proptest::prelude::*;

const TICKERS: usize = 4;
const DATES: usize = 620;

fn everything() -> FeatureSpec {
    FeatureSpec {
        returns: vec![1, 5],
        volatility: vec![21],
        prices: vec![
            BarField::Open,
            BarField::High,
            BarField::Low,
            BarField::Close,
            BarField::AdjClose,
            BarField::Volume,
        ],
        indicators: vec!["all".into()],
        momentum: Some(MomentumSpec { market: Some("T0".into()), ..MomentumSpec::default() }),
        calendar: vec![
            CalendarFeature::Month,
            CalendarFeature::DayOfWeek,
            CalendarFeature::DayOfYear,
        ],
        identity: vec![IdentityFeature::Ticker, IdentityFeature::Sector],
        exclude_indicators: vec![],
        // allowing look-ahead adds nothing to "all": the matrix stays causal
        look_ahead: alphaseq::features::LookAhead::Allow,
        convention: Default::default(),
        indicator_prices: Default::default(),
    }
}

/// A panel whose last ticker lists late and has a gap, as real ones do.
fn panel(seed: u64) -> Panel {
    let mut p = random_walk_panel(seed, TICKERS, DATES);
    let late = p.bars_mut(TICKERS - 1);
    for t in (0..40).chain(300..304) {
        for f in
            [&mut late.open, &mut late.high, &mut late.low, &mut late.close, &mut late.adj_close]
        {
            f[t] = f64::NAN;
        }
        late.volume[t] = f64::NAN;
    }
    p
}

fn same_bits(a: &[f64], b: &[f64]) -> bool {
    a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    #[test]
    fn no_feature_target_scaler_or_split_dated_t_or_earlier_reads_later_data(
        seed in any::<u64>(), cut in 20usize..DATES - 2, horizon in 1usize..4, talib in any::<bool>(),
    ) {
        let (a, b) = (panel(seed), perturb_after(&panel(seed), cut, seed));
        let convention = if talib { Convention::Talib } else { Convention::PandasTa };
        let spec = FeatureSpec { convention, ..everything() };
        let (fa, fb) = (FeatureMatrix::compute(&a, &spec).unwrap(), FeatureMatrix::compute(&b, &spec).unwrap());
        for i in 0..TICKERS {
            for t in 0..=cut {
                if !same_bits(fa.row(i, t), fb.row(i, t)) {
                    let moved: Vec<&String> = fa.names().iter().enumerate()
                        .filter(|(j, _)| fa.row(i, t)[*j].to_bits() != fb.row(i, t)[*j].to_bits())
                        .map(|(_, n)| n).collect();
                    prop_assert!(false, "T{i} at {t} (cut {cut}): {moved:?} moved");
                }
            }
        }
        // The momentum features are defined somewhere before the cut when the cut is late enough
        // (a test of NaN against NaN would prove nothing).
        if cut > 520 {
            let j = fa.names().iter().position(|n| n == "alpha_var_252").unwrap();
            prop_assert!(fa.row(0, cut)[j].is_finite());
        }

        let universe: Vec<usize> = (1..TICKERS).collect();
        for kind in [TargetKind::NextReturn, TargetKind::Direction, TargetKind::VolScaled, TargetKind::CrossSectionalRank, TargetKind::NextPrices] {
            let ds = DatasetSpec { target: kind, horizon, ..DatasetSpec::default() };
            let (ta, tb) = (targets(&a, &ds, &universe, 252.0), targets(&b, &ds, &universe, 252.0));
            let (xa, xb) = (target_table(&a, &ds, &universe, 252.0), target_table(&b, &ds, &universe, 252.0));
            for &i in &universe {
                for t in 0..(cut + 1).saturating_sub(horizon) {
                    prop_assert!(same_bits(xa.row(i, t), xb.row(i, t)), "{:?} target row of T{} at {} moved", kind, i, t);
                }
            }
            for &i in &universe {
                for t in 0..(cut + 1).saturating_sub(horizon) {
                    prop_assert_eq!(ta[i][t].to_bits(), tb[i][t].to_bits(), "{:?} target of T{} at {} moved (cut {})", kind, i, t, cut);
                }
                let t = cut + 1 - horizon;
                // A direction label may keep its sign, and a rank its place, under a perturbation.
                if matches!(kind, TargetKind::NextReturn | TargetKind::VolScaled | TargetKind::NextPrices) && ta[i][t].is_finite() {
                    prop_assert_ne!(ta[i][t].to_bits(), tb[i][t].to_bits(), "{:?} target at {} should see the price at {}", kind, t, cut + 1);
                }
            }
        }

        for kind in [ScalerKind::Standard, ScalerKind::MinMax, ScalerKind::Robust] {
            for per_ticker in [false, true] {
                let s = ScalerSpec { kind, per_ticker };
                let (sa, sb) = (Scaler::fit(&fa, &universe, 0..=cut, s), Scaler::fit(&fb, &universe, 0..=cut, s));
                match (sa, sb) {
                    (Ok(sa), Ok(sb)) => prop_assert_eq!(sa, sb, "{:?} scaler fitted to {} moved", s, cut),
                    (Err(_), Err(_)) => {}
                    _ => prop_assert!(false, "{:?}: fitting succeeded on one panel only", s),
                }
            }
        }

        let split = SplitSpec { ratios: Some([0.6, 0.2, 0.2]), ..SplitSpec::default() };
        prop_assert_eq!(split.resolve(a.dates(), 10).unwrap(), split.resolve(b.dates(), 10).unwrap());
    }
}
