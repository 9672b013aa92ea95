/*
 * bact_mbedtls_bench.h - the x86-64 host configuration of `make bench`
 * (build/bench/poll_bench): the device configuration with the host
 * additions, plus hardware AES and GHASH. Included last, as
 *     -DMBEDTLS_CONFIG_FILE='"bact_mbedtls_config.h"'
 *     -DMBEDTLS_USER_CONFIG_FILE='"bact_mbedtls_bench.h"'
 * for mbedTLS 3.6 (scripts/mbedtls36.sh host-bench) and for every file of
 * the bench that includes an mbedTLS header.
 *
 * Once connected, what a poll costs mbedTLS is the record layer: AES-CTR
 * and GHASH over every 16 bytes each way, block by block. The device
 * configuration does both in portable C (about 42,000 instructions a poll
 * against the bench's nginx); a host application would use the CPU's
 * instructions (tests/bench/README.md has the measured steps):
 *
 * - MBEDTLS_AESNI_C: AES rounds with AESENC, GHASH with PCLMULQDQ
 *   (MBEDTLS_HAVE_ASM is already on): about 14,600. Built with -maes
 *   -mpclmul, 3.6 uses its intrinsics code, where -mssse3 lets the
 *   compiler turn GHASH's byte reversals into one shuffle each: 9,200.
 * - MBEDTLS_AES_USE_HARDWARE_ONLY, only when the compiler targets AES-NI
 *   and PCLMULQDQ (scripts/mbedtls36.sh passes -maes -mpclmul only when
 *   /proc/cpuinfo lists them): no portable AES is compiled and no CPU check
 *   runs per block (with -O3: 8,150 -> 7,460). Without those flags 3.6
 *   keeps its run-time detection and its portable fallback.
 * - MBEDTLS_BLOCK_CIPHER_C: GCM calls AES through mbedTLS's small block
 *   cipher layer instead of the generic cipher layer (mbedtls_cipher_update
 *   with its mode checks, then a wrapper), for every 16 bytes: 7,460 ->
 *   6,902. 3.6 turns this on by itself only when the generic layer is left
 *   out or a PSA driver does AES; set here, it changes nothing but that
 *   call path (the TLS record layer still uses the generic cipher layer).
 *
 * Not settings of this file: scripts/mbedtls36.sh host-bench also builds
 * mbedTLS for link-time optimisation, so that those per-block calls, which
 * cross mbedTLS's files, are inlined when poll_bench is linked (6,813 ->
 * 5,437 with the TLS port as it is now), and with -mavx when the CPU has
 * AVX (the VEX forms of the same instructions, without register copies:
 * 5,437 -> 4,985).
 *
 * Not used, and why: MBEDTLS_GCM_LARGE_TABLE only speeds up the portable
 * GHASH, which is never taken with PCLMULQDQ (and adds 3.75 KiB to each of
 * the two GCM contexts). MBEDTLS_DEBUG_C stays off, as in the device file.
 *
 * Nothing else changes: same suites (ECDHE with AES-GCM, TLS 1.2), groups,
 * record buffers (16 KiB in, 4 KiB out) and handshake trims as the device,
 * so the https figures are the device profile's, with the host's AES.
 */
#ifndef BACT_MBEDTLS_BENCH_H
#define BACT_MBEDTLS_BENCH_H

#include "bact_mbedtls_host.h"

#define MBEDTLS_AESNI_C
#define MBEDTLS_BLOCK_CIPHER_C

#if defined(__AES__) && defined(__PCLMUL__)
#define MBEDTLS_AES_USE_HARDWARE_ONLY
#endif

#endif /* BACT_MBEDTLS_BENCH_H */
