#!/usr/bin/env bash
# Fetch the sources the cross builds need, from Debian's source packages,
# unpacked under the build folder (never committed):
#
#   lwIP 2.1.3     apt-get source lwip/bookworm    -> build/deps/src/lwip-2.1.3*/
#   mbedTLS 3.6    apt-get source mbedtls/trixie   -> build/deps/src/mbedtls-3.6.*/
#                  (also for the host builds: scripts/mbedtls36.sh)
#
#   scripts/lwip_src.sh [lwip|mbedtls|all]...   (default: all)
#   scripts/lwip_src.sh --print-lwip | --print-mbedtls   the folder, or exit 1
#
# apt runs with a sources.list, lists and cache of its own under
# build/deps/apt (deb-src entries for bookworm and trixie, checked
# against the Debian archive keyring): nothing in /etc/apt or /var/lib/apt
# changes. Set BUILD to use another build folder.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build}
case $build in /*) ;; *) build=$root/$build ;; esac
deps=$build/deps
apt_dir=$deps/apt
src_root=$deps/src
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

die() { echo "lwip_src: error: $*" >&2; exit 1; }
say() { echo "lwip_src: $*" >&2; }

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

lwip_dir() {
    local d
    for d in "$src_root"/lwip-2.1.3*/; do
        [ -f "$d/src/include/lwip/opt.h" ] && { echo "${d%/}"; return 0; }
    done
    return 1
}

mbedtls_dir() {
    local d
    for d in "$src_root"/mbedtls-3.6.*/; do
        [ -f "$d/include/mbedtls/build_info.h" ] && { echo "${d%/}"; return 0; }
    done
    return 1
}

apt_update() {
    [ -f "$apt_dir/.updated" ] && return 0
    command -v apt-get >/dev/null || die "apt-get not found (Debian needed)"
    command -v dpkg-source >/dev/null ||
        die "dpkg-source not found: install dpkg-dev (scripts/deps.sh does)"
    [ -r "$keyring" ] || die "$keyring missing: install debian-archive-keyring"
    mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" \
             "$src_root"
    {
        echo "deb-src [signed-by=$keyring] http://deb.debian.org/debian bookworm main"
        echo "deb-src [signed-by=$keyring] http://deb.debian.org/debian trixie main"
    } > "$apt_dir/sources.list"
    apt-get "${apt_opts[@]}" update >&2 || die "apt-get update failed"
    touch "$apt_dir/.updated"
}

fetch() { # package/suite glob
    local spec=$1 glob=$2 tmp d
    apt_update
    say "fetching the $spec source package"
    tmp=$(mktemp -d "$src_root/.fetch.XXXXXX")
    if ! (cd "$tmp" && apt-get "${apt_opts[@]}" source "$spec" >&2); then
        rm -rf "$tmp"; die "apt-get source $spec failed"
    fi
    d=$(find "$tmp" -mindepth 1 -maxdepth 1 -type d -name "$glob" | head -n1)
    [ -n "$d" ] || { rm -rf "$tmp"; die "no unpacked $glob folder"; }
    [ -e "$src_root/$(basename "$d")" ] || mv "$d" "$src_root/"
    mv "$tmp"/*.dsc "$src_root/" 2>/dev/null || true # its version, for reports
    rm -rf "$tmp"
}

case ${1:-} in
    --print-lwip) lwip_dir; exit ;;
    --print-mbedtls) mbedtls_dir; exit ;;
esac
[ $# -gt 0 ] || set -- all
# one fetch at a time (make -j may run this for the boards and for the host
# mbedTLS builds at once): they share the apt state and the unpack folder
mkdir -p "$deps"
exec 9>"$deps/.fetch.lock"
flock 9 || die "could not lock $deps/.fetch.lock"
for what in "$@"; do
    case $what in
        lwip|all)
            lwip_dir >/dev/null || fetch lwip/bookworm 'lwip-2.1.3*'
            lwip_dir >/dev/null || die "lwIP source not found after fetching" ;;&
        mbedtls|all)
            mbedtls_dir >/dev/null || fetch mbedtls/trixie 'mbedtls-3.6.*'
            mbedtls_dir >/dev/null || die "mbedTLS source not found after fetching" ;;
        lwip) ;;
        *) die "unknown '$what' (lwip, mbedtls, all)" ;;
    esac
done
