//! The factor tear sheet's sections ([`crate::metrics::factor`], alphalens-reloaded's
//! definitions), shared by `alphaseq factor` and run reports: the returns, information and
//! turnover tables, IC decay, the monthly mean-IC heatmap, IC by sector, mean returns by quantile,
//! cumulative returns of the quantiles and of the factor-weighted portfolio, the top-minus-bottom
//! spread with its standard-error band, the rank autocorrelation, the quantile statistics and
//! what was dropped.

use alphaseq_report::{BarChart, Cell, Heatmap, LineChart, Section, Series, Table, XAxis};

use crate::metrics::factor::{FactorAnalysis, IcTable};

fn label(p: usize) -> String {
    format!("{p}D")
}

fn opt(v: &[Option<f64>]) -> Vec<f64> {
    v.iter().map(|x| x.unwrap_or(f64::NAN)).collect()
}

/// Compounds returns from 1, a missing return counting as 0 (empyrical `cum_returns`).
fn wealth(r: &[Option<f64>]) -> Vec<f64> {
    let mut w = 1.0;
    r.iter()
        .map(|x| {
            w *= 1.0 + x.unwrap_or(0.0);
            w - 1.0
        })
        .collect()
}

fn ic_table(title: &str, periods: &[usize], tables: &[IcTable]) -> Table {
    type Getter = fn(&IcTable) -> Cell;
    let rows: [(&str, Getter); 8] = [
        ("IC Mean", |t| Cell::Number(t.mean, 4)),
        ("IC Std.", |t| Cell::Number(t.std, 4)),
        ("Risk-Adjusted IC", |t| Cell::Number(t.risk_adjusted, 3)),
        ("t-stat(IC)", |t| Cell::Number(t.t_stat, 2)),
        ("p-value(IC)", |t| Cell::Number(t.p_value, 3)),
        ("IC Skew", |t| Cell::Number(t.skew, 3)),
        ("IC Kurtosis", |t| Cell::Number(t.kurtosis, 3)),
        ("Dates", |t| Cell::Number(Some(t.dates as f64), 0)),
    ];
    let mut columns = vec!["statistic".to_string()];
    columns.extend(periods.iter().map(|&p| label(p)));
    Table {
        title: title.into(),
        columns,
        rows: rows
            .iter()
            .map(|(name, get)| (name.to_string(), tables.iter().map(get).collect()))
            .collect(),
    }
}

/// The report of a tear sheet of its own (`alphaseq factor --out`, Python's `alphaseq.factor`):
/// `name` says what the factor is.
pub fn report(name: &str, a: &FactorAnalysis) -> alphaseq_report::Report {
    let span = match (a.dates.first(), a.dates.last()) {
        (Some(first), Some(last)) => format!("{first} .. {last}, {} dates", a.dates.len()),
        _ => "no dates".into(),
    };
    alphaseq_report::Report {
        title: format!("Factor tear sheet: {name}"),
        facts: vec![
            ("factor".into(), name.to_string()),
            ("span".into(), span),
            ("conventions".into(), "alphalens-reloaded 0.5 (create_full_tear_sheet, long_short=True, group_neutral=False); IC as scipy spearmanr".into()),
        ],
        sections: sections(a),
    }
}

