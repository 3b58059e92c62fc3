//! Technical indicators with pandas-ta's names, parameters and values (its pure-pandas path, not
//! TA-Lib's), one indicator per file, grouped by pandas-ta's families. Every indicator says how
//! many leading rows it leaves undefined (NaN, as pandas-ta) and whether it reads the future; the
//! look-ahead test runs the whole [`catalogue`] on random panels, so an indicator added to the
//! catalogue is tested without further work. Every indicator also says how its values depend on
//! where the series starts ([`Memory`]), which the warm-up test checks on real prices cut at later
//! starts.
//!
//! Cases where pandas-ta's pure-pandas result departs from the usual definition are kept (so a
//! pandas-ta user gets the numbers they know) and documented on the indicator.

pub mod candles;
pub mod cycle;
pub mod kernels;
pub mod momentum;
pub mod overlap;
pub mod performance;
pub mod statistics;
pub mod talib;
pub mod trend;
pub mod volatility;
pub mod volume;

use serde::Serialize;

impl Family {
    /// The family's name as pandas-ta spells it (`overlap`, `momentum`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Family::Overlap => "overlap",
            Family::Momentum => "momentum",
            Family::Performance => "performance",
            Family::Statistics => "statistics",
            Family::Trend => "trend",
            Family::Volatility => "volatility",
            Family::Volume => "volume",
            Family::Candles => "candles",
            Family::Cycle => "cycle",
        }
    }
}

/// pandas-ta's indicator families.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    /// Moving averages and price transforms.
    Overlap,
    /// Momentum oscillators.
    Momentum,
    /// Returns.
    Performance,
    /// Rolling statistics.
    Statistics,
    /// Trend.
    Trend,
    /// Ranges and volatility.
    Volatility,
    /// Volume.
    Volume,
    /// Candlestick transforms.
    Candles,
    /// Cycle filters.
    Cycle,
}

/// How an indicator's values depend on where its series starts, once the warm-up has passed. A
/// live system's history starts somewhere else than the backtest's: a [`Memory::Window`] value
/// is the same either way, a [`Memory::Recursive`] one after it has settled, the others need not
/// ever be.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Memory {
    /// Finite trailing windows only: past the warm-up, the value does not depend on the start.
    Window,
    /// `depth` recursive filters in cascade (EWMs, Wilder's RMA), the slowest of which keeps a
    /// fraction `decay` of its state per bar: the start's effect shrinks like
    /// `C(k + depth - 1, depth - 1) decay^k` after k bars, below [`Memory::SETTLED`] after
    /// [`Memory::settled`] rows.
    Recursive {
        /// The slowest filter's weight on its previous state (1 - alpha).
        decay: f64,
        /// How many recursive filters are applied one after another.
        depth: u32,
    },
    /// A running total since the first bar (OBV, A/D, PVT): offset by the missing history for
    /// ever.
    Cumulative,
    /// A state that does not forget at a known rate (a trailing stop's side, an adaptive EWM's
    /// rate, a running maximum): equal once both histories reach the same state, when the prices
    /// decide.
    Path,
}

impl Memory {
    /// The start's remaining effect, relative to the discrepancy it began with, below which a
    /// recursive value counts as settled.
    pub const SETTLED: f64 = 1e-12;

    /// An EWM with pandas' `span = n` (alpha = 2 / (n + 1)), `depth` of them in cascade; over
    /// one bar it keeps nothing, a window.
    pub fn ema(n: usize, depth: u32) -> Memory {
        Memory::recursive((n as f64 - 1.0) / (n as f64 + 1.0), depth)
    }

    /// Wilder's RMA over n bars (alpha = 1 / n), `depth` in cascade.
    pub fn rma(n: usize, depth: u32) -> Memory {
        Memory::recursive(1.0 - 1.0 / n as f64, depth)
    }

    fn recursive(decay: f64, depth: u32) -> Memory {
        if decay > 0.0 {
            Memory::Recursive { decay, depth }
        } else {
            Memory::Window
        }
    }

    /// Rows from the series' first bar after which a value no longer depends on where the series
    /// started (`warm_up` is the indicator's): the warm-up itself for a window, the warm-up plus
    /// the rows a recursion needs to settle, `None` when it need never.
    pub fn settled(self, warm_up: usize) -> Option<usize> {
        match self {
            Memory::Window => Some(warm_up),
            Memory::Recursive { decay, depth } => {
                let remaining = |k: f64| {
                    let binomial: f64 =
                        (1..depth.max(1)).map(|j| (k + f64::from(j)) / f64::from(j)).product();
                    binomial * decay.powf(k)
                };
                let mut k = 0usize;
                while decay > 0.0 && remaining(k as f64) > Memory::SETTLED {
                    k += 1;
                }
                Some(warm_up + k)
            }
            Memory::Cumulative | Memory::Path => None,
        }
    }

