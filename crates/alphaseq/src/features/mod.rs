//! Features: per ticker and date, computed from the adjusted close using only data up to that
//! date. A [`FeatureMatrix`] stores, for every ticker, a dates x features block (row-major), NaN
//! where a feature is not yet defined (warm-up) or an input is missing.
//!
//! Depends on [`crate::data`] only.

pub mod indicators;

use serde::{Deserialize, Serialize};

use crate::data::{Bars, Panel, ReturnKind};
use crate::error::{Error, Result};

/// Which features to compute.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FeatureSpec {
    /// Horizons h (in bars) of the trailing simple returns `ret_h = p(t) / p(t-h) - 1`.
    pub returns: Vec<usize>,
    /// Windows w (in bars) of the rolling volatility `vol_w`: the sample standard deviation
    /// (ddof = 1, as pandas `rolling(w).std()`) of the last w one-bar simple returns.
    pub volatility: Vec<usize>,
    /// Technical indicators from the catalogue (`alphaseq features list`) with pandas-ta's default
    /// parameters: `all`, families (`momentum`) or pandas-ta function names (`rsi`, `macd`).
    /// Computed on split- and dividend-adjusted OHLC (volume raw) over each ticker's own span, as
    /// a pandas-ta user runs them on one ticker's frame. Columns that are NaN by design wherever
    /// they do not apply (the long and short sides of PSAR, SUPERTREND, HILO, QQE) are left out;
    /// their combined columns stay.
    pub indicators: Vec<String>,
}

impl Default for FeatureSpec {
    fn default() -> Self {
        FeatureSpec { returns: vec![1, 5, 21, 63], volatility: vec![21], indicators: vec![] }
    }
}

impl FeatureSpec {
    /// Column names, in matrix order.
    pub fn names(&self) -> Vec<String> {
        let r = self.returns.iter().map(|h| format!("ret_{h}"));
        let mut names: Vec<String> =
            r.chain(self.volatility.iter().map(|w| format!("vol_{w}"))).collect();
        for ind in indicators::select(&self.indicators).unwrap_or_default() {
            let kept = ind.columns().into_iter().zip(ind.intermittent());
            names.extend(kept.filter(|(_, sometimes)| !sometimes).map(|(c, _)| c));
        }
        names
    }

    /// Checks horizons and windows.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming the bad entry.
    pub fn validate(&self) -> Result<()> {
        if self.returns.is_empty() && self.volatility.is_empty() && self.indicators.is_empty() {
            return Err(Error::Invalid(
                "features: choose at least one of returns, volatility, indicators".into(),
            ));
        }
        indicators::select(&self.indicators)?;
        if let Some(h) = self.returns.iter().find(|&&h| h == 0) {
            return Err(Error::Invalid(format!(
                "features.returns: horizon {h} must be at least 1"
            )));
        }
        if let Some(w) = self.volatility.iter().find(|&&w| w < 2) {
            return Err(Error::Invalid(format!(
                "features.volatility: window {w} must be at least 2"
            )));
        }
        Ok(())
    }

    /// Bars of history needed before every feature is defined.
    pub fn warm_up(&self) -> usize {
        let r = self.returns.iter().copied().max().unwrap_or(0);
        let v = self.volatility.iter().copied().max().unwrap_or(0);
        let selected = indicators::select(&self.indicators).unwrap_or_default();
        let i = selected.iter().map(|i| i.warm_up()).max().unwrap_or(0);
        r.max(v).max(i)
    }
}

/// The selected indicators' kept columns for one ticker: computed on its adjusted OHLC from its
/// first to its last bar with a close (missing bars inside stay NaN), NaN outside that span.
fn indicator_columns(
    bars: &Bars,
    dates: &[chrono::NaiveDate],
    selected: &[Box<dyn indicators::Indicator>],
) -> Vec<Vec<f64>> {
    let n = dates.len();
    let first = bars.adj_close.iter().position(|v| !v.is_nan());
    let last = bars.adj_close.iter().rposition(|v| !v.is_nan());
    let (Some(first), Some(last)) = (first, last) else {
        let width: usize =
            selected.iter().map(|i| i.intermittent().iter().filter(|s| !**s).count()).sum();
        return vec![vec![f64::NAN; n]; width];
    };
    let span = first..last + 1;
    let factor: Vec<f64> = span.clone().map(|t| bars.adj_close[t] / bars.close[t]).collect();
    let adjust = |x: &[f64]| -> Vec<f64> {
        x[span.clone()].iter().zip(&factor).map(|(v, f)| v * f).collect()
    };
    let (open, high, low) = (adjust(&bars.open), adjust(&bars.high), adjust(&bars.low));
    let close = bars.adj_close[span.clone()].to_vec();
    let x = indicators::Ohlcv {
        open: &open,
        high: &high,
        low: &low,
        close: &close,
        volume: &bars.volume[span.clone()],
        dates: &dates[span.clone()],
    };
    let mut out = vec![];
    for ind in selected {
        for (values, sometimes) in ind.compute(&x).into_iter().zip(ind.intermittent()) {
            if sometimes {
                continue;
            }
            let mut column = vec![f64::NAN; n];
            column[span.clone()].copy_from_slice(&values);
            out.push(column);
        }
    }
    out
}

