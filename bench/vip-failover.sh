#!/usr/bin/env bash
# Measures how long the site is unreachable from the client host when the active load balancer fails:
# (1) its keepalived is killed with SIGKILL, (2) the whole LB host is power-cut with `webinfra stop`.
# Runs ha-cluster as a lab of its own ("benchha", addresses moved to 198.19/16) and takes it down after.
# usage: sudo bench/vip-failover.sh [TOPOLOGY]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
topology="${1:-$here/topologies/ha-cluster.yaml}"
work="$(mktemp -d)"
lab="${BENCH_LAB:-benchha}"
net="${BENCH_NET:-198.19.}"
cleanup() { "$here/webinfra" down --lab "$lab" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
sed -e "s/^lab: .*/lab: $lab/" -e "s/198\.18\./$net/g" "$topology" > "$work/t.yaml"
"$here/webinfra" --version >/dev/null
"$here/webinfra" down --lab "$lab" >/dev/null 2>&1 || true
"$here/webinfra" up "$work/t.yaml" > "$work/up.log" 2>&1 || { cat "$work/up.log"; exit 1; }

holder() { "$here/webinfra" status --lab "$lab" --json | sed -n 's/.*"holder" : "\([^"]*\)".*/\1/p' | head -n 1; }

# The site's URL as a visitor types it: https when the design has TLS (plain http then only redirects).
url="$("$here/webinfra" status --lab "$lab" --json | sed -n 's/.*"url" : "\([^"]*\)".*/\1/p' | head -n 1)"

# A request every 20 ms from the client, each allowed 200 ms; prints "time code" lines.
probe_loop() {
  "$here/webinfra" exec --lab "$lab" client -- bash -c \
    'end=$(( $(date +%s) + 6 )); while [ $(date +%s) -lt $end ]; do
       s=$(date +%s.%N); c=$(curl -s -o /dev/null -w "%{http_code}" --max-time 0.2 "$0"); echo "$s $c"; sleep 0.02; done' "$url"
}

# The gap between the last answer before the first failure and the first answer after it.
outage() {
  awk '$2 == "200" && !failed { last = $1 } $2 != "200" && !failed { failed = 1; n = 0 }
       $2 != "200" { n++ } $2 == "200" && failed && !back { back = $1 }
       END { if (!failed) print "0.000 s (no failed request)"; else printf "%.3f s (%d failed probes)\n", back - last, n }' "$1"
}

for fault in keepalived host; do
  lb="$(holder)"
  probe_loop > "$work/$fault.txt" &
  loop=$!
  sleep 1.5
  if [ "$fault" = keepalived ]; then
    what="kill -9 keepalived"
    kill -9 "$(cat "/var/lib/webinfra/$lab/hosts/$lb/run/wi-keepalived.pid")"
  else
    what="webinfra stop (power cut)"
    "$here/webinfra" stop --lab "$lab" "$lb" > /dev/null
  fi
  wait "$loop"
  printf '%-26s on %s, VIP now on %s: site unreachable for %s\n' "$what" "$lb" "$(holder)" "$(outage "$work/$fault.txt")"
  if [ "$fault" = host ]; then
    "$here/webinfra" start --lab "$lab" "$lb" > /dev/null
  fi
done
