//! From target weights to orders: what to buy and sell so that current holdings become the
//! signal's positions, priced at the as-of date's close (`alphaseq signal --holdings`).
//!
//! Holdings are a CSV of `ticker,shares` (a broker's position export; a row `CASH` gives the
//! cash). The capital the weights apply to is `--capital` when given, else what the holdings
//! are worth at the as-of close, cash included. Each name's target is `weight x capital /
//! close` shares, whole shares (towards zero, so a target never exceeds its weight) unless
//! fractions are asked for; a held name the signal does not trade is sold (target 0).

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;

use crate::data::returns::SmallCsv;
use crate::data::Panel;
use crate::error::{Error, Result};
use crate::signal::Position;

/// What is held now.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Holdings {
    /// (ticker, shares; negative: short), in the file's order.
    pub shares: Vec<(String, f64)>,
    /// Cash (the `CASH` row; 0 without one).
    pub cash: f64,
}

/// Reads a holdings file: columns `ticker` (or `symbol`, `asset`) and `shares` (or `quantity`,
/// `position`), any others ignored; a ticker `CASH` (any case) is the cash amount.
///
/// # Errors
/// [`Error::Io`] if it cannot be read; [`Error::Parse`] naming the file and line for a missing
/// column, an empty ticker, a number that does not parse or is not finite, or a ticker given
/// twice.
pub fn read_holdings(path: &Path) -> Result<Holdings> {
    let csv = SmallCsv::read(path)?;
    let t = csv.column(&["ticker", "symbol", "asset"], "ticker")?;
    let s = csv.column(&["shares", "quantity", "position"], "shares")?;
    let mut holdings = Holdings::default();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for row in &csv.rows {
        let ticker = csv.field(row, t)?.to_string();
        if ticker.is_empty() {
            return Err(csv.bad(row.0, "empty ticker".into()));
        }
        let shares = csv.number(row, s, "shares")?;
        if !shares.is_finite() {
            return Err(csv.bad(row.0, format!("{ticker}: shares must be a number, not {shares}")));
        }
        if let Some(first) = seen.insert(ticker.to_uppercase(), row.0) {
            return Err(csv.bad(row.0, format!("{ticker} is given twice (first on line {first})")));
        }
        if ticker.eq_ignore_ascii_case("cash") {
            holdings.cash = shares;
        } else {
            holdings.shares.push((ticker, shares));
        }
    }
    Ok(holdings)
}

/// One line of the order list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Order {
    /// Ticker.
    pub ticker: String,
    /// The close at the as-of date (unadjusted: what the shares trade at).
    pub price: f64,
    /// Shares held now.
    pub current_shares: f64,
    /// Their weight in the capital.
    pub current_weight: f64,
    /// The signal's weight.
    pub target_weight: f64,
    /// Shares to hold.
    pub target_shares: f64,
    /// Shares to buy (positive) or sell (negative).
    pub trade_shares: f64,
    /// `trade_shares x price`.
    pub trade_value: f64,
}

/// The orders that turn holdings into the signal's positions (serialised as `signal --holdings`
/// writes them into its JSON).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrderList {
    /// The as-of date whose closes price the orders.
    pub asof: NaiveDate,
    /// The capital the weights apply to.
    pub capital: f64,
    /// The traded names first (the signal's order), then held names the signal does not trade.
    pub orders: Vec<Order>,
    /// Cash after every order fills at the close: the holdings' cash minus what the trades cost.
    pub cash_after: f64,
}

/// How weights become shares.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct OrderOptions {
    /// The capital the weights apply to (default: the holdings' value at the as-of close).
    pub capital: Option<f64>,
    /// Fractional shares instead of whole ones.
    pub fractional: bool,
}

