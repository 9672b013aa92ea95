#!/usr/bin/env bash
# Runs every suite and adds up their "ok - " / "not ok - " lines. The last
# line is "N passed, N failed, N skipped" (an "ok - NAME # SKIP why" line
# is a skip, not a pass). Suites: the library check, gcc's static
# analyzer, the unit tests (plain and under ASan+UBSan), the end-to-end
# tests of the tool against the mock server (plain and sanitized builds),
# the hostile server, the ports (POSIX, lwIP, TLS), the boards check, fuzz,
# valgrind, coverage and the contract tests against Prism serving the
# OpenAPI document.
set -uo pipefail
cd "$(dirname "$0")/.."
log=build/test.log
mkdir -p build
: > "$log"

# A suite that exits non-zero without a "not ok" line of its own (killed
# by a signal, a sanitizer's abort, a script that stopped early) gets one:
# the cases it did not report must not count as passed.
# Without a terminal (CI), a suite that hangs is ended after SUITE_LIMIT
# seconds (its whole process group) and the rest still run; at a terminal
# there is no limit, as timeout(1) would take the suite out of the
# foreground and Ctrl-C would no longer reach it.
SUITE_LIMIT=${SUITE_LIMIT:-1200}
limit=()
if [ ! -t 0 ] && command -v timeout >/dev/null 2>&1; then
    limit=(timeout -k 10 "$SUITE_LIMIT")
fi
run() { # name, command...
    local name=$1 rc before; shift
    echo "== $name" | tee -a "$log"
    before=$(grep -c '^not ok - ' "$log")
    "${limit[@]}" "$@" 2>&1 | tee -a "$log" | grep -E '^(not ok|ok) - |^# |^== '
    rc=${PIPESTATUS[0]}
    if [ "$rc" -eq 124 ] && [ ${#limit[@]} -gt 0 ]; then
        echo "not ok - $name: still running after $SUITE_LIMIT s, ended" | tee -a "$log"
    elif [ "$rc" -ne 0 ] && [ "$(grep -c '^not ok - ' "$log")" -eq "$before" ]; then
        echo "not ok - $name: exit status $rc, no \"not ok\" line" | tee -a "$log"
    fi
    return 0
}

run "library check" scripts/check_lib.sh build/host/src/*.o
run "static analysis (gcc -fanalyzer: library, ports, tool)" make -s --no-print-directory analyze
# the unit-test builds: folder, then the label of its runs
for build in "unit:unit" "asan:unit+asan" \
             "bytewise:unit+asan, word scans byte by byte" \
             "small:unit+asan, smallest configuration"; do
    for t in "build/${build%%:*}"/test_*; do
        # a binary left from a test since removed or renamed is not run
        [ -f "tests/unit/$(basename "$t").c" ] || continue
        [ -x "$t" ] && run "${build#*:} $(basename "$t")" "$t"
    done
done
run "jsondiff (the JSON reader against Python's json, ASan+UBSan)" \
    python3 tests/jsondiff/json_diff.py build/asan/json_diff
run "example (1 KiB buffer)" tests/example.sh build/host/run_and_wait
run "webhooks" tests/integration/webhooks.sh build/host/webhook_run
run "e2e" env E2E_POLLS3_BACT=build/polls3/bact tests/e2e/run.sh build/host/bact
run "e2e+asan" tests/e2e/run.sh build/asan/bact
run "e2e under valgrind (memcheck: errors, definite leaks)" \
    tests/valgrind/run.sh build/host/bact
run "hostile" tests/hostile/run.sh build/host/bact
run "hostile, answer heads byte by byte (BACT_CONFIG_FAST_HEAD 0)" \
    tests/hostile/run.sh build/bytehead/bact
run "hostile+asan" tests/hostile/run.sh build/asan/bact
run "posix transport (loopback sockets: 127.0.0.1, ::1)" build/host/posix_test
run "posix transport+asan" build/asan/posix_test
run "lwip (in-process lwIP stack)" tests/lwip/run.sh build/boards/host-lwip/lwip_test
run "lwip-dns (lwIP from its source: resolver, select)" \
    tests/lwip/run.sh build/boards/host-lwip-dns/lwip_test
run "lwip-v4 (that lwIP without IPv6)" \
    tests/lwip/run.sh build/boards/host-lwip-v4/lwip_test
run "clang (library, ports, tool and unit tests: the same warnings as errors)" \
    make -s --no-print-directory check-clang
run "boards check (cross objects: no heap/printf/assert/float/64-bit division, no .data/.bss)" \
    make -s --no-print-directory check-boards
run "tls (mbedTLS 2.28, 3.6, 3.6 with TLS 1.3)" \
    tests/tls/run.sh build/host/bact build/host36/bact build/host36-13/bact
run "tls+asan" tests/tls/run.sh build/asan/bact
run "tls without a real-time clock, sessions across deep sleep (2.28)" tests/tls/no_rtc.sh build/host/no_rtc
run "tls without a real-time clock, sessions across deep sleep (3.6 device config)" \
    tests/tls/no_rtc.sh build/host36/no_rtc .m36
run "fuzz (a short pass of each libFuzzer harness)" \
    env FUZZ_BUILD=build/fuzz tests/fuzz/run.sh --runs 20000 --seconds 15 http json url args
run "contract" tests/contract/run.sh build/host/bact

run "coverage (src/: unit + e2e + example + webhooks)" \
    tests/coverage/run.sh

# A check a suite skipped ("ok - NAME # SKIP why") did not pass: it is
# counted and listed apart.
pass=$(grep '^ok - ' "$log" | grep -vc ' # SKIP')
skip=$(grep '^ok - ' "$log" | grep -c ' # SKIP')
fail=$(grep -c '^not ok - ' "$log")
if [ "$skip" -gt 0 ]; then
    echo "skipped:"
    grep '^ok - ' "$log" | grep ' # SKIP'
fi
if [ "$fail" -gt 0 ]; then
    echo "failures:"
    grep '^not ok - ' "$log"
fi
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
