#!/usr/bin/env bash
# Every maintenance action on ha-cluster under load: 5 `webinfra reload` in a row, a rolling
# `webinfra deploy`, `webinfra scale web=4` and back to `web=3`.
# Pass 1 runs each action under one `webinfra load` run from the client host (open loop, RATE
# requests a second, WRITES_PCT% of them writes, every write read back) and prints per action the
# action's exit status, requests, failed requests by cause, writes acknowledged, lost, indeterminate
# and unexpected. Pass 2 (skip it with no-wrk) runs each action again under `wrk -c8` (closed loop,
# GETs only, from 1 s before the action to 2 s after it) and prints its socket errors and non-2xx
# answers.
# Brings ha-cluster up as a lab of its own ("benchmt", addresses moved to 198.19.72-73) and takes it
# down on exit. The JSON, HTML reports, the actions' output, the lab's event log and its hosts' logs
# are kept in $TMPDIR/webinfra-bench-maintenance.
# usage: sudo bench/maintenance.sh [RATE] [WRITES_PCT] [wrk|no-wrk]     (default: 100 20 wrk)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
rate="${1:-100}" writes="${2:-20}" with_wrk="${3:-wrk}"
lab=benchmt
keep="${TMPDIR:-/tmp}/webinfra-bench-maintenance"
work="$(mktemp -d)"
cleanup() {
  # What the lab saw, for reading a bad row after: its event log and the LBs' and servers' logs.
  if [ -d "/var/lib/webinfra/$lab/hosts" ]; then
    "$here/webinfra" events --lab "$lab" >"$keep/events.txt" 2>/dev/null || true
    for h in /var/lib/webinfra/"$lab"/hosts/*/; do
      mkdir -p "$keep/logs/$(basename "$h")" && cp -r "$h/log/." "$keep/logs/$(basename "$h")/" 2>/dev/null || true
    done
  fi
  "$here/webinfra" down --lab "$lab" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
command -v jq >/dev/null || { echo "bench/maintenance.sh needs jq (apt-get install -y jq)" >&2; exit 3; }
rm -rf "$keep" && mkdir -p "$keep"

wi() { "$here/webinfra" "$@" --lab "$lab"; }
five_reloads() { for i in 1 2 3 4 5; do echo "== reload $i"; wi reload || return; done; }
loadavg() { cut -d' ' -f1 /proc/loadavg; }
now() { date +%s.%N; }
# Writes the site's servers have logged so far (only the load writes in this lab).
posts() { cat "/var/lib/webinfra/$lab"/hosts/*/log/nginx-access.log 2>/dev/null | grep -c '"POST /entries' || true; }
rows=()

# Runs "$@" under one `webinfra load` run of $2 seconds; prints its figures and keeps a table row.
with_load() {
  local name="$1" seconds="$2" f
  shift 2
  f="$keep/load-$(echo "$name" | tr -c 'a-z0-9=\n' '-' | tr -s '-')"
  local before
  before=$(posts)
  wi load --duration "${seconds}s" --rate "$rate" --writes "$writes" --json --report "$f.html" \
    >"$f.json" 2>"$f.log" &
  local load=$!
  # The agent (a JVM in the client host) reads the page (GETs) for 3 s, unreported, before its
  # schedule starts, and that warm-up ends only when its last read does: on a busy machine the
  # schedule starts up to 3 s + one read's 5 s timeout after the agent's first connection. Its first write is the sign that it
  # has: wait for a new POST in the servers' nginx logs (at most 30 s), then 1 s more. The JSON's
  # started_at tells, after, whether the action was inside the schedule ("covered").
  local w=0
  for _ in $(seq 150); do
    [ "$(posts)" -gt "$before" ] && { w=1; break; }
    sleep 0.2
  done
  [ "$w" = 1 ] || echo "    (no write seen in the servers' logs after 30 s; starting the action anyway)"
  sleep 1
  local rc=0 t0 t1 lrc=0 la
  la=$(loadavg)
  t0=$(now)
  "$@" >"$f.action.log" 2>&1 || rc=$?
  t1=$(now)
  wait "$load" || lrc=$?
  if ! jq -e .requests "$f.json" >/dev/null 2>&1; then
    printf '%-22s exit %d  load exited %d without a result:\n' "$name" "$rc" "$lrc"
    tail -5 "$f.log" | sed 's/^/    /'
    rows+=("| $name | $rc | load failed ($lrc) | | | | | | | |")
    return
  fi
  local start from to
  start=$(date -d "$(jq -r .started_at "$f.json")" +%s.%N)
  from=$(echo "$t0 - $start" | bc) to=$(echo "$t1 - $start" | bc)
  local covered=yes
  if [ "$(echo "$from < 0 || $to > $seconds" | bc)" = 1 ]; then covered="NO"; fi
  # requests failed connect timeout 5xx 4xx other ack lost indet indet_found unexpected dup p99
  local v
  v=$(jq -r '[.requests, .failed, .failures.connect, .failures.timeout, .failures["5xx"],
      .failures["4xx"], .failures.other, .writes.acknowledged, .writes.lost,
      .writes.indeterminate, .writes.indeterminate_found, .writes.unexpected,
      .writes.duplicated, .latency_ms.p99, .latency_ms.max] | map(tostring) | join(" ")' "$f.json")
  local req fail c t s5 s4 o ack lost ind indf unexp dup p99 max
  read -r req fail c t s5 s4 o ack lost ind indf unexp dup p99 max <<<"$v"
  printf '%-22s exit %d  %5.1f s (at %+.1f..%+.1f s of %d s, covered: %s)  load avg %s\n' \
    "$name" "$rc" "$(echo "$t1 - $t0" | bc)" "$from" "$to" "$seconds" "$covered" "$la"
  printf '    load exit %d: requests %d, failed %d (connect %d, timeout %d, 5xx %d, 4xx %d, other %d), p99 %s ms, max %s ms\n' \
    "$lrc" "$req" "$fail" "$c" "$t" "$s5" "$s4" "$o" "$p99" "$max"
  printf '    writes: acknowledged %d, lost %d, indeterminate %d (found %d), unexpected %d, duplicated %d\n' \
    "$ack" "$lost" "$ind" "$indf" "$unexp" "$dup"
  jq -r '.writes.servers[] | "    \(.host): " + (if .readable then "\(.rows) rows, \(.missing_acknowledged) acknowledged missing" else "unreadable: \(.error)" end)' "$f.json"
  jq -r '.failure_reasons[] | "    failed \(.count)x: \(.reason)"' "$f.json" | head -8
  jq -r '.writes.lost_ids + .writes.unexpected_ids | .[:10][] | "    anomaly: \(.)"' "$f.json"
  if [ "$rc" -ne 0 ]; then tail -5 "$f.action.log" | sed 's/^/    /'; fi
  rows+=("| $name | $rc | $req | $fail ($c/$t/$s5/$s4/$o) | $ack | $lost | $ind ($indf) | $unexp | $p99 | $covered |")
}

