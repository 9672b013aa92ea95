#!/usr/bin/env bash
# End-to-end tests of the bact tool against tests/mock/mock_server.py.
#
#   tests/e2e/run.sh path/to/bact [-k SUBSTRING]...
#
# Prints one line per check, "ok - e2e.<name>" or "not ok - e2e.<name>: why",
# and exits 0 only when every check passed. The checks live in test_cli.py
# (Python 3, standard library only); it starts its own mock servers on free
# loopback ports and stops them on exit. Nothing talks to anything but
# 127.0.0.1 / ::1.
set -u
here=$(cd "$(dirname "$0")" && pwd)

bin=${1:-}
if [ -z "$bin" ]; then
    echo "not ok - e2e.setup: usage: tests/e2e/run.sh path/to/bact"
    exit 1
fi
shift
if [ ! -x "$bin" ] || [ -d "$bin" ]; then
    echo "not ok - e2e.setup: '$bin' is not an executable file (build it with make)"
    exit 1
fi
case $bin in
    /*) ;;
    *) bin=$PWD/$bin ;;
esac

if ! command -v python3 >/dev/null 2>&1; then
    echo "not ok - e2e.setup: python3 not found"
    exit 1
fi

# No proxy may divert the suite's own HTTP calls away from loopback.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
export no_proxy='*' NO_PROXY='*'

exec python3 "$here/test_cli.py" "$bin" "$@"
