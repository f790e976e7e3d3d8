#!/usr/bin/env bash
# Runs `webinfra check` on hostile input and prints, per case, the exit code, elapsed and CPU
# seconds, peak memory (max RSS), whether a stack trace was printed, and the first line printed.
# The budget: 5 s and 512 MB on any input, a clean report or a one-line error, never a stack trace.
# Elapsed time depends on the machine's load (quote the load average with the figures), CPU time
# less so. check starts nothing and needs no root.
#
# The cases: the most hosts allowed (99) and more (100, 1000, 14 000), 96 load balancers sharing a
# floating IP, 96 Galera members, 99 hosts on all 9 networks, more networks than allowed (1000), a
# host on 200 networks, hand-written rules on every host (wide ones, ones naming every host, 34 000
# of them, 100 000 sources), 100 000-item lists (roles, site names, Galera members), settings on
# every layer, a 10 000-character name, deep nesting, alias bombs, giant, negative and zero
# numbers, ports 0 and 65536, a 1 MiB line and a bigger file, devices, a FIFO, and named
# certificate files that are huge, random, deeply nested DER, a directory, or /proc.
#
# usage: bench/check-hostile.sh            (through ./webinfra, with its JVM flags)
#        WEBINFRA_JAR=path bench/check-hostile.sh   (another build's jar, launched as ./webinfra
#                                                    launched it before its CDS and heap flags)
set -uo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$here/webinfra" --version >/dev/null 2>&1 # build (and make the class-data archive) once, untimed
if [ -n "${WEBINFRA_JAR:-}" ]; then
  java="$(. "$here/scripts/jdk.sh"; webinfra_find_jdk)/bin/java"
  run=("$java" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -jar "$WEBINFRA_JAR" check)
else
  run=("$here/webinfra" check)
fi

python3 - "$work" "$here/topologies/ha-cluster.yaml" <<'EOF'
import sys, base64, os
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
fw = "defaults: { firewall: { enabled: true }, monitoring: { agent: true } }\nhosts:\n"
# Within the limits: the largest designs the loader accepts.
put("99-load-balancers", head + "vip: { address: 198.18.6.250, network: public }\n" + fw
    + front + hosts(96, "lb") + "  w: { roles: [web, app, db], networks: { private: 198.18.7.200 } }\n")
put("99-servers-galera", head + fw + front
    + "  lb: { roles: [lb], networks: { public: 198.18.6.200, private: 198.18.7.200 } }\n"
    + hosts(96, "web, app, db")
    + "database: { topology: galera, members: [" + ", ".join(f"h{i}" for i in range(96)) + "] }\n")
put("99-hosts-wide-rules", head + "vip: { address: 198.18.6.250, network: public }\n"
    + "defaults: { firewall: { enabled: true, rules: [" + ", ".join(f"{{ port: {p}, from: [any, public, private] }}" for p in range(1, 60)) + ", { proto: vrrp, from: [any] }] } }\nhosts:\n"
    + front + hosts(48, "lb") + hosts(48, "web, app, db", "w", 100)
    + "database: { topology: primary-replica, primary: w0, replicas: [" + ", ".join(f"w{i}" for i in range(1, 48)) + "], failover: automatic, semi_sync: true }\n")
names = ["client", "dns", "lb0", "lb1"] + [f"w{i}" for i in range(95)]
put("99-hosts-rules-name-every-host", head + "vip: { address: 198.18.6.250, network: public }\n"
    + "defaults: { firewall: { enabled: true, rules: [" + ", ".join(f"{{ port: {p}, from: [" + ", ".join(names) + ", public, private, any] }" for p in (80, 443, 3306, 4444, 4567, 4568, 8080, 9100)) + ", { proto: vrrp, from: [" + ", ".join(names) + "] }] }, monitoring: { agent: true } }\nhosts:\n"
    + front + "".join(f"  lb{i}: {{ roles: [lb], networks: {{ public: 198.18.6.{i+10}, private: 198.18.7.{i+10} }} }}\n" for i in range(2))
    + "".join(f"  w{i}: {{ roles: [web, app, db], networks: {{ public: 198.18.6.{i+20}, private: 198.18.7.{i+20} }} }}\n" for i in range(95))
    + "database: { topology: primary-replica, primary: w0, replicas: [" + ", ".join(f"w{i}" for i in range(1, 95)) + "], failover: automatic, semi_sync: true }\n")
def all9(i):
    return "{ " + ", ".join(f"n{k}: 198.18.{k}.{i}" for k in range(9)) + " }"
