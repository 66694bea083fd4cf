# Starts a throwaway PostgreSQL server on loopback for the tests and stops it on exit.
# Sourced by scripts/test; sets MAMAR_TEST_POSTGRES_URL.

pg_bindir() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
  done
  command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
  return 1
}

free_port() {
  python3 - <<'PY'
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
PY
}

start_postgres() {
  local bindir port as_pg=()
  bindir=$(pg_bindir) || { echo "scripts/test: PostgreSQL is not installed" >&2; return 1; }
  PG_TMP=$(mktemp -d /tmp/mamar-pg.XXXXXX)
  if [ "$(id -u)" = 0 ]; then
    # PostgreSQL refuses to run as root; Debian's package creates the postgres user.
    chown postgres:postgres "$PG_TMP"
    as_pg=(runuser -u postgres --)
  fi
  port=$(free_port)
  "${as_pg[@]}" "$bindir/initdb" -D "$PG_TMP/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$PG_TMP/initdb.log" 2>&1 \
    || { cat "$PG_TMP/initdb.log" >&2; return 1; }
  "${as_pg[@]}" "$bindir/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_TMP -c fsync=off -c max_connections=200" start >/dev/null \
    || { cat "$PG_TMP/server.log" >&2; return 1; }
  PG_STOP=("${as_pg[@]}" "$bindir/pg_ctl" -D "$PG_TMP/data" -m fast -w stop)
  export MAMAR_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
  # Where the server keeps its files and its log, for the tests that search them.
  export MAMAR_TEST_POSTGRES_DATA="$PG_TMP/data" MAMAR_TEST_POSTGRES_LOG="$PG_TMP/server.log"
  echo "scripts/test: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
}

stop_postgres() {
  if [ -n "${PG_TMP:-}" ]; then
    "${PG_STOP[@]}" >/dev/null 2>&1 || true
    rm -rf "$PG_TMP"
  fi
}
