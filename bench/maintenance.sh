#!/usr/bin/env bash
# Every maintenance action under load: wrk -c8 from the client host against https://www.foobar.com/
# on a running ha-cluster lab (5 reloads, a rolling deploy, scale out to web4 and back), one wrk run
# per action, printing the failed requests (socket errors
# and non-2xx/3xx answers, as wrk counts them) per action.
# usage: bench/maintenance.sh [LAB]   (an ha-cluster lab that is up; default: the current one)
# `webinfra load` (issue 11) is not on main yet: its lost-writes column comes with it.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
lab="${1:-$(cat /var/lib/webinfra/current)}"
wi() { "$here/webinfra" "$@" --lab "$lab"; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# Runs "$@" while wrk loads the site for long enough to cover it; prints one line of figures.
under_load() {
  local name="$1" seconds="$2"
  shift 2
  ip netns exec "$lab-client" wrk -t2 -c8 -d"${seconds}s" --timeout 5s https://www.foobar.com/ \
    >"$out/wrk" 2>&1 &
  local wrk=$!
  sleep 1
  local rc=0
  "$@" >"$out/action" 2>&1 || rc=$?
  wait "$wrk"
  local requests socket non2xx
  requests=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$out/wrk")
  socket=$(sed -n 's/.*Socket errors: connect \([0-9]*\), read \([0-9]*\), write \([0-9]*\), timeout \([0-9]*\).*/\1+\2+\3+\4/p' "$out/wrk")
  socket=$((${socket:-0}))
  non2xx=$(sed -n 's/.*Non-2xx or 3xx responses: \([0-9]*\).*/\1/p' "$out/wrk")
  printf '%-28s exit %d  requests %7s  socket errors %4d  non-2xx %4d\n' \
    "$name" "$rc" "${requests:-?}" "$socket" "${non2xx:-0}"
  if [ "$rc" -ne 0 ]; then sed 's/^/    /' "$out/action" | tail -5; fi
}

five_reloads() { for _ in 1 2 3 4 5; do wi reload; done; }

"$here/webinfra" --version >/dev/null # build first, outside any measurement
echo "lab $lab: wrk -c8 against https://www.foobar.com/ from the client host"
under_load "idle (baseline)" 10 true
under_load "5 x webinfra reload" 40 five_reloads
under_load "webinfra deploy" 60 wi deploy
under_load "webinfra scale web=4" 40 wi scale web=4
under_load "webinfra scale web=3" 30 wi scale web=3
