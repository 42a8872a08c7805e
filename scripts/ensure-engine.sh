#!/usr/bin/env bash
# Starts a local dockerd when no engine answers on the default socket. Used by CI and by npm start.
set -euo pipefail
sock=/var/run/docker.sock
answers() { curl -sf --max-time 2 --unix-socket "$sock" http://localhost/_ping >/dev/null 2>&1; }
if answers; then exit 0; fi
if ! command -v dockerd >/dev/null; then echo "No Docker engine answers and dockerd is not installed (apt-get install docker.io)." >&2; exit 1; fi
if [ "$(id -u)" != 0 ]; then echo "No Docker engine answers on $sock; start it (sudo systemctl start docker)." >&2; exit 1; fi
# A dockerd that was killed leaves pid files behind, and the next one waits for them and fails.
pid=$(cat /var/run/docker.pid 2>/dev/null || true)
if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then rm -f /var/run/docker.pid /var/run/docker/containerd/containerd.pid; fi
echo "Starting dockerd (log: /tmp/berth-dockerd.log; stop it with: kill \$(cat /var/run/docker.pid))..." >&2
# Its own session, so that Ctrl+C on npm start (a signal to npm's process group) leaves the
# engine and its containers running, as a user's engine must.
setsid dockerd --iptables=false </dev/null >/tmp/berth-dockerd.log 2>&1 &
for _ in $(seq 1 60); do answers && exit 0; sleep 0.5; done
echo "dockerd did not answer within 30 s; see /tmp/berth-dockerd.log" >&2
exit 1
