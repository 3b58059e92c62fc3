//! The run report, built from the files of a run folder alone (config.toml, metrics.json,
//! equity.csv, predictions.csv, stress.csv, history.csv, importance.csv, boruta.csv), so
//! `alphaseq report RUN_DIR` re-renders exactly what `alphaseq run` wrote. Sections appear as
//! the folder has data for them.

pub mod files;
pub mod forecast;
pub mod tearsheet;

use std::path::Path;

use alphaseq::pipeline::ForecastQuality;
use alphaseq::record::{FoldRecord, PartsQuality, RunRecord};
use alphaseq_report::{BarChart, Cell, LineChart, Report, Section, Series, Table, XAxis};
use anyhow::{anyhow, Context, Result};
use chrono::NaiveDate;

use crate::config::Experiment;
use alphaseq::metrics::tearsheet::{Strategy, TearSheet};
use files::Csv;

/// Reads a file of the run folder that must be there.
fn required(dir: &Path, name: &str) -> Result<Csv> {
    Csv::read(&dir.join(name))?
        .ok_or_else(|| anyhow!("{} has no {name}; is it a run folder?", dir.display()))
}

fn column(csv: &Csv, name: &str, file: &str) -> Result<Vec<f64>> {
    csv.floats(name).ok_or_else(|| anyhow!("{file} has no column {name:?}"))
}

fn dates_of(csv: &Csv, file: &str) -> Result<Vec<NaiveDate>> {
    csv.strings("date")
        .ok_or_else(|| anyhow!("{file} has no date column"))?
        .iter()
        .enumerate()
        .map(|(k, s)| s.parse().with_context(|| format!("{file} line {}: date {s:?}", k + 2)))
        .collect()
}

