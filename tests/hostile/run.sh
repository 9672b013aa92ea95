#!/usr/bin/env bash
# Hostile-server tests of the bact tool: tests/hostile/server.py plays a
# script per connection (bytes whole or in pieces with pauses, stalls,
# half-close, close, reset) and test_hostile.py checks what the tool makes
# of it. README.md in this directory has the table of decided results.
#
#   tests/hostile/run.sh path/to/bact [-k SUBSTRING]... [-j N] [--explore]
#
# Prints one line per check, "ok - hostile.<name>" or
# "not ok - hostile.<name>: why", and exits 0 only when every check passed.
# Servers listen on 127.0.0.1 only and are stopped at exit (they also stop
# by themselves when the test process is gone).
set -u
here=$(cd "$(dirname "$0")" && pwd)

bin=${1:-}
if [ -z "$bin" ]; then
    echo "not ok - hostile.setup: usage: tests/hostile/run.sh path/to/bact"
    exit 1
fi
shift
if [ ! -x "$bin" ] || [ -d "$bin" ]; then
    echo "not ok - hostile.setup: '$bin' is not an executable file (build it with make)"
    exit 1
fi
case $bin in
    /*) ;;
    *) bin=$PWD/$bin ;;
esac
if ! command -v python3 >/dev/null 2>&1; then
    echo "not ok - hostile.setup: python3 not found"
    exit 1
fi

# No proxy may divert anything away from loopback.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
export no_proxy='*' NO_PROXY='*'

pid=
cleanup() {
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    fi
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM HUP

python3 "$here/test_hostile.py" "$bin" "$@" &
pid=$!
wait "$pid"
rc=$?
pid=
exit $rc
