#!/usr/bin/env bash
# Times `testbed up` (the image already cached) to every machine letting root in over SSH with
# systemd running, and `testbed down`, and reports the machines' memory (PSS of each machine's
# processes, nspawn included) while they idle. The topology runs as a test bed of its own (lab
# "tbbench", addresses moved from 198.18/16 to 198.19.14x), so it never touches one left up on purpose.
# With "site" as a third argument, the last run also times `up` of the site on the machines over SSH
# (to the site answering from the client), a second `up` (0 changes), `start` of a load balancer's
# machine after its power cut (`stop`), and `down` of the site, and reports the machines' memory
# with the site running.
# usage: bench/testbed.sh [TOPOLOGY] [RUNS] [site]   (as root; default topologies/ha-cluster.yaml, 3 runs)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
topology="${1:-$here/topologies/ha-cluster.yaml}"
runs="${2:-3}"
site="${3:-}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
lab="tbbench"
sed -e "s/^lab: .*/lab: $lab/" -e 's/198\.18\.\([0-9]\)\./198.19.14\1./g' "$topology" > "$work/bench.yaml"

"$here/webinfra" --version >/dev/null    # builds on first use; not part of the timings
"$here/webinfra" testbed down --lab "$lab" >/dev/null 2>&1 || true
# The first up makes the image if the cache lacks it: not part of the timings.
"$here/webinfra" testbed up "$work/bench.yaml" > "$work/up.log" 2>&1 || { cat "$work/up.log"; exit 1; }
"$here/webinfra" testbed down --lab "$lab" > /dev/null

now() { date +%s.%N; }
memory() {
  python3 - "$1" <<'PY'
import os, sys
base = f"/var/lib/webinfra/testbed/{sys.argv[1]}/machines"
def tree(pid):
    out = [pid]
    try:
        for t in os.listdir(f"/proc/{pid}/task"):
            for c in open(f"/proc/{pid}/task/{t}/children").read().split():
                out += tree(int(c))
    except OSError:
        pass
    return out
def pss(pid):
    try:
        for line in open(f"/proc/{pid}/smaps_rollup"):
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0
total = 0
hosts = sorted(os.listdir(base))
for h in hosts:
    kib = sum(pss(p) for p in tree(int(open(f"{base}/{h}/pid").read())))
    total += kib
print(f"  {len(hosts)} machines idle: {total / 1024:.0f} MiB PSS in all, {total / 1024 / len(hosts):.0f} MiB each")
PY
}
ups=(); downs=()
for i in $(seq 1 "$runs"); do
  t0=$(now)
  "$here/webinfra" testbed up "$work/bench.yaml" > "$work/up.log" 2>&1 || { cat "$work/up.log"; exit 1; }
  t1=$(now)
  ups+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')")
  if [ "$i" = "$runs" ]; then
    echo "memory of the test bed after up (run $i):"
    memory "$lab"
    if [ "$site" = site ]; then
      servers="/var/lib/webinfra/testbed/$lab/topology.yaml"
      for step in "up" "second up" "down"; do
        verb="${step#second }"
        s0=$(now)
        "$here/webinfra" "$verb" "$servers" > "$work/site.log" 2>&1 || { cat "$work/site.log"; exit 1; }
        s1=$(now)
        printf 'site %s over SSH: %.1f s (%s)\n' "$step" "$(awk -v a="$s0" -v b="$s1" 'BEGIN {print b - a}')" \
          "$(grep -m1 -o 'plan for lab [^:]*: [0-9]* changes' "$work/site.log" || tail -1 "$work/site.log")"
        if [ "$step" = "second up" ]; then
          echo "memory of the test bed with the site running:"
          memory "$lab"
          # A power cut of the last host named lbN (lb2 in ha-cluster), then start: it boots, lets root in
          # and the site converges around it (the controller paused and started again).
          lb="$(grep -o '^  lb[0-9]*:' "$servers" | tail -1 | tr -d ' :' || true)"
          if [ -z "$lb" ]; then
            echo "start after a power cut: not timed (no host named lbN in $(basename "$topology"))"
            continue
          fi
          "$here/webinfra" stop "$lb" --lab "$lab" > "$work/site.log" 2>&1 || { cat "$work/site.log"; exit 1; }
          s0=$(now)
          "$here/webinfra" start "$lb" --lab "$lab" > "$work/site.log" 2>&1 || { cat "$work/site.log"; exit 1; }
          s1=$(now)
          printf 'start %s after its power cut: %.1f s\n' "$lb" "$(awk -v a="$s0" -v b="$s1" 'BEGIN {print b - a}')"
        fi
      done
    fi
  fi
  t2=$(now)
  "$here/webinfra" testbed down --lab "$lab" > "$work/down.log" 2>&1 || { cat "$work/down.log"; exit 1; }
  t3=$(now)
  downs+=("$(awk -v a="$t2" -v b="$t3" 'BEGIN {print b - a}')")
  printf 'run %d: testbed up %.1f s, down %.1f s\n' "$i" "${ups[-1]}" "${downs[-1]}"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf 'topology %s: testbed up (image cached) median %.1f s, down median %.1f s (%d runs); load average %s\n' \
  "$(basename "$topology")" "$(median "${ups[@]}")" "$(median "${downs[@]}")" "$runs" \
  "$(cut -d' ' -f1-3 /proc/loadavg)"
