#!/usr/bin/env bash
# The scale benchmark of docs/performance.md: a synthetic panel of N tickers x 5,219 weekdays
# (tools/bench/synthetic_panel.py), then `data check`, `features compute` (42 columns, CSV), a
# linear run and an LSTM run on it, each under /usr/bin/time -v; prints one table row per N with
# wall time and peak RSS (and, for the runs, the peak they estimated before computing features).
# Needs the release binary (cargo build --release) and python3.
#
# usage: bash tools/bench/scale.sh N [N...]     e.g. bash tools/bench/scale.sh 500 2000 5000
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=target/release/alphaseq
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
measure() { # label, command...: "12.3 s, 0.57 GB" (or "failed: ...")
    local log="$work/time.log"
    if /usr/bin/time -v "${@:2}" >"$work/out.log" 2>"$log"; then
        local wall rss
        wall=$(grep "Elapsed (wall clock)" "$log" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
        rss=$(grep "Maximum resident set size" "$log" | awk '{print $NF}')
        printf "%.1f s, %.2f GB" "$wall" "$(echo "$rss / 1048576" | bc -l)"
    else
        printf "failed: %s" "$(grep -m1 -i "error\|memory" "$log" | cut -c1-80)"
    fi
}
estimate() { # run folder name: " (estimated 4.52 GB)", the run's own estimate from run.log
    local e
    e=$(grep -o "memory: about [0-9.]* [GM]B" "$work/$1/run.log" 2>/dev/null | awk '{print $3, $4}' || true)
    if [ -n "$e" ]; then printf " (estimated %s)" "$e"; fi
}
echo "| tickers (rows) | data check | features compute (42 columns) | linear run | LSTM run |"
echo "|---|---|---|---|---|"
for n in "$@"; do
    python3 tools/bench/synthetic_panel.py "$n" "$work/synthetic.csv.gz" >/dev/null
    for c in linear lstm features; do cp "tools/bench/scale/$c.toml" "$work/$c.toml"; done
    rows=$((n * 5219))
    check=$(measure check $bin data check "$work/synthetic.csv.gz")
    features=$(measure features $bin features compute "$work/features.toml" --out "$work/f.csv")
    rm -f "$work/f.csv"
    linear=$(measure linear $bin run "$work/linear.toml" --out "$work/linear")$(estimate linear)
    lstm=$(measure lstm $bin run "$work/lstm.toml" --out "$work/lstm")$(estimate lstm)
    rm -rf "$work/linear" "$work/lstm"
    printf "| %s (%.1f M) | %s | %s | %s | %s |\n" "$(printf "%'d" "$n")" "$(echo "$rows / 1000000" | bc -l)" "$check" "$features" "$linear" "$lstm"
done
