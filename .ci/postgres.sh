# Sourced by .ci/run: a real PostgreSQL server for the SQL-source tests (tests/test_sources_sql.py).
# Installs Debian's postgresql package when it is missing, starts a cluster as the postgres user,
# creates a throw-away role and database with a password made up for this run, and exports where
# to find them. The password lives only in this process's environment, never in a file.
# Never fails the run: without a server the PostgreSQL tests skip and say why.

nbreport_start_postgres() {
    local run_as=()
    if [ "$(id -u)" -ne 0 ]; then
        if ! sudo -n true 2>/dev/null; then
            echo "postgres: not root and no sudo; the PostgreSQL tests will skip"; return 0
        fi
        run_as=(sudo -n)
    fi
    if ! command -v pg_ctlcluster >/dev/null 2>&1; then
        echo "postgres: installing Debian's postgresql package"
        "${run_as[@]}" apt-get update -qq >/dev/null \
            && DEBIAN_FRONTEND=noninteractive "${run_as[@]}" apt-get install -y -qq postgresql >/dev/null \
            || { echo "postgres: could not install postgresql; its tests will skip"; return 0; }
    fi
    local version cluster
    version=$(ls /usr/lib/postgresql | sort -V | tail -1)
    cluster=main
    if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$version $cluster"; then
        "${run_as[@]}" pg_createcluster "$version" "$cluster" >/dev/null || return 0
    fi
    "${run_as[@]}" pg_ctlcluster "$version" "$cluster" start 2>/dev/null || true
    local port
    port=$(pg_lsclusters -h | awk -v v="$version" -v c="$cluster" '$1==v && $2==c {print $3}')
    local password
    password=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
    "${run_as[@]}" runuser -u postgres -- psql -q -p "$port" -v ON_ERROR_STOP=1 >/dev/null <<SQL || { echo "postgres: could not create the test role; its tests will skip"; return 0; }
SET client_min_messages = warning;
DROP DATABASE IF EXISTS nbreport_test;
DROP ROLE IF EXISTS nbreport_test;
CREATE ROLE nbreport_test LOGIN PASSWORD '$password';
CREATE DATABASE nbreport_test OWNER nbreport_test;
SQL
    export NBREPORT_TEST_PG_URL="postgresql://nbreport_test@127.0.0.1:$port/nbreport_test"
    export NBREPORT_TEST_PG_PASSWORD="$password"
    echo "postgres: PostgreSQL $version running on port $port for the SQL-source tests"
}

nbreport_start_postgres
