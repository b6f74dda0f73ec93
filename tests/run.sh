#!/bin/sh
# run.sh: runs every test suite of dvk and sums them (used by `make test`).
#   unit     every cmocka binary in build/asan/tests/ (TAP: ok / not ok lines), and
#            test_store again on PostgreSQL (test_store-pg)
#   api      node --test tests/api/      (TAP summary: # pass N / # fail N)
#   api-pg   the same suites on PostgreSQL (a throwaway cluster; tests/pg-pending.txt: those not yet)
#   browser  node --test tests/browser/  (same)
#   fuzz     every fuzz target over its saved inputs (fuzz/run.sh replay: a line per
#            target's corpus and per regression input)
#   crash    node --test tests/crash/: dvk killed with SIGKILL during writes and imports
#            (CRASH_KILLS kills, default 20; make crash runs 200)
# Prints each suite's counts, then exactly one last line "N passed, N failed".
# Exits 1 when anything failed or a suite did not run.
# Run from anywhere; DVK_BIN (default build/asan/dvk) is passed on to the tests.

cd "$(dirname "$0")/.." || exit 1

ASAN_OPTIONS=detect_leaks=1
LSAN_OPTIONS=suppressions=$(pwd)/tests/lsan.supp:print_suppressions=0
export LSAN_OPTIONS
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ASAN_OPTIONS UBSAN_OPTIONS

out=tests/out/logs
mkdir -p "$out" || exit 1

total_pass=0
total_fail=0
missing=0

# ---- a throwaway PostgreSQL cluster (tools/pg-cluster.sh: a Unix socket in a temporary
# folder, no TCP port), for the store tests and the API suites run a second time on
# PostgreSQL (unit-pg, api-pg); stopped and removed at the end, whatever happens.
pg_dir=$(mktemp -d /tmp/dvk-pg.XXXXXX)
trap 'sh tools/pg-cluster.sh stop "$pg_dir" >/dev/null 2>&1' EXIT
trap 'exit 130' INT TERM
if ! pg_url=$(sh tools/pg-cluster.sh start "$pg_dir" 2>"$out/pg-cluster.log"); then
    pg_url=""
    cat "$out/pg-cluster.log"
fi

