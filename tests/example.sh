#!/usr/bin/env bash
# The README's C example with a 1 KiB buffer and 32 tokens, against the
# mock: it must run a task, follow its status changes and see it finish.
set -uo pipefail
cd "$(dirname "$0")/.."
ex=${1:-build/host/run_and_wait}
tmp=$(mktemp -d)
mock=
trap '[ -n "$mock" ] && kill $mock 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
python3 tests/mock/mock_server.py --port 0 --port-file "$tmp/port" \
    --api-key ex-key --created-ms 100 --run-ms 300 2>"$tmp/mock.log" &
mock=$!
for _ in $(seq 200); do [ -s "$tmp/port" ] && break; sleep 0.05; done
export BROWSERACT_BASE_URL="http://127.0.0.1:$(cat "$tmp/port")" BROWSERACT_API_KEY=ex-key

check() { # name, expected exit, expected stdout regex, expected stderr regex, args...
    local name=$1 want=$2 out_re=$3 err_re=$4; shift 4
    "$ex" "$@" >"$tmp/out" 2>"$tmp/err"; local rc=$?
    if [ $rc -ne "$want" ]; then echo "not ok - example.$name: exit $rc, wanted $want: $(tr '\n' ' ' <"$tmp/err")"
    elif { [ "$out_re" = EMPTY ] && [ -s "$tmp/out" ]; } ||
         { [ "$out_re" != EMPTY ] && ! grep -Eq "$out_re" "$tmp/out"; }; then echo "not ok - example.$name: stdout: $(tr '\n' ' ' <"$tmp/out")"
    elif ! tr '\n' ' ' <"$tmp/err" | grep -Eq "$err_re"; then echo "not ok - example.$name: stderr: $(tr '\n' ' ' <"$tmp/err")"
    else echo "ok - example.$name"; fi
}
check finishes 0 '^final status: finished$' 'status: created status: running status: finished' \
    16217357109956214 'query=coffee "beans"'
check fails 1 '^final status: failed$' 'status: running status: failed' 16305518823741902 q=x
check unknown-workflow 1 EMPTY 'API error .*HTTP 400' 99999999999999999 q=x
BROWSERACT_API_KEY=wrong check bad-key 1 EMPTY 'HTTP 401' 16217357109956214 q=x