/// Features of every ticker on every date of a panel.
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureMatrix {
    names: Vec<String>,
    n_dates: usize,
    blocks: Vec<Vec<f64>>,
}

impl FeatureMatrix {
    /// Computes `spec` on the adjusted close of every ticker of `panel`.
    ///
    /// # Errors
    /// [`Error::Invalid`] if the spec is invalid.
    pub fn compute(panel: &Panel, spec: &FeatureSpec) -> Result<FeatureMatrix> {
        spec.validate()?;
        let names = spec.names();
        let n_dates = panel.dates().len();
        let selected = indicators::select(&spec.indicators)?;
        let blocks = panel
            .all_bars()
            .iter()
            .map(|bars| {
                let p = &bars.adj_close;
                let r1 = bars.returns(ReturnKind::Simple);
                let mut columns: Vec<Vec<f64>> =
                    spec.returns.iter().map(|&h| trailing_return(p, h)).collect();
                columns.extend(spec.volatility.iter().map(|&w| rolling_std(&r1, w)));
                columns.extend(indicator_columns(bars, panel.dates(), &selected));
                interleave(&columns, n_dates)
            })
            .collect();
        Ok(FeatureMatrix { names, n_dates, blocks })
    }

    /// A matrix from per-ticker row-major blocks of `n_dates x names.len()` values.
    ///
    /// # Errors
    /// [`Error::Invalid`] if a block has the wrong length.
    pub fn from_blocks(
        names: Vec<String>,
        n_dates: usize,
        blocks: Vec<Vec<f64>>,
    ) -> Result<FeatureMatrix> {
        if blocks.iter().any(|b| b.len() != n_dates * names.len()) {
            return Err(Error::Invalid("feature block length must be dates x features".into()));
        }
        Ok(FeatureMatrix { names, n_dates, blocks })
    }

    /// Feature names.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Number of features.
    pub fn n_features(&self) -> usize {
        self.names.len()
    }

    /// Number of dates.
    pub fn n_dates(&self) -> usize {
        self.n_dates
    }

    /// Number of tickers.
    pub fn n_tickers(&self) -> usize {
        self.blocks.len()
    }

    /// The features of `ticker` at date index `t`.
    pub fn row(&self, ticker: usize, t: usize) -> &[f64] {
        let k = self.names.len();
        &self.blocks[ticker][t * k..(t + 1) * k]
    }

    /// True if every feature of `ticker` at `t` is finite.
    pub fn row_is_finite(&self, ticker: usize, t: usize) -> bool {
        self.row(ticker, t).iter().all(|v| v.is_finite())
    }
}

fn interleave(columns: &[Vec<f64>], n: usize) -> Vec<f64> {
    let k = columns.len();
    let mut out = vec![f64::NAN; n * k];
    for (j, col) in columns.iter().enumerate() {
        for (t, v) in col.iter().enumerate() {
            out[t * k + j] = *v;
        }
    }
    out
}

/// `p(t) / p(t-h) - 1`; NaN for the first h bars or when either price is missing.
pub fn trailing_return(p: &[f64], h: usize) -> Vec<f64> {
    (0..p.len()).map(|t| if t < h { f64::NAN } else { p[t] / p[t - h] - 1.0 }).collect()
}

/// Rolling sample standard deviation (ddof = 1) over `w` values ending at t; NaN unless all w
/// values are finite (pandas `rolling(w).std()` with the default `min_periods = w`).
pub fn rolling_std(x: &[f64], w: usize) -> Vec<f64> {
    let mut out = vec![f64::NAN; x.len()];
    for t in w.saturating_sub(1)..x.len() {
        let window = &x[t + 1 - w..=t];
        if window.iter().all(|v| v.is_finite()) {
            let mean = window.iter().sum::<f64>() / w as f64;
            let ss: f64 = window.iter().map(|v| (v - mean) * (v - mean)).sum();
            out[t] = (ss / (w - 1) as f64).sqrt();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_returns_and_rolling_std_match_pandas() {
        let p = [100.0, 110.0, 99.0, 108.9, f64::NAN, 120.0];
        let r = trailing_return(&p, 2);
        assert!(r[0].is_nan() && r[1].is_nan());
        assert!((r[2] - (-0.01)).abs() < 1e-12);
        assert!(r[4].is_nan(), "missing price at t");
        assert!(
            (r[5] - (120.0 / 108.9 - 1.0)).abs() < 1e-15,
            "a gap at t-1 does not matter for h = 2"
        );
        // pandas: pd.Series([1., 2, 4, 7]).rolling(3).std() -> [nan, nan, 1.5275252316519465, 2.5166114784235836]
        let s = rolling_std(&[1.0, 2.0, 4.0, 7.0], 3);
        assert!(s[1].is_nan());
        assert!((s[2] - 1.5275252316519465).abs() < 1e-12);
        assert!((s[3] - 2.5166114784235836).abs() < 1e-12);
    }

    #[test]
    fn spec_validation_names_the_bad_entry() {
        let bad = FeatureSpec { returns: vec![5, 0], volatility: vec![], indicators: vec![] };
        assert!(bad.validate().unwrap_err().to_string().contains("horizon 0"));
        assert_eq!(
            FeatureSpec::default().names(),
            ["ret_1", "ret_5", "ret_21", "ret_63", "vol_21"]
        );
        assert_eq!(FeatureSpec::default().warm_up(), 63);
    }
}
