//! Features: per ticker and date, computed from the adjusted prices using only data up to that
//! date. A [`FeatureMatrix`] stores, for every ticker, a dates x features block (row-major), NaN
//! where a feature is not yet defined (warm-up) or an input is missing, and says of each column
//! whether it is a quantity (scaled before a model sees it) or a calendar or identity input (not).
//!
//! Depends on [`crate::data`] only.

pub mod calendar;
pub mod export;
pub mod indicators;
pub mod momentum;

use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub use calendar::{CalendarFeature, IdentityFeature};
pub use momentum::MomentumSpec;

use crate::data::{Bars, OwnCalendar, Panel, ReturnKind};
use crate::error::{Error, Result};
pub use indicators::{Convention, LookAhead};

/// Which features to compute.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FeatureSpec {
    /// Horizons h (in bars) of the trailing simple returns `ret_h = p(t) / p(t-h) - 1`.
    pub returns: Vec<usize>,
    /// Windows w (in bars) of the rolling volatility `vol_w`: the sample standard deviation
    /// (ddof = 1, as pandas `rolling(w).std()`) of the last w one-bar simple returns.
    pub volatility: Vec<usize>,
    /// The bar's own values as features (levels, scaled like any numeric column): `open`,
    /// `high`, `low`, `close`, `adj_close`, `volume` (0 where the source has no volume, as Yahoo
    /// writes it for currencies). With `data.adjusted = true` OHLC are already adjusted.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub prices: Vec<BarField>,
    /// Technical indicators from the catalogue (`alphaseq features list`): `all`, families
    /// (`momentum`) or pandas-ta function names (`rsi`, `macd`) with pandas-ta's default
    /// parameters, or one indicator with its own (`{ kind = "rsi", length = 21 }`).
    /// Computed on the OHLC `indicator_prices` names (volume raw) over each ticker's own span,
    /// as a pandas-ta user runs them on one ticker's frame. Columns that are NaN by design
    /// wherever they do not apply (the long and short sides of PSAR, SUPERTREND, HILO, QQE) are
    /// 0 there (NaN where neither side is defined).
    pub indicators: Vec<indicators::Choice>,
    /// Indicators or families that `all` and the families leave out (pandas-ta's
    /// `study("All", exclude=[...])`), e.g. to put a configured variant in a default's place.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub exclude_indicators: Vec<String>,
    /// Whether indicators that read the future (pandas-ta's centred DPO, the chikou span, ZIGZAG,
    /// TOS_STDEVALL, VHM: `alphaseq features list` shows them) may be chosen: `"refuse"` (the
    /// default) or `"allow"`, to reproduce a study that used them. An allowed one is named in
    /// run.log, metrics.json (`look_ahead`) and the report: its results are not achievable.
    #[serde(skip_serializing_if = "LookAhead::is_refused")]
    pub look_ahead: LookAhead,
    /// Whose values the indicators give: `"pandas_ta"` (pandas-ta's pure-pandas path, the
    /// default) or `"talib"` (what pandas-ta gives with TA-Lib installed); an indicator's own
    /// `convention` parameter overrides it.
    #[serde(skip_serializing_if = "Convention::is_pandas_ta")]
    pub convention: Convention,
    /// The prices indicators are computed on: split- and dividend-adjusted OHLC (the default) or
    /// the raw prices as the source wrote them (which needs `data.adjusted = false`).
    #[serde(skip_serializing_if = "IndicatorPrices::is_adjusted")]
    pub indicator_prices: IndicatorPrices,
    /// The momentum features of Lim et al. and the cross-sectional study (`[features.momentum]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub momentum: Option<MomentumSpec>,
    /// Calendar inputs of the as-of date: `month`, `day_of_week`, `day_of_year`.
    pub calendar: Vec<CalendarFeature>,
    /// Identity inputs: `ticker`, `sector`.
    pub identity: Vec<IdentityFeature>,
}

/// The prices indicators are computed on (`features.indicator_prices`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorPrices {
    /// Open, high, low and close times adj_close / close of the bar: no split or dividend moves
    /// an indicator.
    #[default]
    Adjusted,
    /// The prices as read: a split moves every price-level indicator by its ratio, as in a
    /// pandas-ta frame of raw prices.
    Raw,
}

