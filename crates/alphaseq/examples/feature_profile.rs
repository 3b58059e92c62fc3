//! Seconds per indicator over the shared S&P panel (one thread): where `bench features` spends
//! its time. usage: cargo run --release -p alphaseq --example feature_profile [DATA_DIR]

#![allow(clippy::unwrap_used, clippy::print_stdout)] // a profiling script

use std::time::Instant;

use alphaseq::data::{self, CalendarSpec, Panel, PanelOptions};
use alphaseq::features::indicators::{catalogue, Ohlcv};
use alphaseq::features::MomentumSpec;

fn main() {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or("../shared/data".into()));
    let paths = [dir.join("sp500_daily.csv.gz"), dir.join("gspc_daily.csv.gz")];
    let (records, _) = data::read_sources(&paths).unwrap();
    let options = PanelOptions {
        calendar: CalendarSpec::Ticker("^GSPC".into()),
        start: chrono::NaiveDate::from_ymd_opt(1999, 1, 1),
        ..PanelOptions::default()
    };
    let panel = Panel::from_records(&records, &options).unwrap();
    let bars = panel.all_bars();
    let mut timings = vec![];
    for ind in catalogue() {
        let t = Instant::now();
        for b in bars {
            let x = Ohlcv {
                open: &b.open,
                high: &b.high,
                low: &b.low,
                close: &b.adj_close,
                volume: &b.volume,
                dates: panel.dates(),
            };
            std::hint::black_box(ind.compute(&x));
        }
        timings.push((t.elapsed().as_secs_f64(), ind.columns().join(",")));
    }
    let market = bars[panel.ticker_index("^GSPC").unwrap()].returns(data::ReturnKind::Simple);
    let spec = MomentumSpec::default();
    let t = Instant::now();
    for b in bars {
        std::hint::black_box(spec.compute(&b.adj_close, Some(&market)));
    }
    timings.push((t.elapsed().as_secs_f64(), "momentum".into()));
    timings.sort_by(|a, b| b.0.total_cmp(&a.0));
    let total: f64 = timings.iter().map(|t| t.0).sum();
    println!("total {total:.2} s");
    for (s, name) in timings.iter().take(25) {
        println!("{s:7.3} {name}");
    }
}
