#!/usr/bin/env bash
# Runs scenarios/vip-faults.yaml N times under load (lb1 and lb2 cut from each other on both
# networks, the holder's power cut and restored, the holder's haproxy frozen for 5 s) and prints per
# run how long two load balancers held the floating IP at once, as chaos saw it every 50 ms on the
# links that are up, with the requests that failed and the machine's load average.
# Brings ha-cluster up as a lab of its own ("benchvip", addresses moved to 198.19.66-67; BENCH_LAB
# and BENCH_NET=a.b move them) and takes it down after.
# usage: sudo bench/vip-partition.sh [N]        (default 3)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-3}"
lab="${BENCH_LAB:-benchvip}"
net="${BENCH_NET:-66.67}"
work="$(mktemp -d)"
cleanup() { "$here/webinfra" down --lab "$lab" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
sed -e "s/^lab: .*/lab: $lab/" -e "s/198\.18\.6\./198.19.${net%.*}./g" -e "s/198\.18\.7\./198.19.${net#*.}./g" \
  "$here/topologies/ha-cluster.yaml" > "$work/t.yaml"
"$here/webinfra" --version >/dev/null
"$here/webinfra" down --lab "$lab" >/dev/null 2>&1 || true
"$here/webinfra" up "$work/t.yaml" > "$work/up.log" 2>&1 || { cat "$work/up.log"; exit 1; }
echo "machine: $(nproc) cores"
printf '%-4s %-14s %-18s %-8s %-10s %s\n' run "double s" "load average" failed requests "double-holding stretches"
total=0
for i in $(seq 1 "$n"); do
  rc=0
  "$here/webinfra" chaos "$here/scenarios/vip-faults.yaml" --lab "$lab" --json > "$work/r$i.json" 2> "$work/r$i.err" || rc=$?
  [ "$rc" -le 1 ] || { tail -30 "$work/r$i.err"; exit "$rc"; }
  read -r d f r s < <(python3 - "$work/r$i.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
print(j["vip_double_holding_s"], j["failed"], j["requests"], "; ".join(j.get("vip_double_holding", [])) or "-")
PY
)
  printf '%-4s %-14s %-18s %-8s %-10s %s\n' "$i" "$d" "$(cut -d' ' -f1-3 /proc/loadavg)" "$f" "$r" "$s"
  total=$(python3 -c "print(round($total + $d, 2))")
done
echo "double holding over $n runs: $total s in all"
