#!/usr/bin/env bash
# npm start: sets up, builds Berth, and opens it in a real VS Code against your Docker engine.
# With a desktop VS Code (`code` on PATH and a display) it opens that; otherwise it serves VS Code's
# web workbench on 127.0.0.1, behind a random connection token, and prints the address.
# The current folder is opened.
#   npm start -- --check   serves the workbench, checks that Berth's views show in it, and exits.
set -euo pipefail
cd "$(dirname "$0")/.."
folder="${INIT_CWD:-$PWD}"
check=
for arg in "$@"; do
  case "$arg" in
    --check) check=1 ;;
    *) echo "npm start: unknown option $arg (known: --check)" >&2; exit 2 ;;
  esac
done
bash scripts/setup.sh
bash scripts/ensure-engine.sh || echo "No Docker engine answers: Berth will show how to start one." >&2
node esbuild.js
npx --no-install tsc -p .
if [ -n "$check" ]; then exec node out/test/vscode/launch/open.js --check "$folder"; fi
if command -v code >/dev/null && { [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] || [ "$(uname)" = Darwin ]; }; then
  exec code --extensionDevelopmentPath="$PWD" "$folder"
fi
exec node out/test/vscode/launch/open.js "$folder"