    /// One line for the catalogue: `window`, `settles after N rows`, `running total`, `path`.
    pub fn describe(self, warm_up: usize) -> String {
        match (self, self.settled(warm_up)) {
            (Memory::Window, _) => "window".into(),
            (Memory::Recursive { .. }, Some(rows)) => format!("recursive: settles after {rows}"),
            (Memory::Cumulative, _) => "running total: never".into(),
            _ => "path: when states agree".into(),
        }
    }
}

/// One ticker's bars, each slice as long as the calendar; NaN = missing.
#[derive(Debug, Clone, Copy)]
pub struct Ohlcv<'a> {
    /// Open.
    pub open: &'a [f64],
    /// High.
    pub high: &'a [f64],
    /// Low.
    pub low: &'a [f64],
    /// Close.
    pub close: &'a [f64],
    /// Volume.
    pub volume: &'a [f64],
    /// The bars' dates (only calendar-anchored indicators such as VWAP read them).
    pub dates: &'a [chrono::NaiveDate],
}

/// A copy of an indicator with some parameters changed, by their pandas-ta keyword names
/// (implemented for every indicator through serde: its fields are its parameters).
pub trait Reconfigure {
    /// This indicator with `params` overriding its own.
    ///
    /// # Errors
    /// [`Error::Invalid`](crate::error::Error::Invalid) naming an unknown parameter (and the
    /// known ones), a window below 1, a non-positive or non-finite number, or a wrong type.
    fn reconfigured(
        &self,
        params: &serde_json::Map<String, serde_json::Value>,
    ) -> crate::error::Result<Box<dyn Indicator>>;

    /// The parameters by name (empty for an indicator without any).
    fn parameters(&self) -> serde_json::Map<String, serde_json::Value>;
}

impl<T> Reconfigure for T
where
    T: Indicator + serde::Serialize + serde::de::DeserializeOwned + 'static,
{
    fn reconfigured(
        &self,
        params: &serde_json::Map<String, serde_json::Value>,
    ) -> crate::error::Result<Box<dyn Indicator>> {
        use serde_json::Value;
        let name = self.name();
        let bad = |why: String| {
            crate::error::Error::config("features.indicators", format!("{name}: {why}"))
        };
        let mut current = serde_json::to_value(self).map_err(|e| bad(e.to_string()))?;
        if let Some(fields) = current.as_object_mut() {
            for (key, value) in params {
                let known: Vec<String> = fields.keys().cloned().collect();
                let Some(slot) = fields.get_mut(key) else {
                    return Err(bad(format!("unknown parameter {key:?}; it takes {known:?}")));
                };
                let ok = match (&*slot, value) {
                    (Value::Number(n), Value::Number(v)) if n.is_u64() => {
                        v.as_u64().is_some_and(|v| v >= 1)
                    }
                    (Value::Number(_), Value::Number(v)) => {
                        v.as_f64().is_some_and(|v| v.is_finite() && v > 0.0)
                    }
                    (Value::String(_), Value::String(_)) | (Value::Bool(_), Value::Bool(_)) => true,
                    // lists (and a single name for a list) are checked by the indicator's type
                    (Value::Array(_), Value::Array(_) | Value::String(_)) => true,
                    _ => false,
                };
                if !ok {
                    return Err(bad(format!(
                        "{key} = {value} is not valid (windows are whole numbers >= 1, other numbers positive)"
                    )));
                }
                *slot = value.clone();
            }
        } else if let Some(key) = params.keys().next() {
            return Err(bad(format!("takes no parameters (got {key:?})")));
        }
        let built: T = serde_json::from_value(current).map_err(|e| bad(e.to_string()))?;
        Ok(Box::new(built))
    }

    fn parameters(&self) -> serde_json::Map<String, serde_json::Value> {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::Object(m)) => m,
            _ => serde_json::Map::new(),
        }
    }
}

