#!/bin/sh
# pg-cluster.sh: a throwaway PostgreSQL cluster for the tests (issue 7).
#   sh tools/pg-cluster.sh start DIR   creates DIR (which must not exist, or be empty), runs
#                                      initdb and the server there, and prints the connection
#                                      URL of its superuser on stdout
#   sh tools/pg-cluster.sh replica DIR PRIMARY_DIR
#                                      a streaming replica of the cluster of PRIMARY_DIR (hot
#                                      standby, read-only) in DIR; prints the same kind of URL
#   sh tools/pg-cluster.sh stop DIR    stops that server and removes DIR
# The server listens on a Unix socket in DIR only (no TCP port), trusts local connections
# (the socket's folder is the only way in) and keeps nothing durable (fsync off). It uses the
# C collation, so that text sorts by bytes as in SQLite. initdb refuses to run as root: as
# root the cluster belongs to the `postgres` user of Debian's package. Keep DIR short: a
# socket path holds at most 107 bytes.
set -e
what=$1
dir=$2
if [ -z "$what" ] || [ -z "$dir" ]; then
    echo "usage: sh tools/pg-cluster.sh start|stop DIR, or replica DIR PRIMARY_DIR" >&2
    exit 2
fi
bin=
for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && bin=$d # the last one: the newest major version
done
if [ -z "$bin" ]; then
    echo "pg-cluster: PostgreSQL is not installed (/usr/lib/postgresql/*/bin/initdb); run: make test-deps" >&2
    exit 1
fi

# as USER: runs the command as the cluster's owner
as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# prepare DIR: creates the empty folder, owned by the cluster's user
prepare() {
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if [ -n "$(ls -A "$dir")" ]; then
        echo "pg-cluster: $dir is not empty" >&2
        exit 1
    fi
    if [ "$(id -u)" = 0 ]; then
        if ! id postgres >/dev/null 2>&1; then
            echo "pg-cluster: running as root needs the postgres user (Debian's postgresql package)" >&2
            exit 1
        fi
        chown postgres: "$dir"
    fi
    chmod 700 "$dir"
}

# serve: starts the server of DIR/data on a socket in DIR and prints its URL.
# listen_addresses '': no TCP at all; max_connections: every test's dvk serve holds one
# connection per worker thread
serve() {
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -s \
        -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400 -c shared_buffers=32MB" \
        start >/dev/null || {
        cat "$dir/server.log" >&2
        exit 1
    }
    echo "postgresql://dvk@/postgres?host=$dir"
}

case $what in
start)
    prepare
    as_owner "$bin/initdb" -D "$dir/data" -U dvk -A trust -E UTF8 --no-locale --no-sync >"$dir/initdb.log" 2>&1 || {
        cat "$dir/initdb.log" >&2
        exit 1
    }
    serve
    ;;
replica)
    primary=$(cd "${3:?usage: sh tools/pg-cluster.sh replica DIR PRIMARY_DIR}" && pwd)
    prepare
    # -R: the copy starts as a standby that follows the primary over its socket
    as_owner "$bin/pg_basebackup" -D "$dir/data" -R -X stream -c fast -h "$primary" -U dvk >"$dir/basebackup.log" 2>&1 || {
        cat "$dir/basebackup.log" >&2
        exit 1
    }
    serve
    ;;
stop)
    [ -d "$dir" ] || exit 0
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w -s stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
*)
    echo "usage: sh tools/pg-cluster.sh start|stop DIR" >&2
    exit 2
    ;;
esac
