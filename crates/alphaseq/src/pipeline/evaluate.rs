//! Evaluating a run: the folds' test predictions stitched into one out-of-sample series, traded,
//! stressed (signal lags, costs, thresholds) and scored against the benchmarks.

use super::types::*;
use crate::backtest::{self, Costs, Ledger, Trading};
use crate::data::Panel;
use crate::error::{Error, Result};
use crate::metrics::{self, Summary};
use crate::strategy::{self, Benchmark, Market, Rule, StrategySpec};

/// Stitches the folds' test predictions into one out-of-sample series and trades, stresses and
/// evaluates it.
pub(super) fn assemble(
    panel: &Panel,
    spec: &PipelineSpec,
    benchmark: Option<usize>,
    universe: Vec<usize>,
    mut folds: Vec<FoldResult>,
) -> Result<PipelineOutput> {
    let ppy = spec.periods_per_year();
    // a threshold rule: the Sharpe ratio on the validation predictions at each threshold of
    // the sweep, and with `choose_threshold` the best of them traded (never the test span)
    let valid_sweep: Vec<Option<f64>> =
        if matches!(spec.strategy.rule, Rule::LongAbove | Rule::LongShortAround) {
            let book = Book::new(panel, spec, &folds);
            SWEEP_THRESHOLDS
                .iter()
                .map(|&threshold| {
                    let swept = StrategySpec { threshold, ..spec.strategy.clone() };
                    book.valid_sharpe_of(panel, &folds, &swept)
                })
                .collect()
        } else {
            vec![]
        };
    let chosen = spec.strategy.choose_threshold.then(|| {
        let best = (0..valid_sweep.len()).fold(None, |best: Option<usize>, k| {
            match (best, valid_sweep[k]) {
                (_, None) => best,
                (None, Some(_)) => Some(k),
                (Some(b), Some(v)) => {
                    if v > valid_sweep[b].unwrap_or(f64::NEG_INFINITY) {
                        Some(k)
                    } else {
                        Some(b)
                    }
                }
            }
        });
        SWEEP_THRESHOLDS[best.unwrap_or(SWEEP_THRESHOLDS.len() / 2)]
    });
    let chosen_spec;
    let spec = match chosen {
        Some(threshold) => {
            chosen_spec = PipelineSpec {
                strategy: StrategySpec { threshold, ..spec.strategy.clone() },
                ..spec.clone()
            };
            &chosen_spec
        }
        None => spec,
    };
    let book = Book::new(panel, spec, &folds);
    let valid_sharpe = book.valid_sharpe(panel, &folds);
    let fold_summaries: Vec<FoldSummary> = folds.iter().map(fold_summary).collect();
    // the folds' predictions move (with thousands of tickers they are most of a run's memory)
    let predictions: Vec<Prediction> =
        folds.iter_mut().flat_map(|f| std::mem::take(&mut f.predictions)).collect();
    let test: Vec<&Prediction> = predictions.iter().filter(|p| p.part == Part::Test).collect();
    let triples = stitch(panel, &test)?;
    let (quality, column_quality) = forecast_quality(panel, &predictions, spec);
    let weights = strategy::weights(&spec.strategy, &triples, &book.market(), book.n_dates);
    let ledger = book.ledger(&weights);
    // alpha and beta against the benchmark ticker, or a lone traded ticker's own returns
    let market = benchmark.or_else(|| (universe.len() == 1).then(|| universe[0]));
    let benchmark_returns =
        market.map(|b| ledger.dates.iter().map(|&t| book.returns[b][t]).collect::<Vec<f64>>());
    let (benchmarks, notes) = book.benchmarks(panel, benchmark, &triples, universe.len());
    let (test_pred, test_targets): (Vec<f64>, Vec<f64>) =
        test.iter().map(|p| (p.prediction, p.target)).unzip();
    let last = folds.last().ok_or_else(|| Error::NotEnoughData("no fold".into()))?;
    let sample_counts = folds.iter().fold([0; 3], |acc, f| {
        [acc[0] + f.sample_counts[0], acc[1] + f.sample_counts[1], acc[2] + f.sample_counts[2]]
    });
    Ok(PipelineOutput {
        valid_sharpe,
        signal_regression: metrics::forecast::signal_regression(&test_pred, &test_targets),
        strategy_summary: Summary::of(&ledger.net, ppy),
        benchmark_summary: benchmark_returns.as_ref().map(|r| Summary::of(r, ppy)),
        by_seed: vec![],
        scaler: last.scaler.clone(),
        boruta: last.boruta.clone(),
        importance: last.importance.clone(),
        stress: book.stress(&weights),
        threshold_sweep: book.threshold_sweep(&triples, &valid_sweep),
        threshold: chosen,
        benchmarks,
        notes,
        universe,
        split: folds[0].split,
        sample_counts,
        fit: last.fit.clone(),
        folds: fold_summaries,
        predictions,
        quality,
        column_quality,
        weights,
        ledger,
        benchmark_returns,
    })
}

