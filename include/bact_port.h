/*
 * bact_port.h - what a port supplies: a transport, a clock, a sleep and a
 * random source. The core (src/) reaches the outside world only through
 * these function pointers.
 */
#ifndef BACT_PORT_H
#define BACT_PORT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * A byte stream to one server.
 *
 * The contract of send and recv (the four outcomes a caller must tell
 * apart):
 *
 *   > 0            that many bytes were moved (1..len);
 *   0              nothing yet: no byte could move within timeout_ms
 *                  (would block, or the wait timed out). Not an error: the
 *                  core decides when a deadline has passed;
 *   BACT_E_CLOSED  (recv only) the peer closed the stream cleanly (EOF;
 *                  over TLS, a close_notify); every later recv returns it
 *                  again, whatever comes after (over TLS, the FIN);
 *   other < 0      a fatal error, as a bact_err code: BACT_E_NET (reset,
 *                  broken pipe, any socket error), BACT_E_TLS, ...
 *                  The stream is unusable afterwards, but for reading
 *                  what came before: after a send failed, the core calls
 *                  recv for an answer the server sent before it reset the
 *                  stream (a 401 or 413 before it read a large body);
 *                  recv returns the bytes that came, then an error.
 *
 * timeout_ms is the longest the call may block; 0 means "do not block".
 *
 * open connects to host:port (host is host_len bytes, not NUL-terminated; an
 * IPv6 literal comes without brackets) and returns BACT_OK, BACT_E_DNS,
 * BACT_E_CONNECT, BACT_E_TIMEOUT or BACT_E_TLS. (A blocking resolver may
 * hold open longer than timeout_ms while it looks a name up: the POSIX and
 * lwIP ports' do; their headers say for how long.) open is only called
 * when no stream is open. close releases the stream; it is safe to call when none is
 * open. Both may be NULL for a transport the application connects itself:
 * then the core never reconnects, and once that stream failed or the server
 * closed it, every call returns BACT_E_CLOSED at once (no retries; connect a
 * new stream and bact_init() again).
 */
typedef struct bact_transport {
    void *io; /**< passed to every call; owned by the application */
    int (*open)(void *io, const char *host, size_t host_len, uint16_t port,
                uint32_t timeout_ms);
    int32_t (*send)(void *io, const uint8_t *data, size_t len,
                    uint32_t timeout_ms);
    int32_t (*recv)(void *io, uint8_t *buf, size_t len, uint32_t timeout_ms);
    void (*close)(void *io);
} bact_transport;

/**
 * Time and randomness.
 *
 * now_ms    monotonic milliseconds; may wrap at 2^32 (the core only ever
 *           subtracts two readings). Required.
 * sleep_ms  block for about ms milliseconds, for retries and bact_wait().
 *           Required; may return early (the core re-reads the clock).
 * random    any 32-bit value, for back-off jitter. May be NULL (no jitter).
 */
typedef struct bact_platform {
    void *ctx;
    uint32_t (*now_ms)(void *ctx);
    void (*sleep_ms)(void *ctx, uint32_t ms);
    uint32_t (*random)(void *ctx);
} bact_platform;

#ifdef __cplusplus
}
#endif

#endif /* BACT_PORT_H */
