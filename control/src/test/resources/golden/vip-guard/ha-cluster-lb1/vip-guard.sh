#!/bin/bash
# The floating IP's guard for host lb1 of lab ha, rendered by webinfra; edits are overwritten.
# keepalived cannot ask a third party before it takes the IP, and its own scripts run at most once a
# second, so this loop answers every 0.1 s through a file keepalived tracks (track_file, read on
# every change): 0 lets this load balancer hold the IP, 1 holds it out (keepalived's FAULT state).
# - haproxy gives no answer within 0.3 s, 2 rounds in a row (hung or dead): 1.
#   keepalived drops the IP and this loop gives the lease back at once, so the other LB takes it
#   about a second after the hang, not after keepalived's next once-a-second check.
# - holding the IP (MASTER): acquire or renew the lease; refused, another holds it: 1.
# - otherwise: peek; another holds a live lease: 1, so a partition leaves the holder alone.
# - no answer from the witness: 0, and VRRP alone decides, as without a witness (docs/vip.md).
# A holder that gave the IP up because haproxy hung then resets the connections haproxy holds on
# it (haproxy binds the IP transparent, so the resets still leave): their clients retry at the new
# holder now instead of waiting out their timeouts on requests nobody will answer.
# One curl a round asks both, and bash builtins do the rest: ten rounds a second on each load
# balancer must not cost the machine a process each step. Each change is logged with its time.
state="/var/lib/webinfra/ha/hosts/lb1/run/textfile/vrrp.prom"
out="/var/lib/webinfra/ha/hosts/lb1/run/witness.track"
missed=0
hung_holder=0
exec {pause}<> <(:) # a pipe nobody writes to: read -t on it sleeps without a process
while :; do
  master=0
  while IFS= read -r line; do
    [[ $line == *'state="MASTER"} 1' ]] && master=1
  done 2>/dev/null <"$state"
  # A holder whose haproxy stopped answering renews nothing: it is about to give the IP up.
  if ((master && missed < 2)); then op=acquire; else op=peek; fi
  reply=$(curl -s --max-time 0.3 -o /dev/null -w 'haproxy %{http_code}\n' "http://198.18.7.11:8404/alive" \
    --next -s --max-time 0.3 "http://198.18.7.30:8407/$op?host=lb1")
  if [[ $reply == 'haproxy 200'* ]]; then missed=0; else missed=$((missed + 1)); fi
  if ((missed >= 2)); then
    v=1
    # Still holding the IP: give the lease back now (until keepalived has left MASTER), so the
    # other LB need not wait for it to expire.
    ((master)) && hung_holder=1 && curl -s -o /dev/null --max-time 0.3 "http://198.18.7.30:8407/release?host=lb1"
  else
    case $reply in
      *$'\n'held*) v=1 ;;
      *) v=0 ;;
    esac
  fi
  now=
  read -r now 2>/dev/null <"$out"
  if [[ $now != "$v" ]]; then
    echo "$v" >"$out"
    echo "$EPOCHREALTIME wrote $v: haproxy missed $missed round(s), witness: ${reply#*$'\n'}"
  fi
  if ((hung_holder)); then
    # Wait (at most 1 s) for keepalived to leave MASTER, so the IP is gone before the resets and
    # the clients' retries go to the other LB, not back into the hung haproxy's queue.
    for ((i = 0; i < 50; i++)); do
      held=0
      while IFS= read -r line; do
        [[ $line == *'state="MASTER"} 1' ]] && held=1
      done 2>/dev/null <"$state"
      ((held)) || break
      read -r -t 0.02 -u "$pause"
    done
    ss -K -t -n state connected src 198.18.6.100 >/dev/null 2>&1
    echo "$EPOCHREALTIME reset the hung haproxy's connections to 198.18.6.100 (still MASTER: $held)"
    hung_holder=0
  fi
  read -r -t 0.1 -u "$pause"
done