impl IndicatorPrices {
    fn is_adjusted(&self) -> bool {
        *self == IndicatorPrices::Adjusted
    }
}

/// A field of a bar used as a feature (`[features] prices`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BarField {
    /// Open.
    Open,
    /// High.
    High,
    /// Low.
    Low,
    /// Close.
    Close,
    /// Adjusted close.
    AdjClose,
    /// Volume; 0 on a bar whose source has none.
    Volume,
}

impl BarField {
    /// The column name.
    pub fn name(self) -> &'static str {
        match self {
            BarField::Open => "open",
            BarField::High => "high",
            BarField::Low => "low",
            BarField::Close => "close",
            BarField::AdjClose => "adj_close",
            BarField::Volume => "volume",
        }
    }

    /// The column over a ticker's bars (NaN where the bar is missing).
    fn values(self, bars: &Bars) -> Vec<f64> {
        match self {
            BarField::Open => bars.open.clone(),
            BarField::High => bars.high.clone(),
            BarField::Low => bars.low.clone(),
            BarField::Close => bars.close.clone(),
            BarField::AdjClose => bars.adj_close.clone(),
            BarField::Volume => bars
                .volume
                .iter()
                .zip(&bars.close)
                .map(|(v, c)| if v.is_nan() && c.is_finite() { 0.0 } else { *v })
                .collect(),
        }
    }
}

impl Default for FeatureSpec {
    fn default() -> Self {
        FeatureSpec {
            returns: vec![1, 5, 21, 63],
            volatility: vec![21],
            prices: vec![],
            indicators: vec![],
            exclude_indicators: vec![],
            look_ahead: LookAhead::Refuse,
            convention: Convention::PandasTa,
            indicator_prices: IndicatorPrices::Adjusted,
            momentum: None,
            calendar: vec![],
            identity: vec![],
        }
    }
}

/// What a column holds, which decides whether a scaler touches it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnKind {
    /// A quantity computed from prices: scaled.
    Numeric,
    /// A function of the date (one-hot month, sine of the day): not scaled.
    Calendar,
    /// A category id (ticker, sector): not scaled.
    Identity,
}

impl FeatureSpec {
    /// Column names, in matrix order.
    pub fn names(&self) -> Vec<String> {
        self.columns().into_iter().map(|(name, _)| name).collect()
    }

    /// Column names and kinds, in matrix order.
    pub fn columns(&self) -> Vec<(String, ColumnKind)> {
        let numeric = |name: String| (name, ColumnKind::Numeric);
        let mut out: Vec<(String, ColumnKind)> =
            self.returns.iter().map(|h| numeric(format!("ret_{h}"))).collect();
        out.extend(self.volatility.iter().map(|w| numeric(format!("vol_{w}"))));
        out.extend(self.prices.iter().map(|f| numeric(f.name().to_string())));
        for ind in
            indicators::select_choices_with(&self.indicators, &self.rules()).unwrap_or_default()
        {
            out.extend(ind.columns().into_iter().map(numeric));
        }
        if let Some(m) = &self.momentum {
            out.extend(m.names().into_iter().map(numeric));
        }
        for c in &self.calendar {
            out.extend(c.names().into_iter().map(|n| (n, ColumnKind::Calendar)));
        }
        out.extend(self.identity.iter().map(|i| (i.name().to_string(), ColumnKind::Identity)));
        out
    }

    /// Checks horizons and windows.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming the bad entry.
    pub fn validate(&self) -> Result<()> {
        if self.columns().iter().all(|(_, kind)| *kind != ColumnKind::Numeric) {
            return Err(Error::config(
                "features",
                "choose at least one of returns, volatility, prices, indicators, momentum",
            ));
        }
        indicators::select_choices_with(&[], &self.rules())?;
        for choice in &self.indicators {
            indicators::select_choices_with(std::slice::from_ref(choice), &self.rules())?;
        }
        if let Some(m) = &self.momentum {
            m.validate()?;
        }
        let names = self.names();
        let mut seen = std::collections::HashSet::new();
        if let Some(dup) = names.iter().find(|n| !seen.insert(*n)) {
            return Err(Error::config("features", format!("column {dup} is asked for twice")));
        }
        if let Some(h) = self.returns.iter().find(|&&h| h == 0) {
            return Err(Error::config(
                "features.returns",
                format!("horizon {h} must be at least 1"),
            ));
        }
        if let Some(w) = self.volatility.iter().find(|&&w| w < 2) {
            return Err(Error::config(
                "features.volatility",
                format!("window {w} must be at least 2"),
            ));
        }
        Ok(())
    }