/// `(ticker, date, prediction)` panel indices of the stitched test predictions.
fn stitch(panel: &Panel, test: &[&Prediction]) -> Result<Vec<(usize, usize, f64)>> {
    let mut triples = Vec::with_capacity(test.len());
    for p in test {
        let i = panel.ticker_index(&p.ticker).ok_or_else(|| {
            Error::Invalid(format!("a stored prediction names ticker {} not in the data", p.ticker))
        })?;
        let t = panel.dates().binary_search(&p.date).map_err(|_| {
            Error::Invalid(format!("a stored prediction is dated {} outside the data", p.date))
        })?;
        triples.push((i, t, p.prediction));
    }
    Ok(triples)
}

/// Forecast quality of the traded target on validation and test, and of every target column
/// (for a target with several).
fn forecast_quality(
    panel: &Panel,
    predictions: &[Prediction],
    spec: &PipelineSpec,
) -> ([ForecastQuality; 2], Vec<(String, [ForecastQuality; 2])>) {
    let prices = (spec.dataset.target == crate::dataset::TargetKind::NextPrices)
        .then(|| as_of_adj_closes(panel, predictions));
    let of = |part: Part, pick: &dyn Fn(&Prediction) -> (f64, f64)| {
        let rows = || predictions.iter().enumerate().filter(|(_, p)| p.part == part);
        let (pred, real): (Vec<f64>, Vec<f64>) = rows().map(|(_, p)| pick(p)).unzip();
        let mut quality = quality_of(&pred, &real);
        if let Some(base) = &prices {
            let (price, realised): (Vec<f64>, Vec<f64>) = rows()
                .map(|(k, p)| {
                    let (r, y) = pick(p);
                    ((1.0 + r) * base[k], (1.0 + y) * base[k])
                })
                .unzip();
            quality.prices = Some(PriceErrors {
                mae: metrics::forecast::mae(&price, &realised),
                rmse: metrics::forecast::mse(&price, &realised).map(f64::sqrt),
                mae_return: metrics::forecast::mae(&pred, &real),
            });
        }
        quality
    };
    let traded = |p: &Prediction| (p.prediction, p.target);
    let quality = [of(Part::Valid, &traded), of(Part::Test, &traded)];
    let width = predictions.first().map_or(0, |p| p.columns.len());
    let names = crate::dataset::target_names(&spec.dataset);
    let columns = (0..width)
        .map(|c| {
            let column = |p: &Prediction| p.columns[c];
            let name = names.get(c).cloned().unwrap_or_else(|| format!("target_{c}"));
            (name, [of(Part::Valid, &column), of(Part::Test, &column)])
        })
        .collect();
    (quality, columns)
}

/// Each prediction's as-of adjusted close, the base of its returns (NaN for a ticker or date
/// not in `panel`): a `next_prices` forecast r is the price (1 + r) x this.
pub fn as_of_adj_closes(panel: &Panel, predictions: &[Prediction]) -> Vec<f64> {
    let ticker: std::collections::HashMap<&str, usize> =
        panel.tickers().iter().enumerate().map(|(i, t)| (t.as_str(), i)).collect();
    predictions
        .iter()
        .map(|p| match (ticker.get(p.ticker.as_str()), panel.dates().binary_search(&p.date)) {
            (Some(&i), Ok(t)) => panel.all_bars()[i].adj_close[t],
            _ => f64::NAN,
        })
        .collect()
}

/// A fold's split, counts, fit and the quality of its test predictions.
fn fold_summary(f: &FoldResult) -> FoldSummary {
    let (pred, real): (Vec<f64>, Vec<f64>) = f
        .predictions
        .iter()
        .filter(|p| p.part == Part::Test)
        .map(|p| (p.prediction, p.target))
        .unzip();
    FoldSummary {
        split: f.split,
        sample_counts: f.sample_counts,
        fit: f.fit.clone(),
        test_quality: quality_of(&pred, &real),
    }
}

/// Mean sum of absolute weight changes per bar (0 without bars).
fn mean_turnover(l: &Ledger) -> f64 {
    l.turnover.iter().sum::<f64>() / l.turnover.len().max(1) as f64
}

