#!/usr/bin/env bash
# Takes a full-page PNG screenshot of an HTML report with headless Chromium, so a person can look
# at it. Needs Debian's chromium (apt-get install chromium).
# usage: tools/screenshot.sh RUN_DIR/report.html [OUT.png] [HEIGHT]
set -euo pipefail
html=$(realpath "$1")
out=${2:-${html%.html}.png}
height=${3:-2400}
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$profile" --hide-scrollbars --window-size=1280,"$height" \
  --screenshot="$(realpath -m "$out")" "file://$html" 2>/dev/null
echo "$out"
