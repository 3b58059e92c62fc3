//! The run report, built from the files of a run folder alone (config.toml, metrics.json,
//! equity.csv, predictions.csv, stress.csv, factor.json, history.csv, importance.csv,
//! boruta.csv, seeds/), so
//! `alphaseq report RUN_DIR` re-renders exactly what `alphaseq run` wrote. Sections appear as
//! the folder has data for them. Rendered by `alphaseq-report` (plain tables and charts).

pub mod believe;
pub mod factor;
pub mod files;
pub mod forecast;
mod search;
mod seeds;
pub mod tearsheet;

use std::path::Path;

use alphaseq_report::{BarChart, Cell, LineChart, Report, Section, Series, Table, XAxis};
use chrono::NaiveDate;

use crate::error::{Error, Result};
use crate::experiment::{atomic, Experiment, ModelConfig};
use crate::metrics::factor::FactorAnalysis;
use crate::metrics::tearsheet::{Strategy, TearSheet};
use crate::pipeline::ForecastQuality;
use crate::record::{FoldRecord, PartsQuality, RunRecord};
use files::Csv;

/// Reads a file of the run folder that must be there.
fn required(dir: &Path, name: &str) -> Result<Csv> {
    Csv::read(&dir.join(name))?.ok_or_else(|| {
        Error::record(dir.join(name), "missing; is the folder a finished run folder?")
    })
}

fn dates_of(csv: &Csv) -> Result<Vec<NaiveDate>> {
    csv.required_strings("date")?
        .iter()
        .enumerate()
        .map(|(k, s)| {
            s.parse().map_err(|_| Error::Parse {
                path: csv.path.clone(),
                line: k + 2,
                message: format!("date {s:?} is not YYYY-MM-DD"),
            })
        })
        .collect()
}

/// Builds the report of the run folder `dir` and writes it to `dir/report.html`.
///
/// # Errors
/// As [`run_report`], or [`Error::Io`] when report.html cannot be written.
pub fn write_run_report<M: ModelConfig>(dir: &Path) -> Result<()> {
    let report = run_report::<M>(dir)?;
    atomic::write(&dir.join("report.html"), alphaseq_report::render_html(&report).as_bytes())
}

