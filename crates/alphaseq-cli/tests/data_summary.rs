//! `alphaseq data summary`.

use crate::util::{alphaseq, repo_root, stdout};

#[test]
fn summary_gives_range_rows_and_gaps_per_ticker() {
    let o = alphaseq(
        &repo_root(),
        &["data", "summary", "data/sample/prices.csv.gz", "--calendar", "^GSPC", "--json"],
    );
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["tickers"], 30);
    assert_eq!(v["rows"], 123090);
    assert_eq!((v["first"].as_str(), v["last"].as_str()), (Some("2005-01-03"), Some("2021-04-21")));
    let aapl = v["per_ticker"].as_array().unwrap().iter().find(|t| t["ticker"] == "AAPL").unwrap();
    assert_eq!((aapl["rows"].as_u64(), aapl["gaps"].as_u64()), (Some(4103), Some(0)));
    let text = alphaseq(&repo_root(), &["data", "summary", "data/sample/prices.csv.gz"]);
    assert!(
        stdout(&text).contains("30 tickers, 123090 rows, 2005-01-03 .. 2021-04-21"),
        "{}",
        stdout(&text)
    );
}

#[test]
fn features_list_shows_the_catalogue() {
    let o = alphaseq(&repo_root(), &["features", "list"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(
        out.contains("SMA_10") && out.contains("ATRr_14") && out.contains("length=14"),
        "{out}"
    );
    assert!(!out.contains("READS THE FUTURE"), "the catalogue's table holds no look-ahead: {out}");
    // pandas-ta's look-ahead indicators follow, apart, with how to allow them and how they read
    let (_, future) = out.split_once("READ THE FUTURE").unwrap();
    assert!(
        future.contains("features.look_ahead = \"allow\"")
            && future.contains("\"zigzag\": ZIGZAGs_5.0%_10")
    );
    assert!(future.contains("ICS_26 at t is the close at t + 25"), "{future}");
    let rsi = out.lines().find(|l| l.starts_with("RSI_14")).unwrap();
    assert!(rsi.contains("recursive: settles after 374"), "{rsi}");
    let obv = out.lines().find(|l| l.starts_with("OBV")).unwrap();
    assert!(obv.contains("running total: never"), "{obv}");
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&alphaseq(&repo_root(), &["features", "list", "--json"])))
            .unwrap();
    assert!(json.as_array().unwrap().len() >= 14);
    let with_future: serde_json::Value = serde_json::from_str(&stdout(&alphaseq(
        &repo_root(),
        &["features", "list", "--json", "--look-ahead"],
    )))
    .unwrap();
    let extra = with_future.as_array().unwrap().len() - json.as_array().unwrap().len();
    let marked = with_future.as_array().unwrap().iter().filter(|i| i["reads_future"] == true);
    assert_eq!((extra, marked.count()), (5, 5));
    let sma = json.as_array().unwrap().iter().find(|i| i["columns"][0] == "SMA_10").unwrap();
    assert_eq!(
        (&sma["memory"], &sma["settled"]),
        (&serde_json::json!("window"), &serde_json::json!(9))
    );
}
