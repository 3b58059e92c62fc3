//! The files of a run folder, each written atomically: metrics.json, predictions.csv,
//! equity.csv and report.html. Nothing here depends on the wall clock, so the same run gives the
//! same bytes.

use std::fmt::Write as _;
use std::path::Path;

use alphaseq::data::Panel;
use alphaseq::metrics::{cum_returns, drawdown_series, PerfStats, Summary};
use alphaseq::pipeline::{ForecastQuality, PipelineOutput};
use alphaseq_report::{Cell, LineChart, Report, Section, Series, Table, XAxis};
use anyhow::Result;
use serde_json::json;

use crate::atomic;
use crate::config::Experiment;

pub struct Outputs<'a> {
    pub exp: &'a Experiment,
    pub panel: &'a Panel,
    pub out: &'a PipelineOutput,
    pub model_name: String,
    pub history: Option<&'a alphaseq_nn::History>,
}

impl Outputs<'_> {
    pub fn write_all(&self, dir: &Path) -> Result<()> {
        atomic::write(&dir.join("predictions.csv"), self.predictions_csv().as_bytes())?;
        atomic::write(
            &dir.join("scaler.json"),
            serde_json::to_string_pretty(&self.out.scaler)?.as_bytes(),
        )?;
        let mut stress = String::from(
            "lag,cost_bps,sharpe_ratio,annual_return,annual_volatility,max_drawdown,mean_turnover\n",
        );
        let num = |v: Option<f64>| v.map_or(String::new(), |x| x.to_string());
        for r in &self.out.stress {
            let s = &r.summary;
            let _ = writeln!(
                stress,
                "{},{},{},{},{},{},{}",
                r.lag,
                r.cost_bps,
                num(s.sharpe_ratio),
                num(s.annual_return),
                num(s.annual_volatility),
                num(s.max_drawdown),
                r.mean_turnover
            );
        }
        atomic::write(&dir.join("stress.csv"), stress.as_bytes())?;
        if let Some((baseline, rows)) = &self.out.importance {
            let mut csv = String::from("feature,mean_increase,std_increase,baseline_mse\n");
            for r in rows {
                let _ = writeln!(
                    csv,
                    "{},{},{},{baseline}",
                    r.feature, r.mean_increase, r.std_increase
                );
            }
            atomic::write(&dir.join("importance.csv"), csv.as_bytes())?;
        }
        if let Some(b) = &self.out.boruta {
            let mut csv = String::from("feature,decision,hits,median_importance\n");
            for (i, name) in b.names.iter().enumerate() {
                let decision = serde_json::to_value(b.decisions[i])?;
                let _ = writeln!(
                    csv,
                    "{name},{},{},{}",
                    decision.as_str().unwrap_or_default(),
                    b.hits[i],
                    b.median_importance[i]
                );
            }
            atomic::write(&dir.join("boruta.csv"), csv.as_bytes())?;
        }
        atomic::write(&dir.join("equity.csv"), self.equity_csv().as_bytes())?;
        atomic::write(&dir.join("positions.csv"), self.positions_csv().as_bytes())?;
        atomic::write(
            &dir.join("metrics.json"),
            serde_json::to_string_pretty(&self.metrics_json())?.as_bytes(),
        )?;
        atomic::write(
            &dir.join("report.html"),
            alphaseq_report::render_html(&self.report()).as_bytes(),
        )?;
        if let Some(h) = self.history {
            let mut csv = String::from("epoch,loss,val_loss,seconds\n");
            for e in &h.epochs {
                let val = e.val_loss.map_or(String::new(), |v| v.to_string());
                let _ = writeln!(csv, "{},{},{val},{}", e.epoch, e.loss, e.seconds);
            }
            atomic::write(&dir.join("history.csv"), csv.as_bytes())?;
        }
        Ok(())
    }

    fn predictions_csv(&self) -> String {
        let number = |v: f64| if v.is_finite() { v.to_string() } else { String::new() };
        let mut s = String::from("date,ticker,prediction,target,part");
        for (name, _) in &self.out.column_quality {
            let _ = write!(s, ",predicted_{name},{name}");
        }
        s.push('\n');
        for p in &self.out.predictions {
            let part = match p.part {
                alphaseq::pipeline::Part::Valid => "valid",
                alphaseq::pipeline::Part::Test => "test",
            };
            let _ = write!(
                s,
                "{},{},{},{},{part}",
                p.date,
                csv_field(&p.ticker),
                p.prediction,
                number(p.target)
            );
            for (predicted, realised) in &p.columns {
                let _ = write!(s, ",{predicted},{}", number(*realised));
            }
            s.push('\n');
        }
        s
    }

    /// Daily returns of the strategy (net, gross, cost, turnover), the market (the benchmark
    /// ticker's own return) and every benchmark strategy (net and turnover), by booking date.
    fn equity_csv(&self) -> String {
        let l = &self.out.ledger;
        let bench = self.out.benchmark_returns.as_ref();
        let mut s = String::from("date,strategy,strategy_gross,cost,turnover,market");
        for b in &self.out.benchmarks {
            let _ = write!(s, ",{0},{0}_turnover", b.key);
        }
        s.push('\n');
        let number = |v: f64| if v.is_finite() { v.to_string() } else { String::new() };
        for k in 0..l.dates.len() {
            let _ = write!(
                s,
                "{},{},{},{},{},{}",
                self.panel.dates()[l.dates[k]],
                l.net[k],
                l.gross[k],
                l.cost[k],
                l.turnover[k],
                bench.map_or(String::new(), |b| number(b[k]))
            );
            for b in &self.out.benchmarks {
                let _ = write!(s, ",{},{}", number(b.ledger.net[k]), b.ledger.turnover[k]);
            }
            s.push('\n');
        }
        s
    }

    /// The strategy's target weights on the test span: one row per decision date and held name.
    fn positions_csv(&self) -> String {
        let mut s = String::from("date,ticker,weight\n");
        let first = self.out.split.valid_end + 1;
        for (t, row) in self.out.weights.iter().enumerate().skip(first) {
            for (i, w) in row.iter().enumerate() {
                if *w != 0.0 {
                    let ticker = csv_field(&self.panel.tickers()[i]);
                    let _ = writeln!(s, "{},{ticker},{w}", self.panel.dates()[t]);
                }
            }
        }
        s
    }

    fn metrics_json(&self) -> serde_json::Value {
        let (out, dates) = (self.out, self.panel.dates());
        let l = &out.ledger;
        let mean_turnover = mean(&l.turnover);
        json!({
            "name": self.exp.name,
            "model": { "name": self.model_name, "parameters": out.fit.parameters, "train_mse": out.fit.train_loss, "valid_mse": out.fit.valid_loss },
            "data": {
                "tickers_traded": out.universe.len(),
                "dates": dates.len(),
                "first_date": dates.first().map(|d| d.to_string()),
                "last_date": dates.last().map(|d| d.to_string()),
                "frequency": self.exp.data.frequency,
                "adjusted": self.exp.data.adjusted,
            },
            "split": {
                "train_end": dates[out.split.train_end].to_string(),
                "valid_end": dates[out.split.valid_end].to_string(),
                "samples": { "train": out.sample_counts[0], "valid": out.sample_counts[1], "test": out.sample_counts[2] },
            },
            "forecast": { "valid": out.quality[0], "test": out.quality[1] },
            "forecast_by_target": out.column_quality.iter().map(|(name, q)| (name.clone(), serde_json::json!({ "valid": q[0], "test": q[1] }))).collect::<serde_json::Map<String, serde_json::Value>>(),
            "strategy": {
                "rule": self.exp.strategy.rule,
                "cost_bps": self.exp.strategy.cost_bps,
                "execution_lag": self.exp.strategy.execution_lag,
                "first_return_date": l.dates.first().map(|&t| dates[t].to_string()),
                "last_return_date": l.dates.last().map(|&t| dates[t].to_string()),
                "mean_turnover": mean_turnover,
                "missing_returns": l.missing_returns,
                "bias_bps": mean(&l.net).map(|m| m * 1e4),
                "signal_regression": out.signal_regression,
                "net": self.strategy_stats(),
                "gross": Summary::of(&l.gross, self.exp.data.frequency.periods_per_year()),
            },
            "benchmark": self.exp.data.benchmark.as_ref().map(|b| json!({ "ticker": b, "buy_and_hold": self.benchmark_stats() })),
            "benchmarks": out.benchmarks.iter().map(|b| json!({
                "key": b.key,
                "name": b.name,
                "mean_turnover": mean(&b.ledger.turnover),
                "bias_bps": mean(&b.ledger.net).map(|m| m * 1e4),
                "net": PerfStats::of(&b.ledger.net, out.benchmark_returns.as_deref(), self.exp.data.frequency.periods_per_year()),
            })).collect::<Vec<_>>(),
            "conventions": "empyrical: simple returns, annual_return = CAGR over n/periods_per_year years, annual_volatility and sharpe_ratio with ddof=1 and sqrt(periods_per_year), max_drawdown from a starting wealth of 1, calmar = annual_return/|max_drawdown|, sortino with downside deviation over all periods, omega and sortino at a 0 threshold, tail_ratio = |p95|/|p5|, value_at_risk = p5 (numpy linear percentiles), stability = R^2 of cumulative log returns on time, alpha/beta against the benchmark (alpha compounded); skew and kurtosis as scipy (biased, Fisher); forecast metrics as scikit-learn",
        })
    }

    /// The strategy's net returns' tear-sheet statistics, against the benchmark when there is one.
    fn strategy_stats(&self) -> PerfStats {
        let ppy = self.exp.data.frequency.periods_per_year();
        PerfStats::of(&self.out.ledger.net, self.out.benchmark_returns.as_deref(), ppy)
    }

    fn benchmark_stats(&self) -> Option<PerfStats> {
        let ppy = self.exp.data.frequency.periods_per_year();
        self.out.benchmark_returns.as_deref().map(|b| PerfStats::of(b, None, ppy))
    }

    fn report(&self) -> Report {
        let (exp, out, dates) = (self.exp, self.out, self.panel.dates());
        let l = &out.ledger;
        let test_dates: Vec<_> = l.dates.iter().map(|&t| dates[t]).collect();
        let mut facts = vec![
            ("experiment".to_string(), exp.name.clone()),
            (
                "model".to_string(),
                format!(
                    "{} ({} parameters) on {}",
                    self.model_name,
                    out.fit.parameters,
                    exp.features.names().join(", ")
                ),
            ),
            (
                "data".to_string(),
                format!(
                    "{} traded tickers, {} .. {}, {:?} bars",
                    out.universe.len(),
                    dates[0],
                    dates[dates.len() - 1],
                    exp.data.frequency
                )
                .to_lowercase(),
            ),
            ("split".to_string(), out.split.describe(dates)),
            (
                "strategy".to_string(),
                format!(
                    "{}, equal weight, {} bps costs, {}",
                    exp.strategy.rule.label(),
                    exp.strategy.cost_bps,
                    timing(exp.strategy.execution_lag)
                ),
            ),
        ];
        if let (Some(a), Some(b)) = (test_dates.first(), test_dates.last()) {
            facts.push(("test returns".to_string(), format!("{a} .. {b}")));
        }
        let ppy = exp.data.frequency.periods_per_year();
        let market = out.benchmark_returns.as_deref();
        let mut columns = vec![Column {
            label: "strategy (net)".into(),
            stats: self.strategy_stats(),
            turnover: mean(&l.turnover),
            bias_bps: mean(&l.net).map(|m| m * 1e4),
            regression: out.signal_regression,
        }];
        for b in &out.benchmarks {
            columns.push(Column {
                label: b.name.clone(),
                stats: PerfStats::of(&b.ledger.net, market, ppy),
                turnover: mean(&b.ledger.turnover),
                bias_bps: mean(&b.ledger.net).map(|m| m * 1e4),
                regression: None,
            });
        }
        let mut sections = vec![Section::Table(performance_table(&columns))];
        let mut series =
            vec![Series { name: "strategy (net)".into(), values: cum_returns(&l.net) }];
        let mut dd =
            vec![Series { name: "strategy (net)".into(), values: drawdown_series(&l.net) }];
        for b in &out.benchmarks {
            series.push(Series { name: b.name.clone(), values: cum_returns(&b.ledger.net) });
            dd.push(Series { name: b.name.clone(), values: drawdown_series(&b.ledger.net) });
        }
        sections.push(Section::Chart(LineChart {
            title: "Cumulative returns (test span)".into(),
            x: XAxis::Dates(test_dates.clone()),
            series,
            percent: true,
        }));
        sections.push(Section::Chart(LineChart {
            title: "Drawdown (underwater)".into(),
            x: XAxis::Dates(test_dates),
            series: dd,
            percent: true,
        }));
        sections.push(Section::Table(stress_table(&out.stress)));
        sections.push(Section::Table(quality_table(&out.quality)));
        if let Some((baseline, rows)) = &out.importance {
            sections.push(Section::Table(importance_table(*baseline, rows)));
        }
        if let Some(h) = self.history {
            sections.push(Section::Chart(loss_chart(h)));
        }
        Report {
            title: exp.report.title.clone().unwrap_or_else(|| format!("alphaseq: {}", exp.name)),
            facts,
            sections,
        }
    }
}