put("99-hosts-on-9-networks", "lab: hostile\ndomain: foobar.com\nnetworks:\n"
    + "".join(f"  n{i}: {{ cidr: 198.18.{i}.0/24 }}\n" for i in range(9))
    + "vip: { address: 198.18.0.252, network: n0 }\n" + fw
    + "  client: { roles: [client], networks: { n0: 198.18.0.1 } }\n"
    + f"  dns: {{ roles: [dns], networks: {all9(2)} }}\n  mon: {{ roles: [monitor, arbitrator], networks: {all9(3)} }}\n"
    + "".join(f"  lb{i}: {{ roles: [lb], networks: {all9(i+10)} }}\n" for i in range(8))
    + "".join(f"  w{i}: {{ roles: [web, app, db], networks: {all9(i+20)} }}\n" for i in range(88))
    + "database: { topology: galera, members: [" + ", ".join(f"w{i}" for i in range(60)) + "], arbitrator: mon, replicas: ["
    + ", ".join(f"w{i}" for i in range(60, 88)) + "], replicate_from: w0, failover: automatic }\n")
put("rules-on-every-layer", head.replace("  private: { cidr: 198.18.7.0/24 }\n", "")
    + "roles:\n" + "".join(f"  {r}: {{ firewall: {{ enabled: true, rules: [" + ", ".join(f"{{ port: {p}, from: [public] }}" for p in range(1, 64)) + "] }, lb: { check_inter_ms: 60000, check_fall: 10 } }\n" for r in ("web", "app", "db", "lb"))
    + "hosts:\n" + "  dns: { roles: [dns], networks: { public: 198.18.6.2 } }\n"
    + "".join(f"  h{i}: {{ roles: [web, app, db, lb], networks: {{ public: 198.18.6.{i+3} }}, settings: {{ firewall: {{ rules: [" + ", ".join(f"{{ port: {p}, from: [any, public] }}" for p in range(1, 64)) + "] } } }\n" for i in range(98))
    + "database: { topology: galera, members: [" + ", ".join(f"h{i}" for i in range(98)) + "] }\n")
put("giant-numbers", ha.replace("  monitoring: { agent: true }\n",
    "  monitoring: { agent: true }\n  app: { pool_size: 99999999999999999999999999, port: 1e308 }\n  lb: { check_inter_ms: 9223372036854775808 }\n"))
put("negative-and-zero-timings", ha.replace("  monitoring: { agent: true }\n",
    "  monitoring: { agent: true }\n  lb: { check_inter_ms: -1, check_fall: 0, check_rise: -5 }\n"))
put("largest-timings", ha.replace("  monitoring: { agent: true }\n",
    "  monitoring: { agent: true }\n  lb: { check_inter_ms: 60000, check_fall: 10 }\n  app: { pool_size: 64 }\n"))
put("port-0", ha.replace("  monitoring: { agent: true }\n", "  monitoring: { agent: true }\n  web: { port: 0 }\n"))
put("port-65536", ha.replace("  monitoring: { agent: true }\n", "  monitoring: { agent: true }\n  db: { port: 65536 }\n"))
lb2 = "    networks: { public: 198.18.6.12, private: 198.18.7.12 }\n"
put("rule-port-65536", ha.replace(lb2, lb2 + "    settings: { firewall: { rules: [{ port: 65536 }, { port: -1, proto: vrrp }] } }\n"))
# Beyond the limits: refused, in one line or a bounded list.
put("100-hosts", head + "hosts:\n" + hosts(100, "web, app"))
put("1000-hosts", "lab: hostile\ndomain: foobar.com\nnetworks:\n  public: { cidr: 198.18.0.0/16 }\nhosts:\n" + "".join(
    f"  h{i}: {{ roles: [web], networks: {{ public: 198.18.{i//250}.{i%250+2} }} }}\n" for i in range(1000)))
put("14000-hosts", "lab: hostile\ndomain: foobar.com\nnetworks:\n  public: { cidr: 198.18.0.0/16 }\nhosts:\n" + "".join(
    f"  h{i}: {{ roles: [web], networks: {{ public: 198.18.{i//250}.{i%250+2} }} }}\n" for i in range(14000)))
put("1000-networks", "lab: hostile\ndomain: foobar.com\nnetworks:\n" + "".join(f"  n{i}: {{ cidr: 10.{i//250}.{i%250}.0/24 }}\n" for i in range(1000))
    + "hosts:\n  w: { roles: [web], networks: { n0: 10.0.0.2 } }\n")
put("host-on-200-networks", "lab: hostile\ndomain: foobar.com\nnetworks:\n" + "".join(f"  n{i}: {{ cidr: 198.18.{i}.0/24 }}\n" for i in range(9))
    + "hosts:\n  w: { roles: [web], networks: { " + ", ".join(f"n{i}: 198.18.{i%9}.{i//9+2}" for i in range(200)) + " } }\n")
