#!/usr/bin/env bash
# Install what the board builds, `make size` and the lwIP host test need,
# from Debian's packages only. Does nothing when all is present.
#   --lwip     only what the lwIP host test needs (liblwip-dev)
#   --source   also what fetching Debian source packages needs (dpkg-dev)
set -euo pipefail
lwip_only=0
for arg in "$@"; do
    case $arg in
        --lwip) lwip_only=1 ;;
    esac
done
. "$(dirname "$0")/deps_common.sh"
want_cmd gcc gcc
want_cmd python3 python3
want_cmd openssl openssl
want_file /usr/include/jsmn.h libjsmn-dev
want_file /usr/include/lwip/lwip/sockets.h liblwip-dev
want_file /usr/include/mbedtls/ssl.h libmbedtls-dev
if [ $lwip_only = 0 ]; then
    want_cmd arm-none-eabi-gcc gcc-arm-none-eabi
    want_file /usr/lib/arm-none-eabi/newlib/libc_nano.a libnewlib-arm-none-eabi
    want_cmd riscv64-unknown-elf-gcc gcc-riscv64-unknown-elf
    want_file /usr/lib/picolibc/riscv64-unknown-elf/picolibc.specs picolibc-riscv64-unknown-elf
    want_cmd xtensa-lx106-elf-gcc gcc-xtensa-lx106
    want_file /usr/lib/xtensa-lx106-elf/picolibc.specs picolibc-xtensa-lx106-elf
    # scripts/lwip_src.sh: Debian's lwIP and mbedTLS source packages
    want_cmd dpkg-source dpkg-dev
    want_file /usr/share/keyrings/debian-archive-keyring.gpg debian-archive-keyring
    want_cmd xz xz-utils
    want_cmd bzip2 bzip2
    # the firmware image's trust anchor (DER in flash)
    want_file /etc/ssl/certs/ISRG_Root_X1.pem ca-certificates
fi
install_needed deps_boards
