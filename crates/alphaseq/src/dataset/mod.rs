//! Data sets: which (ticker, date) pairs are samples, what their target is, and which samples are
//! train, validation and test. A sample dated t uses features up to t; its target is realised at
//! t + horizon. The split is chronological and purged: a training sample is kept only if its
//! target is realised by the last training date (likewise for validation), so no label crosses
//! into a later period.
//!
//! Depends on [`crate::data`] and [`crate::features`].

mod scale;
mod split;
mod walk_forward;
mod window;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use scale::{Fitted, Scaler, ScalerKind, ScalerSpec};
pub use split::{Split, SplitSpec};
pub use walk_forward::{Refit, WalkForwardSpec};
pub use window::WindowShape;

use crate::data::Panel;
use crate::error::{Error, Result};
use crate::features::{indicators, FeatureMatrix};

/// What the model predicts at date t, with `R = p(t + h) / p(t) - 1` the simple return of the
/// adjusted close over the next h bars (NaN until it is realised).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    /// `R`.
    #[default]
    NextReturn,
    /// 1 if `R > 0`, else 0 (a zero return is 0): the label of a direction classifier.
    Direction,
    /// `R * vol_target / (sigma(t) * sqrt(periods per year))`, sigma the EWM standard deviation of
    /// one-bar returns up to t (pandas `r.ewm(span=vol_span, min_periods=vol_span).std()`): the
    /// return of a position sized to `vol_target` annualised volatility ex ante (Lim et al.).
    VolScaled,
    /// The rank of `R` among the traded tickers with a realised `R` on date t, as
    /// `(rank - 1) / (n - 1)` in \[0, 1\] with ties given their average rank (scipy `rankdata`);
    /// NaN when fewer than two tickers have one.
    CrossSectionalRank,
    /// Several prices h bars ahead at once (`prices`, e.g. high, low, close and adjusted close),
    /// each as a return from the as-of adjusted close, `field(t + h) / adj_close(t) - 1`, so that
    /// tickers share one scale (a price is `(1 + value) adj_close(t)`). The model predicts all of
    /// them; the adjusted close (else the close, else the first listed) is the one traded.
    NextPrices,
}

/// A price of a bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PriceField {
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
}

impl PriceField {
    fn name(self) -> &'static str {
        match self {
            PriceField::Open => "open",
            PriceField::High => "high",
            PriceField::Low => "low",
            PriceField::Close => "close",
            PriceField::AdjClose => "adj_close",
        }
    }

    fn of(self, b: &crate::data::Bars) -> &[f64] {
        match self {
            PriceField::Open => &b.open,
            PriceField::High => &b.high,
            PriceField::Low => &b.low,
            PriceField::Close => &b.close,
            PriceField::AdjClose => &b.adj_close,
        }
    }
}

/// Every target of every ticker and date: `width` values per (ticker, date), one column per
/// predicted quantity; `primary` is the column that is traded and scored.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetTable {
    /// Column names (`target`, or `next_high`, `next_low`, ...).
    pub names: Vec<String>,
    /// The traded column.
    pub primary: usize,
    /// Per ticker, row-major `dates x width` values (NaN when not realised); empty for the
    /// tickers the table was not made for.
    pub values: Vec<Vec<f64>>,
}

impl TargetTable {
    /// Values per (ticker, date).
    pub fn width(&self) -> usize {
        self.names.len()
    }

    /// The targets of `ticker` at date index `t`.
    ///
    /// # Panics
    /// For a ticker the table was not made for (its row is empty).
    pub fn row(&self, ticker: usize, t: usize) -> &[f64] {
        let w = self.width();
        &self.values[ticker][t * w..(t + 1) * w]
    }
}

/// The targets of `spec` as a table (one column unless `next_prices`).
pub fn target_table(
    panel: &Panel,
    spec: &DatasetSpec,
    tickers: &[usize],
    periods_per_year: f64,
) -> TargetTable {
    if spec.target != TargetKind::NextPrices {
        return TargetTable {
            names: vec!["target".into()],
            primary: 0,
            values: targets(panel, spec, tickers, periods_per_year),
        };
    }
    let (h, k) = (spec.horizon, spec.prices.len());
    let mut values = vec![vec![]; panel.tickers().len()];
    for &i in tickers {
        values[i] = on_own_bars(panel, i, k, |b| {
            let n = b.len();
            let mut v = vec![f64::NAN; n * k];
            for (j, field) in spec.prices.iter().enumerate() {
                let x = field.of(b);
                for t in 0..n.saturating_sub(h) {
                    v[t * k + j] = match spec.next_prices_as {
                        PriceUnits::Return => x[t + h] / b.adj_close[t] - 1.0,
                        PriceUnits::Price => x[t + h],
                    };
                }
            }
            v
        });
    }
    TargetTable { names: target_names(spec), primary: spec.primary_price(), values }
}

