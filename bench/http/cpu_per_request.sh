#!/usr/bin/env bash
# CPU time the server spends per request (user + system, from /proc), which
# stays meaningful on a busy machine where requests/second do not.
#   bench/http/cpu_per_request.sh PID URL [curl-style header…]
set -euo pipefail
PID=$1; URL=$2; shift 2
ticks() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
hz=$(getconf CLK_TCK)
before=$(ticks)
out=$(wrk -t1 -c8 -d5s "$@" "$URL")
after=$(ticks)
requests=$(echo "$out" | awk '/requests in/ {print $1}')
awk -v t=$((after - before)) -v hz="$hz" -v n="$requests" \
  'BEGIN { printf "%d requests, %.1f µs of server CPU each\n", n, 1e6 * t / hz / n }'
