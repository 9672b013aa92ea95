#!/usr/bin/env bash
# Line and branch coverage of src/*.c by the tests.
#
#   tests/coverage/run.sh
#
# Builds into build/cov/, with the flags of the Makefile's unit-test rule
# (its STD and WARN, read from the Makefile, so warnings stay errors) and
# CFLAGS "-O0 -g --coverage": the library, the unit tests, the bact tool
# (with TLS, like build/host/bact), the C example and the webhook program.
# Every binary links the same library objects, so their counts add up. Runs
# the unit tests, the whole end-to-end suite against the mock with that
# bact, tests/example.sh and tests/integration/webhooks.sh (~60 s), then
# reads the counts with gcov (JSON) and prints, as "# " lines, per file and
# in total the lines and branches taken, and where the untaken branches
# are (top functions). Detail per line: build/cov/uncovered.txt.
#
# One result line: "ok - coverage.branches" when branch coverage of src/ is
# at least COV_BRANCH_MIN, else "not ok - coverage.branches: X% < MIN%".
# COV_BRANCH_MIN is the value measured when the gate was set, rounded
# down: a change that loses branch coverage fails; raise it as tests are
# added. The test runs' own "ok"/"not ok" lines are summarised, not
# repeated (the suites count them already).
set -u
cd "$(dirname "$0")/../.." || exit 1

COV_BRANCH_MIN=${COV_BRANCH_MIN:-96}
out=build/cov

fail() {
    echo "not ok - coverage.branches: $*"
    exit 1
}

# shellcheck disable=SC2016
vars=$(make -s --no-print-directory \
    --eval='cov-print-vars: ; @echo "$(CC)|$(STD)|$(WARN)|$(LIB_SRCS)|$(CLI_SRCS)|$(TLS_SRCS)|$(TLS_CFLAGS)|$(MBEDTLS_LIBS)|$(UNIT_SRCS)"' \
    cov-print-vars 2>/dev/null) || fail "cannot read the Makefile's variables"
IFS='|' read -r CC_MK STD WARN LIB_SRCS CLI_SRCS TLS_SRCS TLS_CFLAGS MBEDTLS_LIBS UNIT_SRCS <<<"$vars"
CC=${CC:-$CC_MK}
if [ -z "$STD" ] || [ -z "$LIB_SRCS" ] || [ -z "$UNIT_SRCS" ]; then
    fail "the Makefile's variables are empty"
fi
command -v gcov >/dev/null 2>&1 || fail "gcov not found (it comes with gcc)"
CFLAGS_COV="-O0 -g --coverage"
# the Makefile's unit rule: $(STD) $(WARN) $(CFLAGS) -Iinclude -Iport/posix -Isrc -Itests/unit
ALL="$STD $WARN $CFLAGS_COV -Iinclude -Iport/posix -Isrc -Itests/unit"

rm -rf "$out"
mkdir -p "$out"
t0=$(date +%s)

# obj() runs in $(...): its "not ok" line goes to fd 3, the script's stdout
exec 3>&1
obj() { # source [extra flags] -> prints the object path
    local src=$1 o=$out/${1%.c}.o
    shift
    mkdir -p "$(dirname "$o")"
    # shellcheck disable=SC2086
    $CC $ALL "$@" -c "$src" -o "$o" 2>>"$out/build.log" || {
        echo "not ok - coverage.branches: cannot compile $src: $(head -c 300 "$out/build.log")" >&3
        exit 1
    }
    echo "$o"
}

lib_objs=()
for s in $LIB_SRCS; do lib_objs+=("$(obj "$s")") || exit 1; done
harness=$(obj tests/unit/harness.c) || exit 1
link() { # output objects... [libs]
    local o=$1
    shift
    # shellcheck disable=SC2086
    $CC $CFLAGS_COV -o "$o" "$@" 2>>"$out/build.log" || fail "cannot link $o: $(tail -c 300 "$out/build.log")"
}
units=()
for s in $UNIT_SRCS; do
    t=$(obj "$s") || exit 1
    n=$(basename "${s%.c}")
    link "$out/$n" "$t" "$harness" "${lib_objs[@]}"
    units+=("$out/$n")
done
cli_objs=()
for s in $CLI_SRCS $TLS_SRCS; do
    # shellcheck disable=SC2086
    cli_objs+=("$(obj "$s" $TLS_CFLAGS)") || exit 1
done
# shellcheck disable=SC2086
link "$out/bact" "${lib_objs[@]}" "${cli_objs[@]}" $MBEDTLS_LIBS
ex_obj=$(obj boards/host/example/run_and_wait.c) || exit 1
link "$out/run_and_wait" "${lib_objs[@]}" "$ex_obj"
wh_obj=$(obj tests/integration/webhook_run.c) || exit 1
link "$out/webhook_run" "${lib_objs[@]}" "$wh_obj"

summary() { # name log
    local ok nok
    ok=$(grep -c '^ok - ' "$2")
    nok=$(grep -c '^not ok - ' "$2")
    echo "# coverage: ran $1: $ok ok, $nok not ok"
    [ "$nok" -eq 0 ] || grep '^not ok - ' "$2" | head -5 | sed 's/^/#   /'
}
: > "$out/units.log"
for t in "${units[@]}"; do "$t" >>"$out/units.log" 2>&1; done
summary "the unit tests" "$out/units.log"
tests/e2e/run.sh "$out/bact" >"$out/e2e.log" 2>&1
summary "the e2e suite with build/cov/bact" "$out/e2e.log"
tests/example.sh "$out/run_and_wait" >"$out/example.log" 2>&1
summary "tests/example.sh" "$out/example.log"
tests/integration/webhooks.sh "$out/webhook_run" >"$out/webhooks.log" 2>&1
summary "tests/integration/webhooks.sh" "$out/webhooks.log"

srcs=()
for s in $LIB_SRCS; do
    case $s in src/*) srcs+=("$s") ;; esac
done
python3 tests/coverage/report.py "$out" "$COV_BRANCH_MIN" "$(($(date +%s) - t0))" "${srcs[@]}"