/// Builds the report of the run folder `dir`.
///
/// # Errors
/// [`Error::Record`] for a missing or malformed file of the folder, naming it.
pub fn run_report<M: ModelConfig>(dir: &Path) -> Result<Report> {
    let path = dir.join("config.toml");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| Error::record(&path, format!("{e}; is the folder a run folder?")))?;
    let exp = Experiment::<M>::parse(&text).map_err(|e| Error::record(&path, e))?;
    let record = RunRecord::read(dir)?;
    let ppy = exp.data.periods_per_year();
    let equity = required(dir, "equity.csv")?;
    let dates = dates_of(&equity)?;

    let mut strategies = vec![Strategy {
        label: "strategy (net)".into(),
        returns: equity.required_floats("strategy")?,
        turnover: Some(equity.required_floats("turnover")?),
        regression: record.strategy.signal_regression,
        trading: record.strategy.trading,
    }];
    // before costs beside after, for a run that pays any
    if let Some(gross) = equity.floats("strategy_gross").filter(|_| exp.strategy.charges_costs()) {
        strategies.push(Strategy::returns("strategy (gross)", gross));
    }
    for b in &record.benchmarks {
        strategies.push(Strategy {
            label: b.name.clone(),
            returns: equity.required_floats(&b.key)?,
            turnover: equity.floats(&format!("{}_turnover", b.key)),
            regression: None,
            trading: b.trading,
        });
    }
    let market = equity.floats("market").filter(|m| m.iter().any(|v| v.is_finite()));
    let market_name = exp
        .data
        .benchmark
        .clone()
        .or_else(|| record.market.clone())
        .unwrap_or_else(|| "market".into());
    let sheet = TearSheet {
        dates: &dates,
        strategies: &strategies,
        market: market.as_deref().map(|m| (market_name.as_str(), m)),
        periods_per_year: ppy,
    };

    let mut sections = vec![];
    if !record.look_ahead.is_empty() {
        let mut lines = vec![
            "This run uses inputs that read later prices (features.look_ahead = \"allow\", to \
             reproduce a study that used them). Its results are not achievable in trading."
                .to_string(),
        ];
        lines.extend(record.look_ahead.iter().cloned());
        sections.push(Section::Notes { title: "LOOK-AHEAD INPUTS".into(), lines });
    }
    if let Some(search) = Csv::read(&dir.join("search.csv"))? {
        sections.push(Section::Heading("Hyperparameter search".into()));
        let refit = dir.join("trials").join("refit").is_dir();
        sections.push(Section::Table(search::table(&search, refit)));
        sections.extend(search::comparison_sections(dir, &search)?);
    }
    if let Some(s) = &record.seeds {
        sections.push(Section::Heading("Seeds".into()));
        sections.extend(seeds::sections(dir, s)?);
    }
    sections.push(Section::Heading("Performance on the test span".into()));
    let mut notes = record.notes.clone();
    if let Some(m) = &record.market {
        notes.push(format!("Alpha and beta are measured against {m}'s own returns: the run trades it alone, without a benchmark ticker."));
    }
    if !notes.is_empty() {
        sections.push(Section::Notes { title: "Benchmarks".into(), lines: notes });
    }
    sections.extend(tearsheet::sections(&sheet));
    let stress = Csv::read(&dir.join("stress.csv"))?;
    if let Some(stress) = &stress {
        sections.push(Section::Heading("Robustness".into()));
        sections.extend(stress_sections(stress, &exp)?);
    }
    if let Some(sweep) = Csv::read(&dir.join("thresholds.csv"))? {
        sections.extend(sweep_sections(&sweep, &exp, record.strategy.threshold_chosen)?);
    }
    let cost = exp.strategy.cost_label();
    let evidence = believe::Evidence {
        deflated: record.deflated.as_ref(),
        evaluation: Some(&record.evaluation),
        lag_stress: stress.as_ref().map(|s| lag_stress(s, &exp)).transpose()?.flatten(),
        cost: exp.strategy.charges_costs().then_some(cost.as_str()),
        seeds: record.seeds.as_ref(),
    };
    sections.push(Section::Heading("How much to believe this".into()));
    sections.extend(believe::sections(&sheet, &evidence));
    sections.push(Section::Heading("Forecasts".into()));
    sections.push(Section::Table(quality_table(&record.forecast)));
    sections.extend(price_sections(dir, &record, exp.report.ticker.as_deref())?);
    sections.extend(forecast::sections(&record.evaluation, ppy));
    let path = dir.join("factor.json");
    if path.is_file() {
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        let analysis: FactorAnalysis =
            serde_json::from_str(&text).map_err(|e| Error::record(&path, e))?;
        sections.push(Section::Heading(
            "The test forecasts as a factor (alphalens-reloaded's tear sheet)".into(),
        ));
        sections.extend(factor::sections(&analysis));
    }

    if record.folds.len() > 1 {
        sections.push(Section::Table(folds_table(&record.folds)));
    }
    let model_sections = model_sections(dir, &record)?;
    if !model_sections.is_empty() {
        sections.push(Section::Heading("Model".into()));
        sections.extend(model_sections);
    }
    Ok(Report {
        title: exp.report.title.clone().unwrap_or_else(|| format!("alphaseq: {}", exp.name)),
        facts: facts(&exp, &record, &dates),
        sections,
    })
}

