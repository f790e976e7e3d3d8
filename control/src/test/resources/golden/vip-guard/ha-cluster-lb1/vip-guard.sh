#!/bin/sh
# The floating IP's guard for host lb1 of lab ha, rendered by webinfra; edits are overwritten.
# keepalived cannot ask a third party before it takes the IP, so this loop asks the witness on
# http://198.18.7.30:8407 every 0.1 s and writes the answer to a file keepalived tracks (track_file, read on
# every change): 0 lets this load balancer hold the IP, 1 holds it out (keepalived's FAULT state).
# - holding the IP (MASTER): acquire or renew the lease; refused, another holds it: 1.
# - otherwise: peek; another holds a live lease: 1, so a partition leaves the holder alone.
# - no answer from the witness: 0, and VRRP alone decides, as without a witness (docs/vip.md).
state="/var/lib/webinfra/ha/hosts/lb1/run/textfile/vrrp.prom"
out="/var/lib/webinfra/ha/hosts/lb1/run/witness.track"
while :; do
  if grep -q 'state="MASTER"} 1' "$state" 2>/dev/null; then op=acquire; else op=peek; fi
  answer=$(curl -s --max-time 0.3 "http://198.18.7.30:8407/$op?host=lb1")
  case "$answer" in
    held*) v=1 ;;
    *) v=0 ;;
  esac
  [ "$(cat "$out" 2>/dev/null)" = "$v" ] || echo "$v" > "$out"
  sleep 0.1
done
