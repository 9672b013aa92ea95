#!/usr/bin/env bash
# Install what the build, the tests and the demo need, from Debian's
# packages and the npm registry only. Does nothing when all is present.
set -euo pipefail
quiet=0
[ "${1:-}" = "--quiet" ] && quiet=1
need=()
want_cmd() { command -v "$1" >/dev/null 2>&1 || need+=("$2"); }
want_file() { [ -e "$1" ] || need+=("$2"); }
want_cmd gcc gcc
want_cmd make make
want_cmd python3 python3
want_cmd curl curl
want_file /usr/include/jsmn.h libjsmn-dev
want_file /usr/include/stdio.h libc6-dev
if [ $quiet = 0 ]; then
    # only the test suite needs these
    want_cmd node nodejs
    command -v node >/dev/null 2>&1 && { command -v npm >/dev/null 2>&1 || need+=(npm); }
fi
if [ ${#need[@]} -gt 0 ]; then
    echo "deps: installing ${need[*]}" >&2
    if [ "$(id -u)" != 0 ]; then SUDO=sudo; else SUDO=; fi
    $SUDO apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
elif [ $quiet = 0 ]; then
    echo "deps: all present" >&2
fi
