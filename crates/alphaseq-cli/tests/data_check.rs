//! `alphaseq data check`: one test per entry of the validation catalogue (exact message, exit
//! code), the readers (gzip, Yahoo folder), JSON output, and the known problems of the shared
//! S&P 500 file.

use crate::util::{alphaseq, assert_reports, repo_root, stdout, write};

const HEADER: &str = "date,ticker,open,high,low,close,adj_close,volume\n";

fn check(rows: &str, extra: &[&str]) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "p.csv", &format!("{HEADER}{rows}"));
    let mut args = vec!["data", "check", "p.csv"];
    args.extend_from_slice(extra);
    alphaseq(dir.path(), &args)
}

#[test]
fn unparseable_number_names_line_column_ticker_and_date() {
    let o =
        check("2021-01-04,AAA,10,11,9,10.5,10.5,100\n2021-01-05,AAA,10,11,9,1O.5,10.5,100\n", &[]);
    assert_reports(&o, 1, "p.csv:3:6: error[unparseable-value] AAA 2021-01-05: column 6 (close): cannot parse \"1O.5\" as a number");
}

#[test]
fn unparseable_date_and_wrong_field_count() {
    let o = check("2021-13-05,AAA,10,11,9,10.5,10.5,100\n2021-01-06,AAA,10,11,9,10.5\n", &[]);
    assert_reports(&o, 1, "p.csv:2:1: error[unparseable-value] AAA: column 1 (date): cannot parse \"2021-13-05\" as a YYYY-MM-DD date");
    assert_reports(
        &o,
        1,
        "p.csv:3: error[unparseable-value]: expected 8 fields as in the header, found 6",
    );
}

#[test]
fn missing_required_column() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "p.csv",
        "Date,Symbol,Open,High,Low,Adj Close,Volume\n2021-01-04,AAA,1,1,1,1,1\n",
    );
    let o = alphaseq(dir.path(), &["data", "check", "p.csv"]);
    assert_reports(&o, 1, "p.csv:1: error[missing-column]: missing required column(s) close; the header has: Date,Symbol,Open,High,Low,Adj Close,Volume");
}

#[test]
fn duplicate_ticker_date() {
    let o = check("2021-01-04,AAA,10,11,9,10,10,100\n2021-01-05,AAA,10,11,9,10,10,100\n2021-01-05,AAA,10,11,9,10,10,100\n", &[]);
    assert_reports(&o, 1, "p.csv:4: error[duplicate-row] AAA 2021-01-05: duplicate (ticker, date); first seen at p.csv:3");
}

#[test]
fn dates_out_of_order() {
    let o = check("2021-01-05,AAA,10,11,9,10,10,100\n2021-01-04,AAA,10,11,9,10,10,100\n", &[]);
    assert_reports(&o, 1, "p.csv:3: error[dates-out-of-order] AAA 2021-01-04: date comes after 2021-01-05 in the file; dates must increase");
}

#[test]
fn non_positive_price_unless_allowed() {
    let rows = "2021-01-04,CL,10,11,9,10,10,\n2021-01-05,CL,-1,11,-5,-2,-2,\n";
    let o = check(rows, &[]);
    assert_reports(&o, 1, "p.csv:3: error[non-positive-price] CL 2021-01-05: non-positive price open=-1, low=-5, close=-2, adj_close=-2 (set allow_non_positive for futures or spreads)");
    let allowed = check(rows, &["--allow-non-positive"]);
    assert_eq!(allowed.status.code(), Some(0), "{}", stdout(&allowed));
    assert!(!stdout(&allowed).contains("non-positive-price"));
}

#[test]
fn high_below_low() {
    let o = check("2021-01-04,AAA,10,9,11,10,10,100\n", &[]);
    assert_reports(&o, 1, "p.csv:2: error[high-below-low] AAA 2021-01-04: high 9 is below low 11");
}

#[test]
fn open_or_close_outside_the_range_is_a_warning() {
    let o = check("2021-01-04,EURUSD,1.3,1.2,1.1,1.15,1.15,\n", &[]);
    assert_reports(&o, 0, "p.csv:2: warning[price-outside-range] EURUSD 2021-01-04: open 1.3 is outside [low 1.1, high 1.2]");
}

#[test]
fn empty_or_nan_price() {
    let o = check("2021-01-04,AAA,10,11,9,,10,100\n2021-01-05,AAA,10,11,9,NaN,10,100\n", &[]);
    assert_reports(
        &o,
        1,
        "p.csv:2:6: error[empty-price] AAA 2021-01-04: column 6 (close): empty or NaN price \"\"",
    );
    assert_reports(&o, 1, "p.csv:3:6: error[empty-price] AAA 2021-01-05: column 6 (close): empty or NaN price \"NaN\"");
}