/// One column of the tear-sheet table: a strategy's statistics and, where known, the study's
/// trading statistics (mean turnover, bias = mean PnL per bar in bps, R2 and t-stat of realised
/// returns on the signal).
pub(crate) struct Column {
    pub label: String,
    pub stats: PerfStats,
    pub turnover: Option<f64>,
    pub bias_bps: Option<f64>,
    pub regression: Option<alphaseq::metrics::forecast::SignalRegression>,
}

impl Column {
    /// A column of statistics only.
    pub fn plain(label: &str, stats: PerfStats) -> Column {
        Column { label: label.into(), stats, turnover: None, bias_bps: None, regression: None }
    }
}

/// The tear-sheet table, one column per strategy; trading rows only when some column has them.
pub(crate) fn performance_table(columns: &[Column]) -> Table {
    let mut header = vec!["metric".to_string()];
    header.extend(columns.iter().map(|c| c.label.clone()));
    type Getter = fn(&Column) -> Cell;
    // pyfolio's perf_stats, in its order
    let rows: [(&str, Getter); 16] = [
        ("Annual return (CAGR)", |c| Cell::Percent(c.stats.summary.annual_return)),
        ("Cumulative return", |c| Cell::Percent(c.stats.summary.cumulative_return)),
        ("Annual volatility", |c| Cell::Percent(c.stats.summary.annual_volatility)),
        ("Sharpe ratio", |c| Cell::Number(c.stats.summary.sharpe_ratio, 2)),
        ("Calmar ratio", |c| Cell::Number(c.stats.calmar_ratio, 2)),
        ("Stability", |c| Cell::Number(c.stats.stability, 2)),
        ("Max drawdown", |c| Cell::Percent(c.stats.summary.max_drawdown)),
        ("Omega ratio", |c| Cell::Number(c.stats.omega_ratio, 2)),
        ("Sortino ratio", |c| Cell::Number(c.stats.sortino_ratio, 2)),
        ("Skew", |c| Cell::Number(c.stats.skew, 2)),
        ("Kurtosis", |c| Cell::Number(c.stats.kurtosis, 2)),
        ("Tail ratio", |c| Cell::Number(c.stats.tail_ratio, 2)),
        ("Value at risk (5th percentile)", |c| Cell::Percent(c.stats.value_at_risk)),
        ("Alpha (vs benchmark)", |c| Cell::Percent(c.stats.alpha)),
        ("Beta (vs benchmark)", |c| Cell::Number(c.stats.beta, 2)),
        ("Periods", |c| Cell::Number(Some(c.stats.summary.periods as f64), 0)),
    ];
    let trading: [(&str, Getter); 4] = [
        ("Turnover (mean sum |dw|)", |c| Cell::Number(c.turnover, 3)),
        ("Bias (mean PnL, bps)", |c| Cell::Number(c.bias_bps, 2)),
        ("R2 of returns on signal", |c| Cell::Number(c.regression.map(|r| r.r2), 4)),
        ("t-stat of returns on signal", |c| Cell::Number(c.regression.map(|r| r.t_stat), 2)),
    ];
    let has_trading = columns.iter().any(|c| c.turnover.is_some());
    let rows = rows
        .iter()
        .chain(trading.iter().filter(|_| has_trading))
        .map(|(name, get)| (name.to_string(), columns.iter().map(get).collect()))
        .collect();
    Table {
        title: "Performance on the test span (empyrical definitions)".into(),
        columns: header,
        rows,
    }
}

