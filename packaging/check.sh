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
# marked `once` (the benchmark runs and other long ones that show no time) run in the first zone
# only. In each zone three parts run side by side, each into its own log shown when all are done:
# the Qt-free tests (Qt blocked) in two parts (the demo's day, sync, the TAK bridge and interop; the
# rest) and the GUI tests (offscreen).
logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
LONG_CORE=(tests/core/demo tests/core/sync tests/core/tak tests/core/interop)
part() {  # part NAME ZONE ARGS...: one pytest run in the background, its log in $logs/NAME.log
  local name="$1" zone="$2"; shift 2
  if [[ "$name" == gui* ]]; then
    TZ="$zone" QT_QPA_PLATFORM=offscreen python -m pytest -p no:cacheprovider -q \
      --basetemp="$logs/$name-tmp" "$@" > "$logs/$name.log" 2>&1 &
  else
    TZ="$zone" SITROOM_BLOCK_QT=1 python -m pytest -p no:pytest-qt -p no:cacheprovider -q \
      --basetemp="$logs/$name-tmp" "$@" > "$logs/$name.log" 2>&1 &
  fi
  pids+=("$!"); names+=("$name")
}
once=()
for zone in ${SITROOM_TEST_ZONES:-UTC Asia/Seoul}; do
  tag="${zone//\//-}"
  echo "== tests, TZ=$zone: Qt-free (Qt blocked, two parts) and GUI (offscreen), side by side"
  pids=(); names=()
  part "core-long-$tag" "$zone" "${LONG_CORE[@]}" "${once[@]}" "$@"
  part "core-$tag" "$zone" tests/core "${LONG_CORE[@]/#/--ignore=}" "${once[@]}" "$@"
  part "gui-$tag" "$zone" tests/gui "${once[@]}" "$@"
  status=0
  for i in "${!pids[@]}"; do
    rc=0; wait "${pids[$i]}" || rc=$?
    [ "$rc" -eq 0 ] || [ "$rc" -eq 5 ] || status=1  # 5: a narrowed run selected none of this part
    echo "== ${names[$i]} (TZ=$zone)"; cat "$logs/${names[$i]}.log"
  done
  if [ "$status" -ne 0 ]; then exit 1; fi
  once=(-m "not once")
done
