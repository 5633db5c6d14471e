#!/usr/bin/env bash
# Stop the throwaway cluster started by scripts/start-test-postgres.sh.
#
#   scripts/stop-test-postgres.sh [DIR] [--remove]     (default DIR: /tmp/resolved-pg)
#
# --remove also deletes DIR (every test database in it). Stopping a cluster that is not running is not an error.
set -euo pipefail

DIR="/tmp/resolved-pg"
REMOVE=false
for arg in "$@"; do
  case "$arg" in
    --remove) REMOVE=true ;;
    -*)
      echo "stop-test-postgres: unknown option $arg" >&2
      exit 2
      ;;
    *) DIR="$arg" ;;
  esac
done

log() { echo "stop-test-postgres: $*" >&2; }

BIN="${PG_BIN:-}"
if [ -z "$BIN" ]; then
  for candidate in /usr/lib/postgresql/15/bin $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
    if [ -x "$candidate/pg_ctl" ]; then
      BIN="$candidate"
      break
    fi
  done
fi
if [ -z "$BIN" ] && command -v pg_ctl >/dev/null 2>&1; then
  BIN="$(dirname "$(command -v pg_ctl)")"
fi

if [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1; then
  as_owner() { runuser -u postgres -- "$@"; }
else
  as_owner() { "$@"; }
fi

if [ -f "$DIR/PG_VERSION" ] && [ -n "$BIN" ] && as_owner "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
  as_owner "$BIN/pg_ctl" -D "$DIR" -m fast -w stop >/dev/null
  log "stopped the cluster in $DIR"
else
  log "no cluster running in $DIR"
fi

if [ "$REMOVE" = true ] && [ -d "$DIR" ]; then
  if [ -f "$DIR/PG_VERSION" ] || [ -z "$(ls -A "$DIR")" ]; then
    rm -rf "$DIR"
    log "removed $DIR"
  else
    log "$DIR is not a PostgreSQL cluster; not removing it"
    exit 1
  fi
fi
