#!/usr/bin/env bash
# Install what the build, the tests and the demo need, from Debian's
# packages and the npm registry only. Does nothing when all is present.
set -euo pipefail
# --quiet: only what building the library and the tools needs;
# --mbedtls36: also what scripts/mbedtls36.sh needs (apt-get source);
# --fuzz: also what the libFuzzer harnesses need (tests/fuzz/fuzz.mk);
# --demo: also what make demo needs (openssl, for its CA).
quiet=0
tls36=0
fuzz=0
demo=0
for arg in "$@"; do
    case $arg in
        --quiet) quiet=1 ;;
        --mbedtls36) tls36=1 ;;
        --fuzz) fuzz=1 ;;
        --demo) demo=1 ;;
    esac
done
. "$(dirname "$0")/deps_common.sh"
want_cmd gcc gcc
want_cmd make make
want_cmd python3 python3
want_cmd curl curl
want_file /usr/include/jsmn.h libjsmn-dev
want_file /usr/include/stdio.h libc6-dev
want_file /usr/include/mbedtls/ssl.h libmbedtls-dev
if [ $quiet = 0 ] || [ $tls36 = 1 ]; then
    # scripts/mbedtls36.sh: Debian's mbedTLS 3.6 source package
    want_cmd dpkg-source dpkg-dev
    want_file /usr/share/keyrings/debian-archive-keyring.gpg debian-archive-keyring
    want_cmd bzip2 bzip2
    want_cmd xz xz-utils
fi
if [ $quiet = 0 ] || [ $fuzz = 1 ]; then
    # clang with its fuzzer runtime
    want_cmd clang clang
    want_file /usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a libclang-rt-14-dev
fi
if [ $quiet = 0 ] || [ $demo = 1 ]; then
    want_cmd openssl openssl
fi
if [ $quiet = 0 ]; then
    # only the test suite needs these
    want_cmd valgrind valgrind
    want_cmd nginx nginx-light
    want_cmd node nodejs
    command -v node >/dev/null 2>&1 && { command -v npm >/dev/null 2>&1 || need+=(npm); }
fi
if [ ${#need[@]} -eq 0 ] && [ $quiet = 0 ]; then
    echo "deps: all present" >&2
fi
install_needed deps
