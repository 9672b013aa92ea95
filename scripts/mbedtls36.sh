#!/usr/bin/env bash
# Build mbedTLS 3.6 LTS for the host tools, from Debian trixie's source
# package, as static libraries configured with the project's own config.
#
#   scripts/mbedtls36.sh [host|host-tls13|host-bench]...  (default: host)
#
#   host        port/mbedtls/config/bact_mbedtls_config.h (TLS 1.2, Tier A)
#               -> build/deps/mbedtls-3.6/{include,lib}
#   host-tls13  port/mbedtls/config/bact_mbedtls_config_tls13.h (Tier B)
#               -> build/deps/mbedtls-3.6-tls13/{include,lib}
#   host-bench  bact_mbedtls_config.h with bact_mbedtls_bench.h (make bench:
#               AES-NI and PCLMULQDQ), -O3, link-time optimisation, and on
#               an x86-64 CPU that has them -maes -mpclmul -mssse3 (-mavx)
#               -> build/deps/mbedtls-3.6-bench/{include,lib,arch.cflags,
#                  link.flags,info}
#
# host and host-tls13 add port/mbedtls/config/bact_mbedtls_host.h
# (MBEDTLS_USER_CONFIG_FILE) for the OS entropy source and PEM CA files;
# host-bench adds bact_mbedtls_bench.h, which includes it. host-bench also
# writes link.flags (what the program linking it adds to its link command:
# its objects carry GCC's intermediate code besides machine code, and
# -flto there optimises mbedTLS as one unit: calls between its files, such
# as GCM's to AES and to GHASH for every 16 bytes, are inlined) and
# arch.cflags (the -m flags: whoever includes its mbedTLS headers must
# use them too, so that the configuration is the same) and info (one line:
# what was built, for the bench report).
#
# The source is Debian trixie's mbedtls source package, fetched once and
# unpacked under build/deps/src by scripts/lwip_src.sh (which fetches the
# cross builds' sources the same way). It is never committed (build/ is
# ignored).
# A variant is rebuilt only when its config, this script or the source
# changed (stamp file with a hash of them). Set BUILD to use another build
# folder.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build}
case $build in /*) ;; *) build=$root/$build ;; esac
deps=$build/deps
src_root=$deps/src
cfg_dir=$root/port/mbedtls/config

die() { echo "mbedtls36: error: $*" >&2; exit 1; }
say() { echo "mbedtls36: $*" >&2; }

# The unpacked source tree (a 3.6.x release), fetched on first use.
source_dir() {
    local d
    for d in "$src_root"/mbedtls-3.6.*/; do
        [ -f "$d/include/mbedtls/build_info.h" ] && { echo "${d%/}"; return 0; }
    done
    return 1
}

fetch_source() {
    "$root/scripts/lwip_src.sh" mbedtls
}

# -m flags for the bench build: AES-NI, PCLMULQDQ and SSSE3 when this is an
# x86-64 CPU that has all three (the bench runs where it is built), else none
# (mbedTLS then keeps its run-time detection and portable AES); with them
# AVX when the CPU has it: the same instructions in their three-operand VEX
# form, without the register copies the two-operand SSE form needs (OpenSSL
# picks its AVX code at run time; mbedTLS can only be compiled for it).
bench_arch_cflags() {
    [ "$(uname -m)" = x86_64 ] || return 0
    local flags
    flags=$(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null) || return 0
    case " ${flags#*:} " in
        *" aes "*) ;; *) return 0 ;;
    esac
    case " ${flags#*:} " in
        *" pclmulqdq "*) ;; *) return 0 ;;
    esac
    case " ${flags#*:} " in
        *" ssse3 "*) ;; *) return 0 ;;
    esac
    case " ${flags#*:} " in
        *" avx "*) echo "-maes -mpclmul -mssse3 -mavx" ;;
        *) echo "-maes -mpclmul -mssse3" ;;
    esac
}

