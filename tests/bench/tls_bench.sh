#!/usr/bin/env bash
# The TLS memory benchmark: runs tls_heap (tests/bench/tls_heap.c) against
# the mock server over TLS on 127.0.0.1, once per mbedTLS build and chain,
# and writes the table to OUT/tls-bench.md (and prints it).
#
#   tests/bench/tls_bench.sh --m36 BIN --deb BIN [--out DIR] [--requests N]
#                            [--polls M] [--log-big BYTES]
#
#   --m36 BIN   tls_heap linked with mbedTLS 3.6, Tier A + host additions
#               (the minimal configuration the goals are about)
#   --deb BIN   tls_heap linked with Debian's mbedTLS 2.28 .so (contrast)
#   --out DIR   build folder (default build): the PKI goes to DIR/bench-pki,
#               logs to DIR/tls-bench/, the table to DIR/tls-bench.md
#   --requests  polls on the kept-alive connection (default 20)
#   --polls     polls that each reconnect (default 50)
#   --log-big   list blocks of this size or more, and what is live at the
#               peak by call site, in the logs (default 1024; 0: off)
#
# Chains (tests/tls/gen_pki.sh): "ec" = ECDSA P-256 leaf + P-256
# intermediate, P-256 root; "rsa" = RSA-2048 leaf + RSA-2048 intermediate,
# RSA-4096 root. The trust anchor is given to the port as DER
# (bact_tls_config.ca/ca_len), the device path. Everything listens on
# 127.0.0.1 only; the mock is stopped on exit. Exit status: 0 when every
# goal is met, 3 when a goal is missed, 1 on a failure to measure.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
m36= deb= out=build requests=20 polls=50 log_big=1024
while [ $# -gt 0 ]; do
    case $1 in
        --m36) m36=$2; shift 2 ;;
        --deb) deb=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        --requests) requests=$2; shift 2 ;;
        --polls) polls=$2; shift 2 ;;
        --log-big) log_big=$2; shift 2 ;;
        *) echo "usage: $0 --m36 BIN --deb BIN [--out DIR] [--requests N] [--polls M] [--log-big B]" >&2
           exit 2 ;;
    esac
done
[ -n "$m36" ] && [ -n "$deb" ] || { echo "tls_bench: --m36 and --deb are needed" >&2; exit 2; }
for t in python3 openssl; do
    command -v "$t" >/dev/null 2>&1 || { echo "tls_bench: $t not found" >&2; exit 1; }
done
# the interpreter itself: a version-manager shim (pyenv) costs ~0.7 s a run
py=$(python3 -c 'import sys; print(sys.executable)')

# Loopback only: no proxy may divert anything.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
export no_proxy='*' NO_PROXY='*'

pki=$out/bench-pki
logs=$out/tls-bench
md=$out/tls-bench.md
mkdir -p "$logs"

"$root/tests/tls/gen_pki.sh" "$pki"
for c in ec rsa; do
    if [ ! -s "$pki/$c-root.der" ] || [ "$pki/$c-root.pem" -nt "$pki/$c-root.der" ]; then
        openssl x509 -in "$pki/$c-root.pem" -outform DER -out "$pki/$c-root.der"
    fi
done

mock_pid=
run_pid=
stop_mock() {
    if [ -n "$mock_pid" ]; then
        kill "$mock_pid" 2>/dev/null || true
        wait "$mock_pid" 2>/dev/null || true
        mock_pid=
    fi
}
stop_all() {
    if [ -n "$run_pid" ]; then
        kill "$run_pid" 2>/dev/null || true
        wait "$run_pid" 2>/dev/null || true
        run_pid=
    fi
    stop_mock
}
trap stop_all EXIT
trap 'stop_all; exit 130' INT TERM

# api PORT CA METHOD PATH BODY: one HTTPS request to the mock, prints the
# JSON answer.
api() {
    "$py" - "$@" <<'EOF'
import json, ssl, sys, urllib.request
port, ca, method, path, body = sys.argv[1:6]
ctx = ssl.create_default_context(cafile=ca)
rq = urllib.request.Request("https://127.0.0.1:%s%s" % (port, path),
                            data=body.encode(), method=method,
                            headers={"Authorization": "Bearer test-key",
                                     "Content-Type": "application/json"})
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}),
                                     urllib.request.HTTPSHandler(context=ctx))
print(opener.open(rq, timeout=10).read().decode())
EOF
}

start_mock() { # chain
    local pf=$logs/mock-$1.port i
    rm -f "$pf"
    # the task stays "running" for the whole run: every poll gets the same
    # answer (same size on the wire)
    "$py" "$root/tests/mock/mock_server.py" --port 0 --port-file "$pf" \
        --created-ms 0 --run-ms 86400000 \
        --tls-cert "$pki/$1-chain.pem" --tls-key "$pki/$1-leaf.key" \
        2>"$logs/mock-$1.log" &
    mock_pid=$!
    for i in $(seq 100); do
        [ -s "$pf" ] && break
        kill -0 "$mock_pid" 2>/dev/null || { echo "tls_bench: the mock died" >&2; cat "$logs/mock-$1.log" >&2; exit 1; }
        sleep 0.1
    done
    [ -s "$pf" ] || { echo "tls_bench: the mock did not start" >&2; exit 1; }
    port=$(cat "$pf")
}

