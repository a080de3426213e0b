#!/usr/bin/env bash
# Runs a command with a throw-away PostgreSQL server: `scripts/with-postgres.sh cargo test ...`.
#
# Installs PostgreSQL from the system's packages when it is missing (Debian/Ubuntu: apt-get),
# creates a cluster in a fresh temporary folder, starts it listening on a Unix socket in that
# folder only (no TCP), runs the command with APIG_EXPORT_POSTGRES_URL naming it, then stops the
# server and removes the folder, whether the command passed or failed.
set -euo pipefail

find_bin() {
  local name=$1
  if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return; fi
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin/"$name" 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$found" ] && echo "$found"
}

if [ -z "$(find_bin initdb)" ] || [ -z "$(find_bin pg_ctl)" ]; then
  echo "PostgreSQL is missing: installing it from the system's packages" >&2
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
  else
    echo "no apt-get here: install PostgreSQL (initdb, pg_ctl) and run again" >&2
    exit 1
  fi
fi
INITDB=$(find_bin initdb)
PG_CTL=$(find_bin pg_ctl)

DIR=$(mktemp -d "${TMPDIR:-/tmp}/apig-export-pg.XXXXXX")
PORT=5432
# The server refuses to run as root: as root, the cluster belongs to the `postgres` user.
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$DIR"
  as_owner() { runuser -u postgres -- "$@"; }
else
  as_owner() { "$@"; }
fi

stop() {
  local status=$?
  as_owner "$PG_CTL" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
  exit $status
}
trap stop EXIT INT TERM

as_owner "$INITDB" -D "$DIR/data" --auth=trust --username=postgres --encoding=UTF8 --locale=C >"$DIR/initdb.log" 2>&1 \
  || { cat "$DIR/initdb.log" >&2; exit 1; }
as_owner "$PG_CTL" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
  -o "-c listen_addresses='' -k $DIR -p $PORT -c max_connections=200 -c fsync=off" start >/dev/null \
  || { cat "$DIR/server.log" >&2; exit 1; }

export APIG_EXPORT_POSTGRES_URL="postgresql:///postgres?host=$DIR&port=$PORT&user=postgres"
echo "PostgreSQL $("$PG_CTL" --version | awk '{print $NF}') on the socket in $DIR" >&2
"$@"