# name config_file user_config_file out_dir [extra CFLAGS]
build_variant() {
    local name=$1 cfg=$2 ucfg=$3 out=$4 extra=${5:-} src stamp want
    src=$(source_dir) || { fetch_source; src=$(source_dir) ||
        die "source not found after fetching"; }
    want=$( { basename "$src"; echo "$extra"; cat "$0" "$cfg_dir/$cfg" \
              "$cfg_dir/bact_mbedtls_config.h" "$cfg_dir/bact_mbedtls_host.h" \
              "$cfg_dir/$ucfg"; } |
            sha256sum | cut -d' ' -f1)
    stamp=$out/.stamp
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] &&
       [ -f "$out/lib/libmbedtls.a" ]; then
        touch "$stamp" # up to date (make compares its time)
        return 0
    fi
    say "building $(basename "$src") ($name: $cfg + $ucfg${extra:+, $extra}) in ${out#"$root"/}"
    local t0=$SECONDS work=$out/work
    rm -rf "$out"
    mkdir -p "$work" "$out/lib"
    # The release ships its generated files (make only checks that their
    # generator scripts exist: copy those too, timestamps kept).
    cp -a "$src/include" "$src/library" "$src/3rdparty" "$src/scripts" \
          "$src/framework" "$work/"
    # the library's debug information names its files /mbedtls-3.6.x/library/
    # (callgrind's report tells them apart by that), never this folder
    # objects with intermediate code for link-time optimisation need the
    # archiver's plugin to be indexed (gcc-ar)
    local ar=ar
    case " $extra " in *" -flto"*) ar=gcc-ar ;; esac
    local cflags="-O2 -ffile-prefix-map=$work=/$(basename "$src") -I$cfg_dir"
    cflags+=" -DMBEDTLS_CONFIG_FILE='\"$cfg\"'"
    cflags+=" -DMBEDTLS_USER_CONFIG_FILE='\"$ucfg\"'${extra:+ $extra}"
    if ! make -C "$work/library" -j"$(nproc)" GEN_FILES= \
            libmbedcrypto.a libmbedx509.a libmbedtls.a \
            CC="${CC:-gcc}" AR="$ar" CFLAGS="$cflags" >"$out/build.log" 2>&1; then
        tail -n 30 "$out/build.log" >&2
        die "building $name failed; full log: ${out#"$root"/}/build.log"
    fi
    cp "$work"/library/libmbed{crypto,x509,tls}.a "$out/lib/"
    cp -a "$work/include" "$out/include"
    rm -rf "$work"
    echo "$want" > "$stamp"
    say "built $name in $((SECONDS - t0)) s"
}

# The bench's build, and what it is in one line for the report.
build_bench() { # out_dir
    local out=$1 arch src deb info what link
    arch=$(bench_arch_cflags)
    build_variant host-bench bact_mbedtls_config.h bact_mbedtls_bench.h \
        "$out" "-O3 -g -flto -ffat-lto-objects${arch:+ $arch}"
    link="-flto=auto -O3${arch:+ $arch}"
    src=$(source_dir)
    deb=$(cd "$src_root" && ls mbedtls_*.dsc 2>/dev/null | head -n1) || true
    deb=${deb#mbedtls_}
    if [ -n "$arch" ]; then
        what="AES-NI and PCLMULQDQ only, no portable AES"
    else
        what="AES-NI if the CPU has it (run-time check), else portable AES"
    fi
    info="mbedTLS ${src##*/mbedtls-}, Debian trixie source package"
    info+="${deb:+ ${deb%.dsc}}, built by scripts/mbedtls36.sh host-bench:"
    info+=" static, -O3 -flto${arch:+ $arch};"
    info+=" bact_mbedtls_config.h (the device's: TLS 1.2, ECDHE with AES-GCM,"
    info+=" 16 KiB in / 4 KiB out) + bact_mbedtls_host.h +"
    info+=" bact_mbedtls_bench.h ($what)"
    # rewritten only when they change (make compares times)
    [ "$(cat "$out/arch.cflags" 2>/dev/null)" = "$arch" ] ||
        echo "$arch" > "$out/arch.cflags"
    [ "$(cat "$out/link.flags" 2>/dev/null)" = "$link" ] ||
        echo "$link" > "$out/link.flags"
    [ "$(cat "$out/info" 2>/dev/null)" = "$info" ] ||
        echo "$info" > "$out/info"
}

[ $# -gt 0 ] || set -- host
# one run at a time (make -j may start two): they share the source and apt
mkdir -p "$deps"
exec 9>"$deps/.mbedtls36.lock"
flock 9
for v in "$@"; do
    case $v in
        host) build_variant host bact_mbedtls_config.h bact_mbedtls_host.h \
                  "$deps/mbedtls-3.6" ;;
        host-tls13) build_variant host-tls13 bact_mbedtls_config_tls13.h \
                        bact_mbedtls_host.h "$deps/mbedtls-3.6-tls13" ;;
        host-bench) build_bench "$deps/mbedtls-3.6-bench" ;;
        *) die "unknown variant '$v' (host, host-tls13, host-bench)" ;;
    esac
done
