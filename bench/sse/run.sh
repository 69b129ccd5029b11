#!/usr/bin/env bash
# SSE figures of docs/performance.md with the real server: idle memory per
# stream and the time one event takes to reach every stream.
#   bench/sse/run.sh [STREAMS (default 10000)]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
STREAMS="${1:-10000}"
VISOR="${VISOR_BIN:-$ROOT/build/src/app/visor}"
DATA="$(mktemp -d /tmp/visor-sse-XXXXXX)"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
cleanup() { [ -n "${PID:-}" ] && kill "$PID" 2>/dev/null; rm -rf "$DATA"; }
trap cleanup EXIT
"$VISOR" demo-data --data-dir "$DATA" >/dev/null
TOKEN=$("$VISOR" token create --user manager --name bench --data-dir "$DATA" 2>/dev/null)
"$VISOR" serve --listen 127.0.0.1:0 --data-dir "$DATA" --web-root "$ROOT/web" --log-level warn >"$DATA/log" 2>&1 &
PID=$!
for _ in $(seq 1 200); do
  PORT=$(sed -n 's/.*serving on http:\/\/127.0.0.1:\([0-9]*\)\/.*/\1/p' "$DATA/log"); [ -n "$PORT" ] && break; sleep 0.05
done
python3 "$ROOT/bench/sse/fanout.py" --url "http://127.0.0.1:$PORT" --token "$TOKEN" --pid "$PID" --streams "$STREAMS"
