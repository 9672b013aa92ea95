#!/usr/bin/env bash
# A device without a clock (port/mbedtls): with the time unknown the chain
# and the host name are still verified and the caller is told the dates
# were not; a clock stuck at 1970 or far ahead fails, never passes.
set -uo pipefail
cd "$(dirname "$0")/../.."
prog=${1:-build/host/no_rtc}
tag=${2:-}
pki=build/tls-pki
tests/tls/gen_pki.sh "$pki" >/dev/null
tmp=$(mktemp -d)
mock=
trap '[ -n "$mock" ] && kill $mock 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
start() { # chain key -> sets base
    [ -n "$mock" ] && kill $mock 2>/dev/null && wait $mock 2>/dev/null
    rm -f "$tmp/port"
    python3 tests/mock/mock_server.py --port 0 --port-file "$tmp/port" --api-key tls-key \
        --tls-cert "$1" --tls-key "$2" 2>"$tmp/mock.log" &
    mock=$!
    for _ in $(seq 200); do [ -s "$tmp/port" ] && break; sleep 0.05; done
    base="https://127.0.0.1:$(cat "$tmp/port")"
}
check() { # name, want regex, args
    local name=$1 want=$2 out; shift 2
    out=$("$prog" "$@" 2>&1)
    if echo "$out" | grep -Eq "$want"; then echo "ok - no_rtc$tag.$name"
    else echo "not ok - no_rtc$tag.$name: got '$out', wanted /$want/"; fi
}
start "$pki/ec-chain.pem" "$pki/ec-leaf.key"
check real-clock-dates-checked '^ok dates_checked=1 regions=4$' "$base" "$pki/ec-root.pem" real
check no-clock-still-connects-dates-unchecked '^ok dates_checked=0 regions=4$' "$base" "$pki/ec-root.pem" none
check clock-at-1970-fails-not-yet-valid '^tls .*not valid yet' "$base" "$pki/ec-root.pem" epoch0
check clock-in-2100-fails-expired '^tls .*expired' "$base" "$pki/ec-root.pem" future
check no-clock-untrusted-ca-still-refused '^tls .*not trusted' "$base" "$pki/evil-root.pem" none
# a session kept in "retention RAM" across a full reset of the TLS state
check session-survives-deep-sleep '^ok saved=[0-9]+ handshakes=1 resumed=1$' "$base" "$pki/ec-root.pem" sleep
if [ -n "$tag" ]; then # the device configuration keeps no peer certificate
    check session-fits-320-bytes '^ok saved=([0-9]|[0-9][0-9]|[12][0-9][0-9]|3[01][0-9]|320) ' \
        "$base" "$pki/ec-root.pem" sleep
fi
start "$pki/wrongname-chain.pem" "$pki/wrongname-leaf.key"
check no-clock-wrong-name-still-refused '^tls .*host name' "$base" "$pki/ec-root.pem" none
start "$pki/expired-chain.pem" "$pki/expired-leaf.key"
check no-clock-expired-cert-connects-dates-unchecked '^ok dates_checked=0' "$base" "$pki/ec-root.pem" none
check real-clock-expired-cert-refused '^tls .*expired' "$base" "$pki/ec-root.pem" real
