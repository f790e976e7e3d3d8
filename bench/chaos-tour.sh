#!/usr/bin/env bash
# Runs the ha-cluster tour (scenarios/ha-cluster-tour.yaml: the active load balancer's power and its
# haproxy hung, an active server's app killed and later its power cut, a Galera member, both DNS
# servers, a partition between the load balancers, latency on the replica's database link, bandwidth)
# under load and prints chaos's table: per fault, when it was injected, how long the site took to
# recover, the requests that failed and the writes lost in its window, then how long two load
# balancers held the floating IP at once, and load's totals and readback.
# Brings ha-cluster up as a lab of its own ("benchchx", addresses moved to 198.19.64-65; BENCH_LAB and
# BENCH_NET=a.b move them) and takes it down.
# The load balancers' and web servers' logs (haproxy, nginx, keepalived, the VIP guard) and the
# lab's event log are kept in $TMPDIR/webinfra-bench-chaos-logs, to follow a failed request after.
# usage: sudo bench/chaos-tour.sh [SCENARIO]      (default: scenarios/ha-cluster-tour.yaml)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
scenario="${1:-$here/scenarios/ha-cluster-tour.yaml}"
lab="${BENCH_LAB:-benchchx}"
net="${BENCH_NET:-64.65}"
work="$(mktemp -d)"
keep="${TMPDIR:-/tmp}/webinfra-bench-chaos-logs"
cleanup() {
  if [ -d "/var/lib/webinfra/$lab/hosts" ]; then
    rm -rf "$keep" && mkdir -p "$keep"
    cp "/var/lib/webinfra/$lab/events.log" "$keep/" 2>/dev/null || true
    for h in lb1 lb2 web1 web2 web3; do
      mkdir -p "$keep/$h" && cp -r "/var/lib/webinfra/$lab/hosts/$h/log/." "$keep/$h/" 2>/dev/null || true
    done
  fi
  "$here/webinfra" down --lab "$lab" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
sed -e "s/^lab: .*/lab: $lab/" -e "s/198\.18\.6\./198.19.${net%.*}./g" -e "s/198\.18\.7\./198.19.${net#*.}./g" \
  "$here/topologies/ha-cluster.yaml" > "$work/t.yaml"
"$here/webinfra" --version >/dev/null
"$here/webinfra" down --lab "$lab" >/dev/null 2>&1 || true
"$here/webinfra" up "$work/t.yaml" > "$work/up.log" 2>&1 || { cat "$work/up.log"; exit 1; }
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== webinfra chaos $(realpath --relative-to="$here" "$scenario")"
rc=0
"$here/webinfra" chaos "$scenario" --lab "$lab" --report "$work/chaos.html" 2> "$work/chaos.err" || rc=$?
[ "$rc" -le 1 ] || { tail -30 "$work/chaos.err"; exit "$rc"; }
cp "$work/chaos.html" "${TMPDIR:-/tmp}/webinfra-bench-chaos.html" && echo "report: ${TMPDIR:-/tmp}/webinfra-bench-chaos.html"
