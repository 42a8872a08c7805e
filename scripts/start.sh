#!/usr/bin/env bash
# npm start: sets up, builds Berth, and opens it in a real VS Code against your Docker engine.
# With a desktop VS Code (`code` on PATH and a display) it opens that; otherwise it serves VS Code's
# web workbench on 127.0.0.1 and prints the URL. The current folder is opened.
set -euo pipefail
cd "$(dirname "$0")/.."
folder="${INIT_CWD:-$PWD}"
bash scripts/setup.sh
bash scripts/ensure-engine.sh || echo "No Docker engine answers: Berth will show how to start one." >&2
node esbuild.js
npx --no-install tsc -p .
if command -v code >/dev/null && { [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] || [ "$(uname)" = Darwin ]; }; then
  exec code --extensionDevelopmentPath="$PWD" "$folder"
fi
exec node out/test/vscode/launch/open.js "$folder"