/// A technical indicator with fixed parameters.
pub trait Indicator: Send + Sync + Reconfigure {
    /// The pandas-ta function it follows (`rsi`, `log_return`, ...): the name of its file, which
    /// is how an experiment file selects it.
    fn name(&self) -> &'static str {
        let path = std::any::type_name::<Self>();
        path.rsplit("::").nth(1).unwrap_or(path)
    }

    /// The family.
    fn family(&self) -> Family;

    /// Output column names, pandas-ta style (`SMA_10`, `MACD_12_26_9`, ...).
    fn columns(&self) -> Vec<String>;

    /// The parameters, as `name=value` pairs.
    fn params(&self) -> String;

    /// Leading rows left undefined on a series without gaps (until every column that is not
    /// [`Indicator::intermittent`] is defined).
    fn warm_up(&self) -> usize;

    /// Per column: true when the column is NaN by design wherever it does not apply (the long side
    /// of a trailing stop while short, ...), so it has no fixed warm-up. The feature matrix
    /// writes such a column with 0 on the bars where another intermittent column of the
    /// indicator is defined (the other side applies), NaN where none is (warm-up, missing bars).
    fn intermittent(&self) -> Vec<bool> {
        vec![false; self.columns().len()]
    }

    /// True when its columns are defined only on the bars of an event and NaN elsewhere (ZIGZAG's
    /// swings). The feature matrix writes 0 on the other bars after the warm-up where the bar
    /// exists ("no swing"), so that a window over them is complete.
    fn events(&self) -> bool {
        false
    }

    /// True when the first defined row is the prices' choice, at or after [`Indicator::warm_up`]
    /// (HILO waits for a first crossing of its averages).
    fn starts_on_the_prices(&self) -> bool {
        false
    }

    /// True when pandas-ta gives it only with TA-Lib installed (TA-Lib's candlestick patterns):
    /// `all` and its family include it under the TA-Lib convention only.
    fn talib_only(&self) -> bool {
        false
    }

    /// How values depend on where the series starts (checked by the warm-up test).
    fn memory(&self) -> Memory {
        Memory::Window
    }

    /// Per column, how its values depend on where the series starts: [`Indicator::memory`] for
    /// every column unless some differ (AOBV's run flags compare EMAs of OBV and settle; the
    /// EMAs themselves keep OBV's running total).
    fn column_memory(&self) -> Vec<Memory> {
        vec![self.memory(); self.columns().len()]
    }

    /// Leading rows that pandas-ta fills with a fixed value instead of leaving them NaN (PVR's
    /// first rank): defined, so not warm-up, but not yet a function of the prices, so a later
    /// start agrees only after them.
    fn placeholder_rows(&self) -> usize {
        0
    }

    /// Leading rows where pandas-ta back-fills a later bar's value (SMC's gaps): a look-ahead
    /// alphaseq does not copy, so its values there differ from pandas-ta's (undefined, or a
    /// placeholder); the value tests compare from this row on.
    fn pandas_ta_backfilled_rows(&self) -> usize {
        0
    }

    /// How a value at t uses data after t, for an indicator that does (pandas-ta's centred DPO,
    /// the chikou span, ZIGZAG, ...): `None` for every entry of [`catalogue`]. Such an
    /// indicator is refused as an input unless the experiment sets `features.look_ahead =
    /// "allow"`, and then the run says so in run.log, metrics.json and the report.
    fn look_ahead(&self) -> Option<String> {
        None
    }

    /// True if a value at t uses data after t ([`Indicator::look_ahead`]).
    fn reads_future(&self) -> bool {
        self.look_ahead().is_some()
    }

    /// One column per [`Indicator::columns`] entry, each as long as the input.
    fn compute(&self, x: &Ohlcv) -> Vec<Vec<f64>>;
}

/// What the catalogue says of an indicator (`features list --json`, Python's `catalogue()`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Description {
    /// The pandas-ta function it follows (how an experiment selects it).
    pub name: &'static str,
    /// Its family.
    pub family: Family,
    /// Output columns.
    pub columns: Vec<String>,
    /// Parameters as `name=value` pairs.
    pub params: String,
    /// Parameters by name.
    pub parameters: serde_json::Map<String, serde_json::Value>,
    /// Leading rows left undefined.
    pub warm_up: usize,
    /// Leading rows pandas-ta fills with a fixed value (defined, not yet a function of the
    /// prices).
    pub placeholder_rows: usize,
    /// Leading rows where pandas-ta back-fills a later value and alphaseq does not.
    pub pandas_ta_backfilled_rows: usize,
    /// Whether a value at t reads data after t.
    pub reads_future: bool,
    /// How it does (refused as an input unless `features.look_ahead = "allow"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub look_ahead: Option<String>,
    /// How values depend on where the series starts.
    pub memory: Memory,
    /// Rows after which a later start gives the same values (`None`: need never).
    pub settled: Option<usize>,
}

impl Description {
    /// The description of `indicator`.
    pub fn of(indicator: &dyn Indicator) -> Description {
        Description {
            name: indicator.name(),
            family: indicator.family(),
            columns: indicator.columns(),
            params: indicator.params(),
            parameters: indicator.parameters(),
            warm_up: indicator.warm_up(),
            placeholder_rows: indicator.placeholder_rows(),
            pandas_ta_backfilled_rows: indicator.pandas_ta_backfilled_rows(),
            reads_future: indicator.reads_future(),
            look_ahead: indicator.look_ahead(),
            memory: indicator.memory(),
            settled: indicator
                .memory()
                .settled(indicator.warm_up().max(indicator.placeholder_rows())),
        }
    }
}

