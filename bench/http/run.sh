#!/usr/bin/env bash
# The core API benchmarks of docs/performance.md. Builds a plant with 100,000
# tasks and 5,000 machines in SQLite, starts Visor on a free loopback port and
# runs wrk against the hot routes with a technician's device token, printing
# each figure with its ratio to the /healthz ceiling measured in the same run.
#
#   bench/http/run.sh [DURATION (default 10s)] [CONNECTIONS (default 256)]
#
# Needs: a built tree (build/src/app/visor), wrk and curl (scripts/lib/deps.sh
# ensure_bench_deps installs them).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
DURATION="${1:-10s}"
CONNECTIONS="${2:-256}"
VISOR="${VISOR_BIN:-$ROOT/build/src/app/visor}"
DATA="$(mktemp -d /tmp/visor-bench-XXXXXX)"
LOG="$DATA/server.log"
ulimit -n 65536 2>/dev/null || true

cleanup() {
  [ -n "${SERVER_PID:-}" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  rm -rf "$DATA"
}
trap cleanup EXIT

echo "== data set: 100,000 tasks, 5,000 machines (SQLite)"
"$VISOR" demo-data --tasks 100000 --equipment 5000 --data-dir "$DATA" >/dev/null
TOKEN=$("$VISOR" token create --user alice --name bench --data-dir "$DATA" 2>/dev/null)

# Access logging at info level writes one line per request; the benchmark
# measures the server, so it runs at warn (the figure with logging is noted
# in docs/performance.md).
"$VISOR" serve --listen 127.0.0.1:0 --data-dir "$DATA" --web-root "$ROOT/web" --log-level warn >"$LOG" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 200); do
  PORT=$(sed -n 's/.*serving on http:\/\/127.0.0.1:\([0-9]*\)\/.*/\1/p' "$LOG")
  [ -n "$PORT" ] && break
  sleep 0.05
done
[ -n "${PORT:-}" ] || { echo "server did not start:"; cat "$LOG"; exit 1; }
BASE="http://127.0.0.1:$PORT"
AUTH="Authorization: Bearer $TOKEN"
LIST="$BASE/api/v1/tasks?assignee=me&limit=20"
first_id() { curl -s -H "$AUTH" "$1" | sed -n 's/^{"items":\[{"id":\([0-9]*\).*/\1/p'; }
TASK=$(first_id "$LIST")
# A running task's card is rendered on every request (never cached: its time
# on tool grows), which makes it the uncached card's figure.
RUNNING=$(first_id "$LIST&execution=in_progress")
echo "   server on $BASE, pid $SERVER_PID, task $TASK, running task $RUNNING"

# List ETags carry the minute (overdue flags change with time alone): the
# 304 run takes a fresh ETag and starts early enough in a minute to end in it.
fresh_etag() {
  local seconds=${DURATION%s} now
  now=$((10#$(date +%S)))
  if ((now + seconds + 2 >= 60)); then sleep $((61 - now)); fi
  curl -s -D - -o /dev/null -H "$AUTH" "$LIST" | tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: //p'
}

# run NAME URL [extra wrk args…] → prints "NAME rps p50 p99" and stores rps.
declare -A RPS
run() {
  local name=$1 url=$2
  shift 2
  local out
  out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$@" "$url")
  local rps p50 p99 non2xx
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  non2xx=$(echo "$out" | awk '/Non-2xx or 3xx/ {print $5}')
  RPS[$name]=$rps
  printf "%-22s %10s req/s   p50 %-9s p99 %-9s %s\n" "$name" "$rps" "$p50" "$p99" "${non2xx:+non-2xx: $non2xx}"
}
ratio() { awk -v a="${RPS[$1]}" -v b="${RPS[healthz]}" 'BEGIN { printf "%.0f%%", 100 * a / b }'; }

echo "== wrk -t2 -c$CONNECTIONS -d$DURATION (wrk shares the 2 cores with the server)"
run healthz "$BASE/healthz"
run "tasks?assignee=me" "$LIST" -H "$AUTH"
ETAG=$(fresh_etag)
run "tasks 304" "$LIST" -H "$AUTH" -H "If-None-Match: $ETAG"
run "tasks/{id}" "$BASE/api/v1/tasks/$TASK" -H "$AUTH"
run "tasks/{id} running" "$BASE/api/v1/tasks/$RUNNING" -H "$AUTH"
echo "== ratios to /healthz: list $(ratio 'tasks?assignee=me'), 304 $(ratio 'tasks 304'), card $(ratio 'tasks/{id}'), running card $(ratio 'tasks/{id} running')"
echo "== server RSS after the run: $(awk '/VmRSS/ {print $2, $3}' /proc/$SERVER_PID/status)"
