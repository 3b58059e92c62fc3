//! The data files of a run folder, each written atomically: predictions.csv, scaler.json,
//! stress.csv, thresholds.csv, importance.csv, boruta.csv, factor.json (the test forecasts'
//! factor tear sheet, for a cross-sectional forecast), equity.csv, positions.csv, each
//! seed's equity.csv and metrics.json under seeds/seed-S/ (with `training.seeds`) and, last,
//! metrics.json (the run record). The report (report.html) is built from these files by the
//! caller's report hook. Nothing here depends on the wall clock, so the same run gives the same
//! bytes.

use std::fmt::Write as _;
use std::path::Path;

use super::{atomic, Experiment, ModelConfig};
use crate::data::Panel;
use crate::error::{Error, Result};
use crate::metrics::factor::{FactorAnalysis, FactorRow, FactorSpec};
use crate::pipeline::{Part, PipelineOutput, PipelineSpec};
use crate::record::RunRecord;

/// The horizons, in bars, of a run's factor tear sheet (alphalens' defaults).
pub const FACTOR_PERIODS: [usize; 3] = [1, 5, 10];

/// A finished run's results, to be written as files.
pub(crate) struct Outputs<'a, M: ModelConfig> {
    pub exp: &'a Experiment<M>,
    pub spec: &'a PipelineSpec,
    pub panel: &'a Panel,
    pub out: &'a PipelineOutput,
    pub model_name: String,
}

