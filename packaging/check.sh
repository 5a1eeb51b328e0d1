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
# marked `once` (the 75 s benchmark run, which shows no time) run in the first zone only.
once=()
for zone in ${SITROOM_TEST_ZONES:-UTC Asia/Seoul}; do
  echo "== tests of the Qt-free layers (Qt blocked), TZ=$zone"
  TZ="$zone" SITROOM_BLOCK_QT=1 python -m pytest -p no:pytest-qt -q tests/core "${once[@]}" "$@"
  echo "== GUI tests (offscreen), TZ=$zone"
  TZ="$zone" QT_QPA_PLATFORM=offscreen python -m pytest -q tests/gui "${once[@]}" "$@"
  once=(-m "not once")
done
