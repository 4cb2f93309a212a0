#!/usr/bin/env bash
# PostgreSQL (Debian's postgresql, 15 here) on 127.0.0.1:55432 for development and the tests that
# run on PostgreSQL. Root runs it; the server runs as the user postgres. Idempotent: a second run
# on a running server changes nothing and takes well under a second.
#   data:   $STATE/pg/data (initdb: UTF8, C.UTF-8, local socket trust, TCP scram-sha-256)
#   socket: $STATE/pg (never /var/run/postgresql, which other users cannot write to)
#   login:  role `emanager` (CREATEDB, so tests can make a database per file) with a generated
#           password, database `emanager`; both in $STATE/pg.json (mode 600), which tests read
#           (lib/test-support/pg.ts). The last line printed is the DATABASE_URL.
# The server starts with fd 9 closed (`9>&-`) so it never inherits this script's lock.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HERE/lib.sh"
[ "$EUID" = 0 ] || { echo "[pg] pg-up.sh needs root: it installs Debian packages and runs initdb as postgres" >&2; exit 3; }
PG_PORT=${EMANAGER_PG_PORT:-55432}
D=$STATE/pg
mkdir -p "$STATE"
exec 9>"$STATE/.pg-up.lock"
flock -w 120 9 || { echo "[pg] another pg-up.sh has held $STATE/.pg-up.lock for 2 minutes" >&2; exit 1; }

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  command -v apt-get >/dev/null || { echo "[pg] postgresql is missing and there is no apt-get here" >&2; exit 3; }
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  fi
  say "installed postgresql"
fi
# the newest installed major version; initdb and pg_ctl are not on PATH in Debian
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_pg() { runuser -u postgres -- "$@"; }

install -d -o postgres -g postgres -m 700 "$D"
if [ ! -f "$D/data/PG_VERSION" ]; then
  as_pg "$PGBIN/initdb" -D "$D/data" -U postgres -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  say "initdb $D/data"
fi
if ! as_pg "$PGBIN/pg_ctl" -D "$D/data" status >/dev/null 2>&1; then
  # -w: returns once the server accepts connections; a postmaster.pid left by a killed server is
  # recognised as stale by the postmaster itself
  as_pg "$PGBIN/pg_ctl" -D "$D/data" -l "$D/server.log" -w -t 60 \
    -o "-p $PG_PORT -k $D -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null 9>&-
  say "started PostgreSQL on 127.0.0.1:$PG_PORT"
fi

psql_pg() { as_pg psql -h "$D" -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA "$@"; }
JSON=$STATE/pg.json
PASS=""
[ -s "$JSON" ] && PASS=$(sed -n 's/.*"password": *"\([^"]*\)".*/\1/p' "$JSON")
[ -n "$PASS" ] || PASS=$(head -c 18 /dev/urandom | base64 | tr '+/' 'xy')
if [ "$(psql_pg -c "SELECT 1 FROM pg_roles WHERE rolname = 'emanager'")" != 1 ]; then
  psql_pg -c "CREATE ROLE emanager LOGIN CREATEDB PASSWORD '$PASS'"
  say "created role emanager"
fi
# DROP DATABASE … WITH (FORCE) ends the sessions still in a test database; one of them can be an
# autovacuum worker (no role of its own), which only members of pg_signal_backend may end
if [ "$(psql_pg -c "SELECT 1 FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member JOIN pg_roles g ON g.oid = m.roleid WHERE r.rolname = 'emanager' AND g.rolname = 'pg_signal_backend'")" != 1 ]; then
  psql_pg -c "GRANT pg_signal_backend TO emanager"
  say "role emanager may end other sessions (pg_signal_backend)"
fi
if [ "$(psql_pg -c "SELECT 1 FROM pg_database WHERE datname = 'emanager'")" != 1 ]; then
  psql_pg -c "CREATE DATABASE emanager OWNER emanager"
  say "created database emanager"
fi
URL="postgresql://emanager:$PASS@127.0.0.1:$PG_PORT/emanager"
# the password is checked, not assumed: a pg.json that lost it (or a role made by hand) is reset
if ! PGPASSWORD=$PASS psql -h 127.0.0.1 -p "$PG_PORT" -U emanager -d emanager -qtAc 'SELECT 1' >/dev/null 2>&1; then
  psql_pg -c "ALTER ROLE emanager PASSWORD '$PASS'"
  say "reset the password of role emanager"
fi
tmp=$JSON.tmp.$$
(
  umask 077
  printf '{\n  "version": 1,\n  "host": "127.0.0.1",\n  "port": %s,\n  "user": "emanager",\n  "password": "%s",\n  "database": "emanager",\n  "url": "%s"\n}\n' \
    "$PG_PORT" "$PASS" "$URL" >"$tmp"
)
if cmp -s "$tmp" "$JSON"; then rm -f "$tmp"; else mv -f "$tmp" "$JSON"; fi
echo "DATABASE_URL=$URL"