#[test]
fn zero_volume_is_a_warning_and_empty_volume_is_fine() {
    let o = check("2021-01-04,AAA,10,11,9,10,10,0\n2021-01-05,AAA,10,11,9,10,10,\n", &[]);
    assert_reports(&o, 0, "p.csv:2: warning[zero-volume] AAA 2021-01-04: volume is 0");
    assert!(!stdout(&o).contains("p.csv:3: warning[zero-volume]"));
}

#[test]
fn missing_trading_days_against_a_named_calendar_and_off_calendar_rows() {
    let rows = "2021-01-04,IDX,1,1,1,1,1,\n2021-01-05,IDX,1,1,1,1,1,\n2021-01-06,IDX,1,1,1,1,1,\n2021-01-07,IDX,1,1,1,1,1,\n\
                2021-01-04,AAA,10,11,9,10,10,5\n2021-01-07,AAA,10,11,9,10,10,5\n2021-01-09,AAA,10,11,9,10,10,5\n";
    let o = check(rows, &["--calendar", "IDX"]);
    assert_reports(&o, 0, "p.csv: warning[missing-trading-day] AAA 2021-01-05: trading day of the calendar is missing for this ticker");
    assert_reports(&o, 0, "p.csv: warning[missing-trading-day] AAA 2021-01-06: trading day of the calendar is missing for this ticker");
    assert_reports(&o, 0, "p.csv:8: warning[off-calendar] AAA 2021-01-09: date is not on the IDX calendar; the row is dropped from the panel");
    let unknown = check(rows, &["--calendar", "NOPE"]);
    assert_eq!(unknown.status.code(), Some(2), "an unknown calendar ticker is a usage error");
}

#[test]
fn suspicious_one_day_move() {
    let o = check("2021-01-04,AAA,10,11,9,10,10,5\n2021-01-05,AAA,16,16,15,15.5,15.5,5\n", &[]);
    assert_reports(&o, 0, "p.csv:3: warning[suspicious-move] AAA 2021-01-05: adj_close moves +55.0% from 2021-01-04 (10 -> 15.5)");
}

#[test]
fn adjustment_factor_jump_without_a_split() {
    // The factor doubles while the raw close barely moves: no split explains it (as TRMB 2007-02-23).
    let rows = "2021-01-04,AAA,10,11,9,10,5,5\n2021-01-05,AAA,10,11,9,10.1,10.1,5\n\
                2021-01-06,AAA,10,11,9,10,10,5\n2021-01-07,AAA,5,5.5,4.5,5,10,5\n";
    let o = check(rows, &[]);
    assert_reports(&o, 0, "p.csv:3: warning[adjustment-jump] AAA 2021-01-05: the adj_close/close factor changes x2.0000 from 2021-01-04 to 2021-01-05: a split-sized change with no matching price move (raw close +1.0%, adj_close +102.0%): probably an adjustment error in the source");
    assert!(
        !stdout(&o).contains("AAA 2021-01-07: the adj_close"),
        "a 2:1 split (raw close halves, adj_close flat) is not a jump"
    );
}

#[test]
fn too_little_history() {
    let o = check(
        "2021-01-04,AAA,10,11,9,10,10,5\n2021-01-05,AAA,10,11,9,10,10,5\n",
        &["--min-history", "3"],
    );
    assert_reports(&o, 0, "p.csv:2: warning[short-history] AAA: only 2 rows; at least 3 expected");
}

#[test]
fn clean_data_exits_zero_and_prints_the_load_time() {
    let o = check(
        "2021-01-04,AAA,10,11,9,10,10,5\n2021-01-05,AAA,10,11,9,10,10,5\n",
        &["--min-history", "2"],
    );
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(
        out.contains("loaded 2 rows of 1 tickers from 1 file(s) into a panel of 2 dates in "),
        "{out}"
    );
    assert!(out.contains("0 error(s), 0 warning(s): usable"), "{out}");
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(alphaseq(dir.path(), &["data", "check"]).status.code(), Some(2));
    assert_eq!(alphaseq(dir.path(), &["data", "frobnicate"]).status.code(), Some(2));
    let missing = alphaseq(dir.path(), &["data", "check", "nope.csv"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("nope.csv: no such file or folder"));
}

#[test]
fn yahoo_folder_takes_tickers_from_file_names() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("yahoo")).unwrap();
    let header = "Date,Open,High,Low,Close,Adj Close,Volume\n";
    write(
        dir.path(),
        "yahoo/SPY.csv",
        &format!("{header}2021-01-04,10,11,9,10,9.5,100\n2021-01-05,10,11,9,null,9.5,100\n"),
    );
    write(dir.path(), "yahoo/QQQ.csv", &format!("{header}2021-01-04,10,11,9,10,9.5,100\n"));
    let o = alphaseq(dir.path(), &["data", "check", "yahoo", "--min-history", "1"]);
    assert_reports(&o, 1, "yahoo/SPY.csv:3:5: error[empty-price] SPY 2021-01-05: column 5 (close): empty or NaN price \"null\"");
    assert!(stdout(&o).contains("loaded 2 rows of 2 tickers from 2 file(s)"), "{}", stdout(&o));
}

