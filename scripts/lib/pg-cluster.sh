#!/usr/bin/env bash
# A throw-away PostgreSQL 15 cluster for tests.
#
#   eval "$(scripts/lib/pg-cluster.sh start)"   # prints export lines:
#       VISOR_TEST_PG_URL=postgresql://visor@127.0.0.1:<port>/visor_test
#       VISOR_TEST_PG_DIR=<temp dir>             # what `stop` needs
#       VISOR_TEST_PG_CA=<dir>/tls/ca.crt         # when openssl is there: the CA
#                                                 # of the server's TLS certificate
#   scripts/lib/pg-cluster.sh stop "$VISOR_TEST_PG_DIR"
#
# The cluster lives in a new temp dir (data, unix socket, log), listens on a
# free loopback port only, trusts local connections (superuser "visor") and
# is tuned for speed over durability (fsync off): test data only.
# initdb refuses to run as root: as root the cluster runs as the Debian
# "postgres" user (or a dedicated "visor-pg" user if that does not exist).
# Progress and errors go to stderr; stdout carries only the export lines.
set -euo pipefail

PG_VERSION="${VISOR_PG_VERSION:-15}"
PG_BIN="${VISOR_PG_BIN:-/usr/lib/postgresql/${PG_VERSION}/bin}"
START_TIMEOUT="${VISOR_PG_START_TIMEOUT:-60}"  # seconds
MARKER=".visor-pg-cluster"

die() { echo "pg-cluster: $*" >&2; exit 1; }
say() { echo "pg-cluster: $*" >&2; }

# The user the server runs as, and a way to run commands as that user.
pick_user() {
  if [[ $(id -u) -ne 0 ]]; then
    RUN_AS=()
    PG_USER="$(id -un)"
    return
  fi
  if ! id -u postgres >/dev/null 2>&1; then
    if ! id -u visor-pg >/dev/null 2>&1; then
      useradd --system --no-create-home --shell /usr/sbin/nologin visor-pg \
        || die "cannot create the user visor-pg to run PostgreSQL as (initdb refuses root)"
    fi
    PG_USER=visor-pg
  else
    PG_USER=postgres
  fi
  command -v runuser >/dev/null || die "runuser is needed to run PostgreSQL as $PG_USER"
  RUN_AS=(runuser -u "$PG_USER" --)
}

# Prints a TCP port that nothing listens on right now (the server binding it
# is retried with another port if someone takes it in between).
free_port() {
  if command -v python3 >/dev/null; then
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
    return
  fi
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  die "no free TCP port found"
}

# Waits until the server accepts connections, or the deadline passes.
wait_ready() {
  local dir="$1" port="$2" deadline=$((SECONDS + START_TIMEOUT))
  while ((SECONDS < deadline)); do
    if "$PG_BIN/pg_isready" -q -h "$dir/sock" -p "$port" -t 1 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  return 1
}

start() {
  [[ -x "$PG_BIN/initdb" ]] || die "PostgreSQL $PG_VERSION not found in $PG_BIN (apt-get install postgresql-$PG_VERSION)"
  pick_user
  local dir
  dir="$(mktemp -d "${TMPDIR:-/tmp}/visor-pg.XXXXXX")"
  touch "$dir/$MARKER"
  mkdir -p "$dir/sock"
  if [[ ${#RUN_AS[@]} -gt 0 ]]; then
    chown -R "$PG_USER" "$dir"
    chmod 755 "$dir"  # lets the test runner reach the socket dir
  fi

  say "initdb in $dir/data (as $PG_USER)"
  "${RUN_AS[@]}" "$PG_BIN/initdb" -D "$dir/data" -U visor --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
    >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; die "initdb failed"; }

  # TLS with a throw-away CA (issue 15: sslmode=verify-full is tested): the
  # server's certificate names localhost and 127.0.0.1. Clients that ask for
  # nothing keep working (libpq's default "prefer" then uses it).
  local ssl_opts="" ca=""
  if command -v openssl >/dev/null; then
    mkdir -p "$dir/tls"
    if openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=visor test CA" \
         -keyout "$dir/tls/ca.key" -out "$dir/tls/ca.crt" 2>/dev/null &&
       openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=localhost" \
         -keyout "$dir/data/server.key" -out "$dir/tls/server.csr" 2>/dev/null &&
       openssl x509 -req -in "$dir/tls/server.csr" -CA "$dir/tls/ca.crt" -CAkey "$dir/tls/ca.key" \
         -CAcreateserial -days 2 -out "$dir/data/server.crt" \
         -extfile <(printf 'subjectAltName=DNS:localhost,IP:127.0.0.1') 2>/dev/null; then
      [[ ${#RUN_AS[@]} -gt 0 ]] && chown "$PG_USER" "$dir/data/server.key" "$dir/data/server.crt"
      chmod 600 "$dir/data/server.key"
      chmod 644 "$dir/tls/ca.crt"
      ssl_opts="-c ssl=on"
      ca="$dir/tls/ca.crt"
    else
      say "openssl could not make a test certificate: the cluster runs without TLS"
    fi
  fi

  local port attempt
  for attempt in 1 2 3 4 5; do
    port="$(free_port)"
    # -w -t: pg_ctl waits (up to the deadline) until the server is up, and
    # fails at once if the postmaster exits (e.g. the port was taken).
    if "${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t "$START_TIMEOUT" \
      -o "-p $port -k $dir/sock -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
          -c full_page_writes=off -c max_connections=200 -c shared_buffers=64MB $ssl_opts" \
      start >/dev/null && wait_ready "$dir" "$port"; then
      break
    fi
    "${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    if ((attempt == 5)); then
      tail -n 20 "$dir/server.log" >&2 || true
      rm -rf "$dir"
      die "the server did not become ready within ${START_TIMEOUT}s"
    fi
    say "start on port $port failed, retrying on another port"
  done

  "${RUN_AS[@]}" "$PG_BIN/createdb" -h "$dir/sock" -p "$port" -U visor visor_test \
    || die "createdb visor_test failed"
  say "PostgreSQL $PG_VERSION ready on 127.0.0.1:$port"
  echo "export VISOR_TEST_PG_URL=postgresql://visor@127.0.0.1:$port/visor_test"
  echo "export VISOR_TEST_PG_DIR=$dir"
  [[ -n "$ca" ]] && echo "export VISOR_TEST_PG_CA=$ca"
  return 0
}

stop() {
  local dir="${1:-${VISOR_TEST_PG_DIR:-}}"
  [[ -n "$dir" ]] || die "usage: $0 stop DIR"
  [[ -f "$dir/$MARKER" ]] || die "$dir is not a cluster made by this script; not touching it"
  pick_user
  if [[ -f "$dir/data/postmaster.pid" ]]; then
    "${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null \
      || "${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  say "stopped and removed $dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) die "usage: $0 start | stop DIR" ;;
esac