rows_main=()
rows_detail=()
versions=()
rc_all=0
t0=$SECONDS

for chain in ec rsa; do
    case $chain in
        ec) goal=28000; cname="ECDSA P-256 chain" ;;
        rsa) goal=40000; cname="RSA chain, RSA-4096 root" ;;
    esac
    start_mock "$chain"
    task=$(api "$port" "$pki/$chain-root.pem" POST /v2/workflow/run-task \
           '{"workflow_id":"16217357109956214"}' |
           "$py" -c 'import json,sys; print(json.load(sys.stdin)["id"])')
    for build in m36 deb; do
        if [ $build = m36 ]; then bin=$m36 bname="3.6 Tier A"; extra=()
        else bin=$deb bname="2.28 Debian .so"; extra=(--contrast); fi
        # each run starts against a keep-alive server
        api "$port" "$pki/$chain-root.pem" POST /_mock/config '{"close":false}' >/dev/null
        log=$logs/$build-$chain.log
        # in the background, so that a signal stops the run at once
        "$bin" --url "https://127.0.0.1:$port" --ca-der "$pki/$chain-root.der" \
            --task "$task" --requests "$requests" --polls "$polls" \
            --label "$bname · $cname" --goal-peak "$goal" --log-big "$log_big" \
            "${extra[@]}" >"$logs/$build-$chain.out" 2>"$log" &
        run_pid=$!
        rc=0
        wait "$run_pid" || rc=$?
        run_pid=
        if [ $rc -ne 0 ] && [ $rc -ne 3 ]; then
            echo "tls_bench: $bin ($chain) failed (exit $rc):" >&2
            cat "$log" >&2
            exit 1
        fi
        [ $rc -eq 3 ] && rc_all=3
        rows_main+=("$(sed -n 's/^MAIN|/|/p' "$logs/$build-$chain.out")")
        rows_detail+=("$(sed -n 's/^DETAIL|/|/p' "$logs/$build-$chain.out")")
        if [ "$chain" = ec ]; then
            versions+=("$bname: $(sed -n '1s/.*mbedTLS \([^,]*\),.*sizeof(bact_tls) \([0-9]*\).*/mbedTLS \1 (sizeof(bact_tls) \2 B, static)/p' "$log")")
        fi
    done
    stop_mock
done
elapsed=$((SECONDS - t0))

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
{
    echo "# TLS memory benchmark"
    echo
    echo "\`make tls-bench\` ($(date -u +%Y-%m-%dT%H:%MZ), ${elapsed} s). Heap = bytes requested from calloc by mbedTLS"
    echo "(calloc/free interposition in the executable; allocator overhead excluded), counted from"
    echo "before \`bact_tls_init\`: trust anchor, DRBG, config, the record buffers allocated by"
    echo "\`mbedtls_ssl_setup\`, handshake. Wire bytes are TLS records (no TCP/IP headers)."
    echo "Server: tests/mock/mock_server.py ($("$py" -c 'import platform, ssl; print("Python %s, %s" % (platform.python_version(), ssl.OPENSSL_VERSION))'))"
    echo "on 127.0.0.1, TLS 1.2 negotiated (both builds are TLS 1.2 clients). Request:"
    echo "\`bact_get_task_status\` through a \`bact_client\`. ${requests} polls on the kept-alive connection,"
    echo "then ${polls} polls with the server closing after each response (each one reconnects)."
    echo
    echo "Machine: $(uname -m), ${cpu:-unknown CPU}, $(nproc) cores, $(uname -sr), $(${CC:-cc} --version | head -1). x86-64 has 8-byte"
    echo "pointers: the struct parts come out a little larger than on Cortex-M (TLS-NOTES §8); the record"
    echo "buffers and bignums do not. Builds: $(IFS=';'; echo "${versions[*]}" | sed 's/;/; /g')."
    echo
    echo "| mbedTLS build · chain | peak heap, full handshake + 1 request (B) | heap held while idle (B) | allocs / request (keep-alive) | wire bytes, full handshake tx / rx | wire bytes, resumed handshake tx / rx | reconnecting polls: full + resumed, hit rate | goals |"
    echo "|---|---|---|---|---|---|---|---|"
    printf '%s\n' "${rows_main[@]}"
    echo
    echo "Goals (TLS-NOTES §7, 1 KB = 1000 B as there): peak ≤ 28 KB (ECDSA) / ≤ 40 KB (RSA-4096-rooted chain)"
    echo "with the minimal configuration (3.6 Tier A rows; the 2.28 rows are Debian's default config, for"
    echo "contrast); 0 allocations per request after the handshake; 1 full handshake per ticket lifetime"
    echo "(the whole run: 1 full handshake, then every reconnecting poll resumed)."
    echo
    echo "| mbedTLS build · chain | live after init (B) | peak by the end of the handshake alone (B) | peak − idle (B) | callocs, full handshake + request | callocs per resumed poll (max) | wire per poll, full tx / rx | wire per poll, resumed tx / rx (median) | peak heap, resumed poll (max, B) | TCP connections | live after \`bact_tls_free\` (B) |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|"
    printf '%s\n' "${rows_detail[@]}"
    echo
    echo "Logs (phases, blocks ≥ ${log_big} B, what is live at the peak by call site): \`$logs/\`."
} >"$md"
cat "$md"
exit $rc_all
