#!/usr/bin/env bash
# Automatic primary failover on secured-monitored: N power cuts of the current primary under a steady
# write load through the site. Per cycle it prints the write-unavailability window (last acknowledged
# write before the first failure to the first acknowledged write after it) and the acknowledged writes
# missing from any running server; the old primary returns as a replica before the next cut.
# Runs as a lab of its own ("benchdb", addresses moved to 198.19.44-45/24) and takes it down after.
# usage: sudo bench/db-failover.sh [CYCLES]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cycles="${1:-10}"
work="$(mktemp -d)"
lab=benchdb
cleanup() { "$here/webinfra" down --lab "$lab" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
sed -e "s/^lab: .*/lab: $lab/" -e 's/198\.18\.4\./198.19.44./g' -e 's/198\.18\.5\./198.19.45./g' \
  "$here/topologies/secured-monitored.yaml" > "$work/t.yaml"
"$here/webinfra" down --lab "$lab" >/dev/null 2>&1 || true
"$here/webinfra" up "$work/t.yaml" > "$work/up.log" 2>&1 || { cat "$work/up.log"; exit 1; }

# status exits 3 while a host is stopped; its JSON still names the primary.
primary() { "$here/webinfra" status --lab "$lab" --json | tr -d '\n ' | sed -n 's/.*"primaries":\["\([^"]*\)".*/\1/p' || true; }
rows() { "$here/webinfra" exec --lab "$lab" "$1" -- mariadb --defaults-file="/var/lib/webinfra/$lab/hosts/$1/etc/my.cnf" \
  -N -e "SELECT message FROM webinfra.entries WHERE message LIKE '$2-%'" 2>/dev/null | sort; }

# POSTs every 50 ms for 14 s; prints "time code n".
write_loop() {
  "$here/webinfra" exec --lab "$lab" client -- bash -c \
    'end=$(( $(date +%s) + 14 )); i=0; while [ $(date +%s) -lt $end ]; do i=$((i+1))
       s=$(date +%s.%N); c=$(curl -s -o /dev/null -w "%{http_code}" --max-time 5 -H "Content-Type: application/json" \
         -d "{\"author\":\"bench\",\"message\":\"'"$1"'-$i\"}" https://www.foobar.com/entries); echo "$s $c $i"; sleep 0.05; done'
}

window() {
  awk '$2 == "201" && !failed { last = $1 } $2 != "201" && !failed { failed = 1; n = 0 }
       $2 != "201" { n++ } $2 == "201" && failed && !back { back = $1 }
       END { if (!failed) print "0.000 s (no failed write)"; else printf "%.3f s (%d failed writes)\n", back - last, n }' "$1"
}

total_lost=0
for c in $(seq 1 "$cycles"); do
  old="$(primary)"
  tag="c$c"
  write_loop "$tag" > "$work/$tag.txt" &
  loop=$!
  sleep 2
  "$here/webinfra" stop --lab "$lab" "$old" > /dev/null
  wait "$loop" || true
  new="$(primary)"
  awk '$2 == "201" { print "'"$tag"'-" $3 }' "$work/$tag.txt" | sort > "$work/$tag.acked"
  lost=0
  for h in web1 web2 web3; do
    [ "$h" = "$old" ] && continue
    rows "$h" "$tag" > "$work/$tag.$h"
    missing=$(comm -23 "$work/$tag.acked" "$work/$tag.$h" | wc -l)
    lost=$((lost > missing ? lost : missing))
  done
  total_lost=$((total_lost + lost))
  printf 'cycle %2d: cut %s, primary now %s: writes unavailable %s; %d of %d acknowledged writes lost\n' \
    "$c" "$old" "$new" "$(window "$work/$tag.txt")" "$lost" "$(wc -l < "$work/$tag.acked")"
  "$here/webinfra" start --lab "$lab" "$old" > /dev/null
  # The anti-flapping block (30 s) must pass before the next primary may be failed over.
  sleep 31
done
printf 'total: %d acknowledged writes lost over %d cycles\n' "$total_lost" "$cycles"
