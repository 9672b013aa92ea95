#!/usr/bin/env bash
# gcc -fanalyzer's findings, one .txt a source file (make analyze writes
# them under DIR, empty when the analyzer and the compiler had nothing to
# say): one "ok"/"not ok" line a file, with the first finding.
# usage: check_analyzer.sh DIR TXT...
set -u
dir=$1; shift
fails=0
for t in "$@"; do
    name=${t#"$dir"/}
    name=${name%.txt}.c
    case $name in
        m36/*) name="${name#m36/} (mbedTLS 3.6)" ;;
        small/*) name="${name#small/} (smallest configuration)" ;;
        dns/*) name="${name#dns/} (lwIP from source: resolver, select)" ;;
    esac
    if [ ! -f "$t" ]; then
        echo "not ok - analyzer.$name: no findings file $t"; fails=1
    elif [ -s "$t" ]; then
        echo "not ok - analyzer.$name: $(grep -m1 -E 'warning:|error:' "$t" || head -n1 "$t")"
        head -n 60 "$t"
        fails=1
    else
        echo "ok - analyzer.$name"
    fi
done
[ $# -gt 0 ] || { echo "not ok - analyzer: no files"; fails=1; }
exit $fails
