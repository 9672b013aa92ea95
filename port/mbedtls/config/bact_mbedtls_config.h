/*
 * bact_mbedtls_config.h - minimal mbedTLS 3.6 LTS configuration for the
 * bact HTTPS client on a device ("Tier A" of docs: TLS 1.2 only).
 *
 * Use: compile mbedTLS and every file that includes an mbedTLS header with
 *     -DMBEDTLS_CONFIG_FILE='"bact_mbedtls_config.h"' -I<this folder>
 * The host build adds bact_mbedtls_host.h as MBEDTLS_USER_CONFIG_FILE (PEM
 * CA bundles, file I/O, the OS entropy source); the TLS 1.3 variant is
 * bact_mbedtls_config_tls13.h. mbedTLS 2.28 has its own file,
 * bact_mbedtls2_config.h. port/mbedtls/README.md explains each choice.
 *
 * What it gives: a TLS 1.2 client, ECDHE-ECDSA and ECDHE-RSA key exchange
 * with AES-GCM, groups x25519 / secp256r1 (secp384r1 only to verify P-384
 * CAs), RSA and ECDSA certificate chains up to RSA-4096 roots, session
 * tickets and session ids, SNI, extended master secret. Records: 16 KiB in
 * (servers send full-size records), 4 KiB out (requests are small). The
 * peer certificate is not kept after the handshake, so a saved session is
 * about 144 B (session id) to 320 B (ticket).
 *
 * Must not define MBEDTLS_CONFIG_H nor include check_config.h (3.x does
 * both itself).
 */
#ifndef BACT_MBEDTLS_CONFIG_H
#define BACT_MBEDTLS_CONFIG_H

/* ---- platform ---- */
#define MBEDTLS_HAVE_ASM
#define MBEDTLS_HAVE_TIME         /* session/ticket ages; bare metal: add
                                     MBEDTLS_PLATFORM_MS_TIME_ALT */
#define MBEDTLS_HAVE_TIME_DATE    /* mbedTLS's own validity check (gmtime_r);
                                     bact's verify callback re-decides the
                                     dates from the port's time source */
#define MBEDTLS_PLATFORM_C
#define MBEDTLS_PLATFORM_MEMORY   /* mbedtls_platform_set_calloc_free():
                                     route allocations to a heap of ours */
#define MBEDTLS_NO_PLATFORM_ENTROPY   /* MCU: no /dev/urandom ...        */
#define MBEDTLS_ENTROPY_HARDWARE_ALT  /* ... mbedtls_hardware_poll() reads
                                         the TRNG (the port supplies it) */

/* ---- groups and key exchange ---- */
#define MBEDTLS_ECP_DP_CURVE25519_ENABLED
#define MBEDTLS_ECP_DP_SECP256R1_ENABLED
#define MBEDTLS_ECP_DP_SECP384R1_ENABLED  /* verifying P-384 CAs (Let's
                                             Encrypt E-series, ISRG X2) */
#define MBEDTLS_ECP_NIST_OPTIM
#define MBEDTLS_KEY_EXCHANGE_ECDHE_ECDSA_ENABLED
#define MBEDTLS_KEY_EXCHANGE_ECDHE_RSA_ENABLED
#define MBEDTLS_PKCS1_V15

/* ---- protocol ---- */
#define MBEDTLS_SSL_CLI_C
#define MBEDTLS_SSL_TLS_C
#define MBEDTLS_SSL_PROTO_TLS1_2
#define MBEDTLS_SSL_SERVER_NAME_INDICATION
#define MBEDTLS_SSL_EXTENDED_MASTER_SECRET
#define MBEDTLS_SSL_SESSION_TICKETS
/* MBEDTLS_SSL_KEEP_PEER_CERTIFICATE: off. Saves 1-3 KB per connection and
 * keeps saved sessions small (retention RAM). */
/* MBEDTLS_SSL_MAX_FRAGMENT_LENGTH: off. Only for the "small buffer" profile
 * against servers known to honour it; never with TLS 1.3. */

/* ---- crypto ---- */
#define MBEDTLS_AES_C
#define MBEDTLS_GCM_C
#define MBEDTLS_CIPHER_C
#define MBEDTLS_MD_C
#define MBEDTLS_SHA256_C
#define MBEDTLS_SHA384_C          /* SHA-384 suites and P-384 CA signatures */
#define MBEDTLS_SHA512_C          /* optional in 3.6 (SHA384_C works alone) */
#define MBEDTLS_BIGNUM_C
#define MBEDTLS_RSA_C
#define MBEDTLS_ECP_C
#define MBEDTLS_ECDH_C
#define MBEDTLS_ECDSA_C
#define MBEDTLS_ASN1_PARSE_C
#define MBEDTLS_ASN1_WRITE_C
#define MBEDTLS_OID_C
#define MBEDTLS_PK_C
#define MBEDTLS_PK_PARSE_C
#define MBEDTLS_X509_USE_C
#define MBEDTLS_X509_CRT_PARSE_C  /* trust anchors as DER: no PEM/base64 */
#define MBEDTLS_CTR_DRBG_C
#define MBEDTLS_ENTROPY_C

/* ---- RAM trims ---- */
#define MBEDTLS_AES_ROM_TABLES
#define MBEDTLS_AES_FEWER_TABLES
#define MBEDTLS_MPI_MAX_SIZE 512          /* RSA-4096 roots must verify */
#define MBEDTLS_MPI_WINDOW_SIZE 2
#define MBEDTLS_ECP_WINDOW_SIZE 2
#define MBEDTLS_ECP_FIXED_POINT_OPTIM 0
#define MBEDTLS_ENTROPY_MAX_SOURCES 2
#define MBEDTLS_SSL_IN_CONTENT_LEN 16384  /* servers send 16 KiB records */
#define MBEDTLS_SSL_OUT_CONTENT_LEN 4096  /* requests are small; larger
                                             bodies go out in pieces */

/* ---- cipher suites, in order of preference ---- */
#define MBEDTLS_SSL_CIPHERSUITES                          \
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,      \
    MBEDTLS_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,        \
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,      \
    MBEDTLS_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384

#endif /* BACT_MBEDTLS_CONFIG_H */
