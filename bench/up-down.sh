#!/usr/bin/env bash
# Times `up` to serving and `down` for a topology, after the first build, and reports the lab's memory.
# The topology is run as a lab of its own (lab "bench", addresses moved from 198.18/16 to 198.19/16),
# so it never touches a lab left up on purpose.
# usage: bench/up-down.sh [TOPOLOGY] [RUNS]     (as root; default topologies/single-server.yaml, 3 runs)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
topology="${1:-$here/topologies/single-server.yaml}"
runs="${2:-3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# BENCH_LAB and BENCH_NET let two benchmarks (or a benchmark and the tests) run side by side.
lab="${BENCH_LAB:-bench}"
net="${BENCH_NET:-198.19.}"
sed -e "s/^lab: .*/lab: $lab/" -e "s/198\.18\./$net/g" "$topology" > "$work/bench.yaml"

"$here/webinfra" --version >/dev/null    # builds on first use; not part of the timings
"$here/webinfra" down --lab "$lab" >/dev/null 2>&1 || true

now() { date +%s.%N; }
ups=(); downs=()
for i in $(seq 1 "$runs"); do
  t0=$(now)
  "$here/webinfra" up "$work/bench.yaml" > "$work/up.log" 2>&1 || { cat "$work/up.log"; exit 1; }
  t1=$(now)
  ups+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')")
  if [ "$i" = "$runs" ]; then
    echo "memory of the lab after up (run $i):"
    "$here/bench/lab-memory.sh" "$lab"
  fi
  t2=$(now)
  "$here/webinfra" down --lab "$lab" > "$work/down.log" 2>&1 || { cat "$work/down.log"; exit 1; }
  t3=$(now)
  downs+=("$(awk -v a="$t2" -v b="$t3" 'BEGIN {print b - a}')")
  printf 'run %d: up to serving %.1f s, down %.1f s\n' "$i" "${ups[-1]}" "${downs[-1]}"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf 'topology %s: up to serving median %.1f s, down median %.1f s (%d runs)\n' \
  "$(basename "$topology")" "$(median "${ups[@]}")" "$(median "${downs[@]}")" "$runs"
