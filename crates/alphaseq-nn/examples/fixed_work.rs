//! A fixed amount of engine work for `perf stat`: `cargo run --release -p alphaseq-nn --example
//! fixed_work -- W2 1 200` runs 200 training steps and 200 inference passes of W2 on one thread
//! (a fourth argument `train` leaves out the inference passes).
//! Compare builds by user cycles (`perf stat -e cycles:u`), which a shared machine's neighbours
//! disturb far less than wall-clock throughput.
#![allow(missing_docs, clippy::unwrap_used)]

use alphaseq_nn::bench::{fixed_work, workloads};

/// The allocator of the `alphaseq` binary, so that the work is counted as the tool does it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let name = args.get(1).map_or("W2", String::as_str);
    let threads = args.get(2).map_or(1, |s| s.parse().unwrap());
    let steps = args.get(3).map_or(200, |s| s.parse().unwrap());
    let w = workloads().into_iter().find(|w| w.name == name).unwrap();
    let infer = args.get(4).map(String::as_str) != Some("train");
    println!("{name}: last loss {}", fixed_work(&w, threads, steps, infer));
}
