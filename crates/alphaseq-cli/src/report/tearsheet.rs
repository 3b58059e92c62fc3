//! The tear-sheet sections shared by `alphaseq tearsheet` and run reports: the performance table
//! (pyfolio's perf_stats with empyrical definitions, plus the study's trading statistics),
//! cumulative returns, drawdown, monthly returns heatmap, annual returns, rolling Sharpe,
//! volatility and beta, Sharpe by year and the correlation of returns across strategies.

use alphaseq::metrics::forecast::SignalRegression;
use alphaseq::metrics::rolling::{self, Calendar};
use alphaseq::metrics::{cum_returns, drawdown_series, ic, sharpe_ratio, PerfStats};
use alphaseq_report::{BarChart, Cell, Heatmap, LineChart, Section, Series, Table, XAxis};
use chrono::{Datelike, NaiveDate};

/// One strategy's returns on the tear sheet's dates.
pub struct Strategy {
    /// Display name.
    pub label: String,
    /// Returns per date (NaN where none).
    pub returns: Vec<f64>,
    /// Sum of absolute weight changes per date, when known.
    pub turnover: Option<Vec<f64>>,
    /// Realised returns on the signal, when known.
    pub regression: Option<SignalRegression>,
}

/// What the tear sheet shows: strategies on common dates (the first is the main one) and the
/// market returns alpha and beta are measured against.
pub struct TearSheet<'a> {
    /// Dates of the returns.
    pub dates: &'a [NaiveDate],
    /// The strategies.
    pub strategies: &'a [Strategy],
    /// Market returns for alpha and beta, and its name.
    pub market: Option<(&'a str, &'a [f64])>,
    /// 252 daily, 52 weekly, 12 monthly.
    pub periods_per_year: f64,
}

fn mean(v: &[f64]) -> Option<f64> {
    let f: Vec<f64> = v.iter().copied().filter(|x| x.is_finite()).collect();
    (!f.is_empty()).then(|| f.iter().sum::<f64>() / f.len() as f64)
}

/// One column of the performance table.
pub struct Column {
    /// Header.
    pub label: String,
    /// The statistics.
    pub stats: PerfStats,
    /// Mean turnover.
    pub turnover: Option<f64>,
    /// Mean return per period in basis points.
    pub bias_bps: Option<f64>,
    /// Realised returns on the signal.
    pub regression: Option<SignalRegression>,
}

