#!/usr/bin/env bash
# Runs `webinfra check` on hostile inputs and prints, for each, the exit code, the wall time, the
# peak memory (max RSS) and the first line it printed. check must stay under 5 s and 512 MB on every
# one and never print a stack trace. Usage: bench/hostile-check.sh (from the repository root).
set -u
cd "$(dirname "$0")/.."
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
base='lab: hb
domain: foobar.com
networks: { public: { cidr: 198.18.0.0/24 } }
hosts:
  web1: { roles: [web], networks: { public: 198.18.0.21 } }'
tlsfiles() { printf '%s\ntls: { mode: files, cert: "%s", key: "%s" }\n' "$base" "$1" "$2"; }
mkfifo "$d/fifo"
truncate -s 8G "$d/sparse.pem"
printf 'x' > "$d/key.pem"
head -c 200000 /dev/urandom > "$d/random.pem"
python3 - "$d" <<'PY'
import sys, base64
d = sys.argv[1]
der = bytes([0x30, 0x80]) * 90000
open(d + "/nested.pem", "w").write("-----BEGIN CERTIFICATE-----\n" + base64.encodebytes(der).decode() + "-----END CERTIFICATE-----\n")
laughs = "a: &a [" + ",".join(['"lol"'] * 9) + "]\n"
for i, c in enumerate("bcdefghij"):
    p = "abcdefghij"[i]
    laughs += c + ": &" + c + " [" + ",".join(["*" + p] * 9) + "]\n"
open(d + "/laughs.yaml", "w").write(laughs)
open(d + "/deep.yaml", "w").write("x: " + "[" * 400000 + "]" * 400000 + "\n")
open(d + "/digits.yaml", "w").write("lab: " + "9" * 1000000 + "\n")
open(d + "/yes.yaml", "w").write("x: [" + "yes, " * 200000 + "]\n")
open(d + "/keys.yaml", "w").write("".join("k%d: 1\n" % i for i in range(120000)))
PY
tlsfiles "$d/fifo" "$d/key.pem" > "$d/t-fifo.yaml"
tlsfiles /dev/zero "$d/key.pem" > "$d/t-zero.yaml"
tlsfiles /dev/urandom "$d/key.pem" > "$d/t-urandom.yaml"
tlsfiles "$d/sparse.pem" "$d/key.pem" > "$d/t-sparse.yaml"
tlsfiles "$d/random.pem" "$d/key.pem" > "$d/t-random.yaml"
tlsfiles "$d/nested.pem" "$d/key.pem" > "$d/t-nested.yaml"
tlsfiles /proc/self/environ "$d/key.pem" > "$d/t-proc.yaml"
tlsfiles "$d" "$d/key.pem" > "$d/t-dir.yaml"
./webinfra --help > /dev/null 2>&1 # build once, outside the timings
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-16s %4s %7s %8s  %s\n' case exit seconds maxRSS first-line
for c in /dev/zero "$d/fifo" "$d/laughs.yaml" "$d/deep.yaml" "$d/digits.yaml" "$d/yes.yaml" \
  "$d/keys.yaml" "$d"/t-*.yaml; do
  /usr/bin/time -f '%e %M' -o "$d/time" timeout 30 ./webinfra check "$c" > "$d/out" 2>&1
  rc=$?
  read -r secs kb < <(tail -1 "$d/time")
  trace=$(grep -c '^\s*at [a-z]' "$d/out")
  printf '%-16s %4s %7s %6sMB  %s%s\n' "$(basename "$c")" "$rc" "$secs" "$((kb / 1024))" \
    "$(head -c 150 "$d/out" | head -1 | sed "s#$d#D#g")" "$([ "$trace" -gt 0 ] && echo ' STACK TRACE')"
done
