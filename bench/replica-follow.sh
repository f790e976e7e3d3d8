#!/usr/bin/env bash
# ha-cluster's asynchronous replica web3 follows the Galera cluster: N power cuts of web3's current
# source under a steady write load through the site (a POST every 50 ms). Per run it prints how long
# after the cut web3 replicated from the other member with its IO and SQL threads running (the
# controller's ReplicaSourceDead move; the cut's time is the OperatorStop event's), how long `start`
# of the cut member took, and whether web3 still follows, with every acknowledged write, once the
# cut member is back.
# Runs as a lab of its own (BENCH_LAB, default "benchrep", addresses moved to
# 198.19.BENCH_PUBLIC/BENCH_PRIVATE, default 56-57/24) and takes it down after.
# usage: sudo bench/replica-follow.sh [RUNS]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-5}"
lab="${BENCH_LAB:-benchrep}" pub="${BENCH_PUBLIC:-56}" priv="${BENCH_PRIVATE:-57}"
work="$(mktemp -d)"
w() { "$here/webinfra" "$1" --lab "$lab" "${@:2}"; }
cleanup() { touch "$work/stop"; "$here/webinfra" down --lab "$lab" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
sed -e "s/^lab: .*/lab: $lab/" -e "s/198\.18\.6\./198.19.$pub./g" -e "s/198\.18\.7\./198.19.$priv./g" \
  "$here/topologies/ha-cluster.yaml" > "$work/t.yaml"
"$here/webinfra" down --lab "$lab" >/dev/null 2>&1 || true
"$here/webinfra" up "$work/t.yaml" > "$work/up.log" 2>&1 || { cat "$work/up.log"; exit 1; }
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# Straight into the host's namespace: a JVM per look would blur the figure by a second.
sql() { ip netns exec "$lab-$1" mariadb --defaults-file="/var/lib/webinfra/$lab/hosts/$1/etc/my.cnf" \
  --connect-timeout=1 -N -e "$2" 2>/dev/null || true; }
slave() { ip netns exec "$lab-web3" mariadb --defaults-file="/var/lib/webinfra/$lab/hosts/web3/etc/my.cnf" \
  --connect-timeout=1 -e 'SHOW SLAVE STATUS\G' 2>/dev/null | sed -n "s/^ *$1: //p" || true; }
addr() { sed -n "/^  $1:/,/networks/p" "$work/t.yaml" | sed -n 's/.*private: \([0-9.]*\).*/\1/p'; }
web1="$(addr web1)" web2="$(addr web2)"
source_of() { case "$(slave Master_Host)" in "$web1") echo web1 ;; "$web2") echo web2 ;; *) echo none ;; esac; }
follows() { [ "$(slave Master_Host)" = "$1" ] && [ "$(slave Slave_IO_Running)" = Yes ] && [ "$(slave Slave_SQL_Running)" = Yes ]; }

write_loop() {
  rm -f "$work/stop"
  w exec client -- bash -c \
    'i=0; while [ ! -e '"$work"'/stop ]; do i=$((i+1))
       c=$(curl -s -o /dev/null -w "%{http_code}" --max-time 5 -H "Content-Type: application/json" \
         -d "{\"author\":\"bench\",\"message\":\"'"$1"'-$i\"}" https://www.foobar.com/entries); echo "$c $i"; sleep 0.05; done'
}

worst=0
for r in $(seq 1 "$runs"); do
  cut="$(source_of)"
  [ "$cut" = none ] && { echo "run $r: web3 follows no member ($(slave Last_IO_Error)); stopping"; exit 1; }
  other=web1; [ "$cut" = web1 ] && other=web2
  want="$web1"; [ "$other" = web2 ] && want="$web2"
  tag="rf$r"
  write_loop "$tag" > "$work/$tag.txt" &
  sleep 2
  w stop "$cut" > /dev/null
  # The cut's time is the operator's stop in the event log, written just before the host's processes
  # are frozen: timing from before the command would add the CLI's JVM start-up to the figure.
  t0=$(date -d "$(grep '"code":"OperatorStop"' "/var/lib/webinfra/$lab/events.log" | grep "\"host\":\"$cut\"" |
    tail -n 1 | sed 's/.*"time":"\([^"]*\)".*/\1/')" +%s.%N)
  moved=""
  for _ in $(seq 1 300); do
    if follows "$want"; then moved=$(echo "$(date +%s.%N) - $t0" | bc); break; fi
    sleep 0.05
  done
  t1=$(date +%s.%N)
  w start "$cut" > "$work/$tag.start" 2>&1 || true
  took=$(echo "$(date +%s.%N) - $t1" | bc)
  # start returns while the member still joins by state transfer; the next run cuts the other
  # member, so this one must be in the cluster first.
  for _ in $(seq 1 120); do
    [ "$(sql "$cut" "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'WSREP_LOCAL_STATE_COMMENT'")" = Synced ] && break
    sleep 0.5
  done
  sleep 3; touch "$work/stop"; wait || true
  awk '$1 == "201" { print "'"$tag"'-" $2 }' "$work/$tag.txt" | sort > "$work/$tag.acked"
  # web3 keeps following: it gets every acknowledged write, with the cut member back.
  missing=0
  for _ in $(seq 1 30); do
    sql web3 "SELECT message FROM webinfra.entries WHERE message LIKE '$tag-%'" | sort > "$work/$tag.web3"
    missing=$(comm -23 "$work/$tag.acked" "$work/$tag.web3" | wc -l)
    [ "$missing" -eq 0 ] && break; sleep 1
  done
  shown=${moved:+$(printf '%.2f s' "$moved")}
  shown=${shown:-never (within 15 s)}
  state="follows $(source_of) (IO $(slave Slave_IO_Running), SQL $(slave Slave_SQL_Running))"
  printf 'run %d: cut %s: web3 follows %s with IO and SQL running %s after the cut; start %s took %.1f s; after: web3 %s, %d of %d acknowledged writes missing on web3\n' \
    "$r" "$cut" "$other" "$shown" "$cut" "$took" "$state" "$missing" "$(wc -l < "$work/$tag.acked")"
  worst=$((worst > missing ? worst : missing))
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
