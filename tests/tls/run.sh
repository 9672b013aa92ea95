#!/usr/bin/env bash
# TLS tests of the bact tool: https against the mock server (ECDSA and RSA
# chains), certificate and handshake failures, responses cut short after the
# handshake, session resumption, and nginx as a TLS-terminating proxy.
#
#   tests/tls/run.sh path/to/bact [path/to/bact...]
#   e.g. tests/tls/run.sh build/host/bact build/host36/bact
#
# Prints one line per check, "ok - tls.<binary>.<name>" or
# "not ok - tls.<binary>.<name>: why" (<binary>: the folder the binary is
# in), plus "# " comments, and exits 0 only when every check passed. The
# checks live in tls_test.py (Python 3, standard library only); the PKI is
# made by gen_pki.sh (openssl CLI). Everything listens on 127.0.0.1 only and
# every server started is stopped on exit. See README.md.
set -u
here=$(cd "$(dirname "$0")" && pwd)

if [ $# -eq 0 ]; then
    echo "not ok - tls.setup: usage: tests/tls/run.sh path/to/bact [path/to/bact...]"
    exit 1
fi
for t in python3 openssl; do
    if ! command -v "$t" >/dev/null 2>&1; then
        echo "not ok - tls.setup: $t not found"
        exit 1
    fi
done

# No proxy may divert anything away from loopback.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
export no_proxy='*' NO_PROXY='*'

exec python3 "$here/tls_test.py" "$@"
