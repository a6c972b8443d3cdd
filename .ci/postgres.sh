# Sourced by .ci/run: a throwaway PostgreSQL server on loopback for test/e2e/postgres-store.test.ts (the
# DATABASE_URL store). Installs Debian's server when it is missing, starts it as the postgres user on a free port,
# stops it when CI exits, and exports TEST_DATABASE_URL. If it cannot be started, says so loudly and leaves
# TEST_DATABASE_URL unset: that one suite is then skipped and the rest of CI still runs.
start_test_postgres () {
  if ! ls /usr/lib/postgresql/*/bin/initdb > /dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql > /dev/null || return 1
  fi
  local bin dir port
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  dir=$(mktemp -d)
  chown postgres "$dir" || return 1  # initdb and postgres refuse to run as root
  port=$(node -e "const s = require('net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close() })")
  su postgres -c "cd / && $bin/initdb -D $dir/data -A trust -U postgres" > "$dir/initdb.log" 2>&1 || return 1
  su postgres -c "cd / && $bin/pg_ctl -D $dir/data -o '-k $dir -p $port -c listen_addresses=127.0.0.1' -l $dir/server.log -w start" > /dev/null || return 1
  trap "su postgres -c 'cd / && $bin/pg_ctl -D $dir/data -m fast stop' > /dev/null 2>&1 || true" EXIT
  export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
  echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port for test/e2e/postgres-store.test.ts"
}

if ! start_test_postgres; then
  echo "!!! PostgreSQL could not be started: test/e2e/postgres-store.test.ts will be SKIPPED in this run !!!" >&2
fi