/// Builds the report of the run folder `dir`.
pub fn run_report(dir: &Path) -> Result<Report> {
    let config = std::fs::read_to_string(dir.join("config.toml"))
        .with_context(|| format!("{} has no config.toml; is it a run folder?", dir.display()))?;
    let exp = Experiment::parse(&config).context("config.toml of the run")?;
    let record = RunRecord::read(dir)?;
    let ppy = exp.data.frequency.periods_per_year();
    let equity = required(dir, "equity.csv")?;
    let dates = dates_of(&equity, "equity.csv")?;

    let mut strategies = vec![Strategy {
        label: "strategy (net)".into(),
        returns: column(&equity, "strategy", "equity.csv")?,
        turnover: Some(column(&equity, "turnover", "equity.csv")?),
        regression: record.strategy.signal_regression,
    }];
    for b in &record.benchmarks {
        strategies.push(Strategy {
            label: b.name.clone(),
            returns: column(&equity, &b.key, "equity.csv")?,
            turnover: equity.floats(&format!("{}_turnover", b.key)),
            regression: None,
        });
    }
    let market = equity.floats("market").filter(|m| m.iter().any(|v| v.is_finite()));
    let market_name = exp.data.benchmark.clone().unwrap_or_else(|| "market".into());
    let sheet = TearSheet {
        dates: &dates,
        strategies: &strategies,
        market: market.as_deref().map(|m| (market_name.as_str(), m)),
        periods_per_year: ppy,
    };

    let mut sections = vec![];
    if let Some(search) = Csv::read(&dir.join("search.csv"))? {
        sections.push(Section::Heading("Hyperparameter search".into()));
        sections.push(Section::Table(search_table(&search)));
        sections.extend(comparison_sections(dir, &search)?);
    }
    sections.push(Section::Heading("Performance on the test span".into()));
    sections.extend(tearsheet::sections(&sheet));
    if let Some(stress) = Csv::read(&dir.join("stress.csv"))? {
        sections.push(Section::Heading("Robustness".into()));
        sections.extend(stress_sections(&stress, &exp)?);
    }
    if let Some(sweep) = Csv::read(&dir.join("thresholds.csv"))? {
        sections.extend(sweep_sections(&sweep, &exp)?);
    }
    sections.push(Section::Heading("Forecasts".into()));
    sections.push(Section::Table(quality_table(&record.forecast)));
    sections.extend(forecast::sections(&record.evaluation, ppy));

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

fn facts(exp: &Experiment, m: &RunRecord, dates: &[NaiveDate]) -> Vec<(String, String)> {
    let date = |d: Option<NaiveDate>| d.map_or("null".into(), |d| d.to_string());
    let frequency = serde_json::to_value(m.data.frequency)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let st = &exp.strategy;
    let mut strategy = format!("{}, {} bps costs", st.rule.label(), st.cost_bps);
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

fn stress_sections(stress: &Csv, exp: &Experiment) -> Result<Vec<Section>> {
    let lag = column(stress, "lag", "stress.csv")?;
    let cost = column(stress, "cost_bps", "stress.csv")?;
    let sharpe = column(stress, "sharpe_ratio", "stress.csv")?;
    let annual = column(stress, "annual_return", "stress.csv")?;
    let dd = column(stress, "max_drawdown", "stress.csv")?;
    let turnover = column(stress, "mean_turnover", "stress.csv")?;
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

fn sweep_sections(sweep: &Csv, exp: &Experiment) -> Result<Vec<Section>> {
    let file = "thresholds.csv";
    let threshold = column(sweep, "threshold", file)?;
    let sharpe = column(sweep, "sharpe_ratio", file)?;
    let annual = column(sweep, "annual_return", file)?;
    let dd = column(sweep, "max_drawdown", file)?;
    let turnover = column(sweep, "mean_turnover", file)?;
    let long = column(sweep, "long_share", file)?;
    let chart = BarChart {
        title: format!(
            "Threshold sweep: Sharpe ratio of {} at other thresholds (configured {})",
            exp.strategy.rule.label(),
            exp.strategy.threshold
        ),
        categories: threshold.iter().map(|t| format!("{t}")).collect(),
        series: vec![Series { name: "Sharpe ratio".into(), values: sharpe.clone() }],
        percent: false,
    };
    let table = Table {
        title: "Threshold sweep (net returns, the configured cost and lag)".into(),
        columns: vec![
            "threshold".into(),
            "Sharpe".into(),
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

/// Every trial on the test span in the layout of the cross-sectional study's Table 3 (one row
/// per trial: Sharpe, Calmar, Sortino, volatility, tail ratio, alpha, beta, drawdown, turnover,
/// bias, R2 and t-stat of returns on the signal), and the correlation of their returns. For
/// comparing architectures with a grid over `model.layers`; never used to choose.
fn comparison_sections(dir: &Path, search: &Csv) -> Result<Vec<Section>> {
    use std::collections::BTreeMap;
    let fixed = 5;
    let mut rows = vec![];
    let mut series: Vec<(String, BTreeMap<NaiveDate, f64>)> = vec![];
    for r in &search.rows {
        let tdir = dir.join("trials").join(format!("trial-{:03}", r[1].parse::<usize>()?));
        let Some(equity) = Csv::read(&tdir.join("equity.csv"))? else { continue };
        let m = RunRecord::read(&tdir)?.strategy;
        let returns = column(&equity, "strategy", "equity.csv")?;
        let stats = &m.net;
        let reg = m.signal_regression;
        let params: Vec<String> = (fixed..r.len())
            .map(|c| format!("{}={}", search.header[c].rsplit('.').next().unwrap_or(""), r[c]))
            .collect();
        let label = format!("trial {}", r[1]);
        rows.push((
            format!("{}: {}", r[1], params.join(" ")),
            vec![
                Cell::Number(stats.summary.sharpe_ratio, 2),
                Cell::Number(stats.calmar_ratio, 2),
                Cell::Number(stats.sortino_ratio, 2),
                Cell::Percent(stats.summary.annual_volatility),
                Cell::Number(stats.tail_ratio, 2),
                Cell::Percent(stats.alpha),
                Cell::Number(stats.beta, 2),
                Cell::Percent(stats.summary.max_drawdown),
                Cell::Number(m.mean_turnover, 3),
                Cell::Number(m.bias_bps, 2),
                Cell::Number(reg.map(|r| r.r2), 4),
                Cell::Number(reg.map(|r| r.t_stat).filter(|t| t.is_finite()), 2),
            ],
        ));
        let dates = dates_of(&equity, "equity.csv")?;
        series.push((label, dates.into_iter().zip(returns).collect()));
    }
    if rows.len() < 2 {
        return Ok(vec![]);
    }
    let table = Table {
        title: "Every trial on the test span (the cross-sectional study's Table 3 layout; for comparison only)".into(),
        columns: [
            "trial: values", "Sharpe", "Calmar", "Sortino", "Ann. vol", "Tail ratio", "Alpha",
            "Beta", "Max DD", "Turnover", "Bias (bps)", "R2", "t-stat",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
        rows,
    };
    // correlations on the dates both trials have
    let corr = |a: &BTreeMap<NaiveDate, f64>, b: &BTreeMap<NaiveDate, f64>| {
        let (x, y): (Vec<f64>, Vec<f64>) =
            a.iter().filter_map(|(d, v)| b.get(d).map(|w| (*v, *w))).unzip();
        alphaseq::metrics::ic::pearson(&x, &y).unwrap_or(f64::NAN)
    };
    let heatmap = alphaseq_report::Heatmap {
        title: "Correlation of the trials' test-span returns (Pearson)".into(),
        rows: series.iter().map(|(l, _)| l.clone()).collect(),
        columns: series.iter().map(|(l, _)| l.trim_start_matches("trial ").to_string()).collect(),
        values: series
            .iter()
            .map(|(_, a)| series.iter().map(|(_, b)| corr(a, b)).collect())
            .collect(),
        percent: false,
        decimals: 2,
    };
    Ok(vec![Section::Table(table), Section::Heatmap(heatmap)])
}

/// The trials of a search, best first (search.csv).
fn search_table(csv: &Csv) -> Table {
    let fixed = ["rank", "trial", "valid_loss", "valid_sharpe", "test_sharpe"];
    let params: Vec<usize> = (0..csv.header.len()).filter(|&c| c >= fixed.len()).collect();
    let mut columns: Vec<String> =
        vec!["rank".into(), "trial".into(), "valid loss".into(), "valid Sharpe".into()];
    columns.extend(params.iter().map(|&c| csv.header[c].clone()));
    columns.push("test Sharpe".into());
    let num = |s: &str| s.parse::<f64>().ok();
    Table {
        title: format!(
            "{} trials by the validation objective; the report below is the best trial's (test Sharpe shown for reference, never used to choose)",
            csv.rows.len()
        ),
        columns,
        rows: csv
            .rows
            .iter()
            .map(|r| {
                let mut cells = vec![
                    Cell::Text(r[1].clone()),
                    Cell::Text(num(&r[2]).map_or("\u{2013}".into(), |v| format!("{v:.5e}"))),
                    Cell::Number(num(&r[3]), 3),
                ];
                cells.extend(params.iter().map(|&c| Cell::Text(r[c].clone())));
                cells.push(Cell::Number(num(&r[4]), 3));
                (r[0].clone(), cells)
            })
            .collect(),
    }
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

fn model_sections(dir: &Path, record: &RunRecord) -> Result<Vec<Section>> {
    let mut out = vec![];
    if let Some(h) = Csv::read(&dir.join("history.csv"))? {
        let loss = column(&h, "loss", "history.csv")?;
        let val = column(&h, "val_loss", "history.csv")?;
        let best = record.training.as_ref().map_or(0, |t| t.best_epoch);
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
    }
    if let Some(imp) = Csv::read(&dir.join("importance.csv"))? {
        let names = imp.strings("feature").ok_or_else(|| anyhow!("importance.csv: feature"))?;
        let inc = column(&imp, "mean_increase", "importance.csv")?;
        let base = column(&imp, "baseline_mse", "importance.csv")?;
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
        let decisions = b.strings("decision").ok_or_else(|| anyhow!("boruta.csv: decision"))?;
        let names = b.strings("feature").ok_or_else(|| anyhow!("boruta.csv: feature"))?;
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
