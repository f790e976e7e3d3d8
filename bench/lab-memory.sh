#!/usr/bin/env bash
# Prints the memory of a running lab: the PSS of every process in its hosts, per host and in total.
# usage: bench/lab-memory.sh LAB
set -euo pipefail
lab="$1"
total=0
for ns in $(ip netns list | awk '{print $1}' | grep "^$lab-" || true); do
  kb=0
  for pid in $(ip netns pids "$ns"); do
    p=$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup" 2>/dev/null || echo 0)
    kb=$((kb + ${p:-0}))
  done
  printf '  %-24s %6d MiB\n' "${ns#"$lab"-}" $((kb / 1024))
  total=$((total + kb))
done
# The lab's controller runs on the machine itself, outside the hosts.
if [ -f "/var/lib/webinfra/$lab/controller.pid" ]; then
  pid=$(cat "/var/lib/webinfra/$lab/controller.pid")
  kb=$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup" 2>/dev/null || echo 0)
  printf '  %-24s %6d MiB\n' "controller" $((${kb:-0} / 1024))
  total=$((total + ${kb:-0}))
fi
printf '  %-24s %6d MiB\n' "total (PSS)" $((total / 1024))