put("34000-rules-every-host", head + "defaults: { firewall: { enabled: true, rules: [" + ", ".join(f"{{ port: {1 + i % 65000}, from: [any] }}" for i in range(34000)) + "] } }\nhosts:\n" + front + hosts(97, "web"))
put("rule-10000-sources", ha.replace(lb2, lb2 + "    settings: { firewall: { rules: [{ port: 3306, from: [" + ", ".join(["public"] * 10000) + "] }] } }\n"))
put("100k-rule-sources-every-host", head + "defaults: { firewall: { enabled: true, rules: [{ port: 80, from: [" + ", ".join(names[i % 99] for i in range(100000)) + "] }] } }\nhosts:\n" + front + hosts(97, "web"))
put("100k-roles", head + "hosts:\n  w: { roles: [" + ", ".join(["web"] * 100000) + "], networks: { public: 198.18.6.3 } }\n")
put("100k-site-names", head.replace("networks:", "site: { names: [" + ", ".join(f"s{i}" for i in range(100000)) + "] }\nnetworks:") + "hosts:\n  w: { roles: [web], networks: { public: 198.18.6.3 } }\n")
put("100k-galera-members", head + "hosts:\n" + hosts(3, "web, app, db")
    + "database: { topology: galera, members: [" + ", ".join(f"h{i % 3}" for i in range(100000)) + "] }\n")
put("10000-char-name", head + "hosts:\n  " + "h" * 10000 + ": { roles: [web], networks: { public: 198.18.6.3 } }\n")
put("deep-nesting", head + "hosts: " + "[" * 5000 + "]" * 5000 + "\n")
put("deeper-nesting", "x: " + "[" * 400000 + "]" * 400000 + "\n")
put("alias-bomb", head + "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{chr(98+i)}: &{chr(98+i)} [" + ",".join([f"*{chr(97+i)}"] * 9) + "]\n" for i in range(9)) + "hosts: *j\n")
put("million-digit-number", "lab: " + "9" * 1000000 + "\n")
put("200k-yes", "x: [" + "yes, " * 200000 + "]\n")
put("120k-keys", "".join("k%d: 1\n" % i for i in range(120000)))
put("one-mib-line", "lab: x\n# " + "x" * (1024 * 1024 - 20) + "\n")
put("over-one-mib", "lab: x\n# " + "x" * (1024 * 1024 + 10) + "\n")
# The files a topology names (tls.mode: files).
os.mkfifo(f"{work}/fifo")
with open(f"{work}/sparse.pem", "wb") as f:
    f.truncate(8 << 30)
open(f"{work}/key.pem", "w").write("x")
open(f"{work}/random.pem", "wb").write(os.urandom(200000))
open(f"{work}/nested.pem", "w").write("-----BEGIN CERTIFICATE-----\n" + base64.encodebytes(bytes([0x30, 0x80]) * 90000).decode() + "-----END CERTIFICATE-----\n")
base = "lab: hb\ndomain: foobar.com\nnetworks: { public: { cidr: 198.18.0.0/24 } }\nhosts:\n  web1: { roles: [web], networks: { public: 198.18.0.21 } }\n"
for name, cert in [("fifo", f"{work}/fifo"), ("dev-zero", "/dev/zero"), ("dev-urandom", "/dev/urandom"),
                   ("8-gib-sparse", f"{work}/sparse.pem"), ("random-bytes", f"{work}/random.pem"),
                   ("nested-der", f"{work}/nested.pem"), ("proc-environ", "/proc/self/environ"), ("directory", work)]:
    put(f"cert-{name}", base + f'tls: {{ mode: files, cert: "{cert}", key: "{work}/key.pem" }}\n')
EOF

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-32s %4s %8s %8s %7s %-5s %s\n' case exit elapsed cpu peak trace first-line
for f in /dev/zero "$work/fifo" "$work"/*.yaml; do
  name="$(basename "$f" .yaml)"
  /usr/bin/time -o "$work/time" -f '%e %U %S %M' timeout 60 "${run[@]}" "$f" >"$work/out" 2>&1
  rc=$?
  read -r el us sy kb < <(tail -n 1 "$work/time")
  trace=no
  grep -qE '^\s+at [a-zA-Z]|Exception|Error:' "$work/out" && trace=YES
  printf '%-32s %4s %7ss %7.2fs %5dMB %-5s %s\n' "$name" "$rc" "$el" "$(echo "$us + $sy" | bc)" \
    "$((kb / 1024))" "$trace" "$(head -1 "$work/out" | sed "s#$work/##g" | cut -c1-90)"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