    /// Per column (in [`FeatureSpec::columns`] order): rows from a series' first bar after which
    /// the value no longer depends on where the series started, `None` for a column that may
    /// depend on it for ever ([`indicators::Memory`]). A live system whose history starts later
    /// than the backtest's gets the backtest's values from that row on.
    pub fn settled(&self) -> Vec<Option<usize>> {
        let mut out: Vec<Option<usize>> = self.returns.iter().map(|&h| Some(h)).collect();
        out.extend(self.volatility.iter().map(|&w| Some(w)));
        out.extend(self.prices.iter().map(|_| Some(0)));
        for ind in
            indicators::select_choices_with(&self.indicators, &self.rules()).unwrap_or_default()
        {
            let rows = ind.warm_up().max(ind.placeholder_rows());
            out.extend(ind.column_memory().iter().map(|m| m.settled(rows)));
        }
        if let Some(m) = &self.momentum {
            out.extend(m.settled());
        }
        let dated = self.calendar.iter().map(|c| c.names().len()).sum::<usize>();
        out.extend((0..dated + self.identity.len()).map(|_| Some(0)));
        out
    }

    /// How the indicator entries are read: exclusions, look-ahead, convention.
    pub fn rules(&self) -> indicators::Rules {
        indicators::Rules {
            exclude: self.exclude_indicators.clone(),
            look_ahead: self.look_ahead,
            convention: self.convention,
        }
    }

    /// The chosen indicators that read the future (allowed by `look_ahead`), one line each:
    /// columns, indicator and parameters, how it reads the future. Empty for an honest run.
    pub fn look_ahead_inputs(&self) -> Vec<String> {
        indicators::select_choices_with(&self.indicators, &self.rules())
            .unwrap_or_default()
            .iter()
            .filter_map(|i| {
                let how = i.look_ahead()?;
                Some(format!("{} ({} {}): {how}", i.columns().join(", "), i.name(), i.params()))
            })
            .collect()
    }

    /// Bars of history needed before every feature is defined.
    pub fn warm_up(&self) -> usize {
        let r = self.returns.iter().copied().max().unwrap_or(0);
        let v = self.volatility.iter().copied().max().unwrap_or(0);
        let selected =
            indicators::select_choices_with(&self.indicators, &self.rules()).unwrap_or_default();
        let i = selected.iter().map(|i| i.warm_up()).max().unwrap_or(0);
        let m = self.momentum.as_ref().map_or(0, MomentumSpec::warm_up);
        r.max(v).max(i).max(m)
    }
}

/// What every ticker's features are computed from, resolved once for the panel.
struct Inputs<'a> {
    spec: &'a FeatureSpec,
    dates: &'a [chrono::NaiveDate],
    indicators: Vec<Box<dyn indicators::Indicator>>,
    /// The momentum market's returns on the panel's dates.
    market: Option<Vec<f64>>,
    /// On own calendars: the momentum market's last adjusted close on or before each date.
    market_close: Option<Vec<f64>>,
    calendar: Vec<Vec<f64>>,
    sector_ids: Vec<f64>,
}

/// The dates one ticker's features are computed on: the panel's, or the ticker's own bars.
struct Span<'a> {
    dates: &'a [chrono::NaiveDate],
    calendar: &'a [Vec<f64>],
    market: Option<&'a [f64]>,
}

