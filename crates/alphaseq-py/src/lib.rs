//! `alphaseq._core`: the Python extension module behind the `alphaseq` package. It is thin on
//! purpose: each function converts its arguments, releases the GIL and calls the library (the
//! same code as the binary's), and hands back plain values (NumPy arrays, strings, JSON) that the
//! package's pure-Python layer (`python/alphaseq/`) turns into pandas objects. Errors become the
//! package's exceptions (`alphaseq.errors`) with the library's message.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use alphaseq::data::returns::ReturnSeries;
use alphaseq::experiment::folder::RunFolder;
use alphaseq::experiment::log::{Echo, RunLog};
use alphaseq::experiment::report::factor::report as factor_report;
use alphaseq::experiment::report::tearsheet::Standalone;
use alphaseq::experiment::runner::RunOptions;
use alphaseq::features::indicators::{
    catalogue as indicator_catalogue, look_ahead_catalogue, select_choices_with, Convention,
    LookAhead, Rules,
};
use alphaseq::features::indicators::{Choice, Description, Ohlcv};
use alphaseq::features::MomentumSpec;
use alphaseq::metrics::factor::{FactorRow, Prices};
use alphaseq::orders;
use alphaseq_nn::experiment::Experiment;
use chrono::NaiveDate;
use numpy::ndarray::{Array2, ShapeBuilder};
use numpy::{IntoPyArray, PyArray1, PyArray2, PyReadonlyArray1, PyReadonlyArray2};
use pyo3::prelude::*;

/// The binary's allocator, so that training from Python runs at the binary's speed: with the
/// system's malloc, `alphaseq.nn` trained W1 about 12% slower than the binary, with mimalloc
/// within the benchmark's noise (tools/bench/python_nn.py). `no_huge_pages` is the one option
/// changed from the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod errors;
mod nn;

use errors::{raise, usage};

/// Days from 0001-01-01 (chrono's day 1) to 1970-01-01, NumPy's `datetime64[D]` zero.
const UNIX_EPOCH_FROM_CE: i64 = 719_163;

/// The package version and the engine's GEMM kernels on this machine.
#[pyfunction]
fn build_info() -> (String, String) {
    (env!("CARGO_PKG_VERSION").to_string(), alphaseq_nn::gemm::kernels().to_string())
}

/// The indicator catalogue as JSON (a list of `Description`s), with the indicators that read the
/// future at the end when `look_ahead`.
#[pyfunction]
#[pyo3(signature = (look_ahead = false))]
fn catalogue(look_ahead: bool) -> PyResult<String> {
    let future = if look_ahead { look_ahead_catalogue() } else { vec![] };
    let items: Vec<Description> =
        indicator_catalogue().iter().chain(&future).map(|i| Description::of(i.as_ref())).collect();
    serde_json::to_string(&items).map_err(usage)
}

/// Column names, the values (rows x columns), and one line per input that reads the future.
type Columns<'py> = (Vec<String>, Bound<'py, PyArray2<f64>>, Vec<String>);

