#!/usr/bin/env bash
# Start a throwaway PostgreSQL 15 server for the tests and print its URL (postgresql://...).
# Installs Debian's postgresql-15 when missing. The cluster lives in a temporary folder owned by
# the `postgres` user (initdb refuses to run as root), listens on 127.0.0.1 only, and trusts local
# connections: it is a test fixture, never a store to keep. Usage: `bash scripts/pg-test-server.sh [PORT]`;
# stop it with `bash scripts/pg-test-server.sh stop`.
set -euo pipefail
port="${1:-55432}"
base=/tmp/newsloom-pg-test
bin=/usr/lib/postgresql/15/bin
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ "$port" = stop ]; then
  [ -d "$base/data" ] && as_pg "$bin/pg_ctl" -D "$base/data" -m fast stop >/dev/null || true
  exit 0
fi
if [ ! -x "$bin/initdb" ]; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null) >&2
fi
mkdir -p "$base"
if [ "$(id -u)" = 0 ]; then chown postgres "$base"; fi
if [ ! -f "$base/data/PG_VERSION" ]; then
  as_pg "$bin/initdb" -D "$base/data" -U newsloom -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi
# a server of an earlier session that was killed can leave a pid file behind a reused pid
if as_pg "$bin/pg_ctl" -D "$base/data" status >/dev/null 2>&1 && ! "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; then
  rm -f "$base/data/postmaster.pid"
fi
if ! as_pg "$bin/pg_ctl" -D "$base/data" status >/dev/null 2>&1; then
  as_pg "$bin/pg_ctl" -D "$base/data" -l "$base/server.log" -w \
    -o "-h 127.0.0.1 -p $port -k $base -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
fi
as_pg "$bin/psql" -h 127.0.0.1 -p "$port" -U newsloom -d postgres -tAc \
  "SELECT 1 FROM pg_database WHERE datname = 'newsloom_test'" | grep -q 1 \
  || as_pg "$bin/createdb" -h 127.0.0.1 -p "$port" -U newsloom newsloom_test
echo "postgresql://newsloom@127.0.0.1:$port/newsloom_test"
