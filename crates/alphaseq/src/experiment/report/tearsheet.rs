//! The tear-sheet sections shared by `alphaseq tearsheet` and run reports, drawn from
//! [`crate::metrics::tearsheet`]'s numbers: the performance table (pyfolio's perf_stats with
//! empyrical definitions, plus the study's trading statistics), cumulative returns, drawdown,
//! monthly returns heatmap, annual returns, rolling Sharpe, volatility and beta, Sharpe by year
//! and the correlation of returns across strategies.

use crate::metrics::tearsheet::{Column, Named, TearSheet};
use alphaseq_report::{BarChart, Cell, Heatmap, LineChart, Section, Series, Table, XAxis};

/// The tear-sheet table, one column per strategy; trading rows only when some column has them.
pub fn performance_table(columns: &[Column]) -> Table {
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
        ("Alpha (vs market)", |c| Cell::Percent(c.stats.alpha)),
        ("Beta (vs market)", |c| Cell::Number(c.stats.beta, 2)),
        ("Periods", |c| Cell::Number(Some(c.stats.summary.periods as f64), 0)),
    ];
    let trading: [(&str, Getter); 8] = [
        ("Turnover (mean sum |dw|)", |c| Cell::Number(c.turnover, 3)),
        ("Gross exposure (mean sum |w|)", |c| Cell::Number(c.trading.map(|t| t.mean_exposure), 2)),
        ("Holding period (bars)", |c| Cell::Number(c.trading.and_then(|t| t.holding_period), 1)),
        ("Cost drag (per year)", |c| Cell::Percent(c.trading.map(|t| t.cost_drag))),
        ("Break-even cost (bps)", |c| Cell::Number(c.trading.and_then(|t| t.break_even_bps), 2)),
        ("Bias (mean return, bps)", |c| Cell::Number(c.bias_bps, 2)),
        ("R2 of returns on signal", |c| Cell::Number(c.regression.map(|r| r.r2), 4)),
        ("t-stat of returns on signal", |c| Cell::Number(c.regression.map(|r| r.t_stat), 2)),
    ];
    let has_trading = columns.iter().any(|c| c.turnover.is_some());
    let rows = rows
        .iter()
        .chain(trading.iter().filter(|_| has_trading))
        .map(|(name, get)| (name.to_string(), columns.iter().map(get).collect()))
        .collect();
    Table { title: "Performance (empyrical definitions)".into(), columns: header, rows }
}

fn series(named: Vec<Named>) -> Vec<Series> {
    named.into_iter().map(|(name, values)| Series { name, values }).collect()
}

/// Every section of `sheet`, in reading order.
pub fn sections(sheet: &TearSheet) -> Vec<Section> {
    let dates = sheet.dates.to_vec();
    let line = |title: &str, series: Vec<Series>, percent: bool| {
        Section::Chart(LineChart {
            title: title.into(),
            x: XAxis::Dates(dates.clone()),
            series,
            percent,
        })
    };
    let mut sections = vec![
        Section::Table(performance_table(&sheet.columns())),
        line("Cumulative returns", series(sheet.cumulative()), true),
        line(
            "Drawdown (underwater)",
            series(sheet.drawdowns()).into_iter().take(2).collect(),
            true,
        ),
    ];
    let Some(main) = sheet.strategies.first() else { return sections };
    sections.push(Section::Heatmap(monthly_heatmap(sheet, &main.label)));
    let (years, annual) = sheet.annual_returns();
    sections.push(Section::Bars(BarChart {
        title: "Annual returns".into(),
        categories: years.iter().map(i32::to_string).collect(),
        series: series(annual),
        percent: true,
    }));
    let window = sheet.rolling_window();
    sections.push(line(
        &format!("Rolling Sharpe ratio ({window} periods)"),
        series(sheet.rolling_sharpe()),
        false,
    ));
    sections.push(line(
        &format!("Rolling volatility ({window} periods, annualised)"),
        series(sheet.rolling_volatility()),
        true,
    ));
    if let (Some((name, _)), Some(beta)) = (sheet.market, sheet.rolling_beta()) {
        sections.push(line(
            &format!("Rolling beta to {name} ({window} periods)"),
            vec![Series { name: main.label.clone(), values: beta }],
            false,
        ));
    }
    let mut columns = vec!["year".to_string()];
    columns.extend(sheet.strategies.iter().map(|s| s.label.clone()));
    sections.push(Section::Table(Table {
        title: "Sharpe ratio by calendar year".into(),
        columns,
        rows: sheet
            .sharpe_by_year()
            .into_iter()
            .map(|(y, s)| (y.to_string(), s.into_iter().map(|v| Cell::Number(v, 2)).collect()))
            .collect(),
    }));
    if sheet.strategies.len() > 1 {
        let labels: Vec<String> = sheet.strategies.iter().map(|s| s.label.clone()).collect();
        sections.push(Section::Heatmap(Heatmap {
            title: "Correlation of returns across strategies (Pearson)".into(),
            rows: labels.iter().enumerate().map(|(k, l)| format!("{} {l}", k + 1)).collect(),
            columns: (1..=labels.len()).map(|k| k.to_string()).collect(),
            values: sheet.correlations(),
            percent: false,
            decimals: 2,
        }));
    }
    sections
}

/// Compounded returns per month of the main strategy (rows: years; columns: months and the
/// year).
fn monthly_heatmap(sheet: &TearSheet, label: &str) -> Heatmap {
    let monthly = sheet.monthly_returns(0);
    let names =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let mut columns: Vec<String> = names.iter().map(|m| m.to_string()).collect();
    columns.push("Year".into());
    Heatmap {
        title: format!("Monthly returns: {label}"),
        rows: monthly.years.iter().map(i32::to_string).collect(),
        columns,
        values: monthly.values,
        percent: true,
        decimals: 1,
    }
}