/// What trading a set of weights needs: the market, the spec's rule and costs, and the test
/// span (from the first fold's first test date to the last date).
struct Book<'a> {
    spec: &'a PipelineSpec,
    returns: Vec<Vec<f64>>,
    sectors: Vec<Option<usize>>,
    dates: Vec<chrono::NaiveDate>,
    n_dates: usize,
    first_test: usize,
    ppy: f64,
    /// The configured costs of each ticker.
    costs: Costs,
    /// On own calendars: each ticker's bars.
    own: Option<std::sync::Arc<Vec<crate::data::OwnCalendar>>>,
}

impl<'a> Book<'a> {
    fn new(panel: &Panel, spec: &'a PipelineSpec, folds: &[FoldResult]) -> Book<'a> {
        let (returns, sectors) = market_inputs(panel);
        let n_dates = panel.dates().len();
        let first_test = folds.iter().map(|f| f.split.valid_end + 1).min().unwrap_or(n_dates);
        Book {
            spec,
            returns,
            sectors,
            dates: panel.dates().to_vec(),
            n_dates,
            first_test,
            ppy: spec.periods_per_year(),
            costs: spec.strategy.costs(panel.tickers()),
            own: panel.own_calendars().cloned(),
        }
    }

    fn market(&self) -> Market<'_> {
        Market {
            dates: &self.dates,
            returns: &self.returns,
            sectors: &self.sectors,
            periods_per_year: self.ppy,
            costs: &self.costs,
            own: self.own.as_deref().map(Vec::as_slice),
        }
    }

    /// The test-span ledger of `w` at `costs` and `lag`.
    fn ledger_at(&self, w: &[Vec<f64>], costs: &Costs, lag: usize) -> Ledger {
        backtest::run(w, &self.returns, self.first_test, self.n_dates - 1, costs, lag)
    }

    /// The test-span ledger of `w` at the configured costs and lag.
    fn ledger(&self, w: &[Vec<f64>]) -> Ledger {
        self.ledger_at(w, &self.costs, self.spec.strategy.execution_lag)
    }

    /// Buy and hold of the benchmark ticker on the strategy's decision dates (when set), then
    /// the spec's benchmark strategies on the same names and dates; with one traded name the
    /// market-neutral momentum benchmarks cannot exist (one name has no cross-section) and are
    /// left out, with a note saying so.
    fn benchmarks(
        &self,
        panel: &Panel,
        benchmark: Option<usize>,
        triples: &[(usize, usize, f64)],
        names: usize,
    ) -> (Vec<BenchmarkRun>, Vec<String>) {
        let (st, market) = (&self.spec.strategy, self.market());
        let mut out = vec![];
        if let Some(b) = benchmark {
            let mut days: Vec<usize> = triples.iter().map(|&(_, t, _)| t).collect();
            days.sort_unstable();
            days.dedup();
            let held: Vec<(usize, usize, f64)> = days.iter().map(|&t| (b, t, 1.0)).collect();
            let w = strategy::benchmark_weights(
                Benchmark::EqualWeight,
                st,
                &held,
                &market,
                self.n_dates,
            );
            let name = format!("{} buy and hold", panel.tickers()[b]);
            out.push(BenchmarkRun { key: "buy_and_hold".into(), name, ledger: self.ledger(&w) });
        }
        let mut notes = vec![];
        for &kind in &st.benchmarks {
            if names == 1 && kind != Benchmark::EqualWeight && !st.benchmarks_through_rule {
                notes.push(format!(
                    "{} is left out: one traded name has no cross-section to be neutral in (strategy.benchmarks_through_rule trades its momentum through the strategy's rule instead)",
                    kind.label()
                ));
                continue;
            }
            let w = strategy::benchmark_weights(kind, st, triples, &market, self.n_dates);
            out.push(BenchmarkRun {
                key: kind.key().into(),
                name: kind.label_for(st.benchmarks_through_rule).into(),
                ledger: self.ledger(&w),
            });
        }
        (out, notes)
    }

    /// The same weights with the signal lagged by [`STRESS_LAGS`] more bars (at the configured
    /// costs), then at the flat costs of [`STRESS_COSTS`].
    fn stress(&self, weights: &[Vec<f64>]) -> Vec<StressRow> {
        let (lag, cost) = (self.spec.strategy.execution_lag, self.spec.strategy.cost_bps);
        let scenarios = STRESS_LAGS
            .iter()
            .map(|&extra| (lag + extra, cost, None))
            .chain(STRESS_COSTS.iter().map(|&c| (lag, c, Some(Costs::flat(c)))));
        scenarios
            .map(|(lag, cost_bps, flat)| {
                let l = self.ledger_at(weights, flat.as_ref().unwrap_or(&self.costs), lag);
                let summary = Summary::of(&l.net, self.ppy);
                let trading = Trading::of(&l, self.ppy);
                StressRow {
                    lag,
                    cost_bps,
                    summary,
                    mean_turnover: trading.map_or(0.0, |t| t.mean_turnover),
                    break_even_bps: trading.and_then(|t| t.break_even_bps),
                }
            })
            .collect()
    }