/// The columns of the indicators `choices` (JSON: a list of names, families, "all" or
/// `{"kind": ..., params}`) on bars in long format: row r belongs to ticker `codes[r]` (any
/// integers), each ticker's rows in date order; `days` are NumPy `datetime64[D]` values. Each
/// ticker is computed on its own rows (tickers in parallel) and the values go back to the rows
/// they came from: the names, and a rows x columns array in Fortran order (each column one
/// contiguous block, as pandas keeps it), and one line per indicator that reads the future
/// (refused unless `look_ahead`); `talib`: the TA-Lib convention for every entry that does not
/// name its own.
#[pyfunction]
#[pyo3(signature = (open, high, low, close, volume, days, codes, choices, look_ahead = false, talib = false))]
#[allow(clippy::too_many_arguments)] // the five bar fields, the dates and the tickers
fn indicators<'py>(
    py: Python<'py>,
    open: PyReadonlyArray1<'py, f64>,
    high: PyReadonlyArray1<'py, f64>,
    low: PyReadonlyArray1<'py, f64>,
    close: PyReadonlyArray1<'py, f64>,
    volume: PyReadonlyArray1<'py, f64>,
    days: PyReadonlyArray1<'py, i64>,
    codes: PyReadonlyArray1<'py, i64>,
    choices: &str,
    look_ahead: bool,
    talib: bool,
) -> PyResult<Columns<'py>> {
    let choices: Vec<Choice> = serde_json::from_str(choices).map_err(usage)?;
    let allowed = if look_ahead { LookAhead::Allow } else { LookAhead::Refuse };
    let selected = select_choices_with(
        &choices,
        &Rules {
            look_ahead: allowed,
            convention: if talib { Convention::Talib } else { Convention::PandasTa },
            ..Rules::default()
        },
    )
    .map_err(|e| raise(py, e))?;
    let dates = to_dates(days.as_slice()?)?;
    let fields = [open.as_slice()?, high.as_slice()?, low.as_slice()?, close.as_slice()?];
    let (volume, codes) = (volume.as_slice()?, codes.as_slice()?);
    let n = dates.len();
    if fields.iter().any(|f| f.len() != n) || volume.len() != n || codes.len() != n {
        return Err(usage("open, high, low, close, volume, dates and tickers differ in length"));
    }
    let mut rows_of: Vec<(i64, Vec<usize>)> = vec![];
    let mut slot: std::collections::HashMap<i64, usize> = Default::default();
    for (r, &code) in codes.iter().enumerate() {
        let k = *slot.entry(code).or_insert_with(|| {
            rows_of.push((code, vec![]));
            rows_of.len() - 1
        });
        rows_of[k].1.push(r);
    }
    for (_, rows) in &rows_of {
        if let Some(w) = rows.windows(2).find(|w| dates[w[1]] <= dates[w[0]]) {
            return Err(usage(format!(
                "rows {} and {} of one ticker: {} is not after {}; sort each ticker's rows by date",
                w[0], w[1], dates[w[1]], dates[w[0]]
            )));
        }
    }
    let names: Vec<String> = selected.iter().flat_map(|i| i.columns()).collect();
    let width = names.len();
    let out = py.detach(|| {
        use rayon::prelude::*;
        // each ticker's columns go into the frame as soon as they are computed: the peak memory is
        // the frame and a ticker per thread, not every ticker's columns and the frame
        let out = Mutex::new(vec![f64::NAN; n * width]);
        rows_of.par_iter().for_each(|(_, rows)| {
            let take = |f: &[f64]| rows.iter().map(|&r| f[r]).collect::<Vec<f64>>();
            let [o, h, l, c] = fields.map(take);
            let (v, d) = (take(volume), rows.iter().map(|&r| dates[r]).collect::<Vec<_>>());
            let bars = Ohlcv { open: &o, high: &h, low: &l, close: &c, volume: &v, dates: &d };
            let columns: Vec<Vec<f64>> =
                selected.iter().flat_map(|ind| ind.compute(&bars)).collect();
            let mut out = out.lock().unwrap_or_else(PoisonError::into_inner);
            for (j, column) in columns.iter().enumerate() {
                for (&r, &value) in rows.iter().zip(column) {
                    out[j * n + r] = value;
                }
            }
        });
        out.into_inner().unwrap_or_else(PoisonError::into_inner)
    });
    let array = Array2::from_shape_vec((n, width).f(), out).map_err(usage)?;
    let future: Vec<String> = selected
        .iter()
        .filter_map(|i| {
            let how = i.look_ahead()?;
            Some(format!("{} ({} {}): {how}", i.columns().join(", "), i.name(), i.params()))
        })
        .collect();
    Ok((names, array.into_pyarray(py), future))
}

fn to_dates(days: &[i64]) -> PyResult<Vec<NaiveDate>> {
    days.iter()
        .map(|&d| {
            i32::try_from(d + UNIX_EPOCH_FROM_CE)
                .ok()
                .and_then(NaiveDate::from_num_days_from_ce_opt)
                .ok_or_else(|| usage(format!("{d} is not a date (days since 1970-01-01)")))
        })
        .collect()
}

/// The momentum features (`spec`: JSON of `[features.momentum]`) of one ticker's adjusted close,
/// with the market's one-bar returns on the same dates when a feature needs them.
#[pyfunction]
#[pyo3(signature = (price, market, spec))]
fn momentum_features<'py>(
    py: Python<'py>,
    price: PyReadonlyArray1<'py, f64>,
    market: Option<PyReadonlyArray1<'py, f64>>,
    spec: &str,
) -> PyResult<Vec<(String, Bound<'py, PyArray1<f64>>)>> {
    let spec: MomentumSpec = serde_json::from_str(spec).map_err(usage)?;
    spec.validate().map_err(|e| raise(py, e))?;
    let price = price.as_slice()?;
    let market = market.as_ref().map(|m| m.as_slice()).transpose()?;
    if spec.needs_market() && market.is_none() {
        return Err(usage("beta, alpha and the alpha variance need the market's returns"));
    }
    if market.is_some_and(|m| m.len() != price.len()) {
        return Err(usage("the market's returns and the price differ in length"));
    }
    let columns = py.detach(|| spec.compute(price, market));
    Ok(spec.names().into_iter().zip(columns).map(|(n, v)| (n, PyArray1::from_vec(py, v))).collect())
}