#[test]
fn json_report_counts_every_kind() {
    let o = check("2021-01-04,AAA,10,11,9,10,10,0\n2021-01-05,AAA,10,9,11,10,10,5\n", &["--json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["errors"], 1);
    assert_eq!(v["counts"]["zero-volume"], 1);
    assert_eq!(v["counts"]["high-below-low"], 1);
    let issue =
        &v["issues"].as_array().unwrap().iter().find(|i| i["kind"] == "high-below-low").unwrap();
    assert_eq!(
        (issue["line"].as_u64(), issue["ticker"].as_str(), issue["date"].as_str()),
        (Some(3), Some("AAA"), Some("2021-01-05"))
    );
}

#[test]
fn shipped_sample_is_gzip_and_clean_of_errors() {
    let o = alphaseq(
        &repo_root(),
        &["data", "check", "data/sample/prices.csv.gz", "--calendar", "^GSPC"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("loaded 123090 rows of 30 tickers"), "{}", stdout(&o));
}

/// The problems ../shared/data/README.md lists for the S&P 500 file are all found.
#[test]
fn shared_sp500_file_reports_its_known_problems() {
    let path = repo_root().join("../shared/data/sp500_daily.csv.gz");
    assert!(
        path.exists(),
        "{} is missing: the tests expect ../shared beside the repository",
        path.display()
    );
    let o = alphaseq(&repo_root(), &["data", "check", path.to_str().unwrap(), "--json"]);
    assert_eq!(o.status.code(), Some(1), "two unadjusted splits are errors");
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    // adj_close misses these two 2:1 splits (its factor moved on wrong dates: ANTM 2002-03-18,
    // TRMB 2007-02-22, below); the other split-sized moves are warnings at most
    let errors: Vec<(&str, &str, &str)> = v["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["severity"] == "error")
        .map(|i| {
            (
                i["kind"].as_str().unwrap(),
                i["ticker"].as_str().unwrap(),
                i["date"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        [("unadjusted-split", "ANTM", "2005-06-02"), ("unadjusted-split", "TRMB", "2007-02-26")]
    );
    assert_eq!((v["rows"].as_u64(), v["tickers"].as_u64()), (Some(1_619_471), Some(335)));
    let issues = v["issues"].as_array().unwrap();
    let count = |kind: &str, ticker: &str| {
        issues.iter().filter(|i| i["kind"] == kind && i["ticker"] == ticker).count()
    };
    for (ticker, days) in [("WELL", 12), ("SPGI", 6), ("VIAC", 5), ("KIM", 3), ("RHI", 1)] {
        assert_eq!(count("missing-trading-day", ticker), days, "{ticker} missing days");
    }
    assert_eq!(v["counts"]["missing-trading-day"], 27);
    assert_eq!(v["counts"]["zero-volume"], 97);
    assert_eq!((count("zero-volume", "MNST"), count("zero-volume", "NDAQ")), (22, 19));
    assert_eq!(v["counts"]["suspicious-move"], 73, "adj_close moves by more than 40% 73 times");
    let jump = |ticker: &str, before: &str| {
        issues.iter().any(|i| {
            i["kind"] == "adjustment-jump"
                && i["ticker"] == ticker
                && i["message"].as_str().unwrap().contains(&format!("from {before} to"))
        })
    };
    for (ticker, before) in [
        ("BAC", "2008-10-03"),
        ("OXY", "2020-03-06"),
        ("TRMB", "2007-02-22"),
        ("ANTM", "2002-03-15"),
        ("GNRC", "2010-02-11"),
    ] {
        assert!(jump(ticker, before), "adjustment jump of {ticker} after {before}");
    }
    assert!(issues.iter().any(|i| i["kind"] == "short-history" && i["ticker"] == "VTRS"));
}