/// The stress test: the same signal lagged, and other costs.
fn stress_table(rows: &[alphaseq::pipeline::StressRow]) -> Table {
    Table {
        title: "Stress test: the signal lagged, and costs from 0 to 5 bps (net returns)".into(),
        columns: vec![
            "scenario".into(),
            "Sharpe".into(),
            "Annual return".into(),
            "Max drawdown".into(),
            "Turnover".into(),
        ],
        rows: rows
            .iter()
            .map(|r| {
                (
                    format!("lag {} bars, {} bps", r.lag, r.cost_bps),
                    vec![
                        Cell::Number(r.summary.sharpe_ratio, 2),
                        Cell::Percent(r.summary.annual_return),
                        Cell::Percent(r.summary.max_drawdown),
                        Cell::Number(Some(r.mean_turnover), 3),
                    ],
                )
            })
            .collect(),
    }
}

/// The 20 most important features by permutation.
fn importance_table(baseline: f64, rows: &[alphaseq::forecast::Importance]) -> Table {
    let mut sorted: Vec<&alphaseq::forecast::Importance> = rows.iter().collect();
    sorted.sort_by(|a, b| b.mean_increase.total_cmp(&a.mean_increase));
    Table {
        title: format!(
            "Permutation importance on validation windows (MSE increase; baseline MSE {baseline:.4e}; top {} of {})",
            sorted.len().min(20),
            sorted.len()
        ),
        columns: vec!["feature".into(), "MSE increase".into(), "std over repeats".into()],
        rows: sorted
            .iter()
            .take(20)
            .map(|r| {
                (
                    r.feature.clone(),
                    vec![
                        Cell::Text(format!("{:.3e}", r.mean_increase)),
                        Cell::Text(format!("{:.1e}", r.std_increase)),
                    ],
                )
            })
            .collect(),
    }
}

