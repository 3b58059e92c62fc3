//! The files of a run folder, each written atomically: metrics.json, predictions.csv,
//! equity.csv and report.html. Nothing here depends on the wall clock, so the same run gives the
//! same bytes.

use std::fmt::Write as _;
use std::path::Path;

use alphaseq::data::Panel;
use alphaseq::metrics::{PerfStats, Summary};
use alphaseq::pipeline::PipelineOutput;
use anyhow::Result;
use serde_json::json;

use crate::atomic;
use crate::config::Experiment;

pub struct Outputs<'a> {
    pub exp: &'a Experiment,
    pub panel: &'a Panel,
    pub out: &'a PipelineOutput,
    pub model_name: String,
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
        if !self.out.threshold_sweep.is_empty() {
            let mut csv = String::from(
                "threshold,sharpe_ratio,annual_return,annual_volatility,max_drawdown,mean_turnover,long_share\n",
            );
            for r in &self.out.threshold_sweep {
                let s = &r.summary;
                let _ = writeln!(
                    csv,
                    "{},{},{},{},{},{},{}",
                    r.threshold,
                    num(s.sharpe_ratio),
                    num(s.annual_return),
                    num(s.annual_volatility),
                    num(s.max_drawdown),
                    r.mean_turnover,
                    r.long_share
                );
            }
            atomic::write(&dir.join("thresholds.csv"), csv.as_bytes())?;
        }
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
        let training: serde_json::Value = std::fs::read(dir.join("training.json"))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or(serde_json::Value::Null);
        let mut metrics = self.metrics_json();
        metrics["training"] = training;
        atomic::write(
            &dir.join("metrics.json"),
            serde_json::to_string_pretty(&metrics)?.as_bytes(),
        )?;
        // last: the report is built from the files above
        let report = crate::report::run_report(dir)?;
        atomic::write(&dir.join("report.html"), alphaseq_report::render_html(&report).as_bytes())?;
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
                "tickers": self.panel.tickers(),
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
                "valid_sharpe": out.valid_sharpe,
                "signal_regression": out.signal_regression,
                "net": self.strategy_stats(),
                "gross": Summary::of(&l.gross, self.exp.data.frequency.periods_per_year()),
            },
            "benchmark": self.exp.data.benchmark.as_ref().map(|b| json!({ "ticker": b, "buy_and_hold": self.benchmark_stats() })),
            "folds": out.folds.iter().map(|f| json!({
                "train_start": dates[f.split.train_start].to_string(),
                "train_end": dates[f.split.train_end].to_string(),
                "valid_end": dates[f.split.valid_end].to_string(),
                "test_end": dates[f.split.test_end].to_string(),
                "samples": { "train": f.sample_counts[0], "valid": f.sample_counts[1], "test": f.sample_counts[2] },
                "train_loss": f.fit.train_loss,
                "valid_loss": f.fit.valid_loss,
                "test": f.test_quality,
            })).collect::<Vec<_>>(),
            "evaluation": self.evaluation(),
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

    /// IC, quantile returns and classification quality of the test predictions.
    fn evaluation(&self) -> crate::report::forecast::Evaluation {
        let rows: Vec<_> = self
            .out
            .predictions
            .iter()
            .filter(|p| p.part == alphaseq::pipeline::Part::Test)
            .map(|p| (p.date, p.prediction, p.target))
            .collect();
        crate::report::forecast::evaluate(&rows, self.exp.strategy.threshold)
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
