#!/usr/bin/env bash
# A plant at work (issue 9), on SQLite and on a local PostgreSQL: 200
# technicians with their own device tokens and tasks, 5 managers on boards and
# dashboards, 100,000 tasks, 200 open event streams, and a mix of list polls,
# card reads and floor writes. Prints, per run, throughput and p50/p99 by kind
# of request, the server's CPU per request and the delay from a note to its
# event on a manager's stream, then the ratios the targets speak of.
#
#   bench/plant/run.sh [sqlite|postgres|both (default)] [DURATION seconds (default 10)] [CONNECTIONS (default 128)]
#
# Needs a built tree (build/src/app/visor, build/bench/plant/plant_load);
# PostgreSQL 15 for the second backend (scripts/lib/pg-cluster.sh starts a
# throw-away cluster). Other engineers share the box: read `uptime` first and
# compare ratios within one run.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BACKENDS="${1:-both}"
DURATION="${2:-10}"
CONNECTIONS="${3:-128}"
VISOR="${VISOR_BIN:-$ROOT/build/src/app/visor}"
LOAD="${PLANT_LOAD_BIN:-$ROOT/build/bench/plant/plant_load}"
TECHNICIANS=200
MANAGERS=5
STREAMS=200
ulimit -n 65536 2>/dev/null || true
[ -x "$VISOR" ] && [ -x "$LOAD" ] || { echo "build first: cmake --build build --target visor plant_load"; exit 1; }

DATA=""
PG_DIR=""
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true; fi
  SERVER_PID=""
  [ -n "$PG_DIR" ] && "$ROOT/scripts/lib/pg-cluster.sh" stop "$PG_DIR" >/dev/null 2>&1 || true
  PG_DIR=""
  [ -n "$DATA" ] && rm -rf "$DATA"
  DATA=""
}
trap cleanup EXIT

# run NAME MIX [extra plant_load args…]: one measured run on the running server.
declare -A RPS P99
run() {
  local name=$1 mix=$2
  shift 2
  echo "-- $name (mix $mix)"
  local out
  out=$("$LOAD" --port "$PORT" --pid "$SERVER_PID" --actors "$DATA/actors" --duration "$DURATION" \
    --connections "$CONNECTIONS" --streams "$STREAMS" --mix "$mix" --tasks-cache "$DATA/tasks.cache" "$@")
  echo "$out" | sed 's/^/   /'
  RPS[$name]=$(echo "$out" | awk '$1=="all" {print $3}')
  P99[$name]=$(echo "$out" | awk '$1=="all" {print $5}')
}
ratio() { awk -v a="${RPS[$1]}" -v b="${RPS[$2]}" 'BEGIN { printf "%.0f%%", 100 * a / b }'; }

bench_backend() {
  local backend=$1
  DATA="$(mktemp -d /tmp/visor-plant-XXXXXX)"
  local db_args=()
  if [ "$backend" = postgres ]; then
    eval "$("$ROOT/scripts/lib/pg-cluster.sh" start)"
    PG_DIR="$VISOR_TEST_PG_DIR"
    db_args=(--db "$VISOR_TEST_PG_URL")
  fi
  echo "== $backend: 100,000 tasks, 5,000 machines, $TECHNICIANS technicians, $MANAGERS managers"
  "$VISOR" demo-data --tasks 100000 --equipment 5000 --technicians "$TECHNICIANS" --managers "$MANAGERS" \
    --data-dir "$DATA" "${db_args[@]}" >/dev/null
  : >"$DATA/actors"
  local logins=(alice bruno chen) i
  for ((i = 4; i <= TECHNICIANS; i++)); do logins+=("$(printf 'tech-%03d' "$i")"); done
  for login in "${logins[@]}"; do
    echo "technician $("$VISOR" token create --user "$login" --name plant --data-dir "$DATA" "${db_args[@]}" 2>/dev/null)" >>"$DATA/actors"
  done
  logins=(manager)
  for ((i = 2; i <= MANAGERS; i++)); do logins+=("manager-$i"); done
  for login in "${logins[@]}"; do
    echo "manager $("$VISOR" token create --user "$login" --name plant --data-dir "$DATA" "${db_args[@]}" 2>/dev/null)" >>"$DATA/actors"
  done

  "$VISOR" serve --listen 127.0.0.1:0 --data-dir "$DATA" "${db_args[@]}" --web-root "$ROOT/web" --log-level warn \
    >"$DATA/server.log" 2>&1 &
  SERVER_PID=$!
  PORT=""
  for _ in $(seq 1 400); do
    PORT=$(sed -n 's/.*serving on http:\/\/127.0.0.1:\([0-9]*\)\/.*/\1/p' "$DATA/server.log")
    [ -n "$PORT" ] && break
    sleep 0.05
  done
  [ -n "$PORT" ] || { echo "server did not start:"; cat "$DATA/server.log"; exit 1; }
  echo "   server pid $SERVER_PID on port $PORT; load average: $(cut -d' ' -f1-3 /proc/loadavg)"

  run healthz "healthz=1"
  run reads "list=100"
  run mix10 "list=90,note=10"
  run floor10 "list=80,card=10,note=4,step=4,start=1,complete=1"
  run mix50 "list=50,note=50"
  run notes "note=100"
  run flood "list=60,card=20,healthz=20" --flood 200 --duration $((DURATION * 2))

  echo "== $backend summary"
  echo "   reads ${RPS[reads]} req/s (p99 ${P99[reads]} ms), $(ratio reads healthz) of /healthz"
  echo "   lists + 10% notes ${RPS[mix10]} req/s = $(ratio mix10 reads) of reads, p99 ${P99[mix10]} ms"
  echo "   lists, cards + 10% floor writes ${RPS[floor10]} req/s = $(ratio floor10 reads) of reads, p99 ${P99[floor10]} ms"
  echo "   lists + 50% notes p99 ${P99[mix50]} ms; notes alone ${RPS[notes]} notes/s"
  echo "   server RSS after the runs: $(awk '/VmRSS/ {print $2, $3}' "/proc/$SERVER_PID/status")"
  cleanup
}

case "$BACKENDS" in
  sqlite) bench_backend sqlite ;;
  postgres) bench_backend postgres ;;
  both) bench_backend sqlite; bench_backend postgres ;;
  *) echo "usage: $0 [sqlite|postgres|both] [DURATION] [CONNECTIONS]"; exit 1 ;;
esac