fn quality_table(q: &[ForecastQuality; 2]) -> Table {
    let row =
        |name: &str, f: fn(&ForecastQuality) -> Cell| (name.to_string(), q.iter().map(f).collect());
    Table {
        title: "Forecast quality (scikit-learn definitions)".into(),
        columns: vec!["metric".into(), "validation".into(), "test".into()],
        rows: vec![
            row("Samples with a realised target", |x| Cell::Number(Some(x.samples as f64), 0)),
            row("MSE", |x| Cell::Text(x.mse.map_or("\u{2013}".into(), |v| format!("{v:.4e}")))),
            row("R2", |x| Cell::Number(x.r2, 4)),
            row("Hit rate (sign agreement)", |x| Cell::Percent(x.hit_rate)),
        ],
    }
}

/// Training and validation loss per epoch.
fn loss_chart(h: &alphaseq_nn::History) -> LineChart {
    let loss =
        Series { name: "training loss".into(), values: h.epochs.iter().map(|e| e.loss).collect() };
    let val = Series {
        name: "validation loss".into(),
        values: h.epochs.iter().map(|e| e.val_loss.unwrap_or(f64::NAN)).collect(),
    };
    LineChart {
        title: format!(
            "Training history (MSE on standardised targets; best epoch {} of {})",
            h.best_epoch,
            h.epochs.len()
        ),
        x: XAxis::Steps { name: "epoch".into(), len: h.epochs.len() },
        series: vec![loss, val],
        percent: false,
    }
}

/// When a decision made at the close of t earns its first return.
fn timing(lag: usize) -> String {
    match lag {
        0 => "decided at the close of t, earning the return from t to t+1".to_string(),
        k => format!(
            "decided at the close of t, earning the return from t+{k} to t+{} (execution lag {k})",
            k + 1
        ),
    }
}

/// The mean, `None` when empty.
fn mean(v: &[f64]) -> Option<f64> {
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}
