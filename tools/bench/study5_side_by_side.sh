#!/usr/bin/env bash
# Study 5's LSTM 63 row (the paper's recipe, configs/studies/study5_paper.toml) in alphaseq and in
# PyTorch (tools/bench/study5_torch.py), one after the other on the same inputs, each fixed at
# EPOCHS epochs per refit (no early stopping) so that both do the same work; prints both wall
# times, peak memory and the ratio (docs/studies.md, "Speed beside PyTorch").
#
# usage: bash tools/bench/study5_side_by_side.sh [EPOCHS] [PYTHON]
#   EPOCHS  epochs per refit on both sides (default 2)
#   PYTHON  a Python with torch, pandas and pyarrow (default: python3), e.g. the oracle venv of
#           ../shared/oracles/setup.sh
# Needs target/release/alphaseq (cargo build --release) and ../shared/data. Takes about 8 minutes
# at 2 epochs on 2 cores.
set -euo pipefail
EPOCHS=${1:-2}
PY=${2:-python3}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DATA=$(cd "$ROOT/../shared/data" && pwd)
BIN="$ROOT/target/release/alphaseq"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# the LSTM 63 row alone: study5_paper.toml without its search, the RNN layer an LSTM
python3 - "$ROOT/configs/studies/study5_paper.toml" "$T/lstm63.toml" "$DATA" <<'EOF'
import sys
src, dst, data = sys.argv[1:]
text = open(src).read()
text = text[:text.index('[search]')]
text = text.replace('../../../shared/data', data).replace('type = "rnn"', 'type = "lstm"')
open(dst, 'w').write(text.replace('name = "study5-paper"', 'name = "study5-lstm63"'))
EOF

"$BIN" features compute "$ROOT/configs/studies/study5_paper.toml" --out "$T/features.parquet" \
    2> /dev/null
/usr/bin/time -f "%e %M" -o "$T/alphaseq.time" "$BIN" run "$T/lstm63.toml" --out "$T/run" \
    --set "training.epochs=$EPOCHS" --set training.patience=0 > /dev/null 2>&1
/usr/bin/time -f "%e %M" -o "$T/torch.time" "$PY" -W ignore "$ROOT/tools/bench/study5_torch.py" \
    "$T/features.parquet" "$DATA/sp500_daily.csv.gz" --epochs "$EPOCHS" > "$T/torch.out"
grep '^RESULT' "$T/torch.out"
read -r a_s a_kb < "$T/alphaseq.time"
read -r t_s t_kb < "$T/torch.time"
echo "RESULT alphaseq lstm63 epochs=$EPOCHS wall=${a_s}s peak=$((a_kb / 1024))MB" \
    "(data, features, 17 refits, mean-variance for the model and 4 benchmarks, report)"
echo "RESULT pytorch lstm63 epochs=$EPOCHS wall=${t_s}s peak=$((t_kb / 1024))MB (17 refits)"
python3 -c "print('RESULT ratio pytorch/alphaseq wall time: %.2f' % ($t_s / $a_s))"