/// Every indicator with pandas-ta's default parameters.
pub fn catalogue() -> Vec<Box<dyn Indicator>> {
    vec![
        Box::new(overlap::hl2::Hl2),
        Box::new(overlap::hlc3::Hlc3),
        Box::new(overlap::ohlc4::Ohlc4),
        Box::new(overlap::wcp::Wcp { convention: Convention::PandasTa }),
        Box::new(overlap::sma::Sma { length: 10 }),
        Box::new(overlap::wma::Wma { length: 10 }),
        Box::new(overlap::ema::Ema { length: 10 }),
        Box::new(performance::log_return::LogReturn { length: 1 }),
        Box::new(performance::percent_return::PercentReturn { length: 1 }),
        Box::new(momentum::mom::Mom { length: 10 }),
        Box::new(momentum::roc::Roc { length: 10 }),
        Box::new(momentum::rsi::Rsi::new(14)),
        Box::new(momentum::macd::Macd {
            fast: 12,
            slow: 26,
            signal: 9,
            convention: Convention::PandasTa,
        }),
        Box::new(momentum::willr::Willr { length: 14 }),
        Box::new(momentum::cci::Cci { length: 14, c: 0.015, convention: Convention::PandasTa }),
        Box::new(momentum::stoch::Stoch {
            k: 14,
            d: 3,
            smooth_k: 3,
            convention: Convention::PandasTa,
        }),
        Box::new(momentum::slope::Slope { length: 1 }),
        Box::new(trend::aroon::Aroon { length: 14 }),
        Box::new(volume::mfi::Mfi { length: 14, convention: Convention::PandasTa }),
        Box::new(overlap::vwma::Vwma { length: 10 }),
        Box::new(overlap::zlma::Zlma { length: 10, convention: Convention::PandasTa }),
        Box::new(trend::vortex::Vortex { length: 14 }),
        Box::new(volatility::aberration::Aberration {
            length: 5,
            atr_length: 15,
            convention: Convention::PandasTa,
        }),
        Box::new(momentum::cti::Cti { length: 12 }),
        Box::new(trend::adx::Adx { length: 14, convention: Convention::PandasTa }),
        Box::new(overlap::supertrend::Supertrend {
            length: 7,
            multiplier: 3.0,
            convention: Convention::PandasTa,
        }),
        Box::new(overlap::hilo::Hilo { high_length: 13, low_length: 21 }),
        Box::new(trend::psar::Psar { af: 0.02, max_af: 0.2 }),
        Box::new(statistics::variance::Variance { length: 30, convention: Convention::PandasTa }),
        Box::new(statistics::stdev::Stdev { length: 30, convention: Convention::PandasTa }),
        Box::new(statistics::median::Median { length: 30 }),
        Box::new(statistics::skew::Skew { length: 30 }),
        Box::new(statistics::kurtosis::Kurtosis { length: 30 }),
        Box::new(momentum::cmo::Cmo { length: 14, convention: Convention::PandasTa }),
        Box::new(momentum::bop::Bop { convention: Convention::PandasTa }),
        Box::new(overlap::dema::Dema { length: 10, convention: Convention::PandasTa }),
        Box::new(overlap::tema::Tema { length: 10, convention: Convention::PandasTa }),
        Box::new(overlap::midpoint::Midpoint { length: 2 }),
        Box::new(overlap::midprice::Midprice { length: 2 }),
        Box::new(overlap::trima::Trima { length: 10, convention: Convention::PandasTa }),
        Box::new(volume::ad::Ad),
        Box::new(volume::adosc::Adosc { fast: 3, slow: 10, convention: Convention::PandasTa }),
        Box::new(volume::cmf::Cmf { length: 20 }),
        Box::new(volume::efi::Efi { length: 13, convention: Convention::PandasTa }),
        Box::new(volume::pvt::Pvt),
        Box::new(momentum::ao::Ao { fast: 5, slow: 34 }),
        Box::new(momentum::apo::Apo { fast: 12, slow: 26 }),
        Box::new(momentum::ppo::Ppo {
            fast: 12,
            slow: 26,
            signal: 9,
            convention: Convention::PandasTa,
        }),
        Box::new(momentum::bias::Bias { length: 26 }),
        Box::new(momentum::trix::Trix { length: 30, signal: 9, convention: Convention::PandasTa }),
        Box::new(momentum::uo::Uo {
            fast: 7,
            medium: 14,
            slow: 28,
            convention: Convention::PandasTa,
        }),
        Box::new(momentum::er::Er { length: 10 }),
        Box::new(overlap::vidya::Vidya { length: 14, convention: Convention::PandasTa }),
        Box::new(momentum::qqe::Qqe {
            length: 14,
            smooth: 5,
            factor: 4.236,
            convention: Convention::PandasTa,
        }),
        Box::new(overlap::rma::Rma { length: 10 }),
        Box::new(overlap::hma::Hma { length: 10 }),
        Box::new(overlap::linreg::Linreg { length: 14 }),
        Box::new(volatility::kc::Kc { length: 20, scalar: 2.0, convention: Convention::PandasTa }),
        Box::new(volatility::donchian::Donchian { lower_length: 20, upper_length: 20 }),
        Box::new(volatility::ui::Ui { length: 14 }),
        Box::new(volatility::massi::Massi { fast: 9, slow: 25, convention: Convention::PandasTa }),
        Box::new(volume::pvo::Pvo {
            fast: 12,
            slow: 26,
            signal: 9,
            convention: Convention::PandasTa,
        }),
        Box::new(volume::vwap::Vwap { anchor: volume::vwap::Anchor::Day }),
        Box::new(volume::eom::Eom { length: 14 }),
        Box::new(trend::chop::Chop { length: 14, atr_length: 1, convention: Convention::PandasTa }),
        Box::new(trend::qstick::Qstick { length: 10 }),
        Box::new(trend::vhf::Vhf { length: 28 }),
        Box::new(statistics::mad::Mad { length: 30 }),
        Box::new(statistics::entropy::Entropy { length: 10, base: 2.0 }),
        Box::new(performance::drawdown::Drawdown),
        Box::new(candles::ha::Ha),
        Box::new(momentum::coppock::Coppock { length: 10, fast: 11, slow: 14 }),
        Box::new(momentum::tsi::Tsi {
            fast: 13,
            slow: 25,
            signal: 13,
            convention: Convention::PandasTa,
        }),
        Box::new(momentum::pgo::Pgo { length: 14, convention: Convention::PandasTa }),
        Box::new(momentum::psl::Psl { length: 12 }),
        Box::new(momentum::cfo::Cfo { length: 9, convention: Convention::PandasTa }),
        Box::new(trend::dpo::Dpo { length: 20, centered: false }),
        Box::new(volume::obv::Obv { convention: Convention::PandasTa }),
        Box::new(statistics::zscore::ZScore { length: 30, convention: Convention::PandasTa }),
        Box::new(volatility::true_range::TrueRange { convention: Convention::PandasTa }),
        Box::new(volatility::atr::Atr::new(14)),
        Box::new(volatility::natr::Natr { length: 14, convention: Convention::PandasTa }),
        Box::new(volatility::bbands::Bbands {
            length: 5,
            std: 2.0,
            convention: Convention::PandasTa,
        }),
        Box::new(overlap::alma::Alma { length: 9, sigma: 6.0, distribution_offset: 0.85 }),
        Box::new(overlap::fwma::Fwma { length: 10 }),
        Box::new(overlap::pwma::Pwma { length: 10 }),
        Box::new(overlap::sinwma::Sinwma { length: 14 }),
        Box::new(overlap::swma::Swma { length: 10 }),
        Box::new(overlap::smma::Smma { length: 7 }),
        Box::new(overlap::ssf::Ssf { length: 20 }),
        Box::new(overlap::ssf3::Ssf3 { length: 20 }),
        Box::new(overlap::t3::T3 { length: 10, a: 0.7, convention: Convention::PandasTa }),
        Box::new(overlap::kama::Kama { length: 10, fast: 2, slow: 30 }),
        Box::new(overlap::mcgd::Mcgd { length: 10, c: 1.0 }),
        Box::new(overlap::hwma::Hwma { na: 0.2, nb: 0.1, nc: 0.1 }),
        Box::new(momentum::stochf::Stochf { k: 14, d: 3, convention: Convention::PandasTa }),
        Box::new(momentum::stochrsi::Stochrsi {
            length: 14,
            rsi_length: 14,
            k: 3,
            d: 3,
            convention: Convention::PandasTa,
        }),
        Box::new(momentum::kdj::Kdj { length: 9, signal: 3 }),
        Box::new(momentum::kst::Kst {
            roc1: 10,
            roc2: 15,
            roc3: 20,
            roc4: 30,
            sma1: 10,
            sma2: 10,
            sma3: 10,
            sma4: 15,
            signal: 9,
        }),
        Box::new(momentum::smi::Smi {
            fast: 5,
            slow: 20,
            signal: 5,
            scalar: 1.0,
            convention: Convention::PandasTa,
        }),
        Box::new(momentum::fisher::Fisher { length: 9, signal: 1 }),
        Box::new(momentum::cg::Cg { length: 10 }),
        Box::new(momentum::eri::Eri { length: 13 }),
        Box::new(momentum::brar::Brar { length: 26 }),
        Box::new(momentum::rsx::Rsx { length: 14 }),
        Box::new(momentum::rvgi::Rvgi { length: 14, swma_length: 4 }),
        Box::new(volatility::rvi::Rvi { length: 14, convention: Convention::PandasTa }),
        Box::new(momentum::inertia::Inertia {
            length: 20,
            rvi_length: 14,
            convention: Convention::PandasTa,
        }),
        Box::new(volume::aobv::Aobv {
            fast: 4,
            slow: 12,
            min_lookback: 2,
            max_lookback: 2,
            run_length: 2,
            convention: Convention::PandasTa,
        }),
        Box::new(volume::kvo::Kvo { fast: 34, slow: 55, signal: 13 }),
        Box::new(volume::nvi::Nvi { length: 1, initial: 1000 }),
        Box::new(volume::pvi::Pvi { length: 255, initial: 100 }),
        Box::new(volume::pvol::Pvol),
        Box::new(volume::pvr::Pvr),
        Box::new(volume::tsv::Tsv { length: 18, signal: 10 }),
        Box::new(volatility::accbands::Accbands { length: 20, c: 4.0 }),
        Box::new(volatility::atrts::Atrts {
            length: 14,
            ma_length: 20,
            k: 3.0,
            convention: Convention::PandasTa,
        }),
        Box::new(volatility::chandelier_exit::ChandelierExit {
            high_length: 22,
            low_length: 22,
            atr_length: 14,
            multiplier: 2.0,
            convention: Convention::PandasTa,
        }),
        Box::new(volatility::hwc::Hwc { scalar: 1.0, na: 0.2, nb: 0.1, nc: 0.1, nd: 0.1 }),
        Box::new(volatility::pdist::Pdist),
        Box::new(volatility::thermo::Thermo {
            length: 20,
            long: 2.0,
            short: 0.5,
            convention: Convention::PandasTa,
        }),
        Box::new(statistics::quantile::Quantile { length: 30, q: 0.5 }),
        Box::new(trend::alphatrend::Alphatrend {
            length: 14,
            multiplier: 1.0,
            threshold: 50.0,
            lag: 2,
            convention: Convention::PandasTa,
        }),
        Box::new(trend::amat::Amat { fast: 8, slow: 21, lookback: 2 }),
        Box::new(trend::cksp::Cksp { p: 10, x: 3.0, q: 20, convention: Convention::PandasTa }),
        Box::new(trend::decay::Decay { length: 1 }),
        Box::new(trend::rwi::Rwi { length: 14, convention: Convention::PandasTa }),
        Box::new(trend::increasing::Increasing { length: 1 }),
        Box::new(trend::decreasing::Decreasing { length: 1 }),
        Box::new(trend::ht_trendline::HtTrendline { convention: Convention::PandasTa }),
        Box::new(trend::trendflex::Trendflex { length: 20, smooth: 20, alpha: 0.04 }),
        Box::new(cycle::ebsw::Ebsw { length: 40, bars: 10 }),
        Box::new(cycle::reflex::Reflex { length: 20, smooth: 20, alpha: 0.04 }),
        Box::new(momentum::squeeze::Squeeze {
            bb_length: 20,
            bb_std: 2.0,
            kc_length: 20,
            kc_scalar: 1.5,
            mom_length: 12,
            mom_smooth: 6,
            convention: Convention::PandasTa,
        }),
        Box::new(momentum::squeeze_pro::SqueezePro {
            bb_length: 20,
            bb_std: 2.0,
            kc_length: 20,
            kc_scalar_wide: 2.0,
            kc_scalar_normal: 1.5,
            kc_scalar_narrow: 1.0,
            mom_length: 12,
            mom_smooth: 6,
            convention: Convention::PandasTa,
        }),
        Box::new(momentum::crsi::Crsi { rsi_length: 3, streak_length: 2, rank_length: 100 }),
        Box::new(momentum::exhc::Exhc { length: 4, cap: 13 }),
        Box::new(momentum::stc::Stc { tc_length: 10, fast: 12, slow: 26, factor: 0.5 }),
        Box::new(momentum::tmo::Tmo {
            tmo_length: 14,
            calc_length: 5,
            smooth_length: 3,
            convention: Convention::PandasTa,
        }),
        Box::new(overlap::alligator::Alligator { jaw: 13, teeth: 8, lips: 5 }),
        Box::new(overlap::ichimoku::Ichimoku {
            tenkan: 9,
            kijun: 26,
            senkou: 52,
            include_chikou: false,
        }),
        Box::new(overlap::jma::Jma { length: 7, phase: 0.0 }),
        Box::new(overlap::mama::Mama {
            fastlimit: 0.5,
            slowlimit: 0.05,
            convention: Convention::PandasTa,
        }),
        Box::new(candles::cdl_doji::CdlDoji { length: 10, factor: 10.0 }),
        Box::new(candles::cdl_pattern::CdlPattern::all()),
        Box::new(candles::cdl_inside::CdlInside),
        Box::new(candles::cdl_z::CdlZ { length: 30, convention: Convention::PandasTa }),
        Box::new(overlap::pivots::Pivots),
        Box::new(momentum::smc::Smc {
            abr_length: 14,
            close_length: 50,
            vol_length: 20,
            percent: 5,
            vol_ratio: 1.5,
        }),
    ]
}