impl<M: ModelConfig> Outputs<'_, M> {
    /// Writes every data file into `dir`, metrics.json last.
    pub fn write_all(&self, dir: &Path) -> Result<()> {
        // one row per (date, ticker): streamed, gzip-compressed with [report] compress
        let compress = self.exp.report.compress;
        let streamed =
            |name: &str, fill: &dyn Fn(&mut dyn std::io::Write) -> std::io::Result<()>| {
                let path = dir.join(if compress { format!("{name}.gz") } else { name.to_string() });
                atomic::write_with(&path, |out| {
                    let written = if compress {
                        let mut gz =
                            flate2::write::GzEncoder::new(out, flate2::Compression::fast());
                        fill(&mut gz).and_then(|()| gz.try_finish())
                    } else {
                        fill(out)
                    };
                    written.map_err(|e| Error::io(&path, e))
                })
            };
        streamed("predictions.csv", &|out| self.write_predictions(out))?;
        atomic::write(
            &dir.join("scaler.json"),
            serde_json::to_string_pretty(&self.out.scaler)
                .map_err(|e| Error::record(dir.join("scaler.json"), e))?
                .as_bytes(),
        )?;
        let mut stress = String::from(
            "lag,cost_bps,sharpe_ratio,annual_return,annual_volatility,max_drawdown,mean_turnover,break_even_bps\n",
        );
        let num = |v: Option<f64>| v.map_or(String::new(), |x| x.to_string());
        for r in &self.out.stress {
            let s = &r.summary;
            let _ = writeln!(
                stress,
                "{},{},{},{},{},{},{},{}",
                r.lag,
                r.cost_bps,
                num(s.sharpe_ratio),
                num(s.annual_return),
                num(s.annual_volatility),
                num(s.max_drawdown),
                r.mean_turnover,
                num(r.break_even_bps)
            );
        }
        atomic::write(&dir.join("stress.csv"), stress.as_bytes())?;
        if !self.out.threshold_sweep.is_empty() {
            let mut csv = String::from(
                "threshold,sharpe_ratio,annual_return,annual_volatility,max_drawdown,mean_turnover,long_share,valid_sharpe\n",
            );
            for r in &self.out.threshold_sweep {
                let s = &r.summary;
                let _ = writeln!(
                    csv,
                    "{},{},{},{},{},{},{},{}",
                    r.threshold,
                    num(s.sharpe_ratio),
                    num(s.annual_return),
                    num(s.annual_volatility),
                    num(s.max_drawdown),
                    r.mean_turnover,
                    r.long_share,
                    num(r.valid_sharpe)
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
            let mut csv = String::from("feature,decision,hits,median_importance,rank\n");
            for (i, name) in b.names.iter().enumerate() {
                let decision = serde_json::to_value(b.decisions[i])
                    .map_err(|e| Error::record(dir.join("boruta.csv"), e))?;
                let rank = b.ranking.get(i).map_or(String::new(), usize::to_string);
                let _ = writeln!(
                    csv,
                    "{name},{},{},{},{rank}",
                    decision.as_str().unwrap_or_default(),
                    b.hits[i],
                    b.median_importance[i]
                );
            }
            atomic::write(&dir.join("boruta.csv"), csv.as_bytes())?;
        }
        if let Some(analysis) = self.factor_analysis() {
            let json = serde_json::to_string_pretty(&analysis)
                .map_err(|e| Error::record(dir.join("factor.json"), e))?;
            atomic::write(&dir.join("factor.json"), json.as_bytes())?;
        }
        atomic::write(&dir.join("equity.csv"), self.equity_csv().as_bytes())?;
        streamed("positions.csv", &|out| self.write_positions(out))?;
        // each seed's own run, beside the traded one: its returns and record
        for (seed, out) in &self.out.by_seed {
            let seed_dir = dir.join("seeds").join(format!("seed-{seed}"));
            std::fs::create_dir_all(&seed_dir).map_err(|e| Error::io(&seed_dir, e))?;
            let own = Outputs { out, model_name: self.model_name.clone(), ..*self };
            atomic::write(&seed_dir.join("equity.csv"), own.equity_csv().as_bytes())?;
            let record = RunRecord::new(
                &self.exp.name,
                &self.model_name,
                self.exp.data.adjusted,
                self.spec,
                self.panel,
                out,
                None,
            );
            atomic::write(&seed_dir.join("metrics.json"), record.to_json()?.as_bytes())?;
        }
        let record = self.record(dir)?;
        atomic::write(&dir.join("metrics.json"), record.to_json()?.as_bytes())?;
        Ok(())
    }

    /// The factor tear sheet of the test forecasts ([`FACTOR_PERIODS`] bars ahead, quintiles),
    /// for a cross-sectional forecast (none when no date can be cut into quintiles).
    fn factor_analysis(&self) -> Option<FactorAnalysis> {
        let rows: Vec<FactorRow> = self
            .out
            .predictions
            .iter()
            .filter(|p| p.part == Part::Test)
            .map(|p| FactorRow { date: p.date, ticker: p.ticker.clone(), value: p.prediction })
            .collect();
        let dates = rows.iter().map(|r| r.date).collect::<std::collections::BTreeSet<_>>().len();
        let periods: Vec<usize> = FACTOR_PERIODS.iter().copied().filter(|&p| p < dates).collect();
        if periods.is_empty() {
            return None;
        }
        let spec = FactorSpec { periods, quantiles: 5 };
        crate::factor::analyse_panel(&rows, self.panel, &spec).ok()
    }

    /// predictions.csv, streamed row by row (ten million rows with 5,000 tickers). A
    /// `next_prices` target adds each forecast and realised value in price units,
    /// (1 + r) x adj_close(t).
    fn write_predictions(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let in_prices = self.spec.dataset.target == crate::dataset::TargetKind::NextPrices;
        let bases = if in_prices {
            crate::pipeline::as_of_adj_closes(self.panel, &self.out.predictions)
        } else {
            vec![]
        };
        write!(out, "date,ticker,prediction,target,part")?;
        for (name, _) in &self.out.column_quality {
            write!(out, ",predicted_{name},{name}")?;
        }
        if in_prices {
            write!(out, ",prediction_price,target_price")?;
            for (name, _) in &self.out.column_quality {
                write!(out, ",predicted_{name}_price,{name}_price")?;
            }
        }
        writeln!(out)?;
        for (k, p) in self.out.predictions.iter().enumerate() {
            let part = match p.part {
                Part::Valid => "valid",
                Part::Test => "test",
            };
            write!(out, "{},{},{},", p.date, csv_field(&p.ticker), p.prediction)?;
            write_number(out, p.target)?;
            write!(out, ",{part}")?;
            for (predicted, realised) in &p.columns {
                write!(out, ",{predicted},")?;
                write_number(out, *realised)?;
            }
            if in_prices {
                let b = bases[k];
                let pairs =
                    std::iter::once((p.prediction, p.target)).chain(p.columns.iter().copied());
                for (predicted, realised) in pairs {
                    write!(out, ",")?;
                    write_number(out, (1.0 + predicted) * b)?;
                    write!(out, ",")?;
                    write_number(out, (1.0 + realised) * b)?;
                }
            }
            writeln!(out)?;
        }
        Ok(())
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

    /// positions.csv, streamed: the strategy's target weights on the test span, one row per
    /// decision date and held name.
    fn write_positions(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        writeln!(out, "date,ticker,weight")?;
        let first = self.out.split.valid_end + 1;
        for (t, row) in self.out.weights.iter().enumerate().skip(first) {
            for (i, w) in row.iter().enumerate() {
                if *w != 0.0 {
                    let ticker = csv_field(&self.panel.tickers()[i]);
                    writeln!(out, "{},{ticker},{w}", self.panel.dates()[t])?;
                }
            }
        }
        Ok(())
    }

    /// The run record (metrics.json), with the last fold's training summary when the model
    /// wrote one (training.json).
    fn record(&self, dir: &Path) -> Result<RunRecord> {
        let path = dir.join("training.json");
        let training = match std::fs::read(&path) {
            Ok(bytes) => Some(serde_json::from_slice(&bytes).map_err(|e| Error::record(&path, e))?),
            Err(_) => None,
        };
        Ok(RunRecord::new(
            &self.exp.name,
            &self.model_name,
            self.exp.data.adjusted,
            self.spec,
            self.panel,
            self.out,
            training,
        ))
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A finite number as Rust prints it, nothing for NaN (an empty CSV field).
fn write_number(out: &mut dyn std::io::Write, v: f64) -> std::io::Result<()> {
    if v.is_finite() {
        write!(out, "{v}")
    } else {
        Ok(())
    }
}
