#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster for the storage and service tests, and print its DATABASE_URL.
#
#   scripts/start-test-postgres.sh [DIR]     (default DIR: /tmp/resolved-pg)
#   export RESOLVED_TEST_DATABASE_URL="$(scripts/start-test-postgres.sh)"
#
# The cluster listens on 127.0.0.1 only (port $RESOLVED_TEST_PG_PORT, default 54329), trusts every local
# connection (no passwords: it is for tests, never for real data) and runs with fsync off, unless
# RESOLVED_TEST_PG_DURABLE=true (tests that crash the server and count what survived need commits on disk). Idempotent: if the
# cluster in DIR is already running, it only prints the URL. Status goes to stderr, the URL alone to stdout.
# The server binaries refuse to run as root, so as root the cluster belongs to the `postgres` system user
# (created if missing). Stop it with scripts/stop-test-postgres.sh [DIR].
set -euo pipefail

DIR="${1:-/tmp/resolved-pg}"
PORT="${RESOLVED_TEST_PG_PORT:-54329}"
URL="postgres://postgres@127.0.0.1:${PORT}/postgres"

log() { echo "start-test-postgres: $*" >&2; }

find_bin() {
  if [ -n "${PG_BIN:-}" ]; then
    echo "$PG_BIN"
    return
  fi
  local candidate
  for candidate in /usr/lib/postgresql/15/bin $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
    if [ -x "$candidate/pg_ctl" ]; then
      echo "$candidate"
      return
    fi
  done
  if command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v pg_ctl)"
    return
  fi
  log "cannot find the PostgreSQL server binaries (pg_ctl); install Debian's postgresql or set PG_BIN"
  exit 1
}
BIN="$(find_bin)"

# Run a server binary as the cluster owner: ourselves, or `postgres` when we are root.
if [ "$(id -u)" = 0 ]; then
  if ! id postgres >/dev/null 2>&1; then
    log "creating the postgres system user"
    useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/bash postgres
  fi
  as_owner() { runuser -u postgres -- "$@"; }
else
  as_owner() { "$@"; }
fi

DIR="$(mkdir -p "$DIR" && cd "$DIR" && pwd)"
if [ "$(id -u)" = 0 ]; then
  chown postgres: "$DIR"
fi
chmod 700 "$DIR"

if as_owner "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
  # The port it was started on (line 4 of postmaster.pid), which may not be today's $RESOLVED_TEST_PG_PORT.
  RUNNING_PORT="$(sed -n 4p "$DIR/postmaster.pid" 2>/dev/null || true)"
  log "already running in $DIR"
  echo "postgres://postgres@127.0.0.1:${RUNNING_PORT:-$PORT}/postgres"
  exit 0
fi

if [ ! -f "$DIR/PG_VERSION" ]; then
  if [ -n "$(ls -A "$DIR")" ]; then
    log "$DIR is not empty and is not a PostgreSQL cluster; give another directory"
    exit 1
  fi
  log "initdb in $DIR"
  INITDB_LOG="$(mktemp)"
  if ! as_owner "$BIN/initdb" -D "$DIR" -U postgres --auth=trust --encoding=UTF8 --no-locale >"$INITDB_LOG" 2>&1; then
    cat "$INITDB_LOG" >&2
    rm -f "$INITDB_LOG"
    log "initdb failed (can the cluster owner reach $DIR?)"
    exit 1
  fi
  rm -f "$INITDB_LOG"
fi

SPEED="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
if [ "${RESOLVED_TEST_PG_DURABLE:-}" = true ]; then
  SPEED=""
fi

log "starting on 127.0.0.1:$PORT"
if ! as_owner "$BIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w -t 60 start \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR $SPEED -c max_connections=200" \
  >/dev/null; then
  tail -n 20 "$DIR/server.log" >&2 || true
  log "the server did not start (is port $PORT taken by another server?)"
  exit 1
fi

for _ in $(seq 1 60); do
  if "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" -U postgres; then
    echo "$URL"
    exit 0
  fi
  sleep 0.5
done
log "the server started but does not accept connections; see $DIR/server.log"
exit 1
