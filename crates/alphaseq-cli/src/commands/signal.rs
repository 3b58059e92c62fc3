//! `alphaseq signal --run RUN_DIR --data PRICES... [--asof DATE] [--out FILE]`: positions from a
//! trained run: a thin call of [`RunFolder::signal`], which reads the run's experiment, record and
//! stored folds, chooses the fold whose model traded the as-of date (the last fold after the
//! run's test span; each ticker's own with one model per ticker) and computes the positions as
//! the backtest held them. The prices are read up to the as-of date only. Writes
//! `ticker,weight,prediction,asof` as CSV (stdout or `--out FILE`) and, with `--out`, the same
//! as JSON beside it. With `--holdings CURRENT.csv` it also writes the order list that turns
//! those holdings into the positions ([`alphaseq::orders`]): to stdout without `--out`, else
//! beside it as `NAME.orders.csv` (and in the JSON).

use std::path::PathBuf;

use alphaseq::experiment::atomic;
use alphaseq::experiment::folder::RunFolder;
use alphaseq::orders::{self, OrderList, OrderOptions};
use chrono::NaiveDate;
use clap::Args;
use serde_json::json;

use crate::config::Experiment;
use crate::stdout::out;
use crate::Failure;

/// Arguments of `signal`.
#[derive(Debug, Args)]
pub struct SignalArgs {
    /// A run folder written by `alphaseq run`.
    #[arg(long)]
    run: PathBuf,
    /// The latest prices (same layouts as the run's `data.prices`); default: the run's files.
    #[arg(long, num_args = 1..)]
    data: Vec<PathBuf>,
    /// The as-of date (default: the last date of the prices); later rows are not read.
    #[arg(long)]
    asof: Option<NaiveDate>,
    /// The ticker,sector file (default: the run's `data.sectors`).
    #[arg(long)]
    sectors: Option<PathBuf>,
    /// Calendar days the last bar of the prices may lie before --asof (default: 5 for daily,
    /// 10 for weekly, 35 for monthly bars); older prices are refused as stale.
    #[arg(long)]
    max_stale_days: Option<i64>,
    /// Write the positions here (CSV) and as JSON beside it (same name, `.json`).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Current holdings (`ticker,shares`; a `CASH` row for cash): also write the order list
    /// that turns them into the positions, priced at the as-of close.
    #[arg(long)]
    holdings: Option<PathBuf>,
    /// The capital the weights apply to (default: the holdings' value at the as-of close).
    #[arg(long, requires = "holdings")]
    capital: Option<f64>,
    /// Fractional shares in the order list (default: whole shares, towards zero).
    #[arg(long, requires = "holdings")]
    fractional: bool,
}

/// Computes and writes the positions.
pub fn run(args: SignalArgs) -> Result<(), Failure> {
    let usage = |e: alphaseq::Error| Failure::usage(e);
    let dir = &args.run;
    let folder = RunFolder::open(dir).map_err(usage)?;
    let exp: Experiment =
        folder.signal_experiment(&args.data, args.sectors.as_deref(), args.asof).map_err(usage)?;
    let log = crate::log::stderr();
    let panel = exp.load_panel(&log)?;
    let signal = folder.signal(&exp, &panel, args.asof, args.max_stale_days)?;
    for note in &signal.notes {
        log.line(note);
    }
    let (asof, positions) = (signal.asof, &signal.positions);
    let orders = match &args.holdings {
        Some(path) => {
            let holdings = orders::read_holdings(path).map_err(usage)?;
            let options = OrderOptions { capital: args.capital, fractional: args.fractional };
            Some(orders::order_list(&panel, asof, positions, &holdings, options).map_err(usage)?)
        }
        None => None,
    };
    let mut csv = String::from("ticker,weight,prediction,asof\n");
    for p in positions {
        csv.push_str(&format!("{},{},{},{asof}\n", p.ticker, p.weight, p.prediction));
    }
    match &args.out {
        Some(path) => {
            atomic::write(path, csv.as_bytes())?;
            let mut doc = json!({
                "asof": asof.to_string(),
                "run": dir.display().to_string(),
                "rule": exp.strategy.rule,
                "positions": positions.iter().map(|p| json!({"ticker": p.ticker, "weight": p.weight, "prediction": p.prediction})).collect::<Vec<_>>(),
            });
            eprintln!(
                "signal for {asof}: {} names, gross exposure {:.3}; {}",
                positions.len(),
                signal.gross(),
                path.display()
            );
            if let Some(list) = &orders {
                let orders_path = path.with_extension("orders.csv");
                atomic::write(&orders_path, order_csv(list).as_bytes())?;
                doc["orders"] = serde_json::to_value(list).map_err(anyhow::Error::from)?;
                eprintln!("{}; {}", order_summary(list), orders_path.display());
            }
            let text = serde_json::to_string_pretty(&doc).map_err(anyhow::Error::from)?;
            atomic::write(&path.with_extension("json"), text.as_bytes())?;
        }
        None => match &orders {
            Some(list) => {
                out!("{}", order_csv(list));
                eprintln!("{}", order_summary(list));
            }
            None => out!("{csv}"),
        },
    }
    Ok(())
}

/// The order list as CSV.
fn order_csv(list: &OrderList) -> String {
    let mut csv = String::from(
        "ticker,price,current_shares,current_weight,target_weight,target_shares,trade_shares,trade_value,asof\n",
    );
    for o in &list.orders {
        csv.push_str(&format!(
            "{},{},{},{},{},{},{},{},{}\n",
            o.ticker,
            o.price,
            o.current_shares,
            o.current_weight,
            o.target_weight,
            o.target_shares,
            o.trade_shares,
            o.trade_value,
            list.asof
        ));
    }
    csv
}

/// "orders for 2021-04-30 on capital 100000.00: 12 trades, bought 45000.00, sold 40000.00,
/// cash after 5000.00".
fn order_summary(list: &OrderList) -> String {
    let trades = list.orders.iter().filter(|o| o.trade_shares != 0.0).count();
    let bought: f64 = list.orders.iter().map(|o| o.trade_value.max(0.0)).sum();
    let sold: f64 = list.orders.iter().map(|o| (-o.trade_value).max(0.0)).sum();
    format!(
        "orders for {} on capital {:.2}: {trades} trades, bought {bought:.2}, sold {sold:.2}, cash after {:.2}",
        list.asof, list.capital, list.cash_after
    )
}