    /// For a rule with a threshold, the predictions traded at [`SWEEP_THRESHOLDS`], with the
    /// Sharpe ratio each gave on the validation predictions (`valid`, one per threshold).
    fn threshold_sweep(
        &self,
        triples: &[(usize, usize, f64)],
        valid: &[Option<f64>],
    ) -> Vec<SweepRow> {
        if !matches!(self.spec.strategy.rule, Rule::LongAbove | Rule::LongShortAround) {
            return vec![];
        }
        SWEEP_THRESHOLDS
            .iter()
            .zip(valid)
            .map(|(&threshold, &valid_sharpe)| {
                let swept = StrategySpec { threshold, ..self.spec.strategy.clone() };
                let w = strategy::weights(&swept, triples, &self.market(), self.n_dates);
                let l = self.ledger(&w);
                let long = triples.iter().filter(|&&(i, t, _)| w[t][i] > 0.0).count();
                SweepRow {
                    threshold,
                    summary: Summary::of(&l.net, self.ppy),
                    mean_turnover: mean_turnover(&l),
                    long_share: long as f64 / triples.len().max(1) as f64,
                    valid_sharpe,
                }
            })
            .collect()
    }

    /// The strategy traded on each fold's validation predictions over its validation span, its
    /// Sharpe ratio averaged over the folds.
    fn valid_sharpe(&self, panel: &Panel, folds: &[FoldResult]) -> Option<f64> {
        self.valid_sharpe_of(panel, folds, &self.spec.strategy)
    }

    /// [`Book::valid_sharpe`] of the strategy `st`.
    fn valid_sharpe_of(
        &self,
        panel: &Panel,
        folds: &[FoldResult],
        st: &StrategySpec,
    ) -> Option<f64> {
        let mut sharpes = vec![];
        for f in folds {
            let mut vt = vec![];
            for p in f.predictions.iter().filter(|p| p.part == Part::Valid) {
                if let (Some(i), Ok(t)) =
                    (panel.ticker_index(&p.ticker), panel.dates().binary_search(&p.date))
                {
                    vt.push((i, t, p.prediction));
                }
            }
            let w = strategy::weights(st, &vt, &self.market(), self.n_dates);
            let l = backtest::run(
                &w,
                &self.returns,
                f.split.train_end + 1,
                // every return booked inside the validation span, none from the test span
                f.split.valid_end.saturating_sub(1 + st.execution_lag),
                &self.costs,
                st.execution_lag,
            );
            if let Some(s) = metrics::sharpe_ratio(&l.net, 0.0, self.ppy) {
                sharpes.push(s);
            }
        }
        (!sharpes.is_empty()).then(|| sharpes.iter().sum::<f64>() / sharpes.len() as f64)
    }
}

/// What a strategy reads of the market: every ticker's simple returns per date as a held
/// position earns them ([`Panel::holding_returns`]) and its sector id ([`sector_ids`]).
pub fn market_inputs(panel: &Panel) -> (Vec<Vec<f64>>, Vec<Option<usize>>) {
    let returns = (0..panel.tickers().len()).map(|i| panel.holding_returns(i)).collect();
    (returns, sector_ids(panel))
}

/// A sector id per ticker of the panel (sectors numbered in sorted order), none without one.
pub fn sector_ids(panel: &Panel) -> Vec<Option<usize>> {
    let mut names: Vec<&str> = (0..panel.tickers().len()).filter_map(|i| panel.sector(i)).collect();
    names.sort_unstable();
    names.dedup();
    (0..panel.tickers().len())
        .map(|i| panel.sector(i).and_then(|s| names.binary_search(&s).ok()))
        .collect()
}

pub(super) fn quality_of(pred: &[f64], real: &[f64]) -> ForecastQuality {
    ForecastQuality {
        samples: real.iter().filter(|r| r.is_finite()).count(),
        mse: metrics::forecast::mse(pred, real),
        r2: metrics::forecast::r2(pred, real),
        hit_rate: metrics::forecast::hit_rate(pred, real),
        prices: None,
    }
}
