#!/bin/sh
# Hitless reload of this host's haproxy (rendered by webinfra for host lb1 of lab secured):
# check the new config, keep the servers' states, ask the master to reload through its CLI, and wait
# until a new worker serves. Any failure leaves the running worker as it was and exits non-zero.
set -eu
cfg=/var/lib/webinfra/secured/hosts/lb1/etc/haproxy.cfg
master=/var/lib/webinfra/secured/hosts/lb1/run/haproxy-master.sock
haproxy -c -q -f "$cfg" || { echo "haproxy-reload: $cfg does not pass haproxy -c" >&2; exit 1; }
worker() {
  echo "show proc" | socat -t 2 - "unix-connect:$master" |
    awk '/^# workers/ {w = 1; next} /^#/ {w = 0} w && $2 == "worker" {print $1; exit}'
}
old=$(worker)
[ -n "$old" ] || { echo "haproxy-reload: no current worker on $master" >&2; exit 1; }
echo "show servers state" | socat -t 2 - "unix-connect:/var/lib/webinfra/secured/hosts/lb1/run/haproxy.sock" > /var/lib/webinfra/secured/hosts/lb1/run/haproxy.state.new
mv /var/lib/webinfra/secured/hosts/lb1/run/haproxy.state.new /var/lib/webinfra/secured/hosts/lb1/run/haproxy.state
echo reload | socat -t 2 - "unix-connect:$master" > /dev/null
i=0
while [ "$i" -lt 200 ]; do
  new=$(worker || true)
  if [ -n "$new" ] && [ "$new" != "$old" ]; then
    echo "haproxy-reload: worker $old replaced by $new"
    exit 0
  fi
  i=$((i + 1))
  sleep 0.1
done
echo "haproxy-reload: no new worker 20 s after the reload (still $old)" >&2
exit 1