impl Inputs<'_> {
    /// The features of ticker `i` as columns over the panel's dates.
    fn on_panel(&self, i: usize, bars: &Bars) -> Vec<Vec<f64>> {
        let span =
            Span { dates: self.dates, calendar: &self.calendar, market: self.market.as_deref() };
        self.columns(i, bars, &span)
    }

    /// The features of ticker `i` computed on its own bars alone, as rows over the panel's
    /// dates (NaN on the dates it does not trade). Calendar columns are those of its dates; the
    /// momentum market's return is over the same interval as the ticker's, from the market's
    /// last closes on or before its bars.
    fn on_own_calendar(&self, i: usize, bars: &Bars, own: &OwnCalendar) -> Vec<f64> {
        let dates: Vec<chrono::NaiveDate> =
            own.bars().iter().map(|&t| self.dates[t as usize]).collect();
        let calendar: Vec<Vec<f64>> = self.calendar.iter().map(|c| own.compress(c)).collect();
        let market = self.market_close.as_ref().map(|p| trailing_return(&own.compress(p), 1));
        let span = Span { dates: &dates, calendar: &calendar, market: market.as_deref() };
        let columns = self.columns(i, &own.compress_bars(bars), &span);
        own.scatter(&interleave(&columns, dates.len()), columns.len())
    }

    /// The features of ticker `i` as columns over `span`'s dates (`bars` on those dates).
    fn columns(&self, i: usize, bars: &Bars, span: &Span) -> Vec<Vec<f64>> {
        let p = &bars.adj_close;
        let r1 = bars.returns(ReturnKind::Simple);
        let mut columns: Vec<Vec<f64>> =
            self.spec.returns.iter().map(|&h| trailing_return(p, h)).collect();
        columns.extend(self.spec.volatility.iter().map(|&w| rolling_std(&r1, w)));
        columns.extend(self.spec.prices.iter().map(|f| f.values(bars)));
        columns.extend(self.span_columns(bars, span));
        columns.extend(span.calendar.iter().cloned());
        for id in &self.spec.identity {
            let value = match id {
                IdentityFeature::Ticker => i as f64,
                IdentityFeature::Sector => self.sector_ids[i],
            };
            columns.push(vec![value; span.dates.len()]);
        }
        columns
    }

    /// The indicators' kept columns and the momentum features of one ticker: computed from its
    /// adjusted OHLC from its first to its last bar with a close (missing bars inside stay NaN),
    /// NaN outside that span, as a pandas user computes them on one ticker's frame.
    fn span_columns(&self, bars: &Bars, dated: &Span) -> Vec<Vec<f64>> {
        let n = dated.dates.len();
        let width = self.indicators.iter().map(|i| i.columns().len()).sum::<usize>()
            + self.spec.momentum.as_ref().map_or(0, |m| m.names().len());
        let first = bars.adj_close.iter().position(|v| !v.is_nan());
        let last = bars.adj_close.iter().rposition(|v| !v.is_nan());
        let (Some(first), Some(last)) = (first, last) else {
            return vec![vec![f64::NAN; n]; width];
        };
        let span = first..last + 1;
        let raw = self.spec.indicator_prices == IndicatorPrices::Raw;
        let factor: Vec<f64> = span
            .clone()
            .map(|t| if raw { 1.0 } else { bars.adj_close[t] / bars.close[t] })
            .collect();
        let adjust = |x: &[f64]| -> Vec<f64> {
            x[span.clone()].iter().zip(&factor).map(|(v, f)| v * f).collect()
        };
        let (open, high, low) = (adjust(&bars.open), adjust(&bars.high), adjust(&bars.low));
        let adj_close = bars.adj_close[span.clone()].to_vec();
        let close = if raw { bars.close[span.clone()].to_vec() } else { adj_close.clone() };
        let x = indicators::Ohlcv {
            open: &open,
            high: &high,
            low: &low,
            close: &close,
            volume: &bars.volume[span.clone()],
            dates: &dated.dates[span.clone()],
        };
        let mut on_span = vec![];
        for ind in &self.indicators {
            let mut columns = ind.compute(&x);
            fill_other_side(&mut columns, &ind.intermittent());
            if ind.events() {
                fill_no_event(&mut columns, ind.warm_up(), &close);
            }
            on_span.extend(columns);
        }
        if let Some(m) = &self.spec.momentum {
            let market = dated.market.map(|r| &r[span.clone()]);
            on_span.extend(m.compute(&adj_close, market));
        }
        on_span
            .into_iter()
            .map(|values| {
                let mut column = vec![f64::NAN; n];
                column[span.clone()].copy_from_slice(&values);
                column
            })
            .collect()
    }
}