/// Runs an experiment into a run folder and returns the folder. `config` is a TOML file's path,
/// or (with `is_json`) the experiment as JSON (from a Python dict; relative paths are relative to
/// the current folder); `overrides` is JSON `{dotted key: value}` as `--set` takes them; `echo`
/// (a callable taking a line) receives the log's lines as the binary prints them.
#[pyfunction]
#[pyo3(signature = (config, is_json, overrides, out=None, force=false, parallel=None, echo=None))]
#[allow(clippy::too_many_arguments)] // the binary's options, one argument each
fn run(
    py: Python<'_>,
    config: &str,
    is_json: bool,
    overrides: &str,
    out: Option<PathBuf>,
    force: bool,
    parallel: Option<usize>,
    echo: Option<Py<PyAny>>,
) -> PyResult<String> {
    let exp = load_experiment(py, config, is_json, overrides)?;
    let dir = out.unwrap_or_else(|| exp.default_folder());
    exp.claim_folder(&dir, force).map_err(|e| raise(py, e))?;
    let log =
        RunLog::open(&dir.join("run.log"), echo.map(python_echo)).map_err(|e| raise(py, e))?;
    let started = std::time::Instant::now();
    log.line(&format!(
        "alphaseq {} (Python) run {} -> {} (engine GEMM kernels: {})",
        env!("CARGO_PKG_VERSION"),
        if is_json { "<dict>" } else { config },
        dir.display(),
        alphaseq_nn::gemm::kernels()
    ));
    let options = RunOptions { parallel, ..RunOptions::default() };
    py.detach(|| exp.run_folder(&dir, &log, &options)).map_err(|e| raise(py, e))?;
    log.line(&format!("done in {:.2} s", started.elapsed().as_secs_f64()));
    Ok(dir.display().to_string())
}

/// A returns series from NumPy: `datetime64[D]` days and simple returns, dates increasing.
fn return_series(what: &str, days: &[i64], returns: &[f64]) -> PyResult<ReturnSeries> {
    if days.len() != returns.len() {
        return Err(usage(format!("{what}: {} dates, {} returns", days.len(), returns.len())));
    }
    let dates = to_dates(days)?;
    if let Some(i) = (1..dates.len()).find(|&i| dates[i] <= dates[i - 1]) {
        return Err(usage(format!(
            "{what}: date {} (row {i}) is not after the previous one; sort the index",
            dates[i]
        )));
    }
    Ok(ReturnSeries { dates, returns: returns.to_vec() })
}

/// pyfolio's statistics of a returns series (empyrical definitions), against a benchmark when
/// given: the record as JSON and the report as HTML (as `alphaseq tearsheet --out`).
#[pyfunction]
#[pyo3(signature = (name, days, returns, benchmark=None, period=None))]
fn tearsheet(
    py: Python<'_>,
    name: &str,
    days: PyReadonlyArray1<'_, i64>,
    returns: PyReadonlyArray1<'_, f64>,
    benchmark: Option<(String, PyReadonlyArray1<'_, i64>, PyReadonlyArray1<'_, f64>)>,
    period: Option<&str>,
) -> PyResult<(String, String)> {
    let series = return_series(name, days.as_slice()?, returns.as_slice()?)?;
    let bench = match &benchmark {
        Some((b, d, r)) => Some((b.as_str(), return_series(b, d.as_slice()?, r.as_slice()?)?)),
        None => None,
    };
    let sheet = Standalone::new(name, series, bench.as_ref().map(|(n, b)| (*n, b)), period)
        .map_err(|e| raise(py, e))?;
    py.detach(|| {
        let record = serde_json::to_string(&sheet.record()).map_err(usage)?;
        Ok((record, alphaseq_report::render_html(&sheet.report())))
    })
}

