#!/usr/bin/env bash
# Benchmarks, run apart from the test suite: reference import, communes within R km, demo generation at
# region and national scale. Each runs on a throwaway SQLite database, and on PostgreSQL too when
# BENCH_POSTGRES_URL is set (e.g. postgres://postgres@127.0.0.1:5432/bench; the database is recreated).
# Prints figures and ratios; copy them into docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || { echo "Lancez d'abord : bash scripts/test.sh (installe l'environnement)." >&2; exit 1; }
export DJANGO_SETTINGS_MODULE=guichet.settings.base

elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

run_on() {
  local label=$1
  echo "=== $label"
  local t0=$EPOCHREALTIME
  .venv/bin/python manage.py migrate --noinput -v 0
  local t1=$EPOCHREALTIME
  .venv/bin/python manage.py import_reference_data | tail -1
  local t2=$EPOCHREALTIME
  .venv/bin/python manage.py import_reference_data | tail -1
  local t3=$EPOCHREALTIME
  echo "migrate: $(elapsed "$t0" "$t1") s; import_reference_data: first run $(elapsed "$t1" "$t2") s, second run (no change) $(elapsed "$t2" "$t3") s"
  .venv/bin/python bench/communes_within.py
  local t4=$EPOCHREALTIME
  .venv/bin/python manage.py generate_demo_population --seed 42 --scale region | tail -3
  local t5=$EPOCHREALTIME
  echo "generate_demo_population --scale region: $(elapsed "$t4" "$t5") s"
  if [ "${BENCH_NATIONAL:-1}" = 1 ]; then
    .venv/bin/python manage.py generate_demo_population --seed 42 --scale national | tail -3
    local t6=$EPOCHREALTIME
    echo "generate_demo_population --scale national: $(elapsed "$t5" "$t6") s"
  fi
}

.venv/bin/python -m pip install --quiet -c constraints.txt -e ".[bench]"
bench_dir=$(mktemp -d)
trap 'rm -rf "$bench_dir"' EXIT
(unset DATABASE_URL; export GUICHET_VAR_DIR=$bench_dir; run_on "SQLite ($bench_dir)")

if [ -n "${BENCH_POSTGRES_URL:-}" ]; then
  # the database is recreated (bench/pgdatabase.py, shared with the other benchmarks)
  .venv/bin/python -c 'import sys; sys.path.insert(0, "bench"); from pgdatabase import ensure_database; ensure_database(sys.argv[1], reset=True)' "$BENCH_POSTGRES_URL"
  (export DATABASE_URL=$BENCH_POSTGRES_URL GUICHET_VAR_DIR=$bench_dir; run_on "PostgreSQL ($BENCH_POSTGRES_URL)")
fi
