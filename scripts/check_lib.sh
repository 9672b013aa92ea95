#!/usr/bin/env bash
# The library's objects may not reference the heap, printf, an assert
# handler or soft-float helpers, and keep no writable data of their own.
# Prints one "ok"/"not ok" line per object and rule.
set -u
bad_syms='^(malloc|calloc|realloc|free|printf|fprintf|sprintf|snprintf|vsnprintf|vprintf|vfprintf|puts|putchar|fputs|__assert_fail|__assert_func|assert|__aeabi_[dfl].*|__(add|sub|mul|div)[sdt]f3|__float.*|__fix.*)$'
fails=0
for o in "$@"; do
    name=$(basename "$o" .o)
    # an object nm or size cannot read (or no nm, no size) fails: no
    # output is not the same as no symbol found
    if ! syms=$(nm -u "$o"); then
        echo "not ok - lib.$name.no-heap-printf-assert-float: nm failed on $o"; fails=1
    else
        und=$(awk '{print $NF}' <<<"$syms" | grep -E "$bad_syms" || true)
        if [ -z "$und" ]; then echo "ok - lib.$name.no-heap-printf-assert-float"
        else echo "not ok - lib.$name.no-heap-printf-assert-float: $und"; fails=1; fi
    fi
    # A char array its string literal fills without the NUL is valid C,
    # but GCC 15 and Clang 21 warn of it under -Wextra; GCC 12 tells it
    # under -Wc++-compat: none in the library's sources.
    src=src/$name.c
    if [ -f "$src" ]; then
        long=$(gcc -std=c99 -Wc++-compat -fsyntax-only -Iinclude -Isrc "$src" 2>&1 |
               grep -E 'initializer-string|error' || true)
        if [ -z "$long" ]; then echo "ok - lib.$name.strings-keep-nul"
        else echo "not ok - lib.$name.strings-keep-nul: $long"; fails=1; fi
    fi
    if ! sections=$(size -A "$o"); then
        echo "not ok - lib.$name.no-data-bss: size failed on $o"; fails=1
        continue
    fi
    data=$(awk '$1 ~ /^\.(data|bss)/ && $1 !~ /^\.data\.rel\.ro/ && $2 > 0 {print $1" "$2}' <<<"$sections")
    if [ -z "$data" ]; then echo "ok - lib.$name.no-data-bss"
    else echo "not ok - lib.$name.no-data-bss: $data"; fails=1; fi
done
exit $fails
