#!/usr/bin/env bash
# The size table: per target, per source file (text/rodata/data/bss), the
# whole client linked with --gc-sections and the C library it adds over an
# empty program, sizeof the context, the worst-case stack of every public
# function (scripts/stack.py, from -fcallgraph-info=su), and for cortex-m4f
# the example firmware split into bact / lwIP / mbedTLS / libc / board.
# Prints Markdown and writes it to build/size.md.
#
#   scripts/size.sh BOARD...     (after `make boards size` built the inputs;
#                                 run it through `make size`)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build}
[ $# -gt 0 ] || { echo "usage: size.sh BOARD..." >&2; exit 2; }
command -v python3 >/dev/null || { echo "size: python3 missing" >&2; exit 1; }
exec python3 "$root/scripts/size_report.py" "$build" "$@"