# ---- unit: cmocka ------------------------------------------------------------
u_pass=0
u_fail=0
u_bins=0
# every binary, then the store's again on PostgreSQL (DVK_TEST_PG: a database of its own)
for t in build/asan/tests/* pg:build/asan/tests/test_store; do
    pg_env=""
    case $t in
    pg:*)
        t=${t#pg:}
        if [ -z "$pg_url" ]; then
            echo "unit: test_store on PostgreSQL did not run (no cluster; see $out/pg-cluster.log)"
            missing=$((missing + 1))
            continue
        fi
        pg_env=$pg_url
        ;;
    esac
    if [ ! -f "$t" ] || [ ! -x "$t" ]; then continue; fi
    u_bins=$((u_bins + 1))
    name=$(basename "$t")${pg_env:+-pg}
    log="$out/unit-$name.tap"
    DVK_TEST_PG=$pg_env CMOCKA_MESSAGE_OUTPUT=TAP "./$t" >"$log" 2>&1
    rc=$?
    p=$(grep -c '^ok ' "$log")
    f=$(grep -c '^not ok ' "$log")
    # A crash, a sanitizer report or a bad exit with no failing test line still fails.
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1
        echo "unit: $name exited with status $rc and no failing test line"
    fi
    if grep -q 'ERROR: [A-Za-z]*Sanitizer\|runtime error:' "$log" && [ "$f" -eq 0 ]; then
        f=1
        echo "unit: $name printed a sanitizer report"
    fi
    if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
        f=1
        echo "unit: $name ran no tests"
    fi
    if [ "$f" -ne 0 ]; then
        echo "---- $log"
        grep -v '^ok ' "$log" | head -n 60
    fi
    u_pass=$((u_pass + p))
    u_fail=$((u_fail + f))
done
if [ "$u_bins" -eq 0 ]; then
    echo "unit: did not run (no test binaries in build/asan/tests/; run make unit-tests)"
    missing=$((missing + 1))
else
    echo "unit: $u_pass passed, $u_fail failed ($u_bins binaries)"
fi
total_pass=$((total_pass + u_pass))
total_fail=$((total_fail + u_fail))

# ---- fuzz: the saved inputs of every target, replayed (no fuzzing: deterministic) --------
z_bins=0
for f in fuzz/*.c; do
    [ -x "build/fuzz/$(basename "$f" .c)" ] && z_bins=$((z_bins + 1))
done
if [ "$z_bins" -gt 0 ]; then
    log="$out/fuzz.log"
    sh fuzz/run.sh replay >"$log" 2>&1
    z_pass=$(grep -c '^ok ' "$log")
    z_fail=$(grep -c '^not ok ' "$log")
    if [ "$z_fail" -ne 0 ]; then
        echo "---- $log"
        grep -v '^ok ' "$log" | head -n 40
    fi
    echo "fuzz: $z_pass passed, $z_fail failed"
    total_pass=$((total_pass + z_pass))
    total_fail=$((total_fail + z_fail))
else
    echo "fuzz: did not run (no fuzz targets in build/fuzz/; run make fuzz-targets)"
    missing=$((missing + 1))
fi

# ---- node suites ---------------------------------------------------------------
# summary N LOG: the last "# N k" line of a node TAP log (0 when absent).
summary() {
    v=$(grep "^# $1 [0-9][0-9]*\$" "$2" | tail -n 1 | sed 's/^# [a-z]* //')
    echo "${v:-0}"
}

# node_suite NAME DIR [FILE...]: the *.test.mjs of DIR, or only the FILEs given.
node_suite() {
    suite=$1
    dir=$2
    shift 2
    log="$out/$suite.tap"
    if ! command -v node >/dev/null 2>&1; then
        echo "$suite: did not run (node is not installed)"
        missing=$((missing + 1))
        return
    fi
    if ! ls "$dir"/*.test.mjs >/dev/null 2>&1; then
        echo "$suite: did not run (no $dir/*.test.mjs)"
        missing=$((missing + 1))
        return
    fi
    if [ $# -eq 0 ]; then
        set -- "$dir/"
    fi
    node --test --test-reporter=tap "$@" >"$log" 2>&1
    rc=$?
    if ! grep -q '^# pass [0-9]' "$log"; then
        echo "$suite: did not run (node --test exited $rc without a TAP summary; see $log)"
        tail -n 40 "$log"
        missing=$((missing + 1))
        return
    fi
    p=$(summary pass "$log")
    f=$(summary fail "$log")
    c=$(summary cancelled "$log")
    f=$((f + c))
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1
        echo "$suite: node --test exited $rc with no failing test"
    fi
    if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
        echo "$suite: did not run (0 tests; see $log)"
        missing=$((missing + 1))
        return
    fi
    if [ "$f" -ne 0 ]; then
        echo "---- failures in $log"
        grep -n '^ *not ok ' "$log" | head -n 80
    fi
    if [ "$c" -ne 0 ]; then
        echo "$suite: $p passed, $f failed (of which $c cancelled)"
    else
        echo "$suite: $p passed, $f failed"
    fi
    total_pass=$((total_pass + p))
    total_fail=$((total_fail + f))
}

node_suite api tests/api

# ---- api-pg: the API suites again, each test's dvk on a PostgreSQL database of its own in
# the throwaway cluster. tests/pg-pending.txt names the suites that do not pass on
# PostgreSQL yet, each with its reason; every other suite of tests/api runs here.
if [ -n "$pg_url" ]; then
    pg_files=""
    for f in tests/api/*.test.mjs; do
        grep -q "^$(basename "$f")" tests/pg-pending.txt 2>/dev/null || pg_files="$pg_files $f"
    done
    # shellcheck disable=SC2086 # the file names hold no spaces
    DVK_TEST_PG=$pg_url node_suite api-pg tests/api $pg_files
else
    echo "api-pg: did not run (no PostgreSQL cluster; see $out/pg-cluster.log)"
    missing=$((missing + 1))
fi
node_suite crash tests/crash
if [ -d node_modules/playwright-core ]; then
    node_suite browser tests/browser
else
    echo "browser: did not run (node_modules/playwright-core is missing; run npm ci)"
    missing=$((missing + 1))
fi

# ---- catalogue: every user-visible string has its Vietnamese and Swedish text ------
# Each check is one test: the catalogue is current with the sources, and complete.
i_pass=0
i_fail=0
# The template is made afresh from the sources, so a string added without its
# translations fails here even if nobody ran tools/i18n-extract.sh.
if POT_ONLY="$out/dvk.pot" sh tools/i18n-extract.sh >"$out/i18n.log" 2>&1 &&
    POT="$out/dvk.pot" sh tools/i18n-check.sh >>"$out/i18n.log" 2>&1; then
    i_pass=1
else
    i_fail=1
    echo "---- $out/i18n.log"
    head -n 40 "$out/i18n.log"
fi
echo "i18n: $i_pass passed, $i_fail failed"
total_pass=$((total_pass + i_pass))
total_fail=$((total_fail + i_fail))

echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ] && [ "$missing" -eq 0 ]