/// alphalens-reloaded's factor tear sheet of `values` (one per `days`/`tickers` row) against
/// `prices` (dates x tickers, adjusted closes; NaN where none), each ticker's group from
/// `groups`: the analysis as JSON and the report as HTML (as `alphaseq factor --out`).
#[pyfunction]
#[pyo3(signature = (name, days, tickers, values, price_days, price_tickers, prices, groups, periods, quantiles))]
#[allow(clippy::too_many_arguments)] // the factor's three columns, the price table's three parts
fn factor(
    py: Python<'_>,
    name: &str,
    days: PyReadonlyArray1<'_, i64>,
    tickers: Vec<String>,
    values: PyReadonlyArray1<'_, f64>,
    price_days: PyReadonlyArray1<'_, i64>,
    price_tickers: Vec<String>,
    prices: PyReadonlyArray2<'_, f64>,
    groups: Option<Vec<Option<String>>>,
    periods: Vec<usize>,
    quantiles: usize,
) -> PyResult<(String, String)> {
    let spec = alphaseq::factor::spec(&periods, quantiles).map_err(|e| raise(py, e))?;
    let (dates, values) = (to_dates(days.as_slice()?)?, values.as_slice()?);
    if dates.len() != tickers.len() || dates.len() != values.len() {
        return Err(usage("the factor's dates, tickers and values differ in length"));
    }
    let rows: Vec<FactorRow> = dates
        .into_iter()
        .zip(tickers)
        .zip(values)
        .map(|((date, ticker), &value)| FactorRow { date, ticker, value })
        .collect();
    let calendar = to_dates(price_days.as_slice()?)?;
    let table = prices.as_array();
    if table.shape() != [calendar.len(), price_tickers.len()] {
        return Err(usage("prices must be dates x tickers"));
    }
    let columns: Vec<Vec<f64>> = table.columns().into_iter().map(|c| c.to_vec()).collect();
    if groups.as_ref().is_some_and(|g| g.len() != price_tickers.len()) {
        return Err(usage("one group (sector) per price column"));
    }
    let prices = Prices {
        dates: &calendar,
        tickers: &price_tickers,
        values: &columns,
        groups: groups.as_deref(),
    };
    py.detach(|| {
        let analysis = alphaseq::factor::analyse_used(&rows, &prices, &spec)?;
        let json = serde_json::to_string(&analysis)
            .map_err(|e| alphaseq::Error::Invalid(e.to_string()))?;
        Ok((json, alphaseq_report::render_html(&factor_report(name, &analysis))))
    })
    .map_err(|e| raise(py, e))
}

/// Today's positions from the run folder `run` (as `alphaseq signal`): the run's prices, or
/// `prices`, up to `asof`; JSON `{asof, positions: [{ticker, weight, prediction}], notes}`.
/// With holdings (`holdings_file` as `--holdings` reads it, or `holdings` pairs of ticker and
/// shares plus `cash`), also `orders: {capital, cash_after, lines: [...]}` as `--holdings`
/// writes them.
#[pyfunction]
#[pyo3(signature = (run, prices, asof=None, sectors=None, max_stale_days=None, echo=None, holdings=None, holdings_file=None, cash=0.0, capital=None, fractional=false))]
#[allow(clippy::too_many_arguments)]
fn signal(
    py: Python<'_>,
    run: PathBuf,
    prices: Vec<PathBuf>,
    asof: Option<&str>,
    sectors: Option<PathBuf>,
    max_stale_days: Option<i64>,
    echo: Option<Py<PyAny>>,
    holdings: Option<Vec<(String, f64)>>,
    holdings_file: Option<PathBuf>,
    cash: f64,
    capital: Option<f64>,
    fractional: bool,
) -> PyResult<String> {
    let asof = asof
        .map(|d| d.parse::<NaiveDate>().map_err(|e| usage(format!("asof {d:?}: {e}"))))
        .transpose()?;
    let folder = RunFolder::open(&run).map_err(|e| raise(py, e))?;
    let exp: Experiment =
        folder.signal_experiment(&prices, sectors.as_deref(), asof).map_err(|e| raise(py, e))?;
    let log = echo.map_or_else(RunLog::default, |e| RunLog::echo_only(python_echo(e)));
    let holdings = match (holdings, holdings_file) {
        (_, Some(path)) => Some(orders::read_holdings(&path).map_err(|e| raise(py, e))?),
        (Some(shares), None) => Some(orders::Holdings { shares, cash }),
        (None, None) => None,
    };
    let options = orders::OrderOptions { capital, fractional };
    let (signal, list) = py
        .detach(|| {
            let panel = exp.load_panel(&log)?;
            let signal = folder.signal(&exp, &panel, asof, max_stale_days)?;
            let list = match &holdings {
                Some(h) => {
                    Some(orders::order_list(&panel, signal.asof, &signal.positions, h, options)?)
                }
                None => None,
            };
            Ok::<_, alphaseq::Error>((signal, list))
        })
        .map_err(|e| raise(py, e))?;
    let positions: Vec<serde_json::Value> = signal
        .positions
        .iter()
        .map(|p| serde_json::json!({"ticker": p.ticker, "weight": p.weight, "prediction": p.prediction}))
        .collect();
    let mut doc = serde_json::json!({
        "asof": signal.asof.to_string(),
        "positions": positions,
        "notes": signal.notes,
    });
    if let Some(list) = list {
        doc["orders"] = serde_json::to_value(list).map_err(usage)?;
    }
    serde_json::to_string(&doc).map_err(usage)
}

