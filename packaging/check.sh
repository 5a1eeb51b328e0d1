#!/usr/bin/env bash
# Every check the project has, in the order that fails fastest: lint, types, layers, tests.
# Tests of the Qt-free layers run with PySide6 and pyqtgraph made unimportable.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"

echo "== ruff"; ruff check console tests
echo "== mypy"; mypy
echo "== import-linter (layer rules)"; lint-imports

if [ -z "${SITROOM_TEST_PG_URL:-}" ]; then
  echo "note: SITROOM_TEST_PG_URL is not set: the PostgreSQL tests will be skipped." >&2
  echo "      e.g. export SITROOM_TEST_PG_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test" >&2
fi

# The operation runs on Korean time whatever the workstation's zone: the whole suite runs twice,
# on a UTC machine and on a Korean one (SITROOM_TEST_ZONES narrows it, e.g. to one zone). Tests
# marked `once` (the benchmark run and other long ones that show no time) run in the first zone
# only. In each zone the Qt-free tests and the GUI tests run side by side (two processes, one per
# core of a CI machine), each logging to its own file, shown when both are done.
logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
once=()
for zone in ${SITROOM_TEST_ZONES:-UTC Asia/Seoul}; do
  tag="${zone//\//-}"
  echo "== tests of the Qt-free layers (Qt blocked) and GUI tests (offscreen), side by side, TZ=$zone"
  TZ="$zone" SITROOM_BLOCK_QT=1 python -m pytest -p no:pytest-qt -p no:cacheprovider -q \
    --basetemp="$logs/core-$tag" tests/core "${once[@]}" "$@" > "$logs/core-$tag.log" 2>&1 &
  core=$!
  TZ="$zone" QT_QPA_PLATFORM=offscreen python -m pytest -p no:cacheprovider -q \
    --basetemp="$logs/gui-$tag" tests/gui "${once[@]}" "$@" > "$logs/gui-$tag.log" 2>&1 &
  gui=$!
  status=0
  wait "$core" || status=1
  echo "== tests of the Qt-free layers (Qt blocked), TZ=$zone"; cat "$logs/core-$tag.log"
  wait "$gui" || status=1
  echo "== GUI tests (offscreen), TZ=$zone"; cat "$logs/gui-$tag.log"
  if [ "$status" -ne 0 ]; then exit 1; fi
  once=(-m "not once")
done