fn facts<M: ModelConfig>(
    exp: &Experiment<M>,
    m: &RunRecord,
    dates: &[NaiveDate],
) -> Vec<(String, String)> {
    let date = |d: Option<NaiveDate>| d.map_or("null".into(), |d| d.to_string());
    let frequency = serde_json::to_value(m.data.frequency)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let st = &exp.strategy;
    let mut strategy = format!("{}, {}", st.rule.label(), st.cost_label());
    if let Some(v) = st.vol_target {
        strategy.push_str(&format!(", volatility target {:.0}%", v * 100.0));
    }
    strategy.push_str(&match st.execution_lag {
        0 => ", decided at the close of t, earning t to t+1".to_string(),
        k => format!(", decided at the close of t, earning t+{k} to t+{} (lag {k})", k + 1),
    });
    let mut out = vec![
        ("experiment".to_string(), exp.name.clone()),
        (
            "model".to_string(),
            format!(
                "{} ({} parameters) on {}",
                m.model.name,
                m.model.parameters,
                exp.features.names().join(", ")
            ),
        ),
        (
            "data".to_string(),
            format!(
                "{} traded tickers, {} .. {}, {} bars",
                m.data.tickers_traded,
                date(m.data.first_date),
                date(m.data.last_date),
                frequency
            ),
        ),
        (
            "split".to_string(),
            format!(
                "train to {}, validation to {}, test after; samples {} / {} / {}",
                m.split.train_end,
                m.split.valid_end,
                m.split.samples.train,
                m.split.samples.valid,
                m.split.samples.test
            ),
        ),
        ("strategy".to_string(), strategy),
    ];
    if let (Some(a), Some(b)) = (dates.first(), dates.last()) {
        out.push(("test returns".to_string(), format!("{a} .. {b}, {} periods", dates.len())));
    }
    out
}

/// The Sharpe ratio of the configured scenario and of the signal one bar later, when stress.csv
/// has both.
fn lag_stress<M: ModelConfig>(stress: &Csv, exp: &Experiment<M>) -> Result<Option<(f64, f64)>> {
    let lag = stress.required_floats("lag")?;
    let cost = stress.required_floats("cost_bps")?;
    let sharpe = stress.required_floats("sharpe_ratio")?;
    let at = |l: f64| {
        (0..lag.len()).find(|&k| lag[k] == l && cost[k] == exp.strategy.cost_bps).map(|k| sharpe[k])
    };
    let base = exp.strategy.execution_lag as f64;
    Ok(at(base).zip(at(base + 1.0)))
}

fn stress_sections<M: ModelConfig>(stress: &Csv, exp: &Experiment<M>) -> Result<Vec<Section>> {
    let lag = stress.required_floats("lag")?;
    let cost = stress.required_floats("cost_bps")?;
    let sharpe = stress.required_floats("sharpe_ratio")?;
    let annual = stress.required_floats("annual_return")?;
    let dd = stress.required_floats("max_drawdown")?;
    let turnover = stress.required_floats("mean_turnover")?;
    // absent from run folders written before break-even costs were kept
    let break_even = stress.floats("break_even_bps").unwrap_or_else(|| vec![f64::NAN; lag.len()]);
    let base_lag = exp.strategy.execution_lag as f64;
    // the configured scenario first, then the lagged ones
    let configured =
        (0..lag.len()).find(|&k| lag[k] == base_lag && cost[k] == exp.strategy.cost_bps);
    let lags: Vec<usize> =
        configured.into_iter().chain((0..lag.len()).filter(|&k| lag[k] != base_lag)).collect();
    let costs: Vec<usize> = (0..lag.len()).filter(|&k| lag[k] == base_lag).collect();
    let bars = |title: String, idx: &[usize], label: &dyn Fn(usize) -> String| BarChart {
        title,
        categories: idx.iter().map(|&k| label(k)).collect(),
        series: vec![Series {
            name: "Sharpe ratio".into(),
            values: idx.iter().map(|&k| sharpe[k]).collect(),
        }],
        percent: false,
    };
    let table = Table {
        title: "Stress test: the signal lagged, and costs from 0 to 5 bps (net returns)".into(),
        columns: vec![
            "scenario".into(),
            "Sharpe".into(),
            "Annual return".into(),
            "Max drawdown".into(),
            "Turnover".into(),
            "Break-even cost (bps)".into(),
        ],
        rows: (0..lag.len())
            .map(|k| {
                (
                    format!("lag {} bars, {} bps", lag[k], cost[k]),
                    vec![
                        Cell::Number(Some(sharpe[k]), 2),
                        Cell::Percent(Some(annual[k])),
                        Cell::Percent(Some(dd[k])),
                        Cell::Number(Some(turnover[k]), 3),
                        Cell::Number(Some(break_even[k]).filter(|v| v.is_finite()), 2),
                    ],
                )
            })
            .collect(),
    };
    Ok(vec![
        Section::Bars(bars(
            format!(
                "Signal-lag stress: Sharpe ratio with the signal delayed (at {} bps)",
                exp.strategy.cost_bps
            ),
            &lags,
            &|k| format!("lag {}", lag[k]),
        )),
        Section::Bars(bars(
            format!("Cost sweep: Sharpe ratio by cost (lag {base_lag})"),
            &costs,
            &|k| format!("{} bps", cost[k]),
        )),
        Section::Table(table),
    ])
}

