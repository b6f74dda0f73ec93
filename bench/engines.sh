#!/bin/sh
# engines.sh: `make bench`, the same workload on SQLite and on PostgreSQL, side by side (issue 7).
# bench/gen fills a SQLite database with BENCH_ENGINES_MODELS models (default 20,000) over
# the real 2024 catalogue; `dvk migrate-db` copies the very same rows into a throwaway
# PostgreSQL cluster (tools/pg-cluster.sh: a Unix socket, fsync off as in the tests); a dvk
# serves each, with the answer cache off (--cache-mb 0: every answer computed, as after a
# change), and wrk (2 threads, 32 connections, BENCH_SECONDS each; search with 4) asks both
# the same questions: lists, one model, search, a province's report, and model creation.
set -eu
cd "$(dirname "$0")/.."
N=${BENCH_ENGINES_MODELS:-20000}
SECS=${BENCH_SECONDS:-10}
tmp=$(mktemp -d /tmp/dvk-eng.XXXXXX)
pgdir=$(mktemp -d /tmp/dvk-pgb.XXXXXX) # its own folder: the cluster's owner must reach it
pids=
cleanup() {
    for p in $pids; do kill "$p" 2>/dev/null || true; done
    sh tools/pg-cluster.sh stop "$pgdir" >/dev/null 2>&1 || true
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
echo "bench-quan-tri-mat-khau-1" > "$tmp/pw"
./build/dvk init --db "$tmp/s.db" --admin-password-file "$tmp/pw" >/dev/null
./build/bench/gen --db "$tmp/s.db" --models "$N" >/dev/null
pg=$(sh tools/pg-cluster.sh start "$pgdir")
psql -X -q -d "$pg" -c "CREATE DATABASE dvk TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"
pgdb=$(echo "$pg" | sed 's|^\(postgresql://[^/]*\)/[^?]*|\1/dvk|')
t0=$(date +%s)
./build/dvk migrate-db --from "sqlite:$tmp/s.db" --to "$pgdb" > "$tmp/migrate.log" 2>&1 ||
    { echo "bench: dvk migrate-db failed"; cat "$tmp/migrate.log"; exit 1; }
echo "engines: $N models generated on SQLite, copied to PostgreSQL by dvk migrate-db in $(($(date +%s) - t0)) s"
tok_s=$(./build/dvk token create --db "$tmp/s.db" --user admin 2>/dev/null)
tok_p=$(./build/dvk token create --db "$pgdb" --user admin 2>/dev/null)

free_port() {
    python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'
}
# serve DB: a dvk with every answer computed; prints its base URL, adds its pid to pids
serve() {
    port=$(free_port)
    ./build/dvk serve --db "$1" --port "$port" --cache-mb 0 --data "$tmp/files" >>"$tmp/serve.log" 2>&1 &
    echo "$!" > "$tmp/pid"
    i=0
    until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do
        i=$((i + 1)); [ $i -lt 100 ] || { echo "bench: dvk did not start on $1" >&2; cat "$tmp/serve.log" >&2; exit 1; }
        sleep 0.1
    done
    echo "http://127.0.0.1:$port"
}
base_s=$(serve "$tmp/s.db"); pids="$pids $(cat "$tmp/pid")"; pid_s=$(cat "$tmp/pid")
base_p=$(serve "$pgdb"); pids="$pids $(cat "$tmp/pid")"; pid_p=$(cat "$tmp/pid")

# measure TOKEN URL [wrk args]: "req/s p50 p99 non-2xx"
measure() {
    tok=$1 url=$2
    shift 2
    wrk -t2 -c32 -d"${SECS}s" --latency -H "Authorization: Bearer $tok" "$@" "$url" > "$tmp/wrk.txt" 2>&1
    awk '/^Requests\/sec/ {r = $2} $1 == "50%" {p50 = $2} $1 == "99%" {p99 = $2}
        /Non-2xx/ {bad += $5} /Socket errors/ {gsub(",", ""); bad += $4 + $6 + $8 + $10}
        END {print r, p50, p99, bad + 0}' "$tmp/wrk.txt"
}
prov=49 # Tỉnh Quảng Nam in the 2024 catalogue
printf '\n%-38s %10s %9s %9s %6s   %10s %9s %9s %6s %7s\n' "question ($N models, computed)" \
    "SQLite/s" p50 p99 errors "PG/s" p50 p99 errors "PG/SQL"
# row LABEL PATH [wrk args]
row() {
    label=$1 path=$2
    shift 2
    s=$(measure "$tok_s" "$base_s$path" "$@")
    p=$(measure "$tok_p" "$base_p$path" "$@")
    # shellcheck disable=SC2086 # four words each
    echo "$s $p" | awk -v l="$label" '{printf "%-38s %10s %9s %9s %6s   %10s %9s %9s %6s %6.2fx\n", l, $1, $2, $3, $4, $5, $6, $7, $8, $5 / $1}'
}
row "list, newest first, 50" "/api/v1/models?limit=50"
row "list, one province and field" "/api/v1/models?limit=50&hierarchy=2024&unit=$prov&field=economic"
row "one model" "/api/v1/models/4242"
QUERIES=bench/search-queries.txt
export QUERIES
row "search, 19 searches in turn (4 conn.)" "" -c4 -s bench/search.lua
row "province roll-up by district (2024)" "/api/v1/reports/by_unit?hierarchy=2024&unit=$prov&from=2010-01-01&to=2024-12-31"
row "model creation (POST)" "/api/v1/models" -s bench/create.lua
rss_s=$(awk '/VmHWM/ {print $2}' "/proc/$pid_s/status")
rss_p=$(awk '/VmHWM/ {print $2}' "/proc/$pid_p/status")
echo "dvk peak RSS: $((rss_s / 1024)) MB on SQLite, $((rss_p / 1024)) MB on PostgreSQL (whose server's memory is its own);" \
    "PostgreSQL $(psql -X -A -t -d "$pg" -c 'SHOW server_version' | cut -d' ' -f1), fsync off (a throwaway cluster)"
