#!/usr/bin/env bash
# A throwaway PostgreSQL for trying the head office by hand and for the
# benchmarks' data: Debian's postgresql package, initdb in DIR, the server on
# 127.0.0.1:PORT and a Unix socket in DIR/sock. initdb refuses root, so as
# root it runs as the `postgres` system user.
#
#   bash .ci/pg.sh start [DIR] [PORT]   → prints the environment to use (eval it)
#   bash .ci/pg.sh stop  [DIR]
#   bash .ci/pg.sh psql  [DIR] [ARGS…]  → psql as the superuser kyc_admin
#
# The superuser kyc_admin logs in through the socket without a password;
# over TCP every role needs its password (scram-sha-256).
set -euo pipefail
cmd=${1:-}; dir=${2:-/tmp/kycdesk-pg}; port=${3:-55432}
bin=${KYCDESK_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
[ -x "$bin/initdb" ] || { echo "pg.sh: PostgreSQL not installed (bash .ci/deps.sh)" >&2; exit 1; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "$cmd" in
start)
  mkdir -p "$dir/sock"
  [ "$(id -u)" = 0 ] && chown -R postgres: "$dir"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_pg "$bin/initdb" -D "$dir/data" -U kyc_admin -E UTF8 --locale=C \
      --auth-local=trust --auth-host=scram-sha-256 --no-instructions >/dev/null
    cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir/sock'
port = $port
max_connections = 1200
shared_buffers = '512MB'
work_mem = '32MB'
timezone = 'UTC'
CONF
  fi
  as_pg "$bin/pg_ctl" start -w -D "$dir/data" -l "$dir/server.log" >/dev/null
  p=$(sed -n 's/^port = //p' "$dir/data/postgresql.conf" | tail -1)
  echo "export KYCDESK_PG_ADMIN='host=$dir/sock port=$p user=kyc_admin dbname=postgres sslmode=disable'"
  echo "# TCP: 127.0.0.1:$p"
  ;;
stop)
  as_pg "$bin/pg_ctl" stop -w -m fast -D "$dir/data" >/dev/null && echo "stopped"
  ;;
psql)
  shift 2 || true
  p=$(sed -n 's/^port = //p' "$dir/data/postgresql.conf" | tail -1)
  "$bin/psql" -h "$dir/sock" -p "$p" -U kyc_admin "$@"
  ;;
*) echo "usage: $0 start|stop|psql [DIR] [PORT]" >&2; exit 2 ;;
esac