/// pandas-ta's indicators whose value at t reads later prices, with its default parameters:
/// the centred DPO (pandas-ta's default), Ichimoku with its chikou span, TOS_STDEVALL, ZIGZAG and
/// VHM. Never in [`catalogue`], `all` or a family; selectable by name (or `{ kind = "dpo",
/// centered = true }`, `{ kind = "ichimoku", include_chikou = true }`) only under
/// `features.look_ahead = "allow"`, to reproduce a study that used them.
pub fn look_ahead_catalogue() -> Vec<Box<dyn Indicator>> {
    vec![
        Box::new(trend::dpo::Dpo { length: 20, centered: true }),
        Box::new(overlap::ichimoku::Ichimoku {
            tenkan: 9,
            kijun: 26,
            senkou: 52,
            include_chikou: true,
        }),
        Box::new(statistics::tos_stdevall::TosStdevall { stds: 3, ddof: 1 }),
        Box::new(trend::zigzag::Zigzag { legs: 10, deviation: 5.0 }),
        Box::new(volume::vhm::Vhm { length: 610 }),
    ]
}

/// Whether an experiment may use indicators that read the future (`features.look_ahead`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LookAhead {
    /// Refused, with an error naming the indicator and how it reads the future (the default).
    #[default]
    Refuse,
    /// Allowed, to reproduce a study that used them; the run says so wherever it reports.
    Allow,
}

