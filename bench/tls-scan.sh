#!/usr/bin/env bash
# Scans the lab site's TLS with an independent scanner (testssl.sh, Debian package testssl.sh), run
# inside the client host (which has no route out of the lab), trusting the lab CA.
# Debian's testssl.sh 3.0.8 has no letter grade (ratings came in 3.1); this prints its verdicts instead.
# usage: sudo bench/tls-scan.sh [LAB]      (a lab with tls, up; default: the current one)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
lab="${1:-$(cat /var/lib/webinfra/current)}"
command -v testssl >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends testssl.sh >/dev/null
vip=$("$here/webinfra" status --lab "$lab" --json | sed -n 's/.*"address" : "\([0-9.]*\)".*/\1/p' | tail -n 1)
site=$("$here/webinfra" status --lab "$lab" --json | sed -n 's/.*"url" : "https:\/\/\([^/]*\)\/".*/\1/p' | head -n 1)
[ -n "$site" ] || { echo "lab $lab does not serve HTTPS"; exit 1; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
start=$(date +%s)
"$here/webinfra" exec --lab "$lab" client -- testssl --quiet --color 0 --warnings off --add-ca "/var/lib/webinfra/$lab/ca.crt" \
  --ip "$vip" "https://$site/" > "$out" 2>&1 || true
echo "testssl $(testssl --version 2>/dev/null | grep -o '[0-9]\.[0-9]\.[0-9]*' | head -n 1) on https://$site/ ($vip), $(( $(date +%s) - start )) s:"
grep -E '^ (SSLv2|SSLv3|TLS 1(\.[0-3])?) ' "$out" | sed 's/^ /  /'
grep -E 'Strict Transport Security|Chain of trust|Trust \(hostname\)|Has server cipher order' "$out" | sed 's/^ */  /'
printf '  vulnerabilities flagged: %s\n' "$(grep -cE 'VULNERABLE' "$out" || true)"
printf '  other "NOT ok" lines:    %s\n' "$(grep -cE 'NOT ok' "$out" || true)"
grep -E 'NOT ok' "$out" | sed 's/^ */    /' || true
