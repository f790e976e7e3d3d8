#!/usr/bin/env bash
# Puts ha-cluster under open-loop load from its client host and prints load's figures: requests, failures
# by cause, latency p50/p90/p99/max, writes per class and per database server, the per-second timeline.
# Runs twice: once undisturbed, once with web1 power-cut (`webinfra stop web1`) in the middle.
# Brings ha-cluster up as a lab of its own ("benchld", addresses moved to 198.19.44-45) and takes it down.
# usage: sudo bench/load.sh [DURATION] [RATE] [WRITES_PCT]      (default: 20s 100 10)
# LAB=NAME NET_PUBLIC=198.19.X NET_PRIVATE=198.19.Y move it, so that it runs beside another bench.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
duration="${1:-20s}" rate="${2:-100}" writes="${3:-10}"
work="$(mktemp -d)"
lab="${LAB:-benchld}" pub="${NET_PUBLIC:-198.19.44}" priv="${NET_PRIVATE:-198.19.45}"
cleanup() { "$here/webinfra" down --lab "$lab" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
sed -e "s/^lab: .*/lab: $lab/" -e "s/198\.18\.6\./$pub./g" -e "s/198\.18\.7\./$priv./g" \
  "$here/topologies/ha-cluster.yaml" > "$work/t.yaml"
"$here/webinfra" --version >/dev/null
"$here/webinfra" down --lab "$lab" >/dev/null 2>&1 || true
"$here/webinfra" up "$work/t.yaml" > "$work/up.log" 2>&1 || { cat "$work/up.log"; exit 1; }
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== undisturbed: webinfra load --duration $duration --rate $rate --writes $writes"
"$here/webinfra" load --lab "$lab" --duration "$duration" --rate "$rate" --writes "$writes" 2>/dev/null || true

secs="${duration%s}"
echo "== web1 power-cut about ${secs}/2 s into the run"
"$here/webinfra" load --lab "$lab" --duration "$duration" --rate "$rate" --writes "$writes" \
  --report "$work/load.html" > "$work/cut.txt" 2>/dev/null &
pid=$!
# The agent's JVM start and its 3 s warm-up come first.
sleep $(( 4 + secs / 2 ))
"$here/webinfra" stop web1 --lab "$lab" >/dev/null
wait "$pid" || true
cat "$work/cut.txt"
cp "$work/load.html" "${TMPDIR:-/tmp}/webinfra-bench-load.html" && echo "report: ${TMPDIR:-/tmp}/webinfra-bench-load.html"
