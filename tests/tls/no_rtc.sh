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
srv=
trap '[ -n "$mock" ] && kill $mock 2>/dev/null; [ -n "$srv" ] && kill $srv 2>/dev/null
      wait 2>/dev/null; rm -rf "$tmp"' EXIT
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
# a time before 1970 is a time (only -1 says "unknown"): not a pass
check clock-before-1970-fails-not-yet-valid '^tls .*not valid yet' "$base" "$pki/ec-root.pem" at:-86400
check clock-in-2100-fails-expired '^tls .*expired' "$base" "$pki/ec-root.pem" future
check no-clock-untrusted-ca-still-refused '^tls .*not trusted' "$base" "$pki/evil-root.pem" none
check failed-handshake-closes-its-stream '^tls .* stream=closed$' "$base" "$pki/evil-root.pem" real
# the dates to the second, from a clock set to the leaf's notAfter: valid
# then, expired a second later; and a 15 February after it is read in its
# own year (expired), not the year before
end=$(date -u -d "$(openssl x509 -in "$pki/ec-leaf.pem" -noout -enddate | cut -d= -f2)" +%s)
feb=$(date -u -d "$(( $(date -u -d "@$end" +%Y) + 1 ))-02-15" +%s)
check clock-at-leaf-not-after-still-valid '^ok dates_checked=1 ' "$base" "$pki/ec-root.pem" "at:$end"
check clock-a-second-later-expired '^tls .*expired' "$base" "$pki/ec-root.pem" "at:$((end + 1))"
check clock-in-february-after-not-after-expired '^tls .*expired' "$base" "$pki/ec-root.pem" "at:$feb"
# a session kept in "retention RAM" across a full reset of the TLS state
check session-survives-deep-sleep '^ok saved=[0-9]+ handshakes=1 resumed=1$' "$base" "$pki/ec-root.pem" sleep
if [ -n "$tag" ]; then # the device configuration keeps no peer certificate
    check session-fits-320-bytes '^ok saved=([0-9]|[0-9][0-9]|[12][0-9][0-9]|3[01][0-9]|320) ' \
        "$base" "$pki/ec-root.pem" sleep
fi
# a clock in January is read in its own year (not as a thirteenth month
# of the year before): between a leaf's January dates it is valid
start "$pki/january-chain.pem" "$pki/january-leaf.key"
check clock-in-january-within-january-dates '^ok dates_checked=1 ' \
    "$base" "$pki/ec-root.pem" "at:$(date -u -d 2030-01-15 +%s)"
# ... and its hours are whole hours of the day: a second before the noon
# that ends it, the leaf is still valid
check clock-a-second-before-noon-not-after-valid '^ok dates_checked=1 ' \
    "$base" "$pki/ec-root.pem" "at:$(date -u -d '2030-01-20 11:59:59' +%s)"
start "$pki/wrongname-chain.pem" "$pki/wrongname-leaf.key"
check no-clock-wrong-name-still-refused '^tls .*host name' "$base" "$pki/ec-root.pem" none
# "127.0.0.010" is 127.0.0.8 to the resolver (octal), so a leaf for
# 127.0.0.10 is not its certificate (both reached at 127.0.0.1 here). The
# client refuses such a base URL at init; the transport, given the host
# alone, must not take it for 127.0.0.10 either
start "$pki/zeroip-chain.pem" "$pki/zeroip-leaf.key"
check ip-literal-leading-zero-refused-at-init '^error init$' \
    "https://127.0.0.010:${base##*:}" "$pki/ec-root.pem" loopback
check ip-literal-leading-zero-not-read-as-decimal '^tls .*host name' \
    "127.0.0.010:${base##*:}" "$pki/ec-root.pem" direct
check ip-literal-control-direct '^ok dates_checked=1$' \
    "127.0.0.10:${base##*:}" "$pki/ec-root.pem" direct
check ip-literal-control '^ok dates_checked=1 regions=4$' \
    "https://127.0.0.10:${base##*:}" "$pki/ec-root.pem" loopback
