#!/bin/sh
# run.sh: runs every fuzz target for a while (`make fuzz`), or replays the saved inputs.
#
#   sh fuzz/run.sh            each target FUZZ_SECONDS (default 600) from its saved corpus
#   sh fuzz/run.sh replay     each target once over fuzz/corpus/<t> and fuzz/regressions/<t>
#
# FUZZ_TARGETS (default: every build/fuzz/<t> with a fuzz/<t>.c) picks targets; FUZZ_JOBS
# (default 1) runs that many at once, one process each. New inputs go to
# build/fuzz/corpus/<t>/, crashes, leaks and timeouts to build/fuzz/crashes/<t>/, logs to
# build/fuzz/logs/<t>.log. Each target prints one line: its runs, time and result.
# Exits 1 when any target found something (copy the input into fuzz/regressions/<t>/
# beside the fix, so that make test replays it).
cd "$(dirname "$0")/.." || exit 1
mode=${1:-fuzz}
seconds=${FUZZ_SECONDS:-600}
jobs=${FUZZ_JOBS:-1}
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export ASAN_OPTIONS UBSAN_OPTIONS

targets=${FUZZ_TARGETS:-$(for f in fuzz/*.c; do n=$(basename "$f" .c); [ "$n" = common ] || echo "$n"; done)}
mkdir -p build/fuzz/logs || exit 1

# one target: fuzz it for $seconds, then summarise its log
fuzz_one() {
    t=$1
    log=build/fuzz/logs/$t.log
    mkdir -p "build/fuzz/corpus/$t" "build/fuzz/crashes/$t"
    set -- "build/fuzz/corpus/$t" "fuzz/corpus/$t"
    [ -d "fuzz/regressions/$t" ] && set -- "$@" "fuzz/regressions/$t"
    start=$(date +%s)
    "build/fuzz/$t" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="build/fuzz/crashes/$t/" "$@" >"$log" 2>&1
    rc=$?
    end=$(date +%s)
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
    found=$(ls "build/fuzz/crashes/$t" 2>/dev/null | wc -l)
    if [ "$rc" -eq 0 ] && [ "$found" -eq 0 ]; then
        echo "fuzz $t: ${runs:-?} runs in $((end - start)) s, ${cov:-cov: ?}, no crash"
    else
        echo "fuzz $t: FOUND SOMETHING after ${runs:-?} runs in $((end - start)) s (exit $rc; see $log and build/fuzz/crashes/$t/)"
        grep -m 3 'ERROR:\|runtime error:\|fuzz: property' "$log"
        return 1
    fi
}

if [ "$mode" = replay ]; then
    # one line per target and per regression input: "ok NAME" or "not ok NAME"
    for t in $targets; do
        bin=build/fuzz/$t
        if [ ! -x "$bin" ]; then
            echo "not ok $t (no $bin: make fuzz-targets)"
            continue
        fi
        files=$(ls -d "fuzz/corpus/$t"/* 2>/dev/null)
        log=build/fuzz/logs/replay-$t.log
        # shellcheck disable=SC2086
        if [ -n "$files" ] && "$bin" $files >"$log" 2>&1; then
            echo "ok $t corpus ($(echo "$files" | wc -l) inputs)"
        else
            echo "not ok $t corpus (see $log)"
            grep -m 3 'ERROR:\|runtime error:\|fuzz: property' "$log"
        fi
        for f in "fuzz/regressions/$t"/*; do
            [ -f "$f" ] || continue
            if "$bin" "$f" >"$log.regression" 2>&1; then
                echo "ok $t regression $(basename "$f")"
            else
                echo "not ok $t regression $(basename "$f") (see $log.regression)"
                grep -m 3 'ERROR:\|runtime error:\|fuzz: property' "$log.regression"
            fi
        done
    done
    exit 0
fi

status=0
running=0
for t in $targets; do
    if [ ! -x "build/fuzz/$t" ]; then
        echo "fuzz $t: no build/fuzz/$t (make fuzz-targets)"
        status=1
        continue
    fi
    if [ "$jobs" -le 1 ]; then
        fuzz_one "$t" || status=1
    else
        (fuzz_one "$t") >"build/fuzz/logs/$t.summary" 2>&1 &
        running=$((running + 1))
        if [ "$running" -ge "$jobs" ]; then
            wait
            running=0
        fi
    fi
done
wait
if [ "$jobs" -gt 1 ]; then
    for t in $targets; do
        [ -f "build/fuzz/logs/$t.summary" ] && cat "build/fuzz/logs/$t.summary"
        grep -q 'FOUND\|no build' "build/fuzz/logs/$t.summary" 2>/dev/null && status=1
    done
fi
exit $status