fn sweep_sections<M: ModelConfig>(
    sweep: &Csv,
    exp: &Experiment<M>,
    chosen: Option<f64>,
) -> Result<Vec<Section>> {
    let threshold = sweep.required_floats("threshold")?;
    let sharpe = sweep.required_floats("sharpe_ratio")?;
    let annual = sweep.required_floats("annual_return")?;
    let dd = sweep.required_floats("max_drawdown")?;
    let turnover = sweep.required_floats("mean_turnover")?;
    let long = sweep.required_floats("long_share")?;
    // absent from run folders written before the validation sweep was kept
    let valid = sweep.floats("valid_sharpe").unwrap_or_else(|| vec![f64::NAN; threshold.len()]);
    let traded = match chosen {
        Some(t) => format!("{t}, chosen on the validation predictions"),
        None => format!("{}, configured", exp.strategy.threshold),
    };
    let chart = BarChart {
        title: format!(
            "Threshold sweep of {} (traded: {traded}); the test span is a diagnostic, never used to choose",
            exp.strategy.rule.label()
        ),
        categories: threshold.iter().map(|t| format!("{t}")).collect(),
        series: vec![
            Series { name: "Sharpe ratio, validation".into(), values: valid.clone() },
            Series { name: "Sharpe ratio, test (diagnostic)".into(), values: sharpe.clone() },
        ],
        percent: false,
    };
    let table = Table {
        title: "Threshold sweep (net returns, the configured cost and lag; validation Sharpe averaged over the folds)".into(),
        columns: vec![
            "threshold".into(),
            "Sharpe, validation".into(),
            "Sharpe, test (diagnostic)".into(),
            "Annual return".into(),
            "Max drawdown".into(),
            "Turnover".into(),
            "Long decisions".into(),
        ],
        rows: (0..threshold.len())
            .map(|k| {
                (
                    format!("{}", threshold[k]),
                    vec![
                        Cell::Number(Some(valid[k]).filter(|v| v.is_finite()), 2),
                        Cell::Number(Some(sharpe[k]), 2),
                        Cell::Percent(Some(annual[k])),
                        Cell::Percent(Some(dd[k])),
                        Cell::Number(Some(turnover[k]), 3),
                        Cell::Percent(Some(long[k])),
                    ],
                )
            })
            .collect(),
    };
    Ok(vec![Section::Bars(chart), Section::Table(table)])
}

