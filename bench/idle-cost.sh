#!/usr/bin/env bash
# What an idle ha-cluster lab costs the machine: brings ha-cluster up as a lab of its own
# ("idlecost", addresses moved to 198.19.68-69; BENCH_LAB and BENCH_NET=a.b move them), lets it
# settle, then samples for SECONDS (default 30) the CPU of every process whose command line names
# the lab's directory, with the CPU of the children each one waited for (curl, mariadb, ...), and
# prints each in % of one core, the lab's total, and the machine's load average. Takes the lab down.
# usage: sudo bench/idle-cost.sh [SECONDS]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
secs="${1:-30}"
lab="${BENCH_LAB:-idlecost}"
net="${BENCH_NET:-68.69}"
work="$(mktemp -d)"
cleanup() { "$here/webinfra" down --lab "$lab" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
sed -e "s/^lab: .*/lab: $lab/" -e "s/198\.18\.6\./198.19.${net%.*}./g" -e "s/198\.18\.7\./198.19.${net#*.}./g" \
  "$here/topologies/ha-cluster.yaml" > "$work/t.yaml"
"$here/webinfra" --version >/dev/null
"$here/webinfra" down --lab "$lab" >/dev/null 2>&1 || true
"$here/webinfra" up "$work/t.yaml" > "$work/up.log" 2>&1 || { cat "$work/up.log"; exit 1; }
sleep 20
echo "machine: $(nproc) cores; lab $lab idle, sampled for $secs s"
python3 - "/var/lib/webinfra/$lab/" "$secs" <<'PY'
import os, sys, time
mark, secs = sys.argv[1], float(sys.argv[2])
hz = os.sysconf("SC_CLK_TCK")
def snap():
    out = {}
    for p in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmd = open(f"/proc/{p}/cmdline").read().replace("\0", " ")
            if mark not in cmd:
                continue
            f = open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()
            out[p] = (sum(int(x) for x in f[11:15]), cmd)
        except OSError:
            pass
    return out
a = snap(); t0 = time.time(); time.sleep(secs); b = snap(); dt = time.time() - t0
rows = sorted(((t - a[p][0]) / hz / dt * 100, c) for p, (t, c) in b.items() if p in a)[::-1]
def name(c):
    w = c.split()
    if "dev.webinfra.cli.Main" in w:
        return "controller"
    if any(x.endswith("webinfra-app.jar") for x in w):
        return "app"
    for x in w:
        if x.startswith("dev.webinfra."):
            return x.rsplit(".", 1)[1]
    return os.path.basename(w[0])
host = lambda c: (c.split(mark + "hosts/", 1)[1].split("/", 1)[0]) if mark + "hosts/" in c else "-"
for pct, c in rows:
    if pct >= 0.5:
        print(f"{pct:6.1f} %  {host(c):7} {name(c)}")
print(f"{sum(r[0] for r in rows):6.1f} %  of one core in all ({len(rows)} processes)")
PY
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
