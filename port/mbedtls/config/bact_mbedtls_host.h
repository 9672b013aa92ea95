/*
 * bact_mbedtls_host.h - what the host tool adds to a device configuration
 * (3.6 builds by scripts/mbedtls36.sh). Included last, as
 *     -DMBEDTLS_USER_CONFIG_FILE='"bact_mbedtls_host.h"'
 * after bact_mbedtls_config.h or bact_mbedtls_config_tls13.h.
 *
 * - the operating system's entropy (getrandom / /dev/urandom) instead of a
 *   TRNG hook;
 * - PEM and file I/O, to read a CA bundle with --ca-file (default: the
 *   system bundle). Certificates in the bundle whose algorithms this
 *   configuration lacks (P-521, ...) are skipped, not fatal:
 *   mbedtls_x509_crt_parse_file() reports them as a partial success and
 *   the port fails only when no certificate at all was loaded;
 * - SHA-1, only so that roots which sign themselves with SHA-1 can be
 *   parsed: 30 of the 144 roots in Debian 12's bundle do (DigiCert Global
 *   Root CA, GlobalSign, Go Daddy, ...), and a root's own signature is never
 *   checked. mbedTLS 3.6's default X.509 profile and TLS signature
 *   algorithms still refuse SHA-1 everywhere else.
 * Nothing else changes: same suites, groups, buffers and trims as the
 * device, so the host tests exercise the device profile.
 */
#ifndef BACT_MBEDTLS_HOST_H
#define BACT_MBEDTLS_HOST_H

#undef MBEDTLS_NO_PLATFORM_ENTROPY
#undef MBEDTLS_ENTROPY_HARDWARE_ALT
#define MBEDTLS_PEM_PARSE_C
#define MBEDTLS_BASE64_C
#define MBEDTLS_FS_IO
#define MBEDTLS_SHA1_C

#endif /* BACT_MBEDTLS_HOST_H */