/// `f(0) .. f(n - 1)` on all cores, in order (each call independent, so the result does not
/// depend on the number of threads).
fn parallel_map<T: Send>(n: usize, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let threads = std::thread::available_parallelism().map_or(1, |k| k.get()).min(n.max(1));
    let mut slots: Vec<Option<T>> = (0..n).map(|_| None).collect();
    std::thread::scope(|s| {
        let f = &f;
        let handles: Vec<_> = (0..threads)
            .map(|k| {
                s.spawn(move || (k..n).step_by(threads).map(|i| (i, f(i))).collect::<Vec<_>>())
            })
            .collect();
        for h in handles {
            for (i, v) in h.join().expect("a feature thread panicked") {
                slots[i] = Some(v);
            }
        }
    });
    slots.into_iter().map(|v| v.expect("every index computed")).collect()
}

/// Features of every ticker on every date of a panel.
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureMatrix {
    names: Vec<String>,
    kinds: Vec<ColumnKind>,
    n_dates: usize,
    blocks: Vec<Vec<f64>>,
    /// On own calendars (`data.calendar = "own"`): where each block's ticker has bars.
    own: Option<Arc<Vec<OwnCalendar>>>,
}

impl FeatureMatrix {
    /// Computes `spec` on the adjusted close of every ticker of `panel`.
    ///
    /// # Errors
    /// [`Error::Invalid`] if the spec is invalid.
    pub fn compute(panel: &Panel, spec: &FeatureSpec) -> Result<FeatureMatrix> {
        FeatureMatrix::compute_tickers(panel, spec, 0..panel.tickers().len())
    }

    /// The features of the panel's tickers `range` only (block `k` is ticker `range.start + k`):
    /// what a streaming writer computes a few tickers at a time, with memory for those alone.
    ///
    /// # Errors
    /// As [`FeatureMatrix::compute`].
    pub fn compute_tickers(
        panel: &Panel,
        spec: &FeatureSpec,
        range: std::ops::Range<usize>,
    ) -> Result<FeatureMatrix> {
        spec.validate()?;
        let (names, kinds): (Vec<String>, Vec<ColumnKind>) = spec.columns().into_iter().unzip();
        let n_dates = panel.dates().len();
        let market = match &spec.momentum {
            Some(m) if m.needs_market() => {
                let name = m.market.as_deref().ok_or_else(|| {
                    Error::config("features.momentum", "beta and alpha need a market: set features.momentum.market (or data.benchmark)")
                })?;
                let i = panel
                    .ticker_index(name)
                    .ok_or_else(|| Error::unknown_ticker("features.momentum.market", name))?;
                Some(&panel.all_bars()[i])
            }
            _ => None,
        };
        let own = panel.own_calendars();
        let market_close = market
            .filter(|_| own.is_some())
            .map(|b| indicators::kernels::forward_filled(&b.adj_close));
        let sectors: std::collections::BTreeSet<&str> =
            (0..panel.tickers().len()).filter_map(|i| panel.sector(i)).collect();
        let sector_ids = (0..panel.tickers().len())
            .map(|i| {
                let s = panel.sector(i).and_then(|s| sectors.iter().position(|x| *x == s));
                s.unwrap_or(sectors.len()) as f64
            })
            .collect();
        let inputs = Inputs {
            spec,
            dates: panel.dates(),
            indicators: indicators::select_choices_with(&spec.indicators, &spec.rules())?,
            market: market.map(|b| b.returns(ReturnKind::Simple)),
            market_close,
            calendar: spec.calendar.iter().flat_map(|c| c.compute(panel.dates())).collect(),
            sector_ids,
        };
        let bars = panel.all_bars();
        let blocks = parallel_map(range.len(), |k| {
            let i = range.start + k;
            match own {
                Some(own) => inputs.on_own_calendar(i, &bars[i], &own[i]),
                None => interleave(&inputs.on_panel(i, &bars[i]), n_dates),
            }
        });
        let own = own.map(|c| match range.len() == c.len() {
            true => c.clone(),
            false => Arc::new(c[range].to_vec()),
        });
        Ok(FeatureMatrix { names, kinds, n_dates, blocks, own })
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
        let kinds = vec![ColumnKind::Numeric; names.len()];
        Ok(FeatureMatrix { names, kinds, n_dates, blocks, own: None })
    }

