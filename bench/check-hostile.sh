#!/usr/bin/env bash
# Runs `webinfra check` on hostile topologies (the most hosts allowed and one more, every load
# balancer sharing the floating IP, hand-written rules everywhere, deep nesting, alias bombs, giant,
# negative and zero numbers, ports 0 and 65536, a 1 MiB line) and prints, per case, the exit code,
# elapsed and CPU seconds, peak memory, and whether a stack trace was printed. check starts nothing
# and needs no root. The budget: 5 s and 512 MB on any input, never a stack trace; elapsed time
# depends on the machine's load (quote the load average with the figures), CPU time less so.
# usage: bench/check-hostile.sh
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$here/webinfra" --version >/dev/null
java="$(. "$here/scripts/jdk.sh"; webinfra_find_jdk)/bin/java"

python3 - "$work" "$here/topologies/ha-cluster.yaml" <<'EOF'
import sys
work, ha = sys.argv[1], open(sys.argv[2]).read()
def put(name, text):
    open(f"{work}/{name}.yaml", "w").write(text)
head = """lab: hostile
domain: foobar.com
networks:
  public: { cidr: 198.18.6.0/24 }
  private: { cidr: 198.18.7.0/24 }
"""
def hosts(n, roles, prefix="h", first=3):
    return "".join(
        f"  {prefix}{i}: {{ roles: [{roles}], networks: {{ public: 198.18.6.{first+i}, private: 198.18.7.{first+i} }} }}\n"
        for i in range(n))
front = ("  client: { roles: [client], networks: { public: 198.18.6.1 } }\n"
         "  dns: { roles: [dns], networks: { public: 198.18.6.2 } }\n")
put("99-load-balancers", head + "vip: { address: 198.18.6.250, network: public }\n"
    + "defaults: { firewall: { enabled: true }, monitoring: { agent: true } }\nhosts:\n"
    + front + hosts(96, "lb") + "  w: { roles: [web, app, db], networks: { private: 198.18.7.200 } }\n")
put("99-servers-galera", head + "defaults: { firewall: { enabled: true }, monitoring: { agent: true } }\nhosts:\n"
    + front
    + "  lb: { roles: [lb], networks: { public: 198.18.6.200, private: 198.18.7.200 } }\n"
    + hosts(96, "web, app, db")
    + "database: { topology: galera, members: [" + ", ".join(f"h{i}" for i in range(96)) + "] }\n")
put("99-hosts-wide-rules", head + "vip: { address: 198.18.6.250, network: public }\n"
    + "defaults: { firewall: { enabled: true, rules: [" + ", ".join(f"{{ port: {p}, from: [any, public, private] }}" for p in range(1, 60)) + ", { proto: vrrp, from: [any] }] } }\nhosts:\n"
    + front + hosts(48, "lb") + hosts(48, "web, app, db", "w", 100)
    + "database: { topology: primary-replica, primary: w0, replicas: [" + ", ".join(f"w{i}" for i in range(1, 48)) + "], failover: automatic, semi_sync: true }\n")
put("100-hosts", head + "hosts:\n" + hosts(100, "web, app"))
put("deep-nesting", head + "hosts: " + "[" * 5000 + "]" * 5000 + "\n")
put("alias-bomb", head + "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{chr(98+i)}: &{chr(98+i)} [*{chr(97+i)},*{chr(97+i)},*{chr(97+i)},*{chr(97+i)},*{chr(97+i)},*{chr(97+i)},*{chr(97+i)},*{chr(97+i)},*{chr(97+i)}]\n"
    for i in range(9)) + "hosts: *j\n")
put("giant-numbers", ha.replace("  monitoring: { agent: true }\n",
    "  monitoring: { agent: true }\n  app: { pool_size: 99999999999999999999999999, port: 1e308 }\n  lb: { check_inter_ms: 9223372036854775808 }\n"))
put("negative-and-zero-timings", ha.replace("  monitoring: { agent: true }\n",
    "  monitoring: { agent: true }\n  lb: { check_inter_ms: -1, check_fall: 0, check_rise: -5 }\n"))
put("largest-timings", ha.replace("  monitoring: { agent: true }\n",
    "  monitoring: { agent: true }\n  lb: { check_inter_ms: 60000, check_fall: 10 }\n  app: { pool_size: 64 }\n"))
put("port-0", ha.replace("  monitoring: { agent: true }\n", "  monitoring: { agent: true }\n  web: { port: 0 }\n"))
put("port-65536", ha.replace("  monitoring: { agent: true }\n", "  monitoring: { agent: true }\n  db: { port: 65536 }\n"))
put("rule-port-65536", ha.replace("    networks: { public: 198.18.6.12, private: 198.18.7.12 }\n",
    "    networks: { public: 198.18.6.12, private: 198.18.7.12 }\n    settings: { firewall: { rules: [{ port: 65536 }, { port: -1, proto: vrrp }] } }\n"))
put("rule-10000-sources", ha.replace("    networks: { public: 198.18.6.12, private: 198.18.7.12 }\n",
    "    networks: { public: 198.18.6.12, private: 198.18.7.12 }\n    settings: { firewall: { rules: [{ port: 3306, from: [" + ", ".join(["public"] * 10000) + "] }] } }\n"))
put("one-mib-line", "lab: x\n# " + "x" * (1024 * 1024 - 20) + "\n")
put("over-one-mib", "lab: x\n# " + "x" * (1024 * 1024 + 10) + "\n")
EOF

printf '%-28s %4s %9s %8s %8s %s\n' case exit elapsed cpu peak trace
for f in "$work"/*.yaml; do
  name="$(basename "$f" .yaml)"
  set +e
  /usr/bin/time -o "$work/time" -f '%e %U %S %M' "$java" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -jar "$here/control/target/webinfra.jar" check "$f" >"$work/out" 2>"$work/err"
  rc=$?
  set -e
  read -r el us sy kb < <(tail -n 1 "$work/time")
  trace=no
  grep -qE '^\s+at [a-z]|Exception|Error:' "$work/out" "$work/err" && trace=YES
  printf '%-28s %4s %8ss %7.2fs %6dMB %s\n' "$name" "$rc" "$el" "$(echo "$us + $sy" | bc)" "$((kb / 1024))" "$trace"
  [ "$trace" = no ] || sed -n 1,5p "$work/err"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
