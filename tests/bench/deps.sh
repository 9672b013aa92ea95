#!/usr/bin/env bash
# What `make bench` needs, from Debian's packages: the build (gcc, jsmn,
# and what scripts/mbedtls36.sh needs to fetch and unpack Debian trixie's
# mbedTLS 3.6 source package: dpkg-dev, the archive keyring, bzip2, xz), the
# server (nginx-light, openssl for the certificates), the other clients
# (curl, wrk), the instruction counter (valgrind) and python3 for the driver
# and the byte-counting relay. Does nothing when all is present.
set -euo pipefail
need=()
want_cmd() { command -v "$1" >/dev/null 2>&1 || need+=("$2"); }
want_file() { [ -e "$1" ] || need+=("$2"); }
want_cmd gcc gcc
want_cmd make make
want_cmd python3 python3
want_file /usr/include/jsmn.h libjsmn-dev
want_file /usr/include/stdio.h libc6-dev
want_cmd dpkg-source dpkg-dev
want_file /usr/share/keyrings/debian-archive-keyring.gpg debian-archive-keyring
want_cmd bzip2 bzip2
want_cmd xz xz-utils
want_cmd openssl openssl
want_cmd curl curl
want_cmd wrk wrk
want_cmd valgrind valgrind
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
if [ ${#need[@]} -gt 0 ]; then
    echo "bench: installing ${need[*]}" >&2
    if [ "$(id -u)" != 0 ]; then SUDO=sudo; else SUDO=; fi
    $SUDO apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
        --no-install-recommends "${need[@]}" >&2
fi
