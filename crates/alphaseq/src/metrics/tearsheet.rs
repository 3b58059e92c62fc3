//! The numbers of a pyfolio-style tear sheet for strategies on common dates: per strategy the
//! performance statistics (pyfolio's `perf_stats`, empyrical definitions) with mean turnover and
//! bias, cumulative returns, drawdowns, annual and monthly compounded returns, Sharpe ratio by
//! calendar year, rolling Sharpe ratio, volatility and beta over half a year of periods (pyfolio's
//! default of 6 months), and the correlation of returns across strategies (Pearson). The report
//! crate draws them; nothing here formats.

use chrono::{Datelike, NaiveDate};

use super::forecast::SignalRegression;
use super::rolling::{self, Calendar};
use super::{cum_returns, drawdown_series, ic, sharpe_ratio, PerfStats};
use crate::backtest::Trading;

/// One strategy's returns on the tear sheet's dates.
#[derive(Debug, Clone, PartialEq)]
pub struct Strategy {
    /// Display name.
    pub label: String,
    /// Returns per date (NaN where none).
    pub returns: Vec<f64>,
    /// Sum of absolute weight changes per date, when known.
    pub turnover: Option<Vec<f64>>,
    /// Realised returns on the signal, when known.
    pub regression: Option<SignalRegression>,
    /// Exposure, holding period, cost drag and break-even cost, when known (from the ledger).
    pub trading: Option<Trading>,
}

impl Strategy {
    /// A strategy known by its returns only.
    pub fn returns(label: &str, returns: Vec<f64>) -> Strategy {
        Strategy { label: label.into(), returns, turnover: None, regression: None, trading: None }
    }
}

/// Strategies on common dates (the first is the main one) and the market returns alpha and beta
/// are measured against.
#[derive(Debug, Clone, Copy)]
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

/// One strategy's statistics: a column of the performance table.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Header.
    pub label: String,
    /// The statistics.
    pub stats: PerfStats,
    /// Mean turnover.
    pub turnover: Option<f64>,
    /// Mean return per period in basis points (for strategies with turnover).
    pub bias_bps: Option<f64>,
    /// Realised returns on the signal.
    pub regression: Option<SignalRegression>,
    /// Exposure, holding period, cost drag and break-even cost.
    pub trading: Option<Trading>,
}

impl Column {
    /// A column of statistics only.
    pub fn plain(label: &str, stats: PerfStats) -> Column {
        Column {
            label: label.into(),
            stats,
            turnover: None,
            bias_bps: None,
            regression: None,
            trading: None,
        }
    }
}

/// Compounded returns per calendar month and year of one strategy.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthlyReturns {
    /// The years, in order.
    pub years: Vec<i32>,
    /// Per year: the twelve months' returns (NaN where no dates) and the year's, 13 values.
    pub values: Vec<Vec<f64>>,
}

/// A series over the dates with its name.
pub type Named = (String, Vec<f64>);

/// The mean of the finite values.
fn mean(v: &[f64]) -> Option<f64> {
    let f: Vec<f64> = v.iter().copied().filter(|x| x.is_finite()).collect();
    (!f.is_empty()).then(|| f.iter().sum::<f64>() / f.len() as f64)
}

/// `values` (on `from` dates) on each of `dates`, NaN where it has none.
pub fn align(dates: &[NaiveDate], from: &[NaiveDate], values: &[f64]) -> Vec<f64> {
    dates.iter().map(|d| from.binary_search(d).map_or(f64::NAN, |k| values[k])).collect()
}

