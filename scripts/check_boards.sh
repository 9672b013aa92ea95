#!/usr/bin/env bash
# The cross-compiled library may not reference the heap, the printf family,
# an assert handler, soft-float helpers or 64-bit division helpers, and
# keeps no writable data of its own: scripts/check_lib.sh's rules, for the
# objects `make boards` built, with each target's own nm and size and its
# own helper names (ARM EABI __aeabi_*, libgcc __*df3/__divdi3 ...).
#
#   scripts/check_boards.sh BOARD:TOOLPREFIX...
#       e.g. cortex-m4f:arm-none-eabi- rv32imc:riscv64-unknown-elf-
#
# Checked: src/*.o (the core), the core in its smallest configuration
# (small/src/*.o, boards/bact_config_small.h) and port/lwip/*.o: one
# "ok"/"not ok" line per board, object and rule. port/mbedtls/*.o (where built) is reported on
# "# note" lines only: it is not part of the no-libc promise of the core.
set -u
build=${BUILD:-build}
heap='malloc|calloc|realloc|free|_malloc_r|_calloc_r|_realloc_r|_free_r'
print='printf|fprintf|sprintf|snprintf|vsnprintf|vprintf|vfprintf|vsprintf|iprintf|fiprintf|siprintf|sniprintf|_printf_r|_vfprintf_r|_svfprintf_r|puts|putchar|fputs'
assert='__assert_fail|__assert_func|__assert|assert'
softfp='__aeabi_[fd][a-z0-9]+|__aeabi_[iu]?[il]?2[fd]|__aeabi_u?l2[fd]|__aeabi_c[fd]c?r?cmp[a-z]*|__(add|sub|mul|div|neg)[sdt]f3|__(eq|ne|lt|le|gt|ge|un|cmp)[sdt]f2|__float[a-z]*|__fix[a-z]*|__extend[a-z0-9]*|__trunc[a-z0-9]*'
div64='__aeabi_u?ldivmod|__u?(div|mod)di3|__u?divmoddi4'
bad="^(${heap}|${print}|${assert}|${softfp}|${div64})\$"
fails=0
for spec in "$@"; do
    board=${spec%%:*}
    tool=${spec#*:}
    dir=$build/boards/$board/obj
    if [ ! -d "$dir" ]; then
        echo "not ok - boards.$board.built: $dir missing (make boards)"
        fails=1
        continue
    fi
    for o in "$dir"/port/mbedtls/*.o; do
        [ -f "$o" ] || continue
        und=$("${tool}nm" -u "$o" | awk '{print $NF}' | grep -E "$bad" | tr '\n' ' ')
        [ -n "$und" ] && echo "# note: boards.$board.$(basename "$o" .o) references $und"
    done
    for o in "$dir"/src/*.o "$dir"/../small/src/*.o "$dir"/port/lwip/*.o; do
        [ -f "$o" ] || continue
        name=$(basename "$o" .o)
        case $o in */small/*) name=small.$name ;; esac
        # an object nm or size cannot read (or a wrong tool prefix) fails:
        # no output is not the same as no symbol found
        if ! syms=$("${tool}nm" -u "$o"); then
            echo "not ok - boards.$board.$name.no-heap-printf-assert-float-div64: ${tool}nm failed on $o"
            fails=1
            continue
        fi
        und=$(awk '{print $NF}' <<<"$syms" | grep -E "$bad" | tr '\n' ' ')
        if [ -z "$und" ]; then
            echo "ok - boards.$board.$name.no-heap-printf-assert-float-div64"
        else
            echo "not ok - boards.$board.$name.no-heap-printf-assert-float-div64: $und"
            fails=1
        fi
        if ! sections=$("${tool}size" -A "$o"); then
            echo "not ok - boards.$board.$name.no-data-bss: ${tool}size failed on $o"
            fails=1
            continue
        fi
        data=$(awk '$1 ~ /^\.s?(data|bss)/ && $1 !~ /^\.data\.rel\.ro/ && $2 > 0 {printf "%s %s ", $1, $2}' <<<"$sections")
        if [ -z "$data" ]; then
            echo "ok - boards.$board.$name.no-data-bss"
        else
            echo "not ok - boards.$board.$name.no-data-bss: $data"
            fails=1
        fi
    done
done
exit $fails