impl LookAhead {
    pub(crate) fn is_refused(&self) -> bool {
        *self == LookAhead::Refuse
    }
}

/// Whose values an indicator gives (`features.convention`, or an indicator's `convention`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Convention {
    /// pandas-ta's pure-pandas path (TA-Lib not installed, or `talib=False`): the default.
    #[default]
    PandasTa,
    /// What pandas-ta gives with TA-Lib installed (its default `talib=True`): TA-Lib's function
    /// where TA-Lib has the indicator, TA-Lib's building blocks (its EMA, ATR, ...) inside the
    /// indicators that use them.
    Talib,
}

impl Convention {
    /// True for the default, pandas-ta's pure-pandas path.
    pub fn is_pandas_ta(&self) -> bool {
        *self == Convention::PandasTa
    }

    /// An indicator's parameter list (`Indicator::params`), with `convention=talib` appended
    /// under TA-Lib's.
    pub fn named(self, params: String) -> String {
        match self {
            Convention::PandasTa => params,
            Convention::Talib if params.is_empty() => "convention=talib".into(),
            Convention::Talib => format!("{params} convention=talib"),
        }
    }
}

/// How `[features] indicators` is read beside the entries themselves.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rules {
    /// Indicators or families that `all` and the families leave out.
    pub exclude: Vec<String>,
    /// Whether indicators that read the future may be chosen.
    pub look_ahead: LookAhead,
    /// The run's convention, for every entry that does not name its own.
    pub convention: Convention,
}

