#!/usr/bin/env bash
# Take the pictures to look at before a release: the demo console as a national HQ, a provincial
# HQ and a station commander, in Korean and English, on a workstation set to UTC (times must
# still read KST), each panel too. Usage:
#   bash packaging/screenshots.sh [OUT_DIR] [extra sitroom demo options, e.g. --start 20:40 --day early1]
# Writes OUT_DIR/<role>-<lang>.png and OUT_DIR/<role>-<lang>-<panel>.png (default OUT_DIR: shots/).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-shots}"
[ $# -gt 0 ] && shift
mkdir -p "$out"
run=(.venv/bin/sitroom demo)
if [ -z "${DISPLAY:-}" ]; then
  run=(xvfb-run -a -s "-screen 0 1920x1080x24" "${run[@]}")
fi
for role in national provincial commander; do
  for lang in ko en; do
    echo "screenshots: $role $lang" >&2
    TZ=UTC "${run[@]}" --role "$role" --lang "$lang" --start "${SITROOM_SHOT_START:-10:20}" \
      --screenshot "$out/$role-$lang.png" --screenshot-panels --quit-after "${SITROOM_SHOT_AFTER:-45}" "$@" \
      > "$out/$role-$lang.log" 2>&1
  done
done
ls "$out"/*.png | wc -l | xargs echo "screenshots: pictures written to $out:" >&2