# Runs "$@" while wrk -c8 loads the site, from 1 s before it to 2 s after; prints one line of figures.
# wrk runs until SIGINT, on which it prints its figures, so a slow action on a busy machine is
# still covered whole.
wrk_rows=()
with_wrk() {
  local name="$1"
  shift
  ip netns exec "$lab-client" wrk -t2 -c8 -d600s --timeout 5s https://www.foobar.com/ \
    >"$work/wrk" 2>&1 &
  local wrk=$!
  sleep 1
  local rc=0 t0 t1
  t0=$(now)
  "$@" >"$work/action" 2>&1 || rc=$?
  t1=$(now)
  sleep 2
  kill -INT "$wrk"
  wait "$wrk" || true
  local requests socket non2xx
  requests=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$work/wrk")
  socket=$(sed -n 's/.*Socket errors: connect \([0-9]*\), read \([0-9]*\), write \([0-9]*\), timeout \([0-9]*\).*/\1+\2+\3+\4/p' "$work/wrk")
  socket=$((${socket:-0}))
  non2xx=$(sed -n 's/.*Non-2xx or 3xx responses: \([0-9]*\).*/\1/p' "$work/wrk")
  printf '%-22s exit %d  %5.1f s  load avg %s  requests %7s  socket errors %4d  non-2xx %4d\n' \
    "$name" "$rc" "$(echo "$t1 - $t0" | bc)" "$(loadavg)" "${requests:-?}" "$socket" "${non2xx:-0}"
  if [ "$rc" -ne 0 ]; then tail -5 "$work/action" | sed 's/^/    /'; fi
  wrk_rows+=("| $name | $rc | ${requests:-?} | $socket | ${non2xx:-0} |")
}

# Which servers answer: 12 requests with a new connection each, X-Served-By counted.
served_by() {
  local s
  s=$(for _ in $(seq 12); do
    ip netns exec "$lab-client" curl -s -o /dev/null -D - --max-time 5 https://www.foobar.com/ |
      sed -n 's/^x-served-by: *\([^[:space:]]*\).*/\1/Ip'
  done | sort | uniq -c | awk '{printf "%s%s x%d", (NR > 1 ? ", " : ""), $2, $1}') || true
  echo "    then served by: $s"
}

sed -e "s/^lab: .*/lab: $lab/" -e 's/198\.18\.6\./198.19.72./g' -e 's/198\.18\.7\./198.19.73./g' \
  "$here/topologies/ha-cluster.yaml" >"$work/t.yaml"
"$here/webinfra" --version >/dev/null # build first, outside any measurement
"$here/webinfra" down --lab "$lab" >/dev/null 2>&1 || true
"$here/webinfra" up "$work/t.yaml" >"$work/up.log" 2>&1 || { cat "$work/up.log"; exit 1; }
echo "machine: $(nproc) cores, shared with other work; uptime:$(uptime | sed 's/.*up [^,]*,//')"

echo "== pass 1: each action under webinfra load --rate $rate --writes $writes from the client host"
with_load "idle (baseline)" 15 true
with_load "5 x webinfra reload" 70 five_reloads
with_load "webinfra deploy" 45 wi deploy
with_load "webinfra scale web=4" 60 wi scale web=4
served_by
with_load "webinfra scale web=3" 45 wi scale web=3
served_by

if [ "$with_wrk" = wrk ]; then
  echo "== pass 2: each action under wrk -t2 -c8 --timeout 5s https://www.foobar.com/ from the client host"
  with_wrk "idle (baseline)" sleep 10
  with_wrk "5 x webinfra reload" five_reloads
  with_wrk "webinfra deploy" wi deploy
  with_wrk "webinfra scale web=4" wi scale web=4
  with_wrk "webinfra scale web=3" wi scale web=3
fi

echo "== uptime at the end:$(uptime | sed 's/.*up [^,]*,//')"
echo
echo "webinfra load --rate $rate --writes $writes (failed by cause: connect/timeout/5xx/4xx/other)"
echo
echo "| action | exit | requests | failed | writes acknowledged | lost | indeterminate (found) | unexpected | p99 ms | covered |"
echo "|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
if [ "${#wrk_rows[@]}" -gt 0 ]; then
  echo
  echo "wrk -t2 -c8"
  echo
  echo "| action | exit | requests | socket errors | non-2xx |"
  echo "|---|---|---|---|---|"
  printf '%s\n' "${wrk_rows[@]}"
fi
echo "kept: $keep (JSON, HTML reports, each action's output; the lab's events and logs once it is down)"