/// The catalogue entries an experiment asks for: each of `names` is `all`, a family (`momentum`)
/// or an indicator (`rsi`), case-insensitive; the result keeps catalogue order, once each.
///
/// # Errors
/// [`crate::error::Error::Invalid`] naming an entry that is none of these, with the choices.
pub fn select(names: &[String]) -> crate::error::Result<Vec<Box<dyn Indicator>>> {
    let choices: Vec<Choice> = names.iter().map(|n| Choice::Name(n.clone())).collect();
    select_choices(&choices)
}

/// One entry of `[features] indicators`: a name (`"rsi"`), a family or `"all"` with default
/// parameters, or one indicator with parameters, pandas-ta Strategy style
/// (`{ kind = "rsi", length = 21 }`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(untagged)]
pub enum Choice {
    /// An indicator, family or `all`, with default parameters.
    Name(String),
    /// One indicator with parameters.
    Configured {
        /// The indicator's name.
        kind: String,
        /// Its parameters, by pandas-ta's keyword names.
        #[serde(flatten)]
        params: serde_json::Map<String, serde_json::Value>,
    },
}

impl From<&str> for Choice {
    fn from(s: &str) -> Choice {
        Choice::Name(s.to_string())
    }
}

impl From<String> for Choice {
    fn from(s: String) -> Choice {
        Choice::Name(s)
    }
}

impl<'de> serde::Deserialize<'de> for Choice {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Choice, D::Error> {
        use serde::de::Error;
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::String(name) => Ok(Choice::Name(name)),
            serde_json::Value::Object(mut params) => match params.remove("kind") {
                Some(serde_json::Value::String(kind)) => Ok(Choice::Configured { kind, params }),
                _ => Err(D::Error::custom(
                    "an indicator with parameters needs kind = \"<name>\", e.g. { kind = \"rsi\", length = 21 }",
                )),
            },
            other => Err(D::Error::custom(format!(
                "expected an indicator name or {{ kind = ..., parameters }}, found {other}"
            ))),
        }
    }
}

/// The indicators `choices` select, in catalogue order for names and families, then the
/// configured ones in the order given.
///
/// # Errors
/// [`Error::Invalid`](crate::error::Error::Invalid) for an unknown name or family (listing the
/// choices) or bad parameters.
pub fn select_choices(choices: &[Choice]) -> crate::error::Result<Vec<Box<dyn Indicator>>> {
    select_choices_with(choices, &Rules::default())
}

/// [`select_choices`] under `rules`: leaving out of `all` and the families the indicators (or
/// families) in `rules.exclude` (pandas-ta's `study("All", exclude=[...])`; an entry with
/// parameters stays), refusing or allowing indicators that read the future
/// ([`look_ahead_catalogue`]), and giving each entry the run's convention unless it names its own.
///
/// # Errors
/// As [`select_choices`]; an `exclude` entry that is no indicator or family
/// (`features.exclude_indicators`); under [`LookAhead::Refuse`], an indicator that reads the
/// future, named with how it does.
pub fn select_choices_with(
    choices: &[Choice],
    rules: &Rules,
) -> crate::error::Result<Vec<Box<dyn Indicator>>> {
    let (exclude, look_ahead) = (&rules.exclude, rules.look_ahead);
    let exclude: Vec<String> = exclude.iter().map(|n| n.trim().to_lowercase()).collect();
    let all = catalogue();
    if let Some(unknown) =
        exclude.iter().find(|e| all.iter().all(|i| i.name() != *e && i.family().name() != *e))
    {
        return Err(crate::error::Error::config(
            "features.exclude_indicators",
            format!("{unknown:?} is not an indicator or family of the catalogue"),
        ));
    }
    let selected = select_every(choices, &exclude, rules.convention)?;
    if look_ahead == LookAhead::Refuse {
        if let Some(future) = selected.iter().find_map(|i| i.look_ahead().map(|how| (i, how))) {
            let (ind, how) = future;
            return Err(crate::error::Error::config(
                "features.indicators",
                format!(
                    "{} ({}) reads the future: {how}. It is refused as a model input; to \
                     reproduce a study that used it, set features.look_ahead = \"allow\" (the \
                     run then says so in run.log, metrics.json and the report)",
                    ind.name(),
                    ind.params()
                ),
            ));
        }
    }
    Ok(selected)
}

