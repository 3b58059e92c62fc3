#!/usr/bin/env bash
# The daily production job: refresh a run with today's prices, then write today's positions (and
# orders, given holdings). Run it after the day's bars have been appended to the run's price files.
#
#   alphaseq-daily.sh CONFIG RUN_DIR [HOLDINGS.csv]
#
# 1. `alphaseq run CONFIG` into a copy of RUN_DIR (hard links: the run replaces files by atomic
#    renames and never writes into a stored file, except run.log, which is copied). Only folds
#    whose training data changed are refitted (a new month's, with monthly refits); the others'
#    stored models predict the new day.
# 2. On success the copy replaces RUN_DIR; on failure (a refit that fails, bad prices) RUN_DIR
#    is left as it was, so the previous model keeps serving, the failure goes to the log and the
#    job exits non-zero (cron mails it; systemd marks the unit failed).
# 3. `alphaseq signal --run RUN_DIR` writes RUN_DIR/signals/ASOF.csv (and .json; with holdings
#    also ASOF.orders.csv). The as-of date is the prices' last bar: on a holiday (no new bar)
#    the run changes nothing and the signal is the last trading day's again; prices older than
#    `--max-stale-days` (5 calendar days for daily bars) are refused, which exits non-zero.
#
# Environment: ALPHASEQ (the binary; default `alphaseq` on PATH), ALPHASEQ_DAILY_LOG (default
# RUN_DIR.daily.log, beside the run folder).
set -euo pipefail

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
    echo "usage: $0 CONFIG RUN_DIR [HOLDINGS.csv]" >&2
    exit 2
fi
config=$1
run=${2%/}
holdings=${3:-}
alphaseq=${ALPHASEQ:-alphaseq}
log=${ALPHASEQ_DAILY_LOG:-$run.daily.log}
next=$run.next
old=$run.previous

say() { echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) $*" >> "$log"; }

say "start: $config -> $run"
rm -rf "$next" "$old"
if [ -d "$run" ]; then
    cp -al "$run" "$next"
    [ -f "$run/run.log" ] && cp --remove-destination "$run/run.log" "$next/run.log"
fi
if ! "$alphaseq" run "$config" --out "$next" >> "$log" 2>&1; then
    say "FAILED: the run did not finish; $run is unchanged and keeps serving its models"
    rm -rf "$next"
    exit 1
fi
if [ -d "$run" ]; then
    mv "$run" "$old"
fi
mv "$next" "$run"
rm -rf "$old"
say "run: $(grep -h ' folds: ' "$run/run.log" | tail -n 1 | cut -d' ' -f2- || true)"

mkdir -p "$run/signals"
stage=$run/signals/.today.csv
args=(signal --run "$run" --out "$stage")
if [ -n "$holdings" ]; then
    args+=(--holdings "$holdings")
fi
if ! "$alphaseq" "${args[@]}" >> "$log" 2>&1; then
    say "FAILED: no signal (see above); the run is up to date"
    exit 1
fi
asof=$(tail -n 1 "$stage" | awk -F, '{print $NF}')
for ext in csv json orders.csv; do
    if [ -f "$run/signals/.today.$ext" ]; then
        mv "$run/signals/.today.$ext" "$run/signals/$asof.$ext"
    fi
done
say "signal: $run/signals/$asof.csv"
