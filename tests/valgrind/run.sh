#!/usr/bin/env bash
# The end-to-end checks of the bact tool under valgrind's memcheck.
#
#   tests/valgrind/run.sh [path/to/bact] [--all | -k SUBSTRING...]
#                                              (default build/host/bact)
#
# tests/e2e/test_cli.py takes the binary under test as a path and runs it
# with subprocess, so the tool is given as a wrapper script, made here in a
# temporary directory:
#
#   exec valgrind --error-exitcode=99 --leak-check=full \
#       --errors-for-leak-kinds=definite --log-file=TMP/logs/vg.%p.log BACT "$@"
#
# The log goes to a file because the checks compare stderr byte for byte.
# tests/valgrind/e2e_vg.py runs the checks (a subset, ~100 s, or every one
# with --all, ~270 s; see there), renames their lines "ok - valgrind.<name>"
# / "not ok - valgrind.<name>: why", and fails a check whose bact processes
# made valgrind report anything (uninitialised values, invalid accesses,
# bad frees, definite leaks); their logs are kept in build/valgrind/.
# First, a canary: a small program with an uninitialised read and a
# definite leak must make the same valgrind command exit 99.
set -u
cd "$(dirname "$0")/../.." || exit 1

bin=build/host/bact
if [ $# -gt 0 ] && [ "$1" != --all ] && [ "$1" != -k ]; then
    bin=$1
    shift
fi
if [ ! -x "$bin" ] || [ -d "$bin" ]; then
    echo "not ok - valgrind.setup: '$bin' is not an executable file (build it with make)"
    exit 1
fi
case $bin in
    /*) ;;
    *) bin=$PWD/$bin ;;
esac
if ! command -v valgrind >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind >/dev/null 2>&1 ||
            { apt-get update -qq >/dev/null 2>&1 &&
              DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind >/dev/null 2>&1; }
    fi
    if ! command -v valgrind >/dev/null 2>&1; then
        echo "not ok - valgrind.setup: valgrind not found (apt-get install valgrind)"
        exit 1
    fi
fi

# No proxy may divert the suite's own HTTP calls away from loopback.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
export no_proxy='*' NO_PROXY='*'

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bact-valgrind.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/logs"
keep=build/valgrind
rm -rf "$keep"
mkdir -p "$keep"
vg=(valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite)

# ---- canary: the command must see errors and say so with exit 99 ----
cat > "$tmp/canary.c" <<'EOF'
#include <stdlib.h>
int main(int argc, char **argv)
{
    int *p = malloc(4 * sizeof *p);   /* never initialised, never freed */
    (void)argv;
    if (p != NULL && p[argc] > 0)
        return 3;
    p = NULL;
    return 0;
}
EOF
if ! ${CC:-cc} -g -O0 -o "$tmp/canary" "$tmp/canary.c" 2>"$tmp/canary.err"; then
    echo "not ok - valgrind.canary: cannot compile: $(head -c 200 "$tmp/canary.err")"
else
    "${vg[@]}" --log-file="$tmp/canary.log" "$tmp/canary" >/dev/null 2>&1
    rc=$?
    if [ $rc -ne 99 ]; then
        echo "not ok - valgrind.canary: a program with an uninitialised read and a leak exited $rc, not 99"
    elif ! grep -q 'Conditional jump or move depends on uninitialised' "$tmp/canary.log" ||
         ! grep -q 'definitely lost in loss record' "$tmp/canary.log"; then
        echo "not ok - valgrind.canary: exit 99 but the log lacks the expected reports"
    else
        echo "ok - valgrind.canary"
    fi
fi

# ---- the wrapper, given to test_cli.py as the binary ----
cat > "$tmp/bact" <<EOF
#!/bin/sh
exec ${vg[*]} --log-file="$tmp/logs/vg.%p.log" "$bin" "\$@"
EOF
chmod +x "$tmp/bact"

python3 tests/valgrind/e2e_vg.py "$tmp/bact" "$tmp/logs" "$PWD/$keep" "$@"