# The resolver reads "127.1" and "0x7f.0.0.1" as 127.0.0.1 (inet_aton()),
# so the transport checks them as that address: the ec leaf's IP:127.0.0.1
# matches, with no SNI; a part too large, or "0x" without a digit, makes a
# name, checked as one (and refused: the leaf names no such host)
start "$pki/ec-chain.pem" "$pki/ec-leaf.key"
check ip-literal-short-form-is-the-address '^ok dates_checked=1$' \
    "127.1:${base##*:}" "$pki/ec-root.pem" direct
check ip-literal-hex-form-is-the-address '^ok dates_checked=1$' \
    "0x7f.0.0.1:${base##*:}" "$pki/ec-root.pem" direct
check ip-literal-one-part-is-the-address '^ok dates_checked=1$' \
    "2130706433:${base##*:}" "$pki/ec-root.pem" direct
check ip-literal-short-form-other-address '^tls .*host name' \
    "127.2:${base##*:}" "$pki/ec-root.pem" direct
check ip-literal-part-too-large-is-a-name '^tls .*host name' \
    "127.0.0.256:${base##*:}" "$pki/ec-root.pem" direct
check ip-literal-bare-0x-is-a-name '^tls .*host name' \
    "0x.0.0.1:${base##*:}" "$pki/ec-root.pem" direct
for h in 0177.1 0X7F.0x0.0.01 127.0.0x1 127.0.00.1; do
    check "ip-literal-$h-is-127.0.0.1" '^ok dates_checked=1$' \
        "$h:${base##*:}" "$pki/ec-root.pem" direct
done
for h in 127.0.0.1. 127.0.0.0.1 127..1 4294967296 0x100000000 127.0.0.08 \
    0x7f.0.0.1g 127.16777216 127.0.65536; do
    check "ip-literal-$h-is-a-name" '^tls .*host name' \
        "$h:${base##*:}" "$pki/ec-root.pem" direct
done
# An absolute name is the same host: its trailing dot goes neither to SNI
# (RFC 6066 3) nor to the name check, so the leaf's DNS:localhost matches
# "localhost."; one dot only ("localhost.." matches nothing), and never one
# that leaves an address ("127.0.0.1." above is a name)
check name-with-trailing-dot-is-the-name '^ok dates_checked=1$' \
    "localhost.:${base##*:}" "$pki/ec-root.pem" direct
check name-with-two-trailing-dots-refused '^tls .*host name' \
    "localhost..:${base##*:}" "$pki/ec-root.pem" direct
# a name of one byte is a name like any other (checked, and refused here)
check one-byte-name-is-a-name '^tls .*host name' \
    "b:${base##*:}" "$pki/ec-root.pem" direct
# An IPv6 host is read as inet_pton() reads it: all eight groups spelled
# out are the address (the ip6 leaf's IP:::1), and a single colon at the
# start is no "::" (":10:0:0:0:0:0:1" less its first two bytes would read
# as ::1), so that text is a name, checked as one
start "$pki/ip6-chain.pem" "$pki/ip6-leaf.key"
check ipv6-literal-eight-groups-is-the-address '^ok dates_checked=1$' \
    "0:0:0:0:0:0:0:1:${base##*:}" "$pki/ec-root.pem" direct
check ipv6-literal-one-leading-colon-is-a-name '^tls .*host name' \
    ":10:0:0:0:0:0:1:${base##*:}" "$pki/ec-root.pem" direct
start "$pki/expired-chain.pem" "$pki/expired-leaf.key"
check no-clock-expired-cert-connects-dates-unchecked '^ok dates_checked=0' "$base" "$pki/ec-root.pem" none
check real-clock-expired-cert-refused '^tls .*expired' "$base" "$pki/ec-root.pem" real

# A peer that trickles its handshake (a byte just before each timeout):
# open() ends at the 4 x timeout the port promises, not before (every byte
# restarts the 1 s window: virtual time), and without spinning on reads
# that may no longer wait once that time is up
check handshake-within-4x-timeout-while-trickled '^ok .*timed out after 4000 ms' \
    - "$pki/ec-root.pem" trickle
# A silent peer behind waits that end early (300 ms): open() still ends
# at its timeout, neither later nor by spinning (virtual time)
check handshake-timeout-with-early-waits '^ok .*timed out' \
    - "$pki/ec-root.pem" early
