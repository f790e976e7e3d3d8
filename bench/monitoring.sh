#!/usr/bin/env bash
# What monitoring costs and how fast it tells: on ha-cluster, brought up with monitoring (Prometheus
# on mon, exporters on every host with an agent) and without it (the same design with no monitor
# role and no agents), alternated ROUNDS times:
#   - up to serving: the time `up` reports, from a lab that is down;
#   - the lab's memory: the PSS of every process of its hosts and its controller (bench/lab-memory.sh);
#   - with monitoring, the time from `webinfra stop web2` (a power cut) to a firing alert that names
#     web2, read from Prometheus's API inside mon, every 0.25 s.
# Brings its own lab up ("benchmon", addresses moved to 198.19.94-95) and takes it down.
# usage: sudo bench/monitoring.sh [ROUNDS]     (default 2)
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
rounds="${1:-2}"
lab="${BENCH_LAB:-benchmon}"
net="${BENCH_NET:-198.19.94}"
next="${net%.*}.$((${net##*.} + 1))"
work="$(mktemp -d)"
wi() { "$here/webinfra" "$@"; }
cleanup() { wi down --lab "$lab" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 1' INT TERM

sed -e "s/^lab: .*/lab: $lab/" -e "s/198\.18\.6\./$net./g" -e "s/198\.18\.7\./$next./g" \
  "$here/topologies/ha-cluster.yaml" >"$work/on.yaml"
sed -e 's/monitoring: { agent: true }/monitoring: { agent: false }/' \
  -e 's/roles: \[monitor, arbitrator\]/roles: [arbitrator]/' "$work/on.yaml" >"$work/off.yaml"
prom="http://$next.30:9090"

wi --version >/dev/null # build first, outside any measurement
wi down --lab "$lab" >/dev/null 2>&1 || true

# Seconds from stopping HOST to an alert naming it, or "none" after 60 s.
alert_after() {
  local host="$1" start
  start=$(date +%s.%N)
  wi stop "$host" --lab "$lab" >/dev/null
  for _ in $(seq 1 240); do
    if ip netns exec "$lab-mon" curl -s --max-time 2 "$prom/api/v1/alerts" | python3 -c '
import json, sys
h = sys.argv[1]
alerts = json.load(sys.stdin)["data"]["alerts"]
sys.exit(0 if any(a["state"] == "firing" and a["labels"].get("instance") == h for a in alerts) else 1)
' "$host"; then
      echo "$(date +%s.%N) - $start" | bc | xargs printf '%.1f'
      return
    fi
    sleep 0.25
  done
  echo none
}

one() {
  local mode="$1" up mem alert="-"
  wi up "$work/$mode.yaml" >"$work/up.log" 2>&1 || { tail -20 "$work/up.log"; exit 1; }
  up=$(sed -n 's/.* is up in \([0-9.]*\) s.*/\1/p' "$work/up.log")
  # Prometheus's first scrapes and the app's warm-up settle before memory is read.
  sleep 20
  mem=$(bash "$here/bench/lab-memory.sh" "$lab" | awk '/total/ {print $(NF-1)}')
  if [ "$mode" = on ]; then
    # An alert naming web2 must be new: wait until none does.
    sleep 5
    alert=$(alert_after web2)
    wi start web2 --lab "$lab" >/dev/null
  fi
  printf '%-4s %-15s up to serving %6s s   lab PSS %5s MiB   power cut -> alert %s s\n' \
    "$r" "monitoring $mode" "$up" "$mem" "$alert"
  wi down --lab "$lab" >/dev/null
}

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq 1 "$rounds"); do
  one on
  one off
done
echo "machine after: load average $(cut -d' ' -f1-3 /proc/loadavg)"
