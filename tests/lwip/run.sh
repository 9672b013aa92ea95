#!/usr/bin/env bash
# The lwIP host test: the bact client over lwIP sockets (Debian's liblwip,
# or lwIP built from its source with a resolver; in-process loopback),
# plain and over TLS. Makes a throwaway PKI with the
# openssl CLI (an ECDSA P-256 root and a leaf for 127.0.0.1/localhost, and
# a second root that vouches for nothing), then runs the test binary.
#
#   tests/lwip/run.sh BINARY [WORKDIR]   (PKI in a fresh folder under
#                                         WORKDIR, removed afterwards)
#
# Output: one "ok - lwip.NAME" / "not ok - lwip.NAME: why" line per check
# (lwip-dns.NAME for the build from source, lwip-v4.NAME for it without
# IPv6).
set -uo pipefail
bin=${1:?usage: run.sh BINARY [WORKDIR]}
# the checks' prefix, as the binary prints it: lwip (build/boards/host-lwip),
# lwip-dns (build/boards/host-lwip-dns: lwIP from its source, a resolver),
# lwip-v4 (build/boards/host-lwip-v4: the same without IPv6)
tag=$(basename "$(dirname "$bin")")
tag=${tag#host-}
work=${2:-$(dirname "$bin")}
mkdir -p "$work"
dir=$(mktemp -d "$work/pki.XXXXXX")
trap 'rm -rf "$dir"' EXIT

make_pki() {
    local d=$1
    openssl ecparam -name prime256v1 -genkey -noout -out "$d/root.key" &&
    openssl req -x509 -new -key "$d/root.key" -sha256 -days 30 \
        -subj "/CN=bact lwIP test root" -out "$d/root.pem" &&
    openssl ecparam -name prime256v1 -genkey -noout -out "$d/leaf.key" &&
    openssl req -new -key "$d/leaf.key" -subj "/CN=127.0.0.1" \
        -out "$d/leaf.csr" &&
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n' \
        > "$d/leaf.ext" &&
    openssl x509 -req -in "$d/leaf.csr" -CA "$d/root.pem" -CAkey "$d/root.key" \
        -CAcreateserial -days 30 -sha256 -extfile "$d/leaf.ext" \
        -out "$d/leaf.pem" &&
    openssl ecparam -name prime256v1 -genkey -noout -out "$d/other.key" &&
    openssl req -x509 -new -key "$d/other.key" -sha256 -days 30 \
        -subj "/CN=bact lwIP untrusted root" -out "$d/other-root.pem"
}

# fresh certificates each run (they are cheap: EC keys)
if ! make_pki "$dir" >"$dir/openssl.log" 2>&1; then
    echo "not ok - $tag.pki: openssl failed: $(tail -n 3 "$dir/openssl.log" | tr '\n' ' ')"
    tls=
else
    tls=$dir
fi
if [ ! -x "$bin" ]; then
    echo "not ok - $tag.build: $bin missing"
    exit 1
fi
if [ -n "$tls" ]; then
    timeout 150 "$bin" "$tls"
else
    timeout 150 "$bin"
fi
rc=$?
[ $rc -eq 124 ] && echo "not ok - $tag.finished: timed out"
[ -z "$tls" ] && rc=1
exit $rc
