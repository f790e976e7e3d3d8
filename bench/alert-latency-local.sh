#!/usr/bin/env bash
# Until the monitoring units run in a lab: the time from an agent going away to a firing alert,
# measured with the real daemons on loopback. Prometheus runs with the ha-cluster rules and
# intervals as rendered (2 s scrapes and evaluation, 'for: 4s'); node exporters stand in for two
# hosts, and one is killed. Also prints each monitoring daemon's PSS.
# usage: bench/alert-latency-local.sh [ROUNDS]   (as root; ports 19090, 19100, 19101 on 127.0.0.1)
set -euo pipefail
rounds="${1:-3}"
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
golden="$here/control/src/test/resources/golden/prometheus/ha-cluster-mon"
dir="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; sleep 0.5; rm -rf "$dir"; }
trap cleanup EXIT
trap 'exit 1' INT TERM
# Not a function: a backgrounded function is a subshell, and $! would not be the daemon's pid.
as_prom=(setpriv --reuid=prometheus --regid=prometheus --init-groups --)
exporter() { "${as_prom[@]}" prometheus-node-exporter --web.listen-address="127.0.0.1:$1" \
  --collector.disable-defaults --collector.meminfo --collector.filefd >"$dir/ne-$1.log" 2>&1 & echo $!; }

cp "$golden/prometheus-alerts.yml" "$dir/alerts.yml"
sed -n '/^global/,/^rule_files/p' "$golden/prometheus.yml" | grep -v rule_files >"$dir/prometheus.yml"
cat >>"$dir/prometheus.yml" <<YAML
rule_files: [$dir/alerts.yml]
scrape_configs:
  - job_name: node
    static_configs:
      - targets: ['127.0.0.1:19100']
        labels: {instance: web1}
      - targets: ['127.0.0.1:19101']
        labels: {instance: web2}
YAML
mkdir "$dir/data"; chown prometheus "$dir/data"; chmod 755 "$dir"
"${as_prom[@]}" prometheus --config.file="$dir/prometheus.yml" --web.listen-address=127.0.0.1:19090 \
  --storage.tsdb.path="$dir/data" --storage.tsdb.retention.time=2h --query.lookback-delta=30s \
  >"$dir/prometheus.log" 2>&1 &
prom=$!; pids+=("$prom")
web1=$(exporter 19100); pids+=("$web1")
firing() {
  curl -s 127.0.0.1:19090/api/v1/alerts | python3 -c '
import json, sys
alerts = json.load(sys.stdin)["data"]["alerts"]
sys.exit(0 if any(a["state"] == "firing" and a["labels"]["alertname"] == "TargetDown"
                  and a["labels"].get("instance") == "web2" for a in alerts) else 1)'
}
until curl -sf -o /dev/null 127.0.0.1:19090/-/ready; do sleep 0.2; done
for i in $(seq 1 "$rounds"); do
  web2=$(exporter 19101); pids+=("$web2")
  # Both targets up, and the alert from the last round resolved.
  until curl -s -G --data-urlencode 'query=up{instance="web2"}' 127.0.0.1:19090/api/v1/query | grep -q '"1"\]' && ! firing; do sleep 0.2; done
  t0=$(date +%s.%N)
  kill "$web2"; wait "$web2" 2>/dev/null || true
  until firing; do sleep 0.1; done
  printf 'round %d: web2 agent killed -> TargetDown{instance="web2"} firing after %.1f s\n' "$i" \
    "$(echo "$(date +%s.%N) - $t0" | bc)"
done
for p in "$prom" "$web1"; do
  printf '%-28s PSS %4d MiB\n' "$(cat /proc/$p/comm)" $(( $(awk '/^Pss:/ {print $2}' /proc/$p/smaps_rollup) / 1024 ))
done