/// The order list for `positions` (the signal at `asof`) from `holdings`, priced at the
/// as-of closes of `panel`.
///
/// # Errors
/// [`Error::NotEnoughData`] for a held or traded ticker the prices lack or that has no close on
/// `asof`; [`Error::Config`] (key `--capital`) for a capital that is not positive.
pub fn order_list(
    panel: &Panel,
    asof: NaiveDate,
    positions: &[Position],
    holdings: &Holdings,
    options: OrderOptions,
) -> Result<OrderList> {
    let d = panel.dates().binary_search(&asof).map_err(|_| {
        Error::NotEnoughData(format!("the prices have no bars on the as-of date {asof}"))
    })?;
    let price = |ticker: &str| -> Result<f64> {
        let i = panel.ticker_index(ticker).ok_or_else(|| {
            Error::NotEnoughData(format!(
                "{ticker} is held but not in the prices, so it cannot be priced"
            ))
        })?;
        let close = panel.bars(i).close[d];
        if close.is_finite() && close > 0.0 {
            Ok(close)
        } else {
            Err(Error::NotEnoughData(format!("{ticker} has no close on {asof} to price its order")))
        }
    };
    let held: HashMap<&str, f64> = holdings.shares.iter().map(|(t, s)| (t.as_str(), *s)).collect();
    let mut value = holdings.cash;
    for (ticker, shares) in &holdings.shares {
        if *shares != 0.0 {
            value += shares * price(ticker)?;
        }
    }
    let capital = options.capital.unwrap_or(value);
    if !(capital.is_finite() && capital > 0.0) {
        return Err(Error::config(
            "--capital",
            format!("the capital the weights apply to must be positive, not {capital} (the holdings are worth {value:.2} at the {asof} close)"),
        ));
    }
    let traded: Vec<(&str, f64)> =
        positions.iter().map(|p| (p.ticker.as_str(), p.weight)).collect();
    let untraded = holdings
        .shares
        .iter()
        .filter(|(t, _)| !positions.iter().any(|p| &p.ticker == t))
        .map(|(t, _)| (t.as_str(), 0.0));
    let mut orders = vec![];
    let mut cash_after = holdings.cash;
    for (ticker, weight) in traded.into_iter().chain(untraded) {
        let current = held.get(ticker).copied().unwrap_or(0.0);
        if weight == 0.0 && current == 0.0 {
            continue;
        }
        let price = price(ticker)?;
        let exact = weight * capital / price;
        let target = if options.fractional { exact } else { exact.trunc() };
        let trade = target - current;
        cash_after -= trade * price;
        orders.push(Order {
            ticker: ticker.to_string(),
            price,
            current_shares: current,
            current_weight: current * price / capital,
            target_weight: weight,
            target_shares: target,
            trade_shares: trade,
            trade_value: trade * price,
        });
    }
    Ok(OrderList { asof, capital, orders, cash_after })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Bars;

    fn panel() -> Panel {
        let dates: Vec<NaiveDate> =
            (1..=3).map(|d| NaiveDate::from_ymd_opt(2021, 3, d).unwrap()).collect();
        let bars = |closes: [f64; 3]| Bars {
            open: closes.to_vec(),
            high: closes.to_vec(),
            low: closes.to_vec(),
            close: closes.to_vec(),
            adj_close: closes.iter().map(|c| c / 2.0).collect(),
            volume: vec![1e6; 3],
        };
        Panel::new(
            dates,
            vec!["AAA".into(), "BBB".into(), "CCC".into()],
            vec![bars([10.0, 11.0, 20.0]), bars([50.0, 51.0, 40.0]), bars([5.0, 5.0, f64::NAN])],
        )
        .unwrap()
    }

    fn position(ticker: &str, weight: f64) -> Position {
        Position { ticker: ticker.into(), weight, prediction: weight }
    }

    #[test]
    fn holdings_become_the_target_weights_at_the_as_of_close() {
        let asof = NaiveDate::from_ymd_opt(2021, 3, 3).unwrap();
        // worth 10 x 20 + 30 x 40 + 600 = 2,000 at the 3 March closes (unadjusted)
        let holdings =
            Holdings { shares: vec![("AAA".into(), 10.0), ("BBB".into(), 30.0)], cash: 600.0 };
        let positions = [position("AAA", 0.5), position("BBB", -0.25)];
        let list =
            order_list(&panel(), asof, &positions, &holdings, OrderOptions::default()).unwrap();
        assert_eq!(list.capital, 2000.0);
        let a = &list.orders[0];
        assert_eq!(
            (a.price, a.current_weight, a.target_shares, a.trade_shares),
            (20.0, 0.1, 50.0, 40.0)
        );
        assert_eq!(a.trade_value, 800.0);
        let b = &list.orders[1];
        // -0.25 x 2,000 / 40 = -12.5 shares: whole shares towards zero
        assert_eq!((b.current_weight, b.target_shares, b.trade_shares), (0.6, -12.0, -42.0));
        assert_eq!(list.cash_after, 600.0 - 800.0 + 42.0 * 40.0);
        let fractional = OrderOptions { capital: Some(4000.0), fractional: true };
        let list = order_list(&panel(), asof, &positions, &holdings, fractional).unwrap();
        assert_eq!((list.orders[0].target_shares, list.orders[1].target_shares), (100.0, -25.0));
        assert_eq!(list.orders[0].current_weight, 0.05);
    }

    #[test]
    fn a_held_name_the_signal_does_not_trade_is_sold() {
        let asof = NaiveDate::from_ymd_opt(2021, 3, 2).unwrap();
        let holdings = Holdings { shares: vec![("BBB".into(), 10.0)], cash: 0.0 };
        let list =
            order_list(&panel(), asof, &[position("AAA", 0.0)], &holdings, OrderOptions::default())
                .unwrap();
        assert_eq!(list.orders.len(), 1, "a zero target without holdings is no order");
        let b = &list.orders[0];
        assert_eq!((b.ticker.as_str(), b.target_weight, b.trade_shares), ("BBB", 0.0, -10.0));
        assert_eq!(list.cash_after, 510.0);
    }

    #[test]
    fn unpriceable_names_and_no_capital_are_errors() {
        let asof = NaiveDate::from_ymd_opt(2021, 3, 3).unwrap();
        let none = OrderOptions::default();
        let held = |t: &str| Holdings { shares: vec![(t.into(), 1.0)], cash: 0.0 };
        let e = order_list(&panel(), asof, &[], &held("ZZZ"), none).unwrap_err().to_string();
        assert!(e.contains("ZZZ is held but not in the prices"), "{e}");
        let e = order_list(&panel(), asof, &[], &held("CCC"), none).unwrap_err().to_string();
        assert!(e.contains("CCC has no close on 2021-03-03"), "{e}");
        let e = order_list(&panel(), asof, &[position("AAA", 1.0)], &Holdings::default(), none)
            .unwrap_err()
            .to_string();
        assert!(e.contains("--capital") && e.contains("must be positive"), "{e}");
        let sunday = NaiveDate::from_ymd_opt(2021, 3, 7).unwrap();
        let e = order_list(&panel(), sunday, &[], &held("AAA"), none).unwrap_err().to_string();
        assert!(e.contains("no bars on the as-of date 2021-03-07"), "{e}");
    }

    #[test]
    fn holdings_files_are_read_with_their_errors_named() {
        let dir = tempfile::tempdir().unwrap();
        let write = |text: &str| {
            let p = dir.path().join("h.csv");
            std::fs::write(&p, text).unwrap();
            p
        };
        let h = read_holdings(&write("Symbol,Quantity,Note\nAAA,10,x\ncash,250.5,\nBBB,-3,\n"))
            .unwrap();
        assert_eq!(h.shares, vec![("AAA".to_string(), 10.0), ("BBB".to_string(), -3.0)]);
        assert_eq!(h.cash, 250.5);
        let e = read_holdings(&write("ticker,shares\nAAA,10\nAAA,2\n")).unwrap_err().to_string();
        assert!(e.contains("h.csv:3: AAA is given twice"), "{e}");
        let e = read_holdings(&write("ticker,shares\nAAA,ten\n")).unwrap_err().to_string();
        assert!(e.contains("h.csv:2: unparseable shares \"ten\""), "{e}");
        let e = read_holdings(&write("ticker,weight\nAAA,1\n")).unwrap_err().to_string();
        assert!(e.contains("no shares column"), "{e}");
    }
}