impl Column {
    /// A column of statistics only.
    pub fn plain(label: &str, stats: PerfStats) -> Column {
        Column { label: label.into(), stats, turnover: None, bias_bps: None, regression: None }
    }
}

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
    let trading: [(&str, Getter); 4] = [
        ("Turnover (mean sum |dw|)", |c| Cell::Number(c.turnover, 3)),
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

impl TearSheet<'_> {
    /// The performance table's columns.
    pub fn columns(&self) -> Vec<Column> {
        let market = self.market.map(|(_, m)| m);
        self.strategies
            .iter()
            .map(|s| Column {
                label: s.label.clone(),
                stats: PerfStats::of(&s.returns, market, self.periods_per_year),
                turnover: s.turnover.as_deref().and_then(mean),
                bias_bps: s.turnover.as_ref().and(mean(&s.returns)).map(|m| m * 1e4),
                regression: s.regression,
            })
            .collect()
    }

    /// Sharpe ratio per calendar year of each strategy: `(year, [sharpe per strategy])`.
    pub fn sharpe_by_year(&self) -> Vec<(i32, Vec<Option<f64>>)> {
        let mut out = vec![];
        let mut start = 0;
        while start < self.dates.len() {
            let year = self.dates[start].year();
            let len = self.dates[start..].iter().take_while(|d| d.year() == year).count();
            let sharpe = self
                .strategies
                .iter()
                .map(|s| sharpe_ratio(&s.returns[start..start + len], 0.0, self.periods_per_year))
                .collect();
            out.push((year, sharpe));
            start += len;
        }
        out
    }

    /// Every section, in reading order.
    pub fn sections(&self) -> Vec<Section> {
        let dates = self.dates.to_vec();
        let all = |f: &dyn Fn(&[f64]) -> Vec<f64>| -> Vec<Series> {
            self.strategies
                .iter()
                .map(|s| Series { name: s.label.clone(), values: f(&s.returns) })
                .collect()
        };
        let line = |title: &str, series: Vec<Series>, percent: bool| {
            Section::Chart(LineChart {
                title: title.into(),
                x: XAxis::Dates(dates.clone()),
                series,
                percent,
            })
        };
        let mut sections = vec![
            Section::Table(performance_table(&self.columns())),
            line("Cumulative returns", all(&|r| cum_returns(r)), true),
            line(
                "Drawdown (underwater)",
                all(&|r| drawdown_series(r)).into_iter().take(2).collect(),
                true,
            ),
        ];
        let Some(main) = self.strategies.first() else { return sections };
        sections.push(Section::Heatmap(self.monthly_heatmap(main)));
        let years = rolling::aggregate(self.dates, &main.returns, Calendar::Year);
        sections.push(Section::Bars(BarChart {
            title: "Annual returns".into(),
            categories: years.iter().map(|((y, _), _)| y.to_string()).collect(),
            series: self
                .strategies
                .iter()
                .map(|s| Series {
                    name: s.label.clone(),
                    values: rolling::aggregate(self.dates, &s.returns, Calendar::Year)
                        .iter()
                        .map(|(_, r)| *r)
                        .collect(),
                })
                .collect(),
            percent: true,
        }));
        let window = (self.periods_per_year / 2.0).round() as usize;
        let ppy = self.periods_per_year;
        let main_and_market = |f: &dyn Fn(&[f64]) -> Vec<f64>| {
            let mut v = vec![Series { name: main.label.clone(), values: f(&main.returns) }];
            if let Some((name, m)) = self.market {
                v.push(Series { name: name.to_string(), values: f(m) });
            }
            v
        };
        sections.push(line(
            &format!("Rolling Sharpe ratio ({window} periods)"),
            main_and_market(&|r| rolling::rolling_sharpe(r, window, ppy)),
            false,
        ));
        sections.push(line(
            &format!("Rolling volatility ({window} periods, annualised)"),
            main_and_market(&|r| rolling::rolling_volatility(r, window, ppy)),
            true,
        ));
        if let Some((name, m)) = self.market {
            sections.push(line(
                &format!("Rolling beta to {name} ({window} periods)"),
                vec![Series {
                    name: main.label.clone(),
                    values: rolling::rolling_beta(&main.returns, m, window),
                }],
                false,
            ));
        }
        let mut columns = vec!["year".to_string()];
        columns.extend(self.strategies.iter().map(|s| s.label.clone()));
        sections.push(Section::Table(Table {
            title: "Sharpe ratio by calendar year".into(),
            columns,
            rows: self
                .sharpe_by_year()
                .into_iter()
                .map(|(y, s)| (y.to_string(), s.into_iter().map(|v| Cell::Number(v, 2)).collect()))
                .collect(),
        }));
        if self.strategies.len() > 1 {
            let labels: Vec<String> = self.strategies.iter().map(|s| s.label.clone()).collect();
            let values = self
                .strategies
                .iter()
                .map(|a| {
                    self.strategies
                        .iter()
                        .map(|b| ic::pearson(&a.returns, &b.returns).unwrap_or(f64::NAN))
                        .collect()
                })
                .collect();
            sections.push(Section::Heatmap(Heatmap {
                title: "Correlation of returns across strategies (Pearson)".into(),
                rows: labels.iter().enumerate().map(|(k, l)| format!("{} {l}", k + 1)).collect(),
                columns: (1..=labels.len()).map(|k| k.to_string()).collect(),
                values,
                percent: false,
                decimals: 2,
            }));
        }
        sections
    }

    /// Compounded returns per month (rows: years; columns: months and the year).
    fn monthly_heatmap(&self, s: &Strategy) -> Heatmap {
        let months = rolling::aggregate(self.dates, &s.returns, Calendar::Month);
        let years = rolling::aggregate(self.dates, &s.returns, Calendar::Year);
        let names =
            ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
        let mut columns: Vec<String> = names.iter().map(|m| m.to_string()).collect();
        columns.push("Year".into());
        let rows: Vec<String> = years.iter().map(|((y, _), _)| y.to_string()).collect();
        let mut values = vec![vec![f64::NAN; 13]; years.len()];
        for (k, ((y, _), r)) in years.iter().enumerate() {
            values[k][12] = *r;
            for ((my, m), mr) in &months {
                if my == y {
                    values[k][*m as usize - 1] = *mr;
                }
            }
        }
        Heatmap {
            title: format!("Monthly returns: {}", s.label),
            rows,
            columns,
            values,
            percent: true,
            decimals: 1,
        }
    }
}
