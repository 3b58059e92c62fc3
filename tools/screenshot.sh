#!/usr/bin/env bash
# Takes a full-page screenshot of an alphaseq report (or any HTML file) with headless Chromium,
# so a person can look at it without a browser. Installs Debian's chromium if it is missing.
#
# usage: tools/screenshot.sh REPORT.html [OUT.png] [WIDTH] [HEIGHT]
#   defaults: OUT = REPORT with .png, a 1280-pixel-wide laptop window, 9000 pixels tall (the page
#   is cut there; raise HEIGHT for longer reports)
set -euo pipefail
html=${1:?usage: tools/screenshot.sh REPORT.html [OUT.png] [WIDTH] [HEIGHT]}
out=${2:-${html%.html}.png}
width=${3:-1280}
height=${4:-9000}
if ! command -v chromium >/dev/null; then
    echo "installing chromium (Debian package)" >&2
    if [ "$(id -u)" -eq 0 ]; then apt-get install -y -q chromium >/dev/null; else sudo apt-get install -y -q chromium >/dev/null; fi
fi
abs=$(cd "$(dirname "$html")" && pwd)/$(basename "$html")
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --window-size="$width,$height" --screenshot="$out" "file://$abs" 2>/dev/null
echo "screenshot: $out"