impl TearSheet<'_> {
    /// The performance table's columns, one per strategy.
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
                trading: s.trading,
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

    fn each(&self, f: impl Fn(&[f64]) -> Vec<f64>) -> Vec<Named> {
        self.strategies.iter().map(|s| (s.label.clone(), f(&s.returns))).collect()
    }

    /// Cumulative returns of every strategy (empyrical `cum_returns`).
    pub fn cumulative(&self) -> Vec<Named> {
        self.each(cum_returns)
    }

    /// Drawdown from the running peak of every strategy.
    pub fn drawdowns(&self) -> Vec<Named> {
        self.each(drawdown_series)
    }

    /// Compounded returns per calendar year: the years, and per strategy one value per year.
    pub fn annual_returns(&self) -> (Vec<i32>, Vec<Named>) {
        let years = |r: &[f64]| rolling::aggregate(self.dates, r, Calendar::Year);
        let Some(main) = self.strategies.first() else { return (vec![], vec![]) };
        let labels = years(&main.returns).iter().map(|((y, _), _)| *y).collect();
        (labels, self.each(|r| years(r).iter().map(|(_, v)| *v).collect()))
    }

    /// The rolling window: half a year of periods.
    pub fn rolling_window(&self) -> usize {
        (self.periods_per_year / 2.0).round() as usize
    }

    fn main_and_market(&self, f: impl Fn(&[f64]) -> Vec<f64>) -> Vec<Named> {
        let Some(main) = self.strategies.first() else { return vec![] };
        let mut out = vec![(main.label.clone(), f(&main.returns))];
        if let Some((name, m)) = self.market {
            out.push((name.to_string(), f(m)));
        }
        out
    }

    /// Rolling annualised Sharpe ratio of the main strategy and the market.
    pub fn rolling_sharpe(&self) -> Vec<Named> {
        let (window, ppy) = (self.rolling_window(), self.periods_per_year);
        self.main_and_market(|r| rolling::rolling_sharpe(r, window, ppy))
    }

    /// Rolling annualised volatility of the main strategy and the market.
    pub fn rolling_volatility(&self) -> Vec<Named> {
        let (window, ppy) = (self.rolling_window(), self.periods_per_year);
        self.main_and_market(|r| rolling::rolling_volatility(r, window, ppy))
    }

    /// Rolling beta of the main strategy to the market, when there is one.
    pub fn rolling_beta(&self) -> Option<Vec<f64>> {
        let main = self.strategies.first()?;
        let (_, m) = self.market?;
        Some(rolling::rolling_beta(&main.returns, m, self.rolling_window()))
    }

    /// Pearson correlation of returns between every pair of strategies (NaN where undefined).
    pub fn correlations(&self) -> Vec<Vec<f64>> {
        let s = self.strategies;
        s.iter()
            .map(|a| {
                s.iter().map(|b| ic::pearson(&a.returns, &b.returns).unwrap_or(f64::NAN)).collect()
            })
            .collect()
    }

    /// Compounded returns per month and year of strategy `k`.
    pub fn monthly_returns(&self, k: usize) -> MonthlyReturns {
        let returns = &self.strategies[k].returns;
        let months = rolling::aggregate(self.dates, returns, Calendar::Month);
        let years = rolling::aggregate(self.dates, returns, Calendar::Year);
        let mut values = vec![vec![f64::NAN; 13]; years.len()];
        for (row, ((y, _), r)) in values.iter_mut().zip(&years) {
            row[12] = *r;
            for ((my, m), mr) in &months {
                if my == y {
                    row[*m as usize - 1] = *mr;
                }
            }
        }
        MonthlyReturns { years: years.iter().map(|((y, _), _)| *y).collect(), values }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_months_and_alignment_follow_the_calendar() {
        let dates: Vec<NaiveDate> = ["2019-12-30", "2019-12-31", "2020-01-02", "2020-02-03"]
            .iter()
            .map(|d| d.parse().unwrap())
            .collect();
        let s = [Strategy::returns("a", vec![0.1, -0.1, 0.2, 0.05])];
        let sheet =
            TearSheet { dates: &dates, strategies: &s, market: None, periods_per_year: 252.0 };
        let m = sheet.monthly_returns(0);
        assert_eq!(m.years, vec![2019, 2020]);
        assert!((m.values[0][11] - (1.1 * 0.9 - 1.0)).abs() < 1e-15);
        assert!((m.values[1][12] - (1.2 * 1.05 - 1.0)).abs() < 1e-15);
        assert!(m.values[1][2].is_nan(), "no dates in March");
        let (years, annual) = sheet.annual_returns();
        assert_eq!((years, annual[0].1.len()), (vec![2019, 2020], 2));
        assert_eq!(sheet.sharpe_by_year().len(), 2);
        let other: Vec<NaiveDate> = vec![dates[1], dates[3]];
        let aligned = align(&dates, &other, &[1.0, 2.0]);
        assert!(
            aligned[0].is_nan() && aligned[1] == 1.0 && aligned[2].is_nan() && aligned[3] == 2.0
        );
    }
}
