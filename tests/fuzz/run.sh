#!/usr/bin/env bash
# tests/fuzz/run.sh - run the libFuzzer harnesses, one line each:
#   ok - fuzz.NAME # RUNS runs in S s, cov C ft F, corpus N
#   not ok - fuzz.NAME: why
#
# usage: run.sh [--runs N] [--seconds S] [NAME...]
#   --runs N     stop after N executions (the short pass: 20000)
#   --seconds S  stop after S seconds (with --runs: whichever comes first)
#   NAME         http json url args (default: all four)
#
# Each harness runs over build/fuzz/corpus/NAME/, a copy of the seeds in
# tests/fuzz/corpus/NAME/ that keeps what earlier runs found (the seeds in
# the repository are never written to). Crash inputs go to
# build/fuzz/artifacts/NAME/, the whole libFuzzer log to
# build/fuzz/NAME.log. FUZZ_ARGS adds libFuzzer flags; FUZZ_BUILD is the
# build folder (default build/fuzz). The exit status is 1 if any harness
# failed.
set -uo pipefail
cd "$(dirname "$0")/../.."

build=${FUZZ_BUILD:-build/fuzz}
runs=
seconds=
names=()
while [ $# -gt 0 ]; do
    case $1 in
        --runs) runs=$2; shift 2 ;;
        --seconds) seconds=$2; shift 2 ;;
        -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
        *) names+=("$1"); shift ;;
    esac
done
[ ${#names[@]} -eq 0 ] && names=(http json url args)
[ -z "$runs" ] && [ -z "$seconds" ] && seconds=60

failed=0
for name in "${names[@]}"; do
    bin=$build/fuzz_$name
    seeds=tests/fuzz/corpus/$name
    work=$build/corpus/$name
    art=$build/artifacts/$name
    log=$build/$name.log
    if [ ! -x "$bin" ]; then
        echo "not ok - fuzz.$name: $bin is not built (make fuzz-build)"
        failed=1
        continue
    fi
    mkdir -p "$work" "$art"
    # seeds first (a reproducer added there must run), then what was found
    [ -d "$seeds" ] && cp -f "$seeds"/* "$work"/ 2>/dev/null
    flags=(-artifact_prefix="$art/" -print_final_stats=1 -timeout=25
           -rss_limit_mb=2048)
    [ -n "$runs" ] && flags+=(-runs="$runs")
    [ -n "$seconds" ] && flags+=(-max_total_time="$seconds")
    [ -f "tests/fuzz/$name.dict" ] && flags+=(-dict="tests/fuzz/$name.dict")
    start=$(date +%s)
    # shellcheck disable=SC2086
    "$bin" "${flags[@]}" ${FUZZ_ARGS:-} "$work" > "$log" 2>&1
    rc=$?
    took=$(( $(date +%s) - start ))
    if [ $rc -eq 0 ]; then
        done_line=$(grep -aE '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1)
        n=$(grep -aE '^stat::number_of_executed_units:' "$log" | tail -n 1 |
            awk '{print $2}')
        cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<< "$done_line")
        ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<< "$done_line")
        corp=$(sed -nE 's/.* corp: ([0-9]+)\/.*/\1/p' <<< "$done_line")
        echo "ok - fuzz.$name # ${n:-?} runs in ${took} s, cov ${cov:-?} ft ${ft:-?}, corpus ${corp:-?}"
    else
        # the sanitizer's or the harness's own one-line summary
        why=$(grep -a -m1 -E '^SUMMARY: |fuzz invariant failed|ERROR: libFuzzer' "$log" |
              sed -E 's/^SUMMARY: //')
        crash=$(sed -nE "s/.*Test unit written to (.*)$/\1/p" "$log" | tail -n 1)
        echo "not ok - fuzz.$name: ${why:-exit status $rc}${crash:+ (input: $crash)}; log: $log"
        failed=1
    fi
done
exit $failed