/// The column names of `spec`'s targets (`target`, or `next_high`, `next_low`, ...).
pub fn target_names(spec: &DatasetSpec) -> Vec<String> {
    if spec.target != TargetKind::NextPrices {
        return vec!["target".into()];
    }
    spec.prices.iter().map(|f| format!("next_{}", f.name())).collect()
}

/// How to build the data set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DatasetSpec {
    /// The target.
    pub target: TargetKind,
    /// Bars ahead the target looks (1 = next bar).
    pub horizon: usize,
    /// Feature rows a sample sees (1 = only the as-of date).
    pub sequence_length: usize,
    /// Bars between the rows of a window (Keras `TimeseriesGenerator(sampling_rate=)`): rows
    /// t - (L-1) r, ..., t. A window covers (L-1) r + 1 bars, all of which must have features.
    pub sampling_rate: usize,
    /// Bars between consecutive samples of a ticker (Keras `stride`), counted from the ticker's
    /// first complete window.
    pub stride: usize,
    /// Keep only every `train_stride`-th date (of the calendar) of the training and validation
    /// windows; test windows stay daily. Overlapping windows of a long sequence repeat each other;
    /// a stride of 5 or 21 trains several times faster on nearly the same information.
    pub train_stride: usize,
    /// Annualised volatility a `vol_scaled` target sizes to (0.15 = 15%).
    pub vol_target: f64,
    /// EWM span (in bars) of the ex-ante volatility of a `vol_scaled` target.
    pub vol_span: usize,
    /// The chronological split.
    pub split: SplitSpec,
    /// Feature scaling, fitted on the training span.
    pub scaler: ScalerSpec,
    /// The prices of a `next_prices` target.
    pub prices: Vec<PriceField>,
    /// What a `next_prices` model learns: returns from the as-of adjusted close, or the prices.
    #[serde(skip_serializing_if = "PriceUnits::is_return")]
    pub next_prices_as: PriceUnits,
    /// Walk-forward retraining (`[dataset.walk_forward]`); replaces `split` when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub walk_forward: Option<WalkForwardSpec>,
}

impl Default for DatasetSpec {
    fn default() -> Self {
        DatasetSpec {
            target: TargetKind::NextReturn,
            horizon: 1,
            sequence_length: 1,
            sampling_rate: 1,
            stride: 1,
            train_stride: 1,
            vol_target: 0.15,
            vol_span: 60,
            split: SplitSpec::default(),
            scaler: ScalerSpec::default(),
            prices: vec![
                PriceField::High,
                PriceField::Low,
                PriceField::Close,
                PriceField::AdjClose,
            ],
            next_prices_as: PriceUnits::Return,
            walk_forward: None,
        }
    }
}

/// What a `next_prices` model learns (`dataset.next_prices_as`). Its forecasts are turned into
/// returns from the as-of adjusted close either way, which is what is traded and scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PriceUnits {
    /// field(t + h) / adj_close(t) - 1.
    #[default]
    Return,
    /// field(t + h) itself, in price units (as QuantConnect's SPY model learns the close); a
    /// forecast p is traded as p / adj_close(t) - 1.
    Price,
}

impl PriceUnits {
    fn is_return(&self) -> bool {
        *self == PriceUnits::Return
    }

    /// `value`, a forecast or realised target of ticker `i` at date index `t`, as a return from
    /// the as-of adjusted close.
    pub fn as_return(self, panel: &Panel, i: usize, t: usize, value: f64) -> f64 {
        match self {
            PriceUnits::Return => value,
            PriceUnits::Price => value / panel.all_bars()[i].adj_close[t] - 1.0,
        }
    }
}

/// One sample: a ticker, the index of its as-of date, and its target (NaN when not yet realised).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    /// Ticker index in the panel.
    pub ticker: u32,
    /// Index of the as-of date in the panel's calendar.
    pub t: u32,
    /// The target value, NaN when it is not realised inside the data.
    pub target: f64,
}

/// The samples of each part of a split.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    /// Training samples (targets realised by the end of training).
    pub train: Vec<Sample>,
    /// Validation samples (targets realised by the end of validation).
    pub valid: Vec<Sample>,
    /// Test samples (targets may be NaN at the end of the data).
    pub test: Vec<Sample>,
    /// The resolved split.
    pub split: Split,
    /// Every target of every (ticker, date): one column, or several for `next_prices`.
    pub targets: std::sync::Arc<TargetTable>,
}