/// The tear sheet of any returns series, against a benchmark when given (`alphaseq tearsheet`,
/// Python's `alphaseq.tearsheet`): its record ([`Standalone::record`]) and report
/// ([`Standalone::report`]).
#[derive(Debug, Clone)]
pub struct Standalone {
    /// What the returns are (a file's path, a series' name): the report's title.
    pub name: String,
    /// The returns.
    pub series: crate::data::returns::ReturnSeries,
    /// The benchmark's name and its return on each of the series' dates (NaN where it has none).
    pub benchmark: Option<(String, Vec<f64>)>,
    /// Periods per year and their name (`daily`, `weekly`, `monthly`).
    pub period: (f64, &'static str),
}

impl Standalone {
    /// `series` (named `name`) against `benchmark` aligned on its dates; `period` is `daily`,
    /// `weekly` or `monthly`, or inferred from the dates when `None`.
    ///
    /// # Errors
    /// [`crate::Error::Config`] (key `period`) for another period; [`crate::Error::NotEnoughData`]
    /// for a series without returns.
    pub fn new(
        name: &str,
        series: crate::data::returns::ReturnSeries,
        benchmark: Option<(&str, &crate::data::returns::ReturnSeries)>,
        period: Option<&str>,
    ) -> crate::Result<Standalone> {
        if series.dates.is_empty() {
            return Err(crate::Error::NotEnoughData(format!("{name}: no returns")));
        }
        let period = match period.map(str::to_lowercase).as_deref() {
            Some("daily") => (252.0, "daily"),
            Some("weekly") => (52.0, "weekly"),
            Some("monthly") => (12.0, "monthly"),
            Some(other) => {
                return Err(crate::Error::config(
                    "period",
                    format!("{other:?}: use daily, weekly or monthly"),
                ))
            }
            None => {
                let inferred = crate::data::Frequency::infer(&series.dates);
                (inferred.periods_per_year(), inferred.name())
            }
        };
        let benchmark = benchmark.map(|(n, b)| {
            (n.to_string(), crate::metrics::tearsheet::align(&series.dates, &b.dates, &b.returns))
        });
        Ok(Standalone { name: name.to_string(), series, benchmark, period })
    }

    /// pyfolio's performance statistics of the series and of the benchmark.
    pub fn stats(&self) -> (crate::metrics::PerfStats, Option<crate::metrics::PerfStats>) {
        use crate::metrics::PerfStats;
        let ppy = self.period.0;
        let bench = self.benchmark.as_ref().map(|(_, b)| b.as_slice());
        (
            PerfStats::of(&self.series.returns, bench, ppy),
            bench.map(|b| PerfStats::of(b, None, ppy)),
        )
    }

    /// The record: statistics (empyrical definitions), the Sharpe ratio's significance and
    /// Sharpe by year, with the conventions.
    pub fn record(&self) -> serde_json::Value {
        use crate::metrics::significance::SharpeSignificance;
        use crate::metrics::tearsheet::Strategy;
        let (ppy, period) = self.period;
        let (stats, bench_stats) = self.stats();
        let dates = &self.series.dates;
        let main = [Strategy::returns("returns", self.series.returns.clone())];
        let sheet = TearSheet { dates, strategies: &main, market: None, periods_per_year: ppy };
        let by_year: Vec<serde_json::Value> = sheet
            .sharpe_by_year()
            .into_iter()
            .map(|(y, s)| serde_json::json!({"year": y, "sharpe_ratio": s[0]}))
            .collect();
        serde_json::json!({
            "returns": self.name,
            "first_date": dates[0].to_string(),
            "last_date": dates[dates.len() - 1].to_string(),
            "period": period,
            "periods_per_year": ppy,
            "strategy": stats,
            "benchmark": bench_stats,
            "significance": SharpeSignificance::of(&self.series.returns, ppy),
            "sharpe_by_year": by_year,
            "conventions": "empyrical (empyrical-reloaded) definitions as pyfolio's perf_stats; skew and kurtosis as scipy; alpha and beta against the benchmark on the strategy's dates",
        })
    }

    /// The report: the tear-sheet sections and "How much to believe this".
    pub fn report(&self) -> alphaseq_report::Report {
        use crate::metrics::tearsheet::Strategy;
        let (ppy, period) = self.period;
        let mut strategies = vec![Strategy::returns("returns", self.series.returns.clone())];
        if let Some((name, b)) = &self.benchmark {
            strategies.push(Strategy::returns(name, b.clone()));
        }
        let dates = &self.series.dates;
        let sheet = TearSheet {
            dates,
            strategies: &strategies,
            market: self.benchmark.as_ref().map(|(n, b)| (n.as_str(), b.as_slice())),
            periods_per_year: ppy,
        };
        let mut sections = self::sections(&sheet);
        sections.push(Section::Heading("How much to believe this".into()));
        sections.extend(super::believe::sections(&sheet, &super::believe::Evidence::default()));
        alphaseq_report::Report {
            title: format!("Tear sheet: {}", self.name),
            facts: vec![
                (
                    "returns".into(),
                    format!(
                        "{} .. {}, {} {period} periods",
                        dates[0],
                        dates[dates.len() - 1],
                        dates.len()
                    ),
                ),
                (
                    "conventions".into(),
                    "empyrical definitions (pyfolio perf_stats); skew, kurtosis as scipy".into(),
                ),
            ],
            sections,
        }
    }
}
