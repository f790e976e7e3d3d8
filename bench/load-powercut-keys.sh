#!/usr/bin/env bash
# Issue 17's Done-when bench for writes that are safe to retry: N times, `webinfra load --duration 30s
# --rate 100 --writes 30 --json` on one ha-cluster with web1 power-cut (`webinfra stop web1`) 10 s
# into the load, then web1 started again and back in HAProxy's rotation before the next run. Every
# write carries an idempotency key, so HAProxy retries a write in flight on web1 on web2 and the app
# stores it once. Per run it prints the failed requests (writes included) by cause, the lost writes,
# the duplicated writes (a write stored twice), and the acknowledged writes against the rows the
# database gained. Exit code 1 if any run failed a request, lost or duplicated a write.
# Brings ha-cluster up as a lab of its own ("k17b", addresses moved to 198.19.132-133) and takes it
# down; LAB=NAME NET_PUBLIC=198.19.X NET_PRIVATE=198.19.Y move it.
# usage: sudo bench/load-powercut-keys.sh [N]      (default 10)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-10}" duration=30s rate=100 writes=30 cut_at=10
lab="${LAB:-k17b}" pub="${NET_PUBLIC:-198.19.132}" priv="${NET_PRIVATE:-198.19.133}"
work="$(mktemp -d)"
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
web1_up() {
  local lb
  for lb in lb1 lb2; do
    wi exec "$lb" -- curl -s --max-time 2 "http://$priv.1${lb#lb}:8404/stats;csv" 2>/dev/null |
      grep -q '^servers,web1,.*,UP,' && return 0
  done
  return 1
}

bad=0
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "each run: webinfra load --duration $duration --rate $rate --writes $writes --json, web1 power-cut $cut_at s in"
printf '%-4s %-8s %-7s %-30s %-7s %-5s %-10s %-5s %-6s %s\n' run requests failed "failures by cause" writes lost duplicated ack gained "load avg"
for i in $(seq 1 "$n"); do
  before="$(rows)"
  wi load --duration "$duration" --rate "$rate" --writes "$writes" --json > "$work/run.json" 2> "$work/run.err" &
  pid=$!
  # The agent's JVM start and its 3 s warm-up come first (about 4 s).
  sleep $((4 + cut_at))
  wi stop web1 > /dev/null
  wait "$pid" || true
  after="$(rows)"
  gained=$((after - before))
  j="$work/run.json"
  la="$(cut -d' ' -f1 /proc/loadavg)"
  if ! jq -e .requests "$j" > /dev/null 2>&1; then
    echo "$i: load gave no JSON: $(tail -3 "$work/run.err")"
    bad=1
  else
    read -r req failed causes att lost dup ack < <(jq -r '[.requests, .failed,
      (.failures | to_entries | map(select(.value > 0) | "\(.key)=\(.value)") | join(",") | if . == "" then "-" else . end),
      .writes.attempted, .writes.lost, .writes.duplicated, .writes.acknowledged] | @tsv' "$j")
    printf '%-4s %-8s %-7s %-30s %-7s %-5s %-10s %-5s %-6s %s\n' "$i" "$req" "$failed" "$causes" "$att" "$lost" "$dup" "$ack" "$gained" "$la"
    jq -r '.failure_reasons[]? | "       \(.count) x \(.reason)"' "$j"
    if [ "$failed" != 0 ] || [ "$lost" != 0 ] || [ "$dup" != 0 ]; then bad=1; fi
  fi
  wi start web1 --wait > "$work/start.log" 2>&1 || { echo "start web1 failed:"; tail -5 "$work/start.log"; exit 1; }
  for _ in $(seq 1 90); do web1_up && break; sleep 1; done
  web1_up || { echo "web1 is not back in HAProxy's rotation after 90 s"; exit 1; }
  sleep 3
done
exit "$bad"