/// Targets of every ticker on every date: `targets[ticker][t]`, for the traded `tickers` (the
/// others get an empty row); `periods_per_year` annualises the volatility of a `vol_scaled` target.
pub fn targets(
    panel: &Panel,
    spec: &DatasetSpec,
    tickers: &[usize],
    periods_per_year: f64,
) -> Vec<Vec<f64>> {
    let h = spec.horizon;
    let n = panel.dates().len();
    // the others' rows stay empty: one model per ticker builds a table per ticker
    let mut out = vec![vec![]; panel.tickers().len()];
    for &i in tickers {
        out[i] = on_own_bars(panel, i, 1, |bars| {
            let (p, n) = (&bars.adj_close, bars.len());
            let forward: Vec<f64> =
                (0..n).map(|t| if t + h < n { p[t + h] / p[t] - 1.0 } else { f64::NAN }).collect();
            match spec.target {
                TargetKind::NextReturn | TargetKind::CrossSectionalRank => forward,
                TargetKind::NextPrices => {
                    let x =
                        spec.prices.get(spec.primary_price()).map_or(p.as_slice(), |f| f.of(bars));
                    (0..n)
                        .map(|t| if t + h < n { x[t + h] / p[t] - 1.0 } else { f64::NAN })
                        .collect()
                }
                TargetKind::Direction => forward
                    .iter()
                    .map(|r| if r.is_nan() { f64::NAN } else { f64::from(u8::from(*r > 0.0)) })
                    .collect(),
                TargetKind::VolScaled => {
                    let r1 = bars.returns(crate::data::ReturnKind::Simple);
                    let alpha = indicators::kernels::alpha_from_span(spec.vol_span as f64);
                    let sigma = indicators::kernels::ewm_std(&r1, alpha, spec.vol_span);
                    let annual = periods_per_year.sqrt();
                    (0..n).map(|t| forward[t] * spec.vol_target / (sigma[t] * annual)).collect()
                }
            }
        });
    }
    if spec.target == TargetKind::CrossSectionalRank {
        for t in 0..n {
            let present: Vec<usize> =
                tickers.iter().copied().filter(|&i| out[i][t].is_finite()).collect();
            let values: Vec<f64> = present.iter().map(|&i| out[i][t]).collect();
            let ranks = average_ranks(&values);
            let m = present.len();
            for (&i, r) in present.iter().zip(ranks) {
                out[i][t] = if m < 2 { f64::NAN } else { (r - 1.0) / (m - 1) as f64 };
            }
        }
    }
    out
}

pub use crate::numeric::average_ranks;

/// `compute` (rows of `width` values, one per bar) on ticker `i`'s bars: on the panel's dates,
/// or on own calendars on the ticker's own bars alone, put back on the panel's dates.
fn on_own_bars(
    panel: &Panel,
    i: usize,
    width: usize,
    compute: impl Fn(&crate::data::Bars) -> Vec<f64>,
) -> Vec<f64> {
    let bars = &panel.all_bars()[i];
    match panel.own_calendar(i) {
        None => compute(bars),
        Some(own) => own.scatter(&compute(&own.compress_bars(bars)), width),
    }
}

impl DatasetSpec {
    /// Whether the split holds out no validation dates: a walk forward with
    /// `valid_fraction = 0`, or (without one) split ratios with a zero validation part.
    pub fn without_validation(&self) -> bool {
        match &self.walk_forward {
            Some(walk) => walk.without_validation(),
            None => self.split.ratios.is_some_and(|r| r[1] == 0.0),
        }
    }

    /// The windows' geometry: `sequence_length` rows, `sampling_rate` bars apart.
    pub fn window(&self) -> WindowShape {
        WindowShape::new(self.sequence_length, self.sampling_rate)
    }

    /// The traded column of a `next_prices` target: the adjusted close, else the close, else the
    /// first listed.
    pub fn primary_price(&self) -> usize {
        let at = |f| self.prices.iter().position(|p| *p == f);
        at(PriceField::AdjClose).or_else(|| at(PriceField::Close)).unwrap_or(0)
    }

