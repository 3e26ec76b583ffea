#!/usr/bin/env bash
# Command 1 of the README: install, load the real reference data and a synthetic population into the
# embedded SQLite database (var/), create one demo account per role, then serve http://127.0.0.1:8000
# with the task worker running beside it. DEMO_SMOKE=1 (used by CI) serves on a free port, fetches the
# home page, /healthz and /api/v1/openapi.json, then stops instead of serving forever.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "Python 3.11 ou plus récent est nécessaire (trouvé : $("$PYTHON" --version 2>&1))." >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv || { echo "Impossible de créer l'environnement virtuel : installez python3-venv (apt-get install python3-venv)." >&2; exit 1; }
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -c constraints.txt -e .

# The demo always runs on the embedded SQLite database, whatever the shell says.
unset DATABASE_URL
export DJANGO_SETTINGS_MODULE=guichet.settings.base DEMO_BANNER=true
manage() { .venv/bin/python manage.py "$@"; }

manage migrate --noinput
manage import_reference_data
manage generate_demo_population --seed 42 --scale region --with-accounts
manage setup_schedules
manage collectstatic --noinput --verbosity 0

# Background processes are started by exec'ing Python directly (not through the `manage` function: a
# function sent to the background runs in a subshell, and killing that subshell left Python orphaned).
# On exit, TERM to each (qcluster stops its worker processes itself within seconds), then KILL to
# whatever is left of them and of the children noted at that moment. No process group games: only the
# processes started here are touched.
var_dir=${GUICHET_VAR_DIR:-var}
mkdir -p "$var_dir"
pids=()
descendants() {
  local child
  for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do
    echo "$child"
    descendants "$child"
  done
}
running() { # alive and not a zombie waiting to be reaped
  local state
  state=$(ps -o stat= -p "$1" 2>/dev/null) && [ "${state:0:1}" != Z ]
}
cleanup() {
  trap - EXIT INT TERM
  [ ${#pids[@]} -gt 0 ] || return 0
  local all=() left=() pid _
  for pid in "${pids[@]}"; do all+=("$pid" $(descendants "$pid")); done
  kill -TERM "${pids[@]}" 2>/dev/null || true
  for _ in $(seq 1 40); do
    left=()
    for pid in "${all[@]}"; do running "$pid" && left+=("$pid"); done
    [ ${#left[@]} -gt 0 ] || break
    sleep 0.5
  done
  [ ${#left[@]} -eq 0 ] || kill -KILL "${left[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM
.venv/bin/python manage.py qcluster >"$var_dir/qcluster.log" 2>&1 &
pids+=($!)

if [ "${DEMO_SMOKE:-0}" = 1 ]; then
  port=$(.venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  .venv/bin/python manage.py runserver "127.0.0.1:$port" --noreload >"$var_dir/runserver.log" 2>&1 &
  pids+=($!)
  # Fetch with Python's standard library: no curl needed on a fresh machine.
  .venv/bin/python - "$port" <<'PY' || { cat "$var_dir/runserver.log" >&2; exit 1; }
import sys
import time
import urllib.error
import urllib.request

base = f"http://127.0.0.1:{sys.argv[1]}"
deadline = time.monotonic() + 30
while True:
    try:
        urllib.request.urlopen(base + "/healthz", timeout=2)
        break
    except (urllib.error.URLError, ConnectionError):
        if time.monotonic() > deadline:
            sys.exit("Le serveur de démonstration ne répond pas.")
        time.sleep(0.3)
for path in ("/healthz", "/", "/api/v1/openapi.json", "/api/v1/communes?q=amiens", "/api/v1/docs"):
    with urllib.request.urlopen(base + path, timeout=10) as response:
        print(f"GET {path} -> {response.status}")
        if path == "/api/v1/communes?q=amiens" and b'"80021"' not in response.read():
            sys.exit("Amiens (80021) manque dans la réponse de l'API.")
PY
  echo "Démonstration vérifiée : le produit répond sur SQLite."
  exit 0
fi

echo "Guichet Apprentissage : http://127.0.0.1:8000 (Ctrl+C pour arrêter)"
# In the background, watched by a loop of short sleeps rather than `wait`: bash runs the trap of a Ctrl+C
# only once a foreground child died of it (`sleep` does; the servers handle or ignore SIGINT, and bash in
# `wait` then never runs the trap), and a TERM sent to this script alone acts within a second.
.venv/bin/python manage.py runserver 127.0.0.1:8000 --noreload &
server=$!
pids+=("$server")
while kill -0 "$server" 2>/dev/null; do sleep 1; done