/// Per-fold diagnostics of a walk-forward run.
fn folds_table(folds: &[FoldRecord]) -> Table {
    Table {
        title: format!("Walk-forward folds ({}): one model fitted per fold", folds.len()),
        columns: vec![
            "fold".into(),
            "train".into(),
            "validation to".into(),
            "test to".into(),
            "train samples".into(),
            "train loss".into(),
            "valid loss".into(),
            "test MSE".into(),
            "test hit rate".into(),
        ],
        rows: folds
            .iter()
            .enumerate()
            .map(|(k, f)| {
                let sci = |v: Option<f64>| {
                    Cell::Text(v.map_or("\u{2013}".into(), |x| format!("{x:.4e}")))
                };
                let finite = |v: f64| v.is_finite().then_some(v);
                (
                    (k + 1).to_string(),
                    vec![
                        Cell::Text(format!("{} .. {}", f.train_start, f.train_end)),
                        Cell::Text(f.valid_end.to_string()),
                        Cell::Text(f.test_end.to_string()),
                        Cell::Number(Some(f.samples.train as f64), 0),
                        sci(finite(f.train_loss)),
                        sci(finite(f.valid_loss)),
                        sci(f.test.mse),
                        Cell::Percent(f.test.hit_rate),
                    ],
                )
            })
            .collect(),
    }
}

fn quality_table(q: &PartsQuality) -> Table {
    let row = |name: &str, key: fn(&ForecastQuality) -> Option<f64>, f: fn(Option<f64>) -> Cell| {
        (name.to_string(), [&q.valid, &q.test].iter().map(|p| f(key(p))).collect())
    };
    Table {
        title: "Forecast quality (scikit-learn definitions)".into(),
        columns: vec!["metric".into(), "validation".into(), "test".into()],
        rows: vec![
            row(
                "Samples with a realised target",
                |q| Some(q.samples as f64),
                |v| Cell::Number(v, 0),
            ),
            row(
                "MSE",
                |q| q.mse,
                |v| Cell::Text(v.map_or("\u{2013}".into(), |v| format!("{v:.4e}"))),
            ),
            row("R2", |q| q.r2, |v| Cell::Number(v, 4)),
            row("Hit rate (sign agreement)", |q| q.hit_rate, Cell::Percent),
        ],
    }
}

/// A `next_prices` target's errors in price units, and its forecast against the realised price
/// of the first ticker of predictions.csv on the test span.
/// The price-unit errors of a `next_prices` run, and the chart of `ticker`'s (else the first
/// ticker's) forecast and realised next prices over the test span.
fn price_sections(dir: &Path, record: &RunRecord, ticker: Option<&str>) -> Result<Vec<Section>> {
    let Some(traded) = &record.forecast.test.prices else { return Ok(vec![]) };
    let mut rows = vec![("traded".to_string(), traded.clone())];
    rows.extend(
        record
            .forecast_by_target
            .iter()
            .filter_map(|(n, q)| Some((n.clone(), q.test.prices.clone()?))),
    );
    let table = Table {
        title:
            "Test forecasts in price units: a forecast return r is the price (1 + r) x adj_close(t)"
                .into(),
        columns: vec![
            "target".into(),
            "MAE (price)".into(),
            "RMSE (price)".into(),
            "MAE (return)".into(),
        ],
        rows: rows
            .into_iter()
            .map(|(name, e)| {
                (
                    name,
                    vec![
                        Cell::Number(e.mae, 4),
                        Cell::Number(e.rmse, 4),
                        Cell::Number(e.mae_return, 5),
                    ],
                )
            })
            .collect(),
    };
    let mut out = vec![Section::Table(table)];
    let Some(csv) = Csv::read(&dir.join("predictions.csv"))? else { return Ok(out) };
    let (tickers, parts) = (csv.required_strings("ticker")?, csv.required_strings("part")?);
    let (forecast, realised) =
        (csv.required_floats("prediction_price")?, csv.required_floats("target_price")?);
    let dates = dates_of(&csv)?;
    let test = |k: &usize| parts[*k] == "test";
    let chosen = ticker.and_then(|t| (0..tickers.len()).filter(test).find(|&k| tickers[k] == t));
    let Some(first) = chosen.or_else(|| (0..tickers.len()).find(test)) else { return Ok(out) };
    let rows: Vec<usize> = (0..tickers.len())
        .filter(|&k| parts[k] == "test" && tickers[k] == tickers[first])
        .collect();
    let pick = |v: &[f64]| rows.iter().map(|&k| v[k]).collect::<Vec<f64>>();
    out.push(Section::Chart(LineChart {
        title: format!(
            "{}: the forecast next price and the realised one, by as-of date (test span)",
            tickers[first]
        ),
        x: XAxis::Dates(rows.iter().map(|&k| dates[k]).collect()),
        series: vec![
            Series { name: "forecast".into(), values: pick(&forecast) },
            Series { name: "realised".into(), values: pick(&realised) },
        ],
        percent: false,
    }));
    Ok(out)
}