    /// Checks horizon, sequence length and the volatility settings.
    ///
    /// # Errors
    /// [`Error::Invalid`] naming the bad entry.
    pub fn validate(&self) -> Result<()> {
        for (key, n) in [
            ("dataset.horizon", self.horizon),
            ("dataset.sequence_length", self.sequence_length),
            ("dataset.sampling_rate", self.sampling_rate),
            ("dataset.stride", self.stride),
            ("dataset.train_stride", self.train_stride),
        ] {
            if n == 0 {
                return Err(Error::config(key, "must be at least 1"));
            }
        }
        if self.walk_forward.is_none() {
            self.split.check()?;
        }
        if self.target != TargetKind::NextPrices && !self.next_prices_as.is_return() {
            return Err(Error::config(
                "dataset.next_prices_as",
                "\"price\" is for target = \"next_prices\"",
            ));
        }
        if self.target == TargetKind::NextPrices && self.prices.is_empty() {
            return Err(Error::config(
                "dataset.prices",
                "a next_prices target needs at least one price",
            ));
        }
        if !(self.vol_target > 0.0 && self.vol_target.is_finite()) {
            return Err(Error::config(
                "dataset.vol_target",
                format!("{} must be a positive number", self.vol_target),
            ));
        }
        if self.vol_span < 2 {
            return Err(Error::config(
                "dataset.vol_span",
                format!("{} must be at least 2", self.vol_span),
            ));
        }
        Ok(())
    }
}

impl Dataset {
    /// The samples of `tickers` (panel indices): every `stride`-th date (from the ticker's first)
    /// whose window of features is complete, with its target (NaN if unrealised). This is
    /// Keras' `TimeseriesGenerator(features, targets, length=(L-1) r + 1, sampling_rate=r, stride=s)`
    /// per ticker with `targets[i]` the return realised over the h bars after row i - 1, that
    /// is, a window ends at its as-of date t and its target starts there.
    ///
    /// # Errors
    /// [`Error::Invalid`] for an invalid spec.
    pub fn candidates(
        features: &FeatureMatrix,
        tickers: &[usize],
        spec: &DatasetSpec,
        targets: &TargetTable,
    ) -> Result<Vec<Sample>> {
        spec.validate()?;
        let span = spec.window().span();
        // at most one per (ticker, date); pages beyond the samples found are never touched
        let mut candidates = Vec::with_capacity(tickers.len() * features.n_dates());
        for &i in tickers {
            // the ticker's dates: the panel's, or on an own calendar its bars alone
            let dates: Box<dyn Iterator<Item = usize>> = match features.own_calendar(i) {
                Some(own) => Box::new(own.bars().iter().map(|&t| t as usize)),
                None => Box::new(0..features.n_dates()),
            };
            let mut complete_run = 0usize;
            let mut first: Option<usize> = None;
            for (k, t) in dates.enumerate() {
                complete_run = if features.row_is_finite(i, t) { complete_run + 1 } else { 0 };
                if complete_run >= span {
                    let k0 = *first.get_or_insert(k);
                    if (k - k0).is_multiple_of(spec.stride) {
                        candidates.push(Sample {
                            ticker: i as u32,
                            t: t as u32,
                            target: primary(targets.row(i, t), targets.primary),
                        });
                    }
                }
            }
        }
        Ok(candidates)
    }

    /// Builds samples for `tickers` (see [`Dataset::candidates`]), split by `spec.split`.
    ///
    /// # Errors
    /// [`Error::Invalid`] for an invalid spec; [`Error::NotEnoughData`] when a part of the split
    /// is empty.
    pub fn build(
        panel: &Panel,
        features: &FeatureMatrix,
        tickers: &[usize],
        spec: &DatasetSpec,
        periods_per_year: f64,
    ) -> Result<Dataset> {
        spec.validate()?;
        let table = std::sync::Arc::new(target_table(panel, spec, tickers, periods_per_year));
        let candidates = Dataset::candidates(features, tickers, spec, &table)?;
        let first = candidates.iter().map(|s| s.t as usize).min().ok_or_else(|| {
            Error::NotEnoughData("no (ticker, date) has a complete feature window".into())
        })?;
        let split = spec.split.resolve(panel.dates(), first)?;
        let realised = |s: &Sample| realised_at(features, s, spec.horizon);
        let mut ds = Dataset::assign(&candidates, split, realised, table);
        ds.thin(spec.train_stride);
        ds.check_parts(panel.dates(), !spec.without_validation())?;
        Ok(ds)
    }

