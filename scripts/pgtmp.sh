#!/usr/bin/env bash
# A throwaway PostgreSQL cluster from the machine's own binaries (run as root; initdb refuses root,
# so the cluster runs as the postgres user). Usage:
#   eval "$(scripts/pgtmp.sh start PORT)"   # exports PGTMP_DIR and DATABASE_URL
#   scripts/pgtmp.sh stop "$PGTMP_DIR"
set -euo pipefail
cmd=${1:?start|stop}
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$PG_BIN" ] || { echo "PostgreSQL binaries not found under /usr/lib/postgresql" >&2; exit 1; }
case "$cmd" in
  start)
    port=${2:-55432}
    dir=$(mktemp -d /tmp/helhedsplan-pg.XXXXXX)
    chown postgres "$dir"
    runuser -u postgres -- "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >/dev/null
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$dir/data" \
      -o "-k $dir -p $port -c listen_addresses='' -c fsync=off -c max_connections=200" -w -l "$dir/log" start >/dev/null
    runuser -u postgres -- "$PG_BIN/createdb" -h "$dir" -p "$port" -U postgres helhedsplan
    # The socket directory as the "host" query option: django-environ reads it from there (a
    # percent-encoded path in the host part would be taken for a host name).
    echo "export PGTMP_DIR='$dir' PGTMP_PORT='$port' DATABASE_URL='postgres://postgres@:${port}/helhedsplan?host=${dir}'"
    ;;
  stop)
    dir=${2:?directory}
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  restart)
    dir=${2:?directory}
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w restart >/dev/null
    ;;
  *) echo "usage: $0 start [PORT] | stop DIR | restart DIR" >&2; exit 2 ;;
esac
