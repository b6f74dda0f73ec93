#!/bin/sh
# deps.sh: installs what dvk needs on Debian. `build` for make run, `test` for make test.
# libpq-dev builds the PostgreSQL engine, libinih-dev reads the files of dvk serve --config;
# `test` adds the PostgreSQL server, whose throwaway cluster (tools/pg-cluster.sh) the tests
# run a second time against.
# As root it runs apt-get / npm; otherwise it prints the exact command and stops.
set -e
what=${1:-build}
pkgs="build-essential pkg-config gettext libh2o-evloop-dev libssl-dev libsqlite3-dev sqlite3 libjansson-dev libsodium-dev libutf8proc-dev libcsv-dev libgd-dev libzip-dev libexpat1-dev libxlsxwriter-dev zlib1g-dev libpq-dev libinih-dev"
if [ "$what" = test ]; then
    # libreoffice-calc: the report tests read dvk's XLSX files with LibreOffice (headless)
    # clang and its runtime (libFuzzer, the sanitizers) build the fuzz targets
    pkgs="$pkgs libcmocka-dev chromium libreoffice-calc clang libclang-rt-dev"
    # postgresql: the server the API tests run against a second time (tools/pg-cluster.sh)
    pkgs="$pkgs postgresql"
fi
if [ "$what" = bench ]; then
    # chromium, node and the npm packages: bench/phone.mjs (a phone on a slow network)
    pkgs="wrk sqlite3 chromium"
fi
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# Node.js may come from Debian (nodejs + npm) or from another package that bundles npm:
# ask for Debian's only when the commands are absent.
if [ "$what" = test ] || [ "$what" = bench ]; then
    command -v node >/dev/null 2>&1 || missing="$missing nodejs"
    command -v npm >/dev/null 2>&1 || missing="$missing npm"
fi
if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ]; then
        echo "deps: installing$missing"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends $missing >/dev/null
    else
        echo "deps: missing Debian packages. Run:" >&2
        echo "  sudo apt-get install -y$missing" >&2
        exit 1
    fi
fi
# every package of package.json must be there (a checkout that had the older list is updated)
if { [ "$what" = test ] || [ "$what" = bench ]; } &&
    { [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/axe-core ] ||
        [ ! -d node_modules/@fontsource/be-vietnam-pro ]; }; then
    echo "deps: installing npm packages: the browser tests, the bench and the font (package-lock.json)"
    npm ci --no-audit --no-fund --silent
fi
# Lighthouse for make bench lives apart (bench/lh/package-lock.json): make test never installs it
if [ "$what" = bench ] && [ ! -d bench/lh/node_modules/lighthouse ]; then
    echo "deps: installing Lighthouse for the bench (bench/lh/package-lock.json)"
    npm ci --prefix bench/lh --no-audit --no-fund --silent
fi
