#!/bin/sh
# run.sh: `make bench`. Fills a database with BENCH_MODELS models (default 100,000) over
# the real 2024 catalogue, serves it with the release build, and measures with wrk
# (2 threads, 32 connections, BENCH_SECONDS each, default 10) the API questions an
# office asks most. Beside each, in the same run, the baseline: the same page of rows
# read by the sqlite3 shell from the same file (no HTTP, no JSON, no authorization),
# so the ratio says what dvk's layers cost on this machine at this moment.
set -eu
cd "$(dirname "$0")/.."
N=${BENCH_MODELS:-100000}
SECS=${BENCH_SECONDS:-10}
tmp=$(mktemp -d)
pid=
trap 'kill $pid 2>/dev/null || true; rm -rf "$tmp"' EXIT INT TERM
echo "bench-quan-tri-mat-khau-1" > "$tmp/pw"
./build/dvk init --db "$tmp/b.db" --admin-password-file "$tmp/pw" >/dev/null
./build/bench/gen --db "$tmp/b.db" --models "$N"
tok=$(./build/dvk token create --db "$tmp/b.db" --user admin 2>/dev/null)
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])' 2>/dev/null || echo 18799)
./build/dvk serve --db "$tmp/b.db" --port "$port" >"$tmp/serve.log" 2>&1 &
pid=$!
i=0
until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do
    i=$((i + 1)); [ $i -lt 100 ] || { echo "bench: dvk did not start"; cat "$tmp/serve.log"; exit 1; }
    sleep 0.1
done
base="http://127.0.0.1:$port"

# wrk: requests/s and latency percentiles for one URL
measure() {
    wrk -t2 -c32 -d"${SECS}s" --latency -H "Authorization: Bearer $tok" "$1" > "$tmp/wrk.txt" 2>&1
    rps=$(awk '/^Requests\/sec/ {print $2}' "$tmp/wrk.txt")
    p50=$(awk '$1 == "50%" {print $2}' "$tmp/wrk.txt")
    p99=$(awk '$1 == "99%" {print $2}' "$tmp/wrk.txt")
    errs=$(awk '/Non-2xx/ {print $5}' "$tmp/wrk.txt")
    echo "$rps $p50 $p99 ${errs:-0}"
}

# the sqlite3 shell running the same page query REPEAT times from one process
baseline() {
    repeat=2000
    : > "$tmp/q.sql"
    echo ".output /dev/null" >> "$tmp/q.sql"
    k=0
    while [ $k -lt $repeat ]; do echo "$1" >> "$tmp/q.sql"; k=$((k + 1)); done
    t0=$(date +%s.%N)
    sqlite3 "$tmp/b.db" < "$tmp/q.sql"
    t1=$(date +%s.%N)
    echo "$repeat $t0 $t1" | awk '{printf "%.0f", $1 / ($3 - $2)}'
}

prov=49 # Tỉnh Quảng Nam in the 2024 catalogue
printf '\n%-44s %12s %10s %10s %8s %14s %7s\n' "question (${N} models)" "dvk req/s" "p50" "p99" "non-2xx" "sqlite3 q/s" "ratio"
row() {
    set -- "$1" "$2" "$3" "$(measure "$2")"
    b=$(baseline "$3")
    # shellcheck disable=SC2086
    set -- "$1" "$2" "$3" $4
    ratio=$(echo "$4 $b" | awk '{printf "%.2f", $1 / $2}')
    printf '%-44s %12s %10s %10s %8s %14s %7s\n' "$1" "$4" "$5" "$6" "$7" "$b" "$ratio"
}
row "list, newest first, 50 per page" "$base/api/v1/models?limit=50" \
    "SELECT * FROM models ORDER BY registered_on DESC, id DESC LIMIT 50;"
row "list, one province and field" "$base/api/v1/models?limit=50&hierarchy=2024&unit=$prov&field=economic" \
    "SELECT * FROM models WHERE p24 = '$prov' AND field = 'economic' ORDER BY registered_on DESC, id DESC LIMIT 50;"
row "one model" "$base/api/v1/models/4242" "SELECT * FROM models WHERE id = 4242;"
row "search 'camera an ninh' (no diacritics)" "$base/api/v1/models?limit=50&q=camera%20an%20ninh" \
    "SELECT * FROM models WHERE instr(search_fold, ' camera') > 0 AND instr(search_fold, ' an') > 0 AND instr(search_fold, ' ninh') > 0 ORDER BY registered_on DESC, id DESC LIMIT 50;"
rss=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
echo
echo "dvk peak RSS: $((rss / 1024)) MB   machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
echo "ratio = dvk requests/s over HTTP (with JSON, the list's total count and authorization) / sqlite3 shell queries/s for the same rows."
