#!/usr/bin/env bash
# What one dead name server costs a lookup on ha-cluster's client (glibc, its resolv.conf listing dns
# and dns2 with `timeout:1 attempts:2 rotate`): N lookups of the site with both up, with dns's
# dnsmasq killed (a live host refuses at once), and with dns2 power-cut (silent: a lookup that asks
# it first waits glibc's 1 s timeout). Prints each case's lookups, failures, p50 and max in ms.
# Brings ha-cluster up as a lab of its own ("benchdns", addresses moved to 198.19.146-147) and takes it down.
# usage: sudo bench/dns-failover.sh [N]      (default: 20)
# LAB=NAME NET_PUBLIC=198.19.X NET_PRIVATE=198.19.Y move it, so that it runs beside another bench.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-20}"
work="$(mktemp -d)"
lab="${LAB:-benchdns}" pub="${NET_PUBLIC:-198.19.146}" priv="${NET_PRIVATE:-198.19.147}"
cleanup() { "$here/webinfra" down --lab "$lab" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
sed -e "s/^lab: .*/lab: $lab/" -e "s/198\.18\.6\./$pub./g" -e "s/198\.18\.7\./$priv./g" \
  "$here/topologies/ha-cluster.yaml" > "$work/t.yaml"
"$here/webinfra" --version >/dev/null
"$here/webinfra" down --lab "$lab" >/dev/null 2>&1 || true
"$here/webinfra" up "$work/t.yaml" > "$work/up.log" 2>&1 || { cat "$work/up.log"; exit 1; }
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# One lookup from the client host, straight through ip netns exec (the CLI's JVM would dwarf it):
# appends "MS OK" to the file $1.
one() {
  local t0 t1 ok=1
  t0=$(date +%s%N)
  ip netns exec "$lab-client" getent ahosts www.foobar.com >/dev/null || ok=0
  t1=$(date +%s%N)
  echo "$(( (t1 - t0) / 1000000 )) $ok" >> "$1"
}
summary() {
  sort -n "$2" | awk -v name="$1" '{ ms[NR] = $1; if (!$2) f++ } END {
    printf "%-26s lookups %3d  failed %d  p50 %5d ms  max %5d ms\n", name, NR, f, ms[int((NR + 1) / 2)], ms[NR] }'
}

for _ in $(seq "$n"); do one "$work/up.txt"; done
summary "both up" "$work/up.txt"
# The lab's own record of dnsmasq's pid on dns. The controller restarts it within a second or so,
# so it is killed again before each lookup: this measures a dead daemon, not a restarted one.
pidfile="/var/lib/webinfra/$lab/hosts/dns/run/wi-dnsmasq.pid"
for _ in $(seq "$n"); do
  kill -9 "$(cat "$pidfile")" 2>/dev/null || true
  one "$work/kill.txt"
done
summary "dns: dnsmasq killed" "$work/kill.txt"
"$here/webinfra" stop dns2 --lab "$lab" >/dev/null
for _ in $(seq "$n"); do one "$work/cut.txt"; done
summary "dns2: power-cut" "$work/cut.txt"
"$here/webinfra" start dns2 --lab "$lab" >/dev/null
