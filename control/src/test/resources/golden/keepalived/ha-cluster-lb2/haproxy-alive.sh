#!/bin/bash
# Exit 0 while this host's haproxy answers (rendered by webinfra for host lb2 of lab ha).
# The master's pid alone is not enough: a hung haproxy (SIGSTOP, a stuck worker) still exists.
# Asked with bash's own /dev/tcp, not curl: keepalived runs this every second, and a curl a second
# per load balancer cost more CPU than keepalived itself.
# Read by bash itself (no process but bash runs): the first line, with or without its newline.
pid=
{ read -r pid </var/lib/webinfra/ha/hosts/lb2/run/haproxy.pid; } 2>/dev/null
[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || exit 1
exec 3<>/dev/tcp/198.18.7.12/8404 || exit 1
printf 'GET /alive HTTP/1.0\r\n\r\n' >&3
IFS= read -r -t 0.8 status <&3 || exit 1
case $status in
  "HTTP/1."?" 200 "*) exit 0 ;;
esac
exit 1
