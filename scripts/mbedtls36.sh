#!/usr/bin/env bash
# Build mbedTLS 3.6 LTS for the host tools, from Debian trixie's source
# package, as static libraries configured with the project's own config.
#
#   scripts/mbedtls36.sh [host|host-tls13]...     (default: host)
#
#   host        port/mbedtls/config/bact_mbedtls_config.h (TLS 1.2, Tier A)
#               -> build/deps/mbedtls-3.6/{include,lib}
#   host-tls13  port/mbedtls/config/bact_mbedtls_config_tls13.h (Tier B)
#               -> build/deps/mbedtls-3.6-tls13/{include,lib}
#
# Both add port/mbedtls/config/bact_mbedtls_host.h (MBEDTLS_USER_CONFIG_FILE)
# for the OS entropy source and PEM CA files.
#
# The source is fetched once with apt-get from a deb-src entry kept under
# build/deps/apt (its own sources.list, lists and cache: nothing in /etc/apt
# or /var/lib/apt changes), checked against the Debian archive keyring, and
# unpacked under build/deps/src. It is never committed (build/ is ignored).
# A variant is rebuilt only when its config, this script or the source
# changed (stamp file with a hash of them). Set BUILD to use another build
# folder.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build}
case $build in /*) ;; *) build=$root/$build ;; esac
deps=$build/deps
apt_dir=$deps/apt
src_root=$deps/src
cfg_dir=$root/port/mbedtls/config
suite=trixie
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

die() { echo "mbedtls36: error: $*" >&2; exit 1; }
say() { echo "mbedtls36: $*" >&2; }

apt_opts=(
    -o "Dir::Etc::SourceList=$apt_dir/sources.list"
    -o "Dir::Etc::SourceParts=/dev/null"
    -o "Dir::State::Lists=$apt_dir/lists"
    -o "Dir::Cache=$apt_dir/cache"
    -o "Dir::State::status=/var/lib/dpkg/status"
    -o "APT::Sandbox::User=root"
    -o "Debug::NoLocking=1"
    -q
)

# The unpacked source tree (a 3.6.x release), fetched on first use.
source_dir() {
    local d
    for d in "$src_root"/mbedtls-3.6.*/; do
        [ -f "$d/include/mbedtls/build_info.h" ] && { echo "${d%/}"; return 0; }
    done
    return 1
}

fetch_source() {
    command -v apt-get >/dev/null || die "apt-get not found (Debian needed)"
    command -v dpkg-source >/dev/null ||
        die "dpkg-source not found: install dpkg-dev (scripts/deps.sh does)"
    [ -r "$keyring" ] ||
        die "$keyring missing: install debian-archive-keyring"
    mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" \
             "$src_root"
    echo "deb-src [signed-by=$keyring] http://deb.debian.org/debian $suite main" \
        > "$apt_dir/sources.list"
    say "fetching the mbedtls source package from Debian $suite"
    apt-get "${apt_opts[@]}" update >&2 ||
        die "apt-get update failed (network, or the $suite lists)"
    local tmp
    tmp=$(mktemp -d "$src_root/.fetch.XXXXXX")
    if ! (cd "$tmp" && apt-get "${apt_opts[@]}" source mbedtls >&2); then
        rm -rf "$tmp"
        die "apt-get source mbedtls failed"
    fi
    local d
    d=$(find "$tmp" -mindepth 1 -maxdepth 1 -type d -name 'mbedtls-*' | head -n1)
    [ -n "$d" ] || { rm -rf "$tmp"; die "no unpacked mbedtls-* folder"; }
    case $(basename "$d") in
        mbedtls-3.6.*) ;;
        *) rm -rf "$tmp"; die "Debian $suite has $(basename "$d"), not 3.6 LTS" ;;
    esac
    rm -rf "${src_root:?}/$(basename "$d")"
    mv "$d" "$src_root/"
    mv "$tmp"/*.dsc "$src_root/" 2>/dev/null || true
    rm -rf "$tmp"
}

build_variant() { # name config_file out_dir
    local name=$1 cfg=$2 out=$3 src stamp want
    src=$(source_dir) || { fetch_source; src=$(source_dir) ||
        die "source not found after fetching"; }
    want=$( { basename "$src"; cat "$0" "$cfg_dir/$cfg" \
              "$cfg_dir/bact_mbedtls_config.h" "$cfg_dir/bact_mbedtls_host.h"; } |
            sha256sum | cut -d' ' -f1)
    stamp=$out/.stamp
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] &&
       [ -f "$out/lib/libmbedtls.a" ]; then
        touch "$stamp" # up to date (make compares its time)
        return 0
    fi
    say "building $(basename "$src") ($name: $cfg) in ${out#"$root"/}"
    local t0=$SECONDS work=$out/work
    rm -rf "$out"
    mkdir -p "$work" "$out/lib"
    # The release ships its generated files (make only checks that their
    # generator scripts exist: copy those too, timestamps kept).
    cp -a "$src/include" "$src/library" "$src/3rdparty" "$src/scripts" \
          "$src/framework" "$work/"
    local cflags="-O2 -I$cfg_dir -DMBEDTLS_CONFIG_FILE='\"$cfg\"'"
    cflags+=" -DMBEDTLS_USER_CONFIG_FILE='\"bact_mbedtls_host.h\"'"
    if ! make -C "$work/library" -j"$(nproc)" GEN_FILES= \
            libmbedcrypto.a libmbedx509.a libmbedtls.a \
            CC="${CC:-gcc}" CFLAGS="$cflags" >"$out/build.log" 2>&1; then
        tail -n 30 "$out/build.log" >&2
        die "building $name failed; full log: ${out#"$root"/}/build.log"
    fi
    cp "$work"/library/libmbed{crypto,x509,tls}.a "$out/lib/"
    cp -a "$work/include" "$out/include"
    rm -rf "$work"
    echo "$want" > "$stamp"
    say "built $name in $((SECONDS - t0)) s"
}

[ $# -gt 0 ] || set -- host
# one run at a time (make -j may start two): they share the source and apt
mkdir -p "$deps"
exec 9>"$deps/.mbedtls36.lock"
flock 9
for v in "$@"; do
    case $v in
        host) build_variant host bact_mbedtls_config.h "$deps/mbedtls-3.6" ;;
        host-tls13) build_variant host-tls13 bact_mbedtls_config_tls13.h \
                        "$deps/mbedtls-3.6-tls13" ;;
        *) die "unknown variant '$v' (host, host-tls13)" ;;
    esac
done
