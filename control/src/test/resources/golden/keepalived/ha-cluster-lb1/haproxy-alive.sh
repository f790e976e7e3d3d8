#!/bin/sh
# Exit 0 while this host's haproxy answers (rendered by webinfra for host lb1 of lab ha).
# The master's pid alone is not enough: a hung haproxy (SIGSTOP, a stuck worker) still exists.
pid=$(cat /var/lib/webinfra/ha/hosts/lb1/run/haproxy.pid 2>/dev/null | head -n 1) || exit 1
[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || exit 1
curl -s -o /dev/null --max-time 0.8 "http://198.18.7.11:8404/alive"
