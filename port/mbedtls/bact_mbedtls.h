/*
 * bact_mbedtls.h - HTTPS for bact: a TLS transport that wraps any inner
 * transport (POSIX sockets, lwIP, ...), so the core never sees mbedTLS.
 *
 * Safe by default: the server certificate must verify against the trust
 * anchors given, its name must match the host (SNI is sent), TLS 1.2 is the
 * minimum, and the key-exchange groups are set explicitly (x25519, then
 * secp256r1). There is no switch that turns verification off.
 *
 * Works with mbedTLS 2.28 and 3.6.
 */
#ifndef BACT_MBEDTLS_H
#define BACT_MBEDTLS_H

#include <stddef.h>
#include <stdint.h>

#include "bact_port.h"

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Why the last TLS operation failed (bact_tls_last_reason()). */
typedef enum bact_tls_reason {
    BACT_TLS_NONE = 0,
    BACT_TLS_CERT_EXPIRED,       /**< the server certificate has expired */
    BACT_TLS_CERT_NOT_YET_VALID, /**< ... is not valid yet */
    BACT_TLS_CERT_NAME_MISMATCH, /**< ... does not name the host */
    BACT_TLS_CERT_UNTRUSTED,     /**< ... does not chain to a trust anchor
                                      (self-signed, unknown CA) */
    BACT_TLS_CERT_OTHER,         /**< other verification failure */
    BACT_TLS_HANDSHAKE,          /**< handshake failed (no common suite,
                                      version below 1.2, not TLS at all) */
    BACT_TLS_ALERT,              /**< the peer sent a fatal alert */
    BACT_TLS_RECORD_TOO_BIG,     /**< a record larger than the input buffer */
    BACT_TLS_TRUNCATED,          /**< the peer closed without close_notify */
    BACT_TLS_CLOSED_IN_HANDSHAKE,/**< the peer closed during the handshake */
    BACT_TLS_CONFIG,             /**< bad trust anchors, RNG failure, ... */
    BACT_TLS_PROTOCOL,           /**< after the handshake: a bad record
                                      (bad MAC, unexpected message, ...) */
    BACT_TLS_VERSION,            /**< no common protocol version: the server
                                      answered below TLS 1.2, or sent a
                                      protocol_version alert */
    BACT_TLS_TIMEOUT             /**< the handshake did not complete in
                                      time (a TLS error: exit 4) */
} bact_tls_reason;

/** Seconds since the epoch for certificate validity checks, or -1 when the
 *  device does not know the time (any other value is a time: one before
 *  1970 makes every certificate not valid yet). */
typedef int64_t (*bact_tls_time_fn)(void *ctx);

typedef struct bact_tls_config {
    /** Trust anchors: a PEM file (hosts; NULL: none), */
    const char *ca_file;
    /** and/or a constant array in flash: DER, or PEM with its NUL counted
     *  in ca_len. */
    const unsigned char *ca;
    size_t ca_len;
    /** The time source. NULL: the C library's time() (hosts). When it
     *  returns -1, the chain and the host name are still verified but the
     *  validity dates cannot be: bact_tls_dates_checked() then says 0. */
    bact_tls_time_fn now;
    void *now_ctx;
    /** Optional: a monotonic clock (only now_ms is used). With it the
     *  handshake ends after timeout_ms without progress (and 4 x timeout_ms
     *  in all) and send/recv never block longer than their timeout_ms in
     *  total, also while bytes keep coming that carry no data (warning
     *  alerts). Without it only inner calls can be counted, each of which
     *  may wait up to timeout_ms: the handshake gives up after two
     *  consecutive calls that moved nothing or 256 calls in all (so open()
     *  returns within about 256 x timeout_ms whatever the peer sends), and
     *  send/recv make at most 32 calls each (then return 0, nothing yet: so
     *  within about 32 x timeout_ms). */
    const bact_platform *platform;
} bact_tls_config;

/** The TLS transport's state. Owned by the application; mbedTLS allocates
 *  its record buffers through its own allocator (see port/mbedtls/README). */