/// Every section of the factor tear sheet, in reading order.
pub fn sections(a: &FactorAnalysis) -> Vec<Section> {
    let periods = &a.periods;
    let mut columns = vec!["".to_string()];
    columns.extend(periods.iter().map(|&p| label(p)));
    let per = |f: &dyn Fn(usize) -> Cell| periods.iter().enumerate().map(|(j, _)| f(j)).collect();
    let q = a.quantiles;
    let returns = Table {
        title: "Returns analysis (alphalens: demeaned, per base period; the spread is (top - bottom) / 2)".into(),
        columns: columns.clone(),
        rows: vec![
            ("Ann. alpha".into(), per(&|j| Cell::Percent(a.returns[j].alpha))),
            ("beta".into(), per(&|j| Cell::Number(a.returns[j].beta, 3))),
            ("Mean period-wise return, top quantile (bps)".into(), per(&|j| Cell::Number(a.returns[j].top_bps, 3))),
            ("Mean period-wise return, bottom quantile (bps)".into(), per(&|j| Cell::Number(a.returns[j].bottom_bps, 3))),
            ("Mean period-wise spread (bps)".into(), per(&|j| Cell::Number(a.returns[j].spread_bps, 3))),
        ],
    };
    let mut out = vec![
        Section::Notes {
            title: "The factor and its clean-up".into(),
            lines: vec![
                format!(
                    "{} values over {} dates, {} quantiles, forward returns over {} bars.",
                    a.rows_used,
                    a.dates.len(),
                    q,
                    periods.iter().map(|p| p.to_string()).collect::<Vec<_>>().join(", ")
                ),
                format!(
                    "Dropped {:.1}% of the {} rows given: {:.1}% with no value, an unknown date or ticker, or a forward return past the prices ({}), and {:.1}% on dates whose values could not be cut into {q} quantiles ({}).",
                    100.0 * (a.rows_in - a.rows_used) as f64 / a.rows_in.max(1) as f64,
                    a.rows_in,
                    100.0 * a.dropped_forward as f64 / a.rows_in.max(1) as f64,
                    a.dropped_forward,
                    100.0 * a.dropped_binning as f64 / a.rows_in.max(1) as f64,
                    a.dropped_binning
                ),
            ],
        },
        Section::Table(returns),
        Section::Bars(BarChart {
            title: "Mean return by factor quantile (demeaned, per base period)".into(),
            categories: (1..=q).map(|b| b.to_string()).collect(),
            series: periods
                .iter()
                .enumerate()
                .map(|(j, &p)| Series { name: label(p), values: opt(&a.mean_return_by_quantile[j]) })
                .collect(),
            percent: true,
        }),
    ];
    if let Some(first) = periods.first() {
        let dates = XAxis::Dates(a.dates.clone());
        out.push(Section::Chart(LineChart {
            title: format!(
                "Factor-weighted long/short portfolio: cumulative return ({})",
                label(*first)
            ),
            x: dates.clone(),
            series: vec![Series {
                name: "factor-weighted".into(),
                values: wealth(&a.factor_returns[0]),
            }],
            percent: true,
        }));
        out.push(Section::Chart(LineChart {
            title: format!("Cumulative return by quantile ({}, demeaned)", label(*first)),
            x: dates.clone(),
            series: a
                .quantile_returns_by_date
                .iter()
                .enumerate()
                .map(|(b, r)| Series { name: format!("quantile {}", b + 1), values: wealth(r) })
                .collect(),
            percent: true,
        }));
        for (j, &p) in periods.iter().enumerate() {
            let s = opt(&a.spread_by_date[j]);
            let se = opt(&a.spread_se_by_date[j]);
            out.push(Section::Chart(LineChart {
                title: format!("Top minus bottom quantile ({}, halved, per base period) with one standard error either side", label(p)),
                x: dates.clone(),
                series: vec![
                    Series { name: "spread".into(), values: s.clone() },
                    Series { name: "+1 se".into(), values: s.iter().zip(&se).map(|(a, b)| a + b).collect() },
                    Series { name: "-1 se".into(), values: s.iter().zip(&se).map(|(a, b)| a - b).collect() },
                ],
                percent: true,
            }));
        }
    }
    out.push(Section::Table(ic_table(
        "Information analysis (Spearman IC per date; alphalens' table)",
        periods,
        &a.information,
    )));
    out.push(Section::Bars(BarChart {
        title: "IC decay: mean IC by horizon".into(),
        categories: periods.iter().map(|&p| label(p)).collect(),
        series: vec![Series {
            name: "IC mean".into(),
            values: a.information.iter().map(|t| t.mean.unwrap_or(f64::NAN)).collect(),
        }],
        percent: false,
    }));
    if let Some(neutral) = &a.sector_neutral {
        out.push(Section::Table(ic_table(
            "Sector-neutral information analysis (forward returns less their sector's mean)",
            periods,
            neutral,
        )));
    }
    if !a.ic_by_group.is_empty() {
        out.push(Section::Table(Table {
            title: "Mean IC by sector".into(),
            columns: columns.clone(),
            rows: a
                .ic_by_group
                .iter()
                .map(|(g, v)| (g.clone(), v.iter().map(|x| Cell::Number(*x, 4)).collect()))
                .collect(),
        }));
    }
    // monthly mean IC of the first horizon as years x months
    if let (Some(first), Some(&(y0, _)), Some(&(y1, _))) =
        (periods.first(), a.months.first(), a.months.last())
    {
        let years: Vec<i32> = (y0..=y1).collect();
        let mut values = vec![vec![f64::NAN; 12]; years.len()];
        for (k, &(y, m)) in a.months.iter().enumerate() {
            values[(y - y0) as usize][m as usize - 1] = a.monthly_ic[0][k].unwrap_or(f64::NAN);
        }
        out.push(Section::Heatmap(Heatmap {
            title: format!("Monthly mean IC ({})", label(*first)),
            rows: years.iter().map(i32::to_string).collect(),
            columns: [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ]
            .iter()
            .map(|m| m.to_string())
            .collect(),
            values,
            percent: false,
            decimals: 3,
        }));
    }
    let mut rows: Vec<(String, Vec<Cell>)> = (0..q)
        .map(|b| {
            (
                format!("Quantile {} mean turnover", b + 1),
                per(&|j| Cell::Number(a.turnover[j][b], 3)),
            )
        })
        .collect();
    rows.push((
        "Mean factor rank autocorrelation".into(),
        per(&|j| Cell::Number(a.rank_autocorrelation[j], 3)),
    ));
    out.push(Section::Table(Table {
        title: "Turnover analysis (over the horizon's number of dates)".into(),
        columns: columns.clone(),
        rows,
    }));
    out.push(Section::Chart(LineChart {
        title: "Factor rank autocorrelation".into(),
        x: XAxis::Dates(a.dates.clone()),
        series: periods
            .iter()
            .enumerate()
            .map(|(j, &p)| Series {
                name: label(p),
                values: opt(&a.rank_autocorrelation_by_date[j]),
            })
            .collect(),
        percent: false,
    }));
    out.push(Section::Table(Table {
        title: "Quantile statistics of the factor".into(),
        columns: ["quantile", "min", "max", "mean", "std", "count", "count %"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        rows: a
            .quantile_statistics
            .iter()
            .enumerate()
            .map(|(b, s)| {
                (
                    (b + 1).to_string(),
                    vec![
                        Cell::Number(Some(s.min), 4),
                        Cell::Number(Some(s.max), 4),
                        Cell::Number(Some(s.mean), 4),
                        Cell::Number(s.std, 4),
                        Cell::Number(Some(s.count as f64), 0),
                        Cell::Number(Some(s.count_pct), 2),
                    ],
                )
            })
            .collect(),
    }));
    out
}
