#!/bin/sh
# keepalived notify script for host lb1 of lab ha, rendered by webinfra; edits are overwritten.
# keepalived runs it on every VRRP transition as: notify TYPE NAME STATE PRIORITY. It writes the
# state for the node exporter's textfile collector, so Prometheus sees which load balancer holds the
# floating IP 198.18.6.100. A host that is powered off is seen through its node exporter being down.
# keepalived runs it with umask 077; the node exporter reads the file as another user.
umask 022
state="${3:-UNKNOWN}"
dir="/var/lib/webinfra/ha/hosts/lb1/run/textfile"
mkdir -p "$dir"
tmp="$dir/.vrrp.prom.$$"
{
  echo '# HELP webinfra_vrrp_state VRRP state of this load balancer for the floating IP (1 = current).'
  echo '# TYPE webinfra_vrrp_state gauge'
  for s in MASTER BACKUP FAULT STOP; do
    v=0
    [ "$s" = "$state" ] && v=1
    echo "webinfra_vrrp_state{vip=\"198.18.6.100\",state=\"$s\"} $v"
  done
} > "$tmp" && mv -f "$tmp" "$dir/vrrp.prom"
# Leaving MASTER: give the witness's lease back, so the other LB need not wait for it to expire.
if [ "$state" != MASTER ]; then
  curl -s -o /dev/null --max-time 0.3 "http://198.18.7.30:8407/release?host=lb1" || true
fi
