#!/usr/bin/env bash
# Runs issue 11's Done-when command N times against one ha-cluster: `webinfra load --duration 20s
# --rate 100 --json` with web1 power-cut (`webinfra stop web1`) in the middle of each run, then web1
# started again and back in HAProxy's rotation before the next. Per run it prints the failed requests
# by cause and why, the lost writes, and the acknowledged writes against the rows the database gained.
# Exit code 1 if any run failed a request, lost a write, or gained other rows than it acknowledged.
# Brings ha-cluster up as a lab of its own ("benchpc", addresses moved to 198.19.84-85) and takes it
# down; LAB=NAME NET_PUBLIC=198.19.X NET_PRIVATE=198.19.Y move it. KEEP=DIR keeps each run's JSON and
# the load balancers' logs of the run there.
# usage: sudo bench/load-powercut.sh [N] [DURATION] [RATE]      (default: 5 20s 100)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-5}" duration="${2:-20s}" rate="${3:-100}"
lab="${LAB:-benchpc}" pub="${NET_PUBLIC:-198.19.84}" priv="${NET_PRIVATE:-198.19.85}"
work="$(mktemp -d)"
keep="${KEEP:-}"
[ -n "$keep" ] && mkdir -p "$keep"
wi() { "$here/webinfra" "$1" --lab "$lab" "${@:2}"; }
cleanup() { "$here/webinfra" down --lab "$lab" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
sed -e "s/^lab: .*/lab: $lab/" -e "s/198\.18\.6\./$pub./g" -e "s/198\.18\.7\./$priv./g" \
  "$here/topologies/ha-cluster.yaml" > "$work/t.yaml"
"$here/webinfra" --version >/dev/null
"$here/webinfra" down --lab "$lab" >/dev/null 2>&1 || true
"$here/webinfra" up "$work/t.yaml" > "$work/up.log" 2>&1 || { cat "$work/up.log"; exit 1; }

rows() {
  wi exec web2 -- mariadb --defaults-file="/var/lib/webinfra/$lab/hosts/web2/etc/my.cnf" -N -B \
    -e 'SELECT COUNT(*) FROM webinfra.entries' 2>/dev/null | tail -1
}
# web1 UP in the active load balancer's backend (the one holding the floating IP answers).
web1_up() {
  local lb
  for lb in lb1 lb2; do
    wi exec "$lb" -- curl -s --max-time 2 "http://$priv.1${lb#lb}:8404/stats;csv" 2>/dev/null |
      grep -q '^servers,web1,.*,UP,' && return 0
  done
  return 1
}
lines() { cat "/var/lib/webinfra/$lab/hosts/$1/log/haproxy.log" 2>/dev/null | wc -l; }

secs="${duration%s}"
bad=0
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), labs up: $(ip netns list | sed 's/-.*//' | sort -u | tr '\n' ' ')"
echo "each run: webinfra load --duration $duration --rate $rate --json, web1 power-cut about $((secs / 2)) s in"
# Failures in the seconds before the cut are not the cut's: on this shared machine they mean the
# machine (or the load agent on it) could not keep up, and the run measures nothing about the cut.
precut=$((secs / 2 - 2))
echo "'before cut': failed requests due in seconds 0..$((precut - 1)), before web1 went down"
printf '%-4s %-8s %-7s %-10s %-40s %-5s %-13s %-9s %-6s %s\n' run requests failed "before cut" "failures by cause" lost indeterminate ack gained "ack=gained"
for i in $(seq 1 "$n"); do
  before="$(rows)"
  l1="$(lines lb1)" l2="$(lines lb2)"
  wi load --duration "$duration" --rate "$rate" --json > "$work/run.json" 2> "$work/run.err" &
  pid=$!
  # The agent's JVM start and its 3 s warm-up come first.
  sleep $((4 + secs / 2))
  wi stop web1 > /dev/null
  wait "$pid" || true
  after="$(rows)"
  gained=$((after - before))
  j="$work/run.json"
  if ! jq -e .requests "$j" > /dev/null 2>&1; then
    echo "$i: load gave no JSON: $(tail -3 "$work/run.err")"
    bad=1
  else
    read -r req failed pre causes lost ind indf ack < <(jq -r --argjson pre "$precut" '[.requests, .failed,
      ([.timeline[] | select(.second < $pre) | .failed] | add // 0),
      (.failures | to_entries | map(select(.value > 0) | "\(.key)=\(.value)") | join(",") | if . == "" then "-" else . end),
      .writes.lost, .writes.indeterminate, .writes.indeterminate_found, .writes.acknowledged] | @tsv' "$j")
    same=$([ "$ack" = "$gained" ] && echo yes || echo "NO")
    printf '%-4s %-8s %-7s %-10s %-40s %-5s %-13s %-9s %-6s %s\n' "$i" "$req" "$failed" "$pre" "$causes" "$lost" "$ind ($indf found)" "$ack" "$gained" "$same"
    jq -r '.failure_reasons[]? | "       \(.count) x \(.reason)"' "$j"
    if [ "$failed" != 0 ] || [ "$lost" != 0 ] || [ "$same" != yes ]; then bad=1; fi
  fi
  if [ -n "$keep" ]; then
    cp "$j" "$keep/run$i.json"
    for lb in lb1 lb2; do
      tail -n +"$(( $( [ "$lb" = lb1 ] && echo "$l1" || echo "$l2" ) + 1 ))" \
        "/var/lib/webinfra/$lab/hosts/$lb/log/haproxy.log" > "$keep/run$i-$lb-haproxy.log" 2>/dev/null || true
      cp "/var/lib/webinfra/$lab/hosts/$lb/log/keepalived.log" "$keep/run$i-$lb-keepalived.log" 2>/dev/null || true
    done
    cp "/var/lib/webinfra/$lab/events.log" "$keep/run$i-events.log" 2>/dev/null || true
    cp "$work/run.err" "$keep/run$i.err"
    for lb in lb1 lb2; do
      ip netns exec "$lab-$lb" nft list counter inet webinfra dropped > "$keep/run$i-$lb-dropped.txt" 2>&1 || true
    done
  fi
  wi start web1 --wait > "$work/start.log" 2>&1 || { echo "start web1 failed:"; tail -5 "$work/start.log"; exit 1; }
  for _ in $(seq 1 60); do web1_up && break; sleep 1; done
  web1_up || { echo "web1 is not back in HAProxy's rotation after 60 s"; exit 1; }
  # A few quiet seconds, so that the next run starts on a settled cluster.
  sleep 3
done
exit "$bad"