fn select_every(
    choices: &[Choice],
    exclude: &[String],
    convention: Convention,
) -> crate::error::Result<Vec<Box<dyn Indicator>>> {
    let names: Vec<String> = choices
        .iter()
        .filter_map(|c| match c {
            Choice::Name(n) => Some(n.clone()),
            Choice::Configured { .. } => None,
        })
        .collect();
    let mut out = select_names(&names)?;
    out.retain(|i| !exclude.iter().any(|e| e == i.name() || e == i.family().name()));
    // what pandas-ta gives only with TA-Lib comes with "all" and families under TA-Lib's
    // convention, and by name under either
    out.retain(|i| {
        !i.talib_only() || convention == Convention::Talib || names.iter().any(|n| n == i.name())
    });
    let mut out = out
        .into_iter()
        .map(|i| with_convention(i, convention))
        .collect::<crate::error::Result<Vec<_>>>()?;
    for c in choices {
        if let Choice::Configured { kind, params } = c {
            let kind = kind.trim().to_lowercase();
            let base = catalogue()
                .into_iter()
                .chain(look_ahead_catalogue())
                .find(|i| i.name() == kind)
                .ok_or_else(|| {
                crate::error::Error::config("features.indicators", format!("{{ kind = {kind:?} }} is not an indicator name (families and \"all\" take no parameters)"
                ))
            })?;
            let mut params = params.clone();
            let own = match params.get("convention") {
                Some(v) => serde_json::from_value::<Convention>(v.clone()).map_err(|_| {
                    crate::error::Error::config(
                        "features.indicators",
                        format!("{kind}: convention = {v} is not \"pandas_ta\" or \"talib\""),
                    )
                })?,
                None => convention,
            };
            if !base.parameters().contains_key("convention") {
                params.remove("convention");
            }
            out.push(with_convention(base.reconfigured(&params)?, own)?);
        }
    }
    Ok(out)
}

/// `indicator` under `convention`: itself under pandas-ta's, or where TA-Lib changes nothing;
/// reconfigured where it does (every such indicator has a `convention` parameter: `talib.rs`
/// checks it against the TA-Lib fixture).
fn with_convention(
    indicator: Box<dyn Indicator>,
    convention: Convention,
) -> crate::error::Result<Box<dyn Indicator>> {
    if convention == Convention::PandasTa {
        return Ok(indicator);
    }
    if indicator.parameters().contains_key("convention") {
        let mut params = serde_json::Map::new();
        params.insert("convention".into(), serde_json::json!("talib"));
        return indicator.reconfigured(&params);
    }
    Ok(indicator)
}

fn select_names(names: &[String]) -> crate::error::Result<Vec<Box<dyn Indicator>>> {
    let wanted: Vec<String> = names.iter().map(|n| n.trim().to_lowercase()).collect();
    let all = catalogue();
    let future: Vec<Box<dyn Indicator>> = look_ahead_catalogue()
        .into_iter()
        .filter(|f| all.iter().all(|i| i.name() != f.name()))
        .collect();
    for w in &wanted {
        let known = w == "all"
            || all.iter().any(|i| i.name() == w || i.family().name() == w)
            || future.iter().any(|i| i.name() == w);
        if !known {
            let mut choices: Vec<&str> = all.iter().map(|i| i.name()).collect();
            choices.sort_unstable();
            let future: Vec<&str> = future.iter().map(|i| i.name()).collect();
            return Err(crate::error::Error::config(
                "features.indicators",
                format!(
                    "unknown indicator or family {w:?}; use all, a family \
                 (overlap, momentum, volatility, volume, trend, statistics, performance, candles, cycle) \
                 or one of: {} (reading the future, only with features.look_ahead = \"allow\": {})",
                    choices.join(", "),
                    future.join(", ")
                ),
            ));
        }
    }
    let mut out: Vec<Box<dyn Indicator>> = all
        .into_iter()
        .filter(|i| wanted.iter().any(|w| w == "all" || w == i.name() || w == i.family().name()))
        .collect();
    out.extend(future.into_iter().filter(|i| wanted.iter().any(|w| w == i.name())));
    Ok(out)
}
