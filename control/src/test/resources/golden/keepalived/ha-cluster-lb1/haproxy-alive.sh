#!/bin/sh
# Exit 0 while this host's haproxy master is alive (rendered by webinfra for host lb1 of lab ha).
pid=$(cat /var/lib/webinfra/ha/hosts/lb1/run/haproxy.pid 2>/dev/null | head -n 1) || exit 1
[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