check no-clock-handshake-two-idle-waits '^ok .*timed out' \
    - "$pki/ec-root.pem" silent
# the TCP connect's own outcome comes through, not a TLS error
check inner-open-timeout-passed-on '^ok timed out' - "$pki/ec-root.pem" inner-timeout

# No monotonic clock either: only inner calls bound the waits. A peer that
# keeps sending warning alerts (in the handshake, in clear; after it,
# encrypted, one every 100 ms) must not hold a call beyond that bound.
start "$pki/ec-chain.pem" "$pki/ec-leaf.key"
check no-monotonic-clock-connects '^ok dates_checked=1 regions=4$' "$base" "$pki/ec-root.pem" noclock
python3 tests/tls/tls_servers.py "$pki" >"$tmp/servers" 2>/dev/null &
srv=$!
for _ in $(seq 200); do grep -q '^trickle ' "$tmp/servers" 2>/dev/null && break; sleep 0.05; done
port_of() { awk -v n="$1" '$1 == n { print $2 }' "$tmp/servers"; }
# A session is resumed with its host and port only (two ports of one
# server, which would resume it; "localhost" and "127.0.0.1", both 9 bytes)
p1=$(port_of cl-short-noclose) p2=$(port_of cl-short-notify)
check session-resumed-same-host-and-port '^ok handshakes=2 resumed=1 dates_checked=1 stream=closed$' \
    "127.0.0.1:$p1" "$pki/ec-root.pem" again "127.0.0.1:$p1"
check session-not-resumed-other-port '^ok handshakes=2 resumed=0 ' \
    "127.0.0.1:$p1" "$pki/ec-root.pem" again "127.0.0.1:$p2"
check session-not-resumed-other-host '^ok handshakes=2 resumed=0 ' \
    "localhost:$p1" "$pki/ec-root.pem" again "127.0.0.1:$p1"
# ... and forgotten after a handshake that failed: the server's second
# connection gets a fatal alert for its ClientHello (which offered the
# session), so the third must be a full handshake (RFC 5246 7.2.2); its
# last alert is none (-1), not the one that ended the second
p3=$(port_of alternate)
check session-forgotten-after-failed-handshake \
    '^ok handshakes=2 resumed=0 dates_checked=1 stream=closed second=the server sent a fatal alert last_alert=-1$' \
    "127.0.0.1:$p3" "$pki/ec-root.pem" again "127.0.0.1:$p3" "127.0.0.1:$p3"
# A HelloRequest while the send buffer is full: mbedTLS's no_renegotiation
# alert is left to send, and the next send must not take finishing it for
# sending the request (which the server would then never get)
check pending-alert-not-taken-for-request-bytes '^ok second answered$' \
    "127.0.0.1:$(port_of hellorequest)" "$pki/ec-root.pem" hellorequest
# A clean close reads the same every time (bact_port.h): after the
# close_notify, three more reads (the server's FIN comes meanwhile) each
# return BACT_E_CLOSED again, not a truncation or "nothing yet" (the
# request's first byte goes by a send of its own, which must answer 1);
# after the caller's close() a read finds no stream (BACT_E_NET)
check close-notify-read-three-times \
    '^ok after close_notify: closed, closed, closed; after close: network error$' \
    "127.0.0.1:$(port_of eof-notify)" "$pki/ec-root.pem" closed
# An inner transport that moves one byte a call, each way: every record
# goes out and comes in piece by piece, the handshake and the request too
check inner-transport-a-byte-a-call '^ok handshake, request and answer a byte a call$' \
    "127.0.0.1:$(port_of eof-notify)" "$pki/ec-root.pem" bytewise
# A send that answered "nothing yet" left most of its record unsent; the
# close() after it finishes that record and still sends a close_notify
# (mbedTLS's close_notify only finishes what is pending, when anything is)
check close-after-pending-record-sends-close-notify \
    '^ok close sent [0-9]+, [0-9]+ \(an alert record\)$' \
    "127.0.0.1:$(port_of closewatch-keep)" "$pki/ec-root.pem" closeflush