typedef struct bact_tls {
    bact_transport inner;
    mbedtls_ssl_config conf;
    mbedtls_ssl_context ssl;
    mbedtls_x509_crt ca;
    mbedtls_entropy_context entropy;
    mbedtls_ctr_drbg_context drbg;
    mbedtls_ssl_session session;   /* for resumption */
    bact_tls_time_fn now;
    void *now_ctx;
    uint32_t (*now_ms)(void *ctx); /* optional monotonic clock */
    void *clock_ctx;
    char host[256];                /* of the last open(); the saved session
                                      belongs to host:port */
    uint16_t port;
    uint32_t timeout_ms;           /* of the inner call being made */
    uint32_t win_start;            /* clock reading the window started at */
    uint8_t win_lazy;              /* 1: ... read at the first inner call */
    uint16_t op_calls;             /* inner calls of this operation */
    uint32_t hs_t0, hs_total;      /* handshake: start, time allowed */
    uint32_t verify_flags;         /* mbedTLS verification flags */
    int mbed_err;                  /* last mbedTLS error code */
    int inner_err;                 /* last error of the inner transport */
    int64_t hs_now;                /* validity-check time of the handshake,
                                      as YYYYMMDDhhmmss; -1: unknown */
    uint32_t rec_left;             /* record tracking (oversize records) */
    uint32_t rec_len;
    int alert;                     /* last plaintext alert received (its
                                      description), -1: none */
    uint8_t rec_hdr[5], rec_hdr_n;
    uint8_t peer_eof;              /* the inner transport reported EOF */
    uint8_t peer_notify;           /* a close_notify came: every later
                                      recv returns BACT_E_CLOSED again */
    int32_t stash_r;               /* what the keep-alive check's inner
                                      recv answered (0: nothing kept): 1
                                      with the byte stash, or an error;
                                      bio_recv() gives it to mbedTLS first */
    uint8_t stash;
    uint32_t out_left;             /* bytes of a record mbedTLS has still to
                                      send (its flush hands the BIO all) */
    uint32_t out_mine;             /* > 0: a record of the caller's data
                                      (a send answered "nothing yet"), of
                                      that many bytes of it */
    bact_tls_reason reason;
    uint8_t ready, open, has_session, resumed, dates_checked;
    uint8_t progress, verify_called, hs_dates_checked, sess_dates_checked,
            sess_unbound, hs_active, idle_calls;
    unsigned handshakes, resumptions;
} bact_tls;

/** Set up t over inner (copied): seed the RNG, parse the trust anchors,
 *  configure a verified TLS 1.2+ client. BACT_OK, BACT_E_ARG or BACT_E_TLS
 *  (bact_tls_reason() says why: BACT_TLS_CONFIG). Whatever it returns
 *  (t not NULL), bact_tls_free() releases what it took: anchors parsed
 *  before a later step failed are held by mbedTLS until then. */
int bact_tls_init(bact_tls *t, const bact_transport *inner,
                  const bact_tls_config *cfg);

/** Fill out with the TLS transport over t. open() connects the inner
 *  transport and completes the handshake (resuming the saved session when
 *  there is one); send/recv keep the four-outcome contract of
 *  bact_port.h; recv returns BACT_E_CLOSED only after a close_notify.
 *  One rule more for send, as mbedTLS's: after a send answered 0 (nothing
 *  yet), the next one offers the same bytes first (its record was begun
 *  with them), as many or more, and is answered with that record's count;
 *  fewer is BACT_E_ARG. */
void bact_tls_transport(bact_transport *out, bact_tls *t);

/** Release everything mbedTLS holds. */
void bact_tls_free(bact_tls *t);

/** After BACT_E_TLS (or a TLS-level BACT_E_NET): why, and as text. */
bact_tls_reason bact_tls_last_reason(const bact_tls *t);
const char *bact_tls_reason_text(bact_tls_reason r);

/** The description code of the fatal alert behind BACT_TLS_ALERT (e.g. 40
 *  handshake_failure, 48 unknown_ca), when it came in clear (TLS 1.2
 *  handshake); -1 when none was seen or it was encrypted. */
int bact_tls_last_alert(const bact_tls *t);

/** 1 when the last handshake checked the certificate dates against a
 *  known time, 0 when the time was unknown. */
int bact_tls_dates_checked(const bact_tls *t);

/** Session resumption: the session of the last handshake, serialized so it
 *  can live in retention RAM across deep sleep (with the project's configs,
 *  which do not keep the peer certificate: about 144 B for a session id, up
 *  to about 320 B for a ticket; Debian's 2.28 keeps the certificate in it).
 *  BACT_OK, BACT_E_BUF (*len = size needed; buf may be NULL with cap 0),
 *  BACT_E_ARG (none yet). load restores one; a blob from another mbedTLS
 *  version or build is refused (BACT_E_ARG) and a full handshake follows.
 *  A loaded session is offered to the next open(), whatever its host: load
 *  only a blob saved for the same server. A resumed handshake reports
 *  bact_tls_dates_checked() as the full handshake that made the session
 *  did (0 for a loaded one: that is not known). */
int bact_tls_session_save(const bact_tls *t, uint8_t *buf, size_t cap,
                          size_t *len);
int bact_tls_session_load(bact_tls *t, const uint8_t *buf, size_t len);

/** Counters: handshakes done, and how many of them were resumed. */
unsigned bact_tls_handshakes(const bact_tls *t);
unsigned bact_tls_resumptions(const bact_tls *t);

/** 1 when the last handshake resumed a session (no certificate was sent:
 *  a TLS 1.2 abbreviated handshake or a TLS 1.3 PSK one). */
int bact_tls_resumed(const bact_tls *t);

#ifdef __cplusplus
}
#endif

#endif /* BACT_MBEDTLS_H */
