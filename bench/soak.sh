#!/bin/sh
# soak.sh: `make soak` (issue 8). SOAK_SECONDS (default 600) of mixed reads and writes
# under wrk (bench/soak.lua: lists, one model, searches, a report; new models and edits
# with If-Match) on a database of SOAK_MODELS generated models (default 100,000), served
# by the release build. dvk's RSS is sampled every 10 s. It passes when:
#   - every answer is 2xx, except 409 version conflicts (expected; counted);
#   - every acknowledged write is in the database: the "soak-…" models counted by sqlite3
#     are at least the 201s wrk saw, and their versions add up to at least the acknowledged
#     edits (at most one more per connection: a write in flight when wrk stops is stored,
#     but its answer is never read);
#   - no socket errors but read errors up to the POSTs sent and the 409s: h2o 2.2 closes
#     the connection after answering a POST, or an error to a request with a body
#     (Connection: close), and wrk counts each such close as a read error;
#   - RSS is flat: after the first third (warm-up: caches and SQLite's page cache fill),
#     the last third's highest sample is within 10% of the middle third's.
set -eu
cd "$(dirname "$0")/.."
SECS=${SOAK_SECONDS:-600}
N=${SOAK_MODELS:-100000}
THREADS=${SOAK_THREADS:-2}
CONNS=${SOAK_CONNECTIONS:-16}
tmp=$(mktemp -d)
pid=
sampler=
trap 'kill $sampler $pid 2>/dev/null || true; rm -rf "$tmp"' EXIT INT TERM
echo "soak-quan-tri-mat-khau-1" > "$tmp/pw"
./build/dvk init --db "$tmp/s.db" --admin-password-file "$tmp/pw" >/dev/null
./build/bench/gen --db "$tmp/s.db" --models "$N" >/dev/null
tok=$(./build/dvk token create --db "$tmp/s.db" --user admin 2>/dev/null)
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])' 2>/dev/null || echo 18798)
./build/dvk serve --db "$tmp/s.db" --port "$port" >"$tmp/serve.log" 2>&1 &
pid=$!
i=0
until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do
    i=$((i + 1)); [ $i -lt 100 ] || { echo "soak: dvk did not start"; cat "$tmp/serve.log"; exit 1; }
    sleep 0.1
done
rss() { awk '/^VmRSS/ {print $2}' "/proc/$pid/status"; }
( while kill -0 "$pid" 2>/dev/null; do rss >> "$tmp/rss"; sleep 10; done ) &
sampler=$!
echo "soak: $SECS s, $N models, wrk -t$THREADS -c$CONNS, dvk pid $pid"
SOAK_MODELS=$N wrk -t"$THREADS" -c"$CONNS" -d"${SECS}s" --timeout 10s --latency -H "Authorization: Bearer $tok" \
    -s bench/soak.lua "http://127.0.0.1:$port" > "$tmp/wrk.txt" 2>&1 || { cat "$tmp/wrk.txt"; exit 1; }
rss >> "$tmp/rss"
kill "$sampler" 2>/dev/null || true
v() { awk -v k="$1" '$1 == "SOAK" && $2 == k {$1 = $2 = ""; sub(/^ +/, ""); print}' "$tmp/wrk.txt"; }
non2xx=$(awk '/Non-2xx/ {print $5}' "$tmp/wrk.txt")
sockerr=$(awk '/Socket errors/ {gsub(",", ""); print $4 + $8 + $10}' "$tmp/wrk.txt")
readerr=$(awk '/Socket errors/ {gsub(",", ""); print $6}' "$tmp/wrk.txt")
kill "$pid"
wait "$pid" 2>/dev/null || true
pid=
stored=$(sqlite3 "$tmp/s.db" "SELECT count(*) FROM models WHERE title LIKE 'soak-%'")
edits=$(sqlite3 "$tmp/s.db" "SELECT coalesce(sum(version - 1), 0) FROM models WHERE title LIKE 'soak-%'")
# RSS in thirds of the samples: [warm-up | middle | last]
set -- $(awk '{a[NR] = $1} END {t = int(NR / 3); m = 0; l = 0; f = 0;
    for (i = 1; i <= t; i++) if (a[i] > f) f = a[i];
    for (i = t + 1; i <= 2 * t; i++) if (a[i] > m) m = a[i];
    for (i = 2 * t + 1; i <= NR; i++) if (a[i] > l) l = a[i];
    print NR, f, m, l}' "$tmp/rss")
samples=$1 rss1=$2 rss2=$3 rss3=$4
fail=0
check() { if [ "$2" = ok ]; then printf '  %-44s %s\n' "$1" ok; else printf '  %-44s FAILED (%s)\n' "$1" "$2"; fail=1; fi; }
echo
echo "soak: $(v requests) requests in $SECS s; latency p50 $(v p50_ms) ms, p99 $(v p99_ms) ms, max $(v max_ms) ms"
printf '  %-28s %s\n' "reads answered 2xx" "$(v reads_ok)" "models created (201)" "$(v posts_ok)" \
    "own models edited (200)" "$(v patches_ok)" "generated models edited" "$(v other_ok)" \
    "version conflicts (409)" "$(v conflicts)" "other errors" "$(v errors) $(v other_statuses)" \
    "soak models in the database" "$stored" "their edits (sum version-1)" "$edits" \
    "RSS samples (every 10 s)" "$samples" "RSS max, first third" "$rss1 kB" "RSS max, middle third" "$rss2 kB" \
    "RSS max, last third" "$rss3 kB"
printf '  %-28s %s\n' "POSTs sent" "$(v posts_sent)" "wrk read errors (closes)" "${readerr:-0}" \
    "wrk connect/write/timeout" "${sockerr:-0}"
echo
[ "$(v errors)" = 0 ] && check "no errors" ok || check "no errors" "$(v errors) errors:$(v other_statuses)"
[ "${sockerr:-0}" = 0 ] && [ "${readerr:-0}" -le $(($(v posts_sent) + $(v conflicts))) ] &&
    check "no socket errors beyond h2o's closes" ok ||
    check "no socket errors beyond h2o's closes" "${sockerr:-0} connect/write/timeout, ${readerr:-0} read"
[ "${non2xx:-0}" = "$(v conflicts)" ] && check "non-2xx answers are the 409s only" ok ||
    check "non-2xx answers are the 409s only" "${non2xx:-0} non-2xx, $(v conflicts) conflicts"
[ "$stored" -ge "$(v posts_ok)" ] && [ "$stored" -le $(($(v posts_ok) + CONNS)) ] &&
    check "every acknowledged model is stored" ok ||
    check "every acknowledged model is stored" "$stored stored, $(v posts_ok) acknowledged"
[ "$edits" -ge "$(v patches_ok)" ] && [ "$edits" -le $(($(v patches_ok) + CONNS)) ] &&
    check "every acknowledged edit is stored" ok ||
    check "every acknowledged edit is stored" "$edits stored, $(v patches_ok) acknowledged"
[ "$samples" -ge 6 ] && [ "$rss3" -le $((rss2 + rss2 / 10)) ] && check "RSS flat (last third within 10% of middle)" ok ||
    check "RSS flat (last third within 10% of middle)" "$samples samples, $rss2 -> $rss3 kB"
[ $fail = 0 ] && echo "soak: passed" || echo "soak: FAILED"
exit $fail