    /// One data set per walk-forward fold (folds whose parts would be empty are left out).
    ///
    /// # Errors
    /// As [`Dataset::build`], and [`Error::NotEnoughData`] when no fold has samples in every part.
    pub fn walk_forward(
        panel: &Panel,
        features: &FeatureMatrix,
        tickers: &[usize],
        spec: &DatasetSpec,
        walk: &WalkForwardSpec,
        periods_per_year: f64,
    ) -> Result<Vec<Dataset>> {
        spec.validate()?;
        let table = std::sync::Arc::new(target_table(panel, spec, tickers, periods_per_year));
        let candidates = Dataset::candidates(features, tickers, spec, &table)?;
        let first = candidates.iter().map(|s| s.t as usize).min().ok_or_else(|| {
            Error::NotEnoughData("no (ticker, date) has a complete feature window".into())
        })?;
        let folds: Vec<Dataset> = walk
            .folds(panel.dates(), first)?
            .into_iter()
            .map(|split| {
                let realised = |s: &Sample| realised_at(features, s, spec.horizon);
                let mut ds = Dataset::assign(&candidates, split, realised, table.clone());
                if let Some(from) = walk.window_start(&split) {
                    // a sample reads `span` bars up to its date: all of them in the window
                    let shape = spec.window();
                    ds.train.retain(|s| {
                        let start = shape.start_in(features, s.ticker as usize, s.t as usize);
                        start.is_some_and(|start| start >= from)
                    });
                }
                ds.thin(spec.train_stride);
                ds
            })
            .filter(|ds| ds.check_parts(panel.dates(), !walk.without_validation()).is_ok())
            .collect();
        if folds.is_empty() {
            return Err(Error::NotEnoughData(
                "dataset.walk_forward: no fold has training, validation (unless valid_fraction = 0) and test samples".into(),
            ));
        }
        Ok(folds)
    }

    /// Assigns samples to the parts of `split`, purged: a training (validation) sample needs its
    /// target realised (at the date index `realised` gives, [`realised_at`]) `split.embargo`
    /// bars before the part ends; test samples are every sample dated in the test span.
    pub fn assign(
        candidates: &[Sample],
        split: Split,
        realised: impl Fn(&Sample) -> usize,
        targets: std::sync::Arc<TargetTable>,
    ) -> Dataset {
        let part = |s: &Sample| {
            let t = s.t as usize;
            let reach = || realised(s).saturating_add(split.embargo);
            if t < split.train_start {
                None
            } else if s.target.is_finite() && reach() <= split.train_end {
                Some(0)
            } else if t > split.train_end && s.target.is_finite() && reach() <= split.valid_end {
                Some(1)
            } else if t > split.valid_end && t <= split.test_end {
                Some(2)
            } else {
                None
            }
        };
        // counted first, so that each part is allocated once at its size (millions of samples)
        let mut counts = [0usize; 3];
        for s in candidates {
            if let Some(k) = part(s) {
                counts[k] += 1;
            }
        }
        let mut parts = counts.map(Vec::with_capacity);
        for s in candidates {
            if let Some(k) = part(s) {
                parts[k].push(*s);
            }
        }
        let [train, valid, test] = parts;
        Dataset { train, valid, test, split, targets }
    }

    /// Keeps the training and validation samples dated on every `stride`-th calendar date.
    fn thin(&mut self, stride: usize) {
        if stride > 1 {
            self.train.retain(|s| (s.t as usize).is_multiple_of(stride));
            self.valid.retain(|s| (s.t as usize).is_multiple_of(stride));
        }
    }

    /// An error naming the first empty part (the validation part only when `validation`).
    fn check_parts(&self, dates: &[NaiveDate], validation: bool) -> Result<()> {
        for (name, part) in
            [("training", &self.train), ("validation", &self.valid), ("test", &self.test)]
        {
            if part.is_empty() && (validation || name != "validation") {
                return Err(Error::NotEnoughData(format!(
                    "the {name} part of the split has no samples ({})",
                    self.split.describe(dates)
                )));
            }
        }
        Ok(())
    }
}

/// The traded value of a target row: NaN unless every column is realised, so that a sample
/// trains only on complete targets.
fn primary(row: &[f64], at: usize) -> f64 {
    if row.iter().all(|v| v.is_finite()) {
        row[at]
    } else {
        f64::NAN
    }
}

/// The date index at which sample `s`'s target, `horizon` bars ahead, is realised: `t +
/// horizon`, or on an own calendar the ticker's bar `horizon` bars after `t` (`usize::MAX`
/// past its last bar).
pub fn realised_at(features: &FeatureMatrix, s: &Sample, horizon: usize) -> usize {
    let t = s.t as usize;
    match features.own_calendar(s.ticker as usize) {
        Some(own) => own.ahead(t, horizon).unwrap_or(usize::MAX),
        None => t + horizon,
    }
}

/// The date of a sample.
pub fn sample_date(panel: &Panel, s: &Sample) -> NaiveDate {
    panel.dates()[s.t as usize]
}

#[cfg(test)]
mod tests;
