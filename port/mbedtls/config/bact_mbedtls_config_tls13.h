/*
 * bact_mbedtls_config_tls13.h - the optional TLS 1.3 variant ("Tier B") of
 * bact_mbedtls_config.h, for mbedTLS 3.6 LTS: TLS 1.2 and 1.3.
 *
 * Use: -DMBEDTLS_CONFIG_FILE='"bact_mbedtls_config_tls13.h"' -I<this folder>
 *
 * Costs (measured, see README): about +28 KB flash and +2-4 KB RAM against
 * Tier A, and the peer certificate is kept (3.6 requires it for TLS 1.3),
 * so saved sessions grow by the certificate. TLS 1.3 resumption uses
 * psk_dhe_ke: it still does one x25519 exchange. Never enable
 * MBEDTLS_SSL_MAX_FRAGMENT_LENGTH here: a 3.6 TLS 1.3 client offering it
 * fails the handshake against servers that honour it (-0x7500).
 */
#ifndef BACT_MBEDTLS_CONFIG_TLS13_H
#define BACT_MBEDTLS_CONFIG_TLS13_H

#include "bact_mbedtls_config.h"

#define MBEDTLS_SSL_PROTO_TLS1_3
#define MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_EPHEMERAL_ENABLED
#define MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_PSK_EPHEMERAL_ENABLED /* resume */
#define MBEDTLS_PSA_CRYPTO_C              /* TLS 1.3 runs on PSA crypto */
#define MBEDTLS_HKDF_C
#define MBEDTLS_SSL_KEEP_PEER_CERTIFICATE /* required by TLS 1.3 in 3.6 */
#define MBEDTLS_PKCS1_V21
#define MBEDTLS_X509_RSASSA_PSS_SUPPORT   /* rsa_pss_rsae_*: without it RSA
                                             servers fail the handshake */

#undef MBEDTLS_SSL_CIPHERSUITES
#define MBEDTLS_SSL_CIPHERSUITES                          \
    MBEDTLS_TLS1_3_AES_128_GCM_SHA256,                    \
    MBEDTLS_TLS1_3_AES_256_GCM_SHA384,                    \
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,      \
    MBEDTLS_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,        \
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,      \
    MBEDTLS_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384

#endif /* BACT_MBEDTLS_CONFIG_TLS13_H */
