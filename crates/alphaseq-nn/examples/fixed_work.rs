//! A fixed amount of engine work for `perf stat`: `cargo run --release -p alphaseq-nn --example
//! fixed_work -- W2 1 200` runs 200 training steps and 200 inference passes of W2 on one thread
//! (a fourth argument `train` leaves out the inference passes; a fifth, `gru` or `rnn`, swaps the
//! workload's LSTM layers for that kind, to time the other recurrent layers on the same shapes;
//! `BATCH=16` in the environment changes the batch, e.g. to one replica's share of W2's 32 on two
//! threads).
//! Compare builds by CPU time (`perf stat -e task-clock`; this VM has no cycle counters), which a
//! shared machine's neighbours disturb less than wall-clock throughput, or by instruction counts
//! under `valgrind --tool=callgrind`, which they do not disturb at all.
#![allow(missing_docs, clippy::unwrap_used)]

use alphaseq_nn::bench::{fixed_work, workloads};
use alphaseq_nn::LayerSpec;

/// The allocator of the `alphaseq` binary, so that the work is counted as the tool does it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let name = args.get(1).map_or("W2", String::as_str);
    let threads = args.get(2).map_or(1, |s| s.parse().unwrap());
    let steps = args.get(3).map_or(200, |s| s.parse().unwrap());
    let mut w = workloads().into_iter().find(|w| w.name == name).unwrap();
    if let Some(kind) = args.get(5) {
        for layer in &mut w.spec.layers {
            if let LayerSpec::Lstm(l) = *layer {
                *layer = match kind.as_str() {
                    "gru" => LayerSpec::gru(l.units, l.return_sequences, l.activation),
                    "rnn" => LayerSpec::rnn(l.units, l.return_sequences, l.activation),
                    other => panic!("unknown layer kind {other}"),
                };
            }
        }
    }
    if let Ok(b) = std::env::var("BATCH") {
        w.batch = b.parse().unwrap();
    }
    let infer = args.get(4).map(String::as_str) != Some("train");
    println!("{name}: last loss {}", fixed_work(&w, threads, steps, infer));
}