# ... also when a single byte of that record was left
check close-after-one-pending-byte-sends-close-notify \
    '^ok close sent 1, [0-9]+ \(an alert record\)$' \
    "127.0.0.1:$(port_of closewatch-keep)" "$pki/ec-root.pem" closeflush1
# A send that answered "nothing yet" had its record begun; offered the
# same bytes and more next, it reports only what its record held, and the
# request arrives whole (mbedTLS itself would count all that was offered)
check send-retried-longer-counts-only-its-record \
    '^ok the retry took 10 bytes, answered$' \
    "127.0.0.1:$(port_of closewatch-keep)" "$pki/ec-root.pem" retrylonger
# ... and when a recv finished that record meanwhile (mbedTLS's answer to
# a HelloRequest flushes what is pending instead of its alert), the same
# bytes offered again are not sent a second time
check send-retried-after-recv-finished-its-record-not-sent-twice \
    '^ok one request, one answer$' \
    "127.0.0.1:$(port_of hellofirst)" "$pki/ec-root.pem" hellofirst
# A handshake that fails after the server's certificate was checked and
# passed (the client's second flight cannot be sent: the TCP send fails)
# fails for that, a stream closed in the handshake, not as a certificate
check handshake-failing-after-certificate-passed-not-a-certificate-error \
    '^tls connection closed during the handshake dates_checked=1$' \
    "127.0.0.1:$(port_of eof-notify)" "$pki/ec-root.pem" sendfail
# A TCP transport that answers a read of one byte with 2 (more than asked)
# is broken: the read it served is a network error, not bytes
check inner-read-answering-more-than-asked-is-network-error \
    '^ok a read without a wait whose inner read of one byte answered 2: network error$' \
    "127.0.0.1:$(port_of eof-notify)" "$pki/ec-root.pem" liar
# A read from a silent peer (no request sent) answers "nothing yet" after
# one inner read given its whole timeout: nothing moved, so it does not
# read on, with a clock (reads that could no longer wait) or without one
# (each would wait the timeout again)
check read-of-silent-peer-one-inner-read \
    '^ok with a clock: nothing yet after reads of 100 ms; without: nothing yet after reads of 100 ms$' \
    "127.0.0.1:$(port_of eof-notify)" "$pki/ec-root.pem" quietread
timed() { # name, limit in s, want regex, args
    local name=$1 limit=$2 want=$3 t0 ms out; shift 3
    t0=$(date +%s%N)
    out=$("$prog" "$@" 2>&1)
    ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    if ! echo "$out" | grep -Eq "$want"; then
        echo "not ok - no_rtc$tag.$name: got '$out', wanted /$want/"
    elif [ "$ms" -gt $((limit * 1000)) ]; then
        echo "not ok - no_rtc$tag.$name: took ${ms} ms, limit ${limit} s"
    else echo "ok - no_rtc$tag.$name"; fi
}
# the servers send for 15 s; without the bounds a run lasts that long
timed no-monotonic-clock-alert-flood-in-handshake 8 '^tls .*timed out' \
    "https://127.0.0.1:$(port_of alertflood)" "$pki/ec-root.pem" noclock
timed no-monotonic-clock-alert-trickle-after-handshake 8 '^error ' \
    "https://127.0.0.1:$(port_of trickle)" "$pki/ec-root.pem" noclock
# The clocked limit of a send: a server that stops reading after the
# handshake (a small receive buffer), the client's send buffer small too;
# sends of 16 KiB with a 500 ms timeout for 3 s each end at their timeout,
# neither later (no hang while the buffers are full) nor at once. And the
# same while the server takes what has come every 0.7 s: sends that moved
# bytes still end when their time is up. The servers hold on for 15 s.
timed send-ends-at-its-timeout-peer-not-reading 8 '^ok .* said nothing yet' \
    "127.0.0.1:$(port_of noread)" "$pki/ec-root.pem" send
timed send-ends-at-its-timeout-while-bytes-move 8 '^ok .* [1-9][0-9]* of them moving bytes' \
    "127.0.0.1:$(port_of slowread)" "$pki/ec-root.pem" send
