#!/usr/bin/env bash
# Galera on ha-cluster under a steady write load through the site (a POST every 50 ms):
#  1. a single member's power cut (web1): the write-unavailability window (failed writes), the longest
#     write (the stall), and lost writes;
#  2. both members power-cut one after the other (web2, then web1, so web1 is the most advanced),
#     then started in the order given (web2-first or web1-first): how long after the most advanced
#     member's start the site takes writes again, how long each `start` took to return, and the
#     acknowledged writes missing from any server.
# Runs as a lab of its own ("benchgal", addresses moved to 198.19.52-53/24) and takes it down after.
# usage: sudo bench/galera-recovery.sh [CYCLES] [ORDER]      (default: 1 web2-first; ORDER: web2-first|web1-first|both)
# With BENCH_LOGS=DIR, each `start`'s output is kept in DIR, every line prefixed with the seconds since
# that start began (where its time goes).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cycles="${1:-1}" order="${2:-both}"
work="$(mktemp -d)"
lab=benchgal
w() { "$here/webinfra" "$1" --lab "$lab" "${@:2}"; }
cleanup() { touch "$work/stop"; "$here/webinfra" down --lab "$lab" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
logs="${BENCH_LOGS:-}"
[ -z "$logs" ] || mkdir -p "$logs"
# Runs `start HOST` into FILE; with BENCH_LOGS, a copy with each line's time since the start.
start_host() {
  # $EPOCHREALTIME, not date(1): a fork per line lagged behind the output on a busy machine.
  local t0=${EPOCHREALTIME/./}
  if [ -z "$logs" ]; then w start "$1" > "$2" 2>&1 || true; return; fi
  { echo "start $1 at $EPOCHREALTIME, load average $(cut -d' ' -f1-3 /proc/loadavg)"; w start "$1" 2>&1 || true; } \
    | while IFS= read -r l; do
        local d=$(( ${EPOCHREALTIME/./} - t0 ))
        printf '%3d.%02d %s\n' $((d / 1000000)) $((d % 1000000 / 10000)) "$l"
      done | tee "$logs/$(basename "$2")" > "$2"
}
sed -e "s/^lab: .*/lab: $lab/" -e 's/198\.18\.6\./198.19.52./g' -e 's/198\.18\.7\./198.19.53./g' \
  "$here/topologies/ha-cluster.yaml" > "$work/t.yaml"
"$here/webinfra" down --lab "$lab" >/dev/null 2>&1 || true
"$here/webinfra" up "$work/t.yaml" > "$work/up.log" 2>&1 || { cat "$work/up.log"; exit 1; }
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

rows() { w exec "$1" -- mariadb --defaults-file="/var/lib/webinfra/$lab/hosts/$1/etc/my.cnf" \
  -N -e "SELECT message FROM webinfra.entries WHERE message LIKE '$2-%'" 2>/dev/null | sort || true; }

# POSTs every 50 ms until $work/stop exists; prints "time code n".
write_loop() {
  rm -f "$work/stop"
  w exec client -- bash -c \
    'i=0; while [ ! -e '"$work"'/stop ]; do i=$((i+1))
       s=$(date +%s.%N); c=$(curl -s -o /dev/null -w "%{http_code}" --max-time 5 -H "Content-Type: application/json" \
         -d "{\"author\":\"bench\",\"message\":\"'"$1"'-$i\"}" https://www.foobar.com/entries); echo "$s $c $i"; sleep 0.05; done'
}

# The write-unavailability window: last acknowledged write before the first failure to the first after it.
window() {
  awk '$2 == "201" && !failed { last = $1 } $2 != "201" && !failed { failed = 1; n = 0 }
       $2 != "201" { n++ } $2 == "201" && failed && !back { back = $1 }
       END { if (!failed) print "0.000 s (no failed write)"; else printf "%.3f s (%d failed writes)\n", back - last, n }' "$1"
}

# The longest write: the loop is sequential, so the widest gap between two requests' starts, less the
# 50 ms pause, is the longest a write took (a stall that ends in a success fails no request).
longest() {
  awk 'NR > 1 && $1 - prev > max { max = $1 - prev } { prev = $1 } END { printf "%.3f s", max - 0.05 }' "$1"
}

# Acknowledged writes of tag $1 missing from the server that misses most, each server given up to 30 s
# to catch up (a member still joining, the replica still applying), and each server's count.
lost() {
  awk '$2 == "201" { print "'"$1"'-" $3 }' "$work/$1.txt" | sort > "$work/$1.acked"
  local worst=0 m each=""
  for h in web1 web2 web3; do
    for _ in $(seq 1 30); do
      rows "$h" "$1" > "$work/$1.$h"
      m=$(comm -23 "$work/$1.acked" "$work/$1.$h" | wc -l)
      [ "$m" -eq 0 ] && break; sleep 1
    done
    worst=$((worst > m ? worst : m)); each="$each $h $m,"
  done
  echo "$worst of $(wc -l < "$work/$1.acked") (missing:${each%,})"
}

total_lost=0
for c in $(seq 1 "$cycles"); do
  tag="single$c"
  write_loop "$tag" > "$work/$tag.txt" &
  sleep 3; w stop web1 > /dev/null; sleep 4
  touch "$work/stop"; wait || true
  # --wait: web1 joins by state transfer after start returns; the next cut needs it whole.
  w start web1 --wait > /dev/null
  echo "single cut $c: web1 power-cut: writes unavailable $(window "$work/$tag.txt"), longest write $(longest "$work/$tag.txt"); lost $(lost "$tag")"

  for o in web2-first web1-first; do
    [ "$order" = both ] || [ "$order" = "$o" ] || continue
    tag="both${c}${o%%-*}"
    write_loop "$tag" > "$work/$tag.txt" &
    sleep 3; w stop web2 > /dev/null; sleep 2; w stop web1 > /dev/null; sleep 2
    if [ "$o" = web2-first ]; then first=web2 second=web1; else first=web1 second=web2; fi
    t_first=$(date +%s.%N)
    start_host "$first" "$work/$tag.start1"
    took1=$(awk -v a="$t_first" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
    grep -h "not bootstrapping\|bootstraps the cluster" "$work/$tag.start1" | sed 's/^ */  start '"$first"': /' || true
    sleep 2
    t_adv=$(date +%s.%N)
    [ "$first" = web1 ] && t_adv=$t_first  # web1 returned with the first start
    t_second=$(date +%s.%N)
    start_host "$second" "$work/$tag.start2"
    took2=$(awk -v a="$t_second" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
    printf '  start %s returned in %.1f s, start %s in %.1f s\n' "$first" "$took1" "$second" "$took2"
    grep -h "not bootstrapping\|bootstraps the cluster" "$work/$tag.start2" | sed 's/^ */  start '"$second"': /' || true
    # Writes again: the first acknowledged write after the most advanced member's start.
    for _ in $(seq 1 60); do
      awk -v t="$t_adv" '$1 > t && $2 == "201" { f = 1 } END { exit !f }' "$work/$tag.txt" && break; sleep 1
    done
    sleep 3; touch "$work/stop"; wait || true
    back=$(awk -v t="$t_adv" '$1 > t && $2 == "201" { printf "%.1f s", $1 - t; exit }' "$work/$tag.txt")
    l=$(lost "$tag"); total_lost=$((total_lost + ${l%% *}))
    echo "both cut $c ($o): site takes writes ${back:-never (within 60 s)} after web1 (the most advanced) started; lost $l"
  done
done
echo "total: $total_lost acknowledged writes lost (multi-cut cycles)"