    /// The matrix with each ticker on its own calendar (one per block), as
    /// [`FeatureMatrix::compute`] makes it from a panel that keeps them.
    ///
    /// # Errors
    /// [`Error::Invalid`] unless there is one calendar per block, over the matrix's dates.
    pub fn with_own_calendars(mut self, own: Arc<Vec<OwnCalendar>>) -> Result<FeatureMatrix> {
        if own.len() != self.blocks.len() || own.iter().any(|c| c.n_dates() != self.n_dates) {
            return Err(Error::Invalid("one own calendar per ticker, over the same dates".into()));
        }
        self.own = Some(own);
        Ok(self)
    }

    /// Block `ticker`'s own calendar, when its ticker keeps one.
    pub fn own_calendar(&self, ticker: usize) -> Option<&OwnCalendar> {
        self.own.as_ref().map(|c| &c[ticker])
    }

    /// Feature names.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The matrix with only the columns `keep` (indices, in the order given).
    pub fn select_columns(&self, keep: &[usize]) -> FeatureMatrix {
        let k = self.names.len();
        let blocks = self
            .blocks
            .iter()
            .map(|b| {
                b.chunks_exact(k.max(1)).flat_map(|row| keep.iter().map(|&j| row[j])).collect()
            })
            .collect();
        FeatureMatrix {
            names: keep.iter().map(|&j| self.names[j].clone()).collect(),
            kinds: keep.iter().map(|&j| self.kinds[j]).collect(),
            n_dates: self.n_dates,
            blocks,
            own: self.own.clone(),
        }
    }

    /// Sets what each column holds (one entry per column).
    ///
    /// # Panics
    /// If the number of kinds differs from the number of columns.
    pub fn set_kinds(&mut self, kinds: Vec<ColumnKind>) {
        assert_eq!(kinds.len(), self.names.len(), "one kind per column");
        self.kinds = kinds;
    }

    /// What each column holds.
    pub fn kinds(&self) -> &[ColumnKind] {
        &self.kinds
    }

    /// The row-major `dates x features` block of ticker `i`.
    pub fn block(&self, ticker: usize) -> &[f64] {
        &self.blocks[ticker]
    }

    /// Mutable access to the block of ticker `i` (for scalers).
    pub fn block_mut(&mut self, ticker: usize) -> &mut [f64] {
        &mut self.blocks[ticker]
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
    // Row blocks keep the rows being written in cache while every column is read into them.
    const BLOCK: usize = 256;
    let k = columns.len();
    let mut out = vec![f64::NAN; n * k];
    for start in (0..n).step_by(BLOCK) {
        let end = (start + BLOCK).min(n);
        for (j, col) in columns.iter().enumerate() {
            for t in start..end {
                out[t * k + j] = col[t];
            }
        }
    }
    out
}

/// An indicator's intermittent columns (a trailing stop's long and short sides) as model inputs:
/// 0 on the bars where another of them is defined (the other side applies), so that a window
/// over both sides is complete; NaN where none is (warm-up, a missing bar), as before.
fn fill_other_side(columns: &mut [Vec<f64>], intermittent: &[bool]) {
    let sides: Vec<usize> = (0..columns.len()).filter(|&j| intermittent[j]).collect();
    let Some(&first) = sides.first() else { return };
    for t in 0..columns[first].len() {
        if sides.iter().any(|&j| columns[j][t].is_finite()) {
            for &j in &sides {
                if columns[j][t].is_nan() {
                    columns[j][t] = 0.0;
                }
            }
        }
    }
}

/// An indicator's event columns (ZIGZAG's swings) as model inputs: 0 on the bars without an
/// event after the warm-up where the bar exists; NaN where it does not.
fn fill_no_event(columns: &mut [Vec<f64>], warm_up: usize, close: &[f64]) {
    for column in columns.iter_mut() {
        for (v, c) in column.iter_mut().zip(close).skip(warm_up) {
            if v.is_nan() && c.is_finite() {
                *v = 0.0;
            }
        }
    }
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
        let bad = FeatureSpec { returns: vec![5, 0], ..FeatureSpec::default() };
        assert!(bad.validate().unwrap_err().to_string().contains("horizon 0"));
        assert_eq!(
            FeatureSpec::default().names(),
            ["ret_1", "ret_5", "ret_21", "ret_63", "vol_21"]
        );
        assert_eq!(FeatureSpec::default().warm_up(), 63);
    }
}
