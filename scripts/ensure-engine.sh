#!/usr/bin/env bash
# Starts a local dockerd when no engine answers on the default socket. Used by CI and by npm start.
set -euo pipefail
sock=/var/run/docker.sock
answers() { curl -sf --max-time 2 --unix-socket "$sock" http://localhost/_ping >/dev/null 2>&1; }
if answers; then exit 0; fi
if ! command -v dockerd >/dev/null; then echo "No Docker engine answers and dockerd is not installed (apt-get install docker.io)." >&2; exit 1; fi
if [ "$(id -u)" != 0 ]; then echo "No Docker engine answers on $sock; start it (sudo systemctl start docker)." >&2; exit 1; fi
echo "Starting dockerd (log: /tmp/berth-dockerd.log)..." >&2
nohup dockerd --iptables=false >/tmp/berth-dockerd.log 2>&1 &
for _ in $(seq 1 60); do answers && exit 0; sleep 0.5; done
echo "dockerd did not answer within 30 s; see /tmp/berth-dockerd.log" >&2
exit 1
