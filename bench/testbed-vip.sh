#!/usr/bin/env bash
# Times the floating IP's move when the machine of the load balancer that holds it loses its power,
# on a test bed of booted machines with the site brought up over SSH (each daemon a systemd unit).
# Each run: the standby watches for the floating IP on its own interfaces every 10 ms, the holder's
# init is killed (everything in the machine dies at once, as chaos's power cut of a test-bed machine
# does), and the figure is the standby's clock when it holds the IP minus the clock just before the
# kill (the machines share this machine's kernel and so its clock). The holder is then powered on,
# boots its units and stays out, and the next run cuts the other one.
# The topology runs as a test bed of its own (lab "tbvip", addresses moved from 198.18/16 to
# 198.19.16x), taken down at the end.
# usage: sudo bench/testbed-vip.sh [RUNS] [TOPOLOGY]   (default 5 runs of topologies/ha-cluster.yaml)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-5}"
topology="${2:-$here/topologies/ha-cluster.yaml}"
work="$(mktemp -d)"
lab="tbvip"
servers="/var/lib/webinfra/testbed/$lab/topology.yaml"
cleanup() {
  [ -f "$servers" ] && "$here/webinfra" down --lab "$lab" > /dev/null 2>&1 || true
  "$here/webinfra" testbed down --lab "$lab" > /dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
sed -e "s/^lab: .*/lab: $lab/" -e 's/198\.18\.\([0-9]\)\./198.19.16\1./g' "$topology" > "$work/bench.yaml"
vip="$(awk '/^vip:/ { v = 1 } v && $1 == "address:" { print $2; exit }' "$work/bench.yaml")"

"$here/webinfra" --version > /dev/null # builds on first use; not part of the timings
"$here/webinfra" testbed down --lab "$lab" > /dev/null 2>&1 || true
"$here/webinfra" testbed up "$work/bench.yaml" > "$work/bed.log" 2>&1 || { cat "$work/bed.log"; exit 1; }
"$here/webinfra" up "$servers" > "$work/up.log" 2>&1 || { cat "$work/up.log"; exit 1; }

on() { # HOST COMMAND...: runs a command on a machine of the site
  local h="$1"
  shift
  "$here/webinfra" exec --lab "$lab" "$h" -- "$@"
}
holds() { on "$1" sh -c "ip -o -4 addr show | grep -q ' $vip/'"; }
# A machine's init: the one child of its nspawn, whose pid the test bed records.
init_of() {
  local nspawn
  nspawn="$(cat "/var/lib/webinfra/testbed/$lab/machines/$1/pid")"
  cat /proc/"$nspawn"/task/*/children | tr ' ' '\n' | grep -m1 .
}

moves=()
for i in $(seq 1 "$runs"); do
  if holds lb1; then holder=lb1 standby=lb2; elif holds lb2; then holder=lb2 standby=lb1; else
    echo "run $i: neither load balancer holds $vip" >&2
    exit 1
  fi
  on "$standby" rm -f /run/watching
  on "$standby" sh -c "touch /run/watching; timeout 20 sh -c 'until ip -o -4 addr show | grep -q \" $vip/\"; do sleep 0.01; done'; date +%s%3N" \
    > "$work/held.txt" 2>&1 &
  watcher=$!
  until on "$standby" test -e /run/watching 2> /dev/null; do sleep 0.1; done
  init="$(init_of "$holder")"
  cut=$(date +%s%3N)
  kill -KILL "$init"
  wait "$watcher" || { echo "run $i: $standby never held $vip: $(cat "$work/held.txt")" >&2; exit 1; }
  moves+=("$(($(tail -n 1 "$work/held.txt") - cut))")
  printf 'run %d: power cut of %s, %s held the floating IP %d ms later\n' "$i" "$holder" "$standby" "${moves[-1]}"
  "$here/webinfra" start --lab "$lab" "$holder" > "$work/start.log" 2>&1 || { cat "$work/start.log"; exit 1; }
  if holds "$holder"; then
    echo "run $i: $holder holds $vip again after its power came back" >&2
    exit 1
  fi
done
sorted="$(printf '%s\n' "${moves[@]}" | sort -n)"
printf 'floating IP after the holder'"'"'s power cut, on the test bed: min %d ms, median %d ms, max %d ms (%d runs); load average %s\n' \
  "$(head -n 1 <<< "$sorted")" "$(awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}' <<< "$sorted")" \
  "$(tail -n 1 <<< "$sorted")" "$runs" "$(cut -d' ' -f1-3 /proc/loadavg)"
