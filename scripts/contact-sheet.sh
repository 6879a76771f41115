#!/usr/bin/env bash
# Renders docs/contact-sheet.png, the README's picture of placeholders in every script, with the
# default style (or the style of the site.yml given as the first argument).
set -euo pipefail
cd "$(dirname "$0")/.."
config=()
[ $# -gt 0 ] && config=(--config "$1")
swift run -c release avatar-site placeholder --sheet docs/contact-sheet.txt --size 96 --out docs/contact-sheet.png "${config[@]}"