fn model_sections(dir: &Path, record: &RunRecord) -> Result<Vec<Section>> {
    let mut out = vec![];
    if let Some(h) = Csv::read(&dir.join("history.csv"))? {
        let loss = h.required_floats("loss")?;
        let val = h.required_floats("val_loss")?;
        let best = record.training.as_ref().map_or(0, |t| t.best_epoch);
        let epochs = loss.len();
        out.push(Section::Chart(LineChart {
            title: format!(
                "Training history (loss per epoch; best epoch {best} of {})",
                loss.len()
            ),
            x: XAxis::Steps { name: "epoch".into(), len: loss.len() },
            series: vec![
                Series { name: "training loss".into(), values: loss },
                Series { name: "validation loss".into(), values: val },
            ],
            percent: false,
        }));
        // a classifier's scores per epoch (Keras' metrics), training and validation
        let scores: Vec<Series> = ["accuracy", "precision", "recall", "auc"]
            .iter()
            .flat_map(|m| [(*m).to_string(), format!("val_{m}")])
            .filter_map(|c| {
                let values = h.floats(&c)?;
                let name = c.replace("val_", "validation ").replace("auc", "AUC");
                Some(Series { name, values })
            })
            .collect();
        if !scores.is_empty() {
            out.push(Section::Chart(LineChart {
                title: "Classification per epoch (\"up\" when p > 0.5; precision and recall of \"up\"; exact ROC AUC)".into(),
                x: XAxis::Steps { name: "epoch".into(), len: epochs },
                series: scores,
                percent: false,
            }));
        }
    }
    if let Some(imp) = Csv::read(&dir.join("importance.csv"))? {
        let names = imp.required_strings("feature")?;
        let inc = imp.required_floats("mean_increase")?;
        let base = imp.required_floats("baseline_mse")?;
        let mut order: Vec<usize> = (0..names.len()).collect();
        order.sort_by(|a, b| inc[*b].total_cmp(&inc[*a]));
        order.truncate(20);
        out.push(Section::Bars(BarChart {
            title: format!(
                "Permutation importance on validation windows: loss increase (baseline {:.4e}; top {} of {})",
                base.first().copied().unwrap_or(f64::NAN),
                order.len(),
                names.len()
            ),
            categories: order.iter().map(|&k| names[k].to_string()).collect(),
            series: vec![Series {
                name: "loss increase".into(),
                values: order.iter().map(|&k| inc[k]).collect(),
            }],
            percent: false,
        }));
    }
    if let Some(b) = Csv::read(&dir.join("boruta.csv"))? {
        let decisions = b.required_strings("decision")?;
        let names = b.required_strings("feature")?;
        let rows = ["confirmed", "tentative", "rejected"]
            .iter()
            .map(|d| {
                let of: Vec<&str> =
                    (0..names.len()).filter(|&k| decisions[k] == *d).map(|k| names[k]).collect();
                let shown = if of.len() > 12 {
                    format!("{}, ... ({} more)", of[..12].join(", "), of.len() - 12)
                } else {
                    of.join(", ")
                };
                (d.to_string(), vec![Cell::Number(Some(of.len() as f64), 0), Cell::Text(shown)])
            })
            .collect();
        out.push(Section::Table(Table {
            title: "Boruta feature selection on the training span".into(),
            columns: vec!["decision".into(), "features".into(), "names".into()],
            rows,
        }));
    }
    Ok(out)
}