/// A Python callable as the log's echo (an echo that raises loses its line, never the run).
fn python_echo(callable: Py<PyAny>) -> Echo {
    let callable = Arc::new(callable);
    Arc::new(move |line: &str| {
        Python::attach(|py| {
            let _ = callable.call1(py, (line,));
        });
    })
}

/// The experiment of a TOML file's path, or (with `is_json`) of its JSON, with `overrides` (JSON
/// `{dotted key: value}`) set as `--set` sets them.
pub(crate) fn load_experiment(
    py: Python<'_>,
    config: &str,
    is_json: bool,
    overrides: &str,
) -> PyResult<Experiment> {
    let overrides: Vec<(String, toml::Value)> = match serde_json::from_str(overrides) {
        Ok(serde_json::Value::Object(map)) => map
            .into_iter()
            .map(|(k, v)| Ok((k.clone(), toml_value(&k, v)?)))
            .collect::<PyResult<_>>()?,
        _ => return Err(usage("overrides must be a dict of dotted keys and values")),
    };
    let exp = if is_json {
        let value: serde_json::Value = serde_json::from_str(config).map_err(usage)?;
        let mut doc = toml_value("config", value)?;
        for (key, value) in overrides {
            alphaseq::experiment::search::set_path(&mut doc, &key, value)
                .map_err(|e| raise(py, e))?;
        }
        let text = toml::to_string(&doc).map_err(usage)?;
        Experiment::parse(&text).map_err(|e| raise(py, e))?
    } else {
        Experiment::load_with(std::path::Path::new(config), &overrides).map_err(|e| raise(py, e))?
    };
    Ok(exp)
}

/// A JSON value from Python as TOML (`key` names it in the error: TOML has no null).
fn toml_value(key: &str, value: serde_json::Value) -> PyResult<toml::Value> {
    toml::Value::try_from(value).map_err(|e| usage(format!("{key}: {e} (TOML has no None)")))
}

/// mimalloc's option `allow_thp` (43 in libmimalloc-sys 0.1.49's mimalloc 3.3.2, which
/// Cargo.toml pins) set to 0 as the module loads: mimalloc then stops asking the kernel for
/// transparent huge pages for the memory it maps later. In a Python process that also runs
/// pandas, the memory mimalloc returns to the OS between calls came back as huge pages that the
/// kernel zeroes 2 MB at a time: `alphaseq.indicators` took 1.1 s on its first call instead of
/// 0.3 s. Set here rather than by MIMALLOC_ALLOW_THP, which would switch huge pages off for the
/// whole process (NumPy's too).
#[allow(unsafe_code)]
fn no_huge_pages() {
    const ALLOW_THP: libmimalloc_sys::mi_option_t = 43;
    // SAFETY: mi_option_set stores one integer option; mimalloc reads it when it next maps memory.
    unsafe { libmimalloc_sys::mi_option_set(ALLOW_THP, 0) };
}

/// The extension module.

#[pymodule]
#[pyo3(name = "_core")]
fn core_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    no_huge_pages();
    m.add_function(wrap_pyfunction!(build_info, m)?)?;
    m.add_function(wrap_pyfunction!(catalogue, m)?)?;
    m.add_function(wrap_pyfunction!(indicators, m)?)?;
    m.add_function(wrap_pyfunction!(momentum_features, m)?)?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(tearsheet, m)?)?;
    m.add_function(wrap_pyfunction!(factor, m)?)?;
    m.add_function(wrap_pyfunction!(signal, m)?)?;
    m.add_class::<nn::Network>()?;
    m.add_function(wrap_pyfunction!(nn::fold_arrays, m)?)?;
    Ok(())
}
