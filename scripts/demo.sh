#!/usr/bin/env bash
# make demo: start the mock BrowserAct server over HTTPS (a CA generated
# here, an ECDSA chain for 127.0.0.1) on a free loopback port, run a
# workflow with a parameter and wait for it, showing each status change and
# the task's output, then stop the mock. Nothing leaves the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
mock=
cleanup() {
    [ -n "$mock" ] && kill "$mock" 2>/dev/null && wait "$mock" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
pki=build/demo-pki
tests/tls/gen_pki.sh "$pki" >/dev/null
python3 tests/mock/mock_server.py --port 0 --port-file "$tmp/port" \
    --api-key demo-key --created-ms 800 --run-ms 2500 \
    --tls-cert "$pki/ec-chain.pem" --tls-key "$pki/ec-leaf.key" 2>"$tmp/mock.log" &
mock=$!
for _ in $(seq 200); do [ -s "$tmp/port" ] && break; sleep 0.05; done
[ -s "$tmp/port" ] || { echo "demo: the mock server did not start" >&2; cat "$tmp/mock.log" >&2; exit 1; }
export BROWSERACT_BASE_URL="https://127.0.0.1:$(cat "$tmp/port")"
export BROWSERACT_API_KEY=demo-key
bact="build/host/bact --ca-file $pki/ec-root.pem"

if [ -t 1 ]; then b=$'\033[1m' n=$'\033[0m'; else b= n=; fi
say() { printf '\n%s$ %s%s\n' "$b" "$*" "$n"; }
say "bact --ca-file $pki/ec-root.pem workflows    # the mock at $BROWSERACT_BASE_URL"
$bact workflows
say "bact -v status 16429034742537847    # no such task yet: the API's error, and the TLS handshake"
$bact -v status 16429034742537847 || true
say "bact workflow 16217357109956214"
$bact workflow 16217357109956214
say "bact run 16217357109956214 -p 'query=coffee beans' --wait --interval 0.5"
$bact run 16217357109956214 -p 'query=coffee beans' --wait --interval 0.5
say "bact tasks --limit 5"
$bact tasks --limit 5
echo
echo "demo: done (the mock server is stopped now)"
