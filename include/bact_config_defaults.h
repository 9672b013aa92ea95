/*
 * bact_config_defaults.h - compile-time knobs, each with its default.
 *
 * To change a knob, write a header of your own and build with
 * -DBACT_CONFIG_FILE='"my_bact_config.h"'; it is included before these
 * defaults. Nonsense values are rejected with #error.
 */
#ifndef BACT_CONFIG_DEFAULTS_H
#define BACT_CONFIG_DEFAULTS_H

#ifdef BACT_CONFIG_FILE
#include BACT_CONFIG_FILE
#endif

/** Size of the fixed fields that hold ids (task, workflow, template,
 *  profile), terminating NUL included. Real ids are 17 digits; an id from
 *  the server that does not fit is a BACT_E_SHAPE error, never truncated. */
#ifndef BACT_ID_SIZE
#define BACT_ID_SIZE 48
#endif

/** Size of the field that keeps a task status word as the server sent it,
 *  NUL included (the longest known word, "finished", needs 9). */
#ifndef BACT_STATUS_SIZE
#define BACT_STATUS_SIZE 24
#endif

/** Default limit on the response header section (status line through the
 *  blank line), in bytes. The section is parsed as it streams by and is
 *  never stored, so this costs no RAM. */
#ifndef BACT_DEFAULT_MAX_HEADER_BYTES
#define BACT_DEFAULT_MAX_HEADER_BYTES 8192u
#endif

/** Default limit on the number of response header fields. */
#ifndef BACT_DEFAULT_MAX_HEADERS
#define BACT_DEFAULT_MAX_HEADERS 64u
#endif

/** Default inactivity timeout for connect, send and each receive (ms). */
#ifndef BACT_DEFAULT_TIMEOUT_MS
#define BACT_DEFAULT_TIMEOUT_MS 30000u
#endif

/** First retry back-off step (ms); it doubles per attempt, with jitter. */
#ifndef BACT_DEFAULT_BACKOFF_MS
#define BACT_DEFAULT_BACKOFF_MS 500u
#endif

/** Upper bound of any single wait between attempts, Retry-After included
 *  (ms). */
#ifndef BACT_MAX_BACKOFF_MS
#define BACT_MAX_BACKOFF_MS 60000u
#endif

/** The User-Agent header value. */
#ifndef BACT_USER_AGENT
#define BACT_USER_AGENT "bact/0.1"
#endif

/** 1: bact_strerror() returns text; 0: it returns "" (saves about
 *  0.4 KB: 453 B of the whole client on cortex-m4f, make size). */
#ifndef BACT_CONFIG_ERROR_STRINGS
#define BACT_CONFIG_ERROR_STRINGS 1
#endif

/** 1: bact_config.trace is called with the request line, status line,
 *  connects and retries; 0: the trace code is left out and bact_init()
 *  refuses a trace callback with BACT_E_UNSUPPORTED (saves about 0.3 KB:
 *  295 B on cortex-m4f, make size). */
#ifndef BACT_CONFIG_TRACE
#define BACT_CONFIG_TRACE 1
#endif

/** 1: a status line or header line that is complete in the bytes at hand
 *  is taken in one step, a machine word at a time; 0: every byte goes
 *  through the byte-at-a-time parser, which the first way falls back to
 *  anyway and which gives the same outcome at the same byte. 0 saves
 *  about 0.7 KB (700 B on cortex-m4f, make size) and costs about 5,800
 *  instructions per status poll on x86-64 (the 167-byte answer of make
 *  bench's nginx, polls counted with callgrind: 4,098 against 9,882). */
#ifndef BACT_CONFIG_FAST_HEAD
#define BACT_CONFIG_FAST_HEAD 1
#endif

/** Upper bound on transport calls in one attempt. A guard against a port
 *  whose clock does not advance; the deadlines end an attempt long before. */
#ifndef BACT_MAX_IO_CALLS
#define BACT_MAX_IO_CALLS 1000000ul
#endif

/** Upper bound on the polls of one bact_wait() call, with max_wait_ms
 *  BACT_WAIT_FOREVER too (over a year at one every 5 s); reached, it
 *  returns BACT_E_DEADLINE. A test build may set it low to reach it. */
#ifndef BACT_WAIT_MAX_POLLS
#define BACT_WAIT_MAX_POLLS 10000000ul
#endif

#if BACT_ID_SIZE < 18 || BACT_ID_SIZE > 256
#error "BACT_ID_SIZE must hold a 17-digit id and NUL, and be at most 256"
#endif
#if BACT_STATUS_SIZE < 10 || BACT_STATUS_SIZE > 256
#error "BACT_STATUS_SIZE must be between 10 and 256"
#endif
#if BACT_WAIT_MAX_POLLS < 1
#error "BACT_WAIT_MAX_POLLS must be at least 1"
#endif
#if BACT_CONFIG_ERROR_STRINGS != 0 && BACT_CONFIG_ERROR_STRINGS != 1
#error "BACT_CONFIG_ERROR_STRINGS must be 0 or 1"
#endif
#if BACT_CONFIG_TRACE != 0 && BACT_CONFIG_TRACE != 1
#error "BACT_CONFIG_TRACE must be 0 or 1"
#endif
#if BACT_CONFIG_FAST_HEAD != 0 && BACT_CONFIG_FAST_HEAD != 1
#error "BACT_CONFIG_FAST_HEAD must be 0 or 1"
#endif
#if BACT_DEFAULT_MAX_HEADER_BYTES < 64
#error "BACT_DEFAULT_MAX_HEADER_BYTES is too small for any status line"
#endif
#if BACT_DEFAULT_MAX_HEADERS < 1
#error "BACT_DEFAULT_MAX_HEADERS must be at least 1"
#endif
#if BACT_DEFAULT_TIMEOUT_MS < 1
#error "BACT_DEFAULT_TIMEOUT_MS must be positive"
#endif
#if BACT_MAX_BACKOFF_MS < BACT_DEFAULT_BACKOFF_MS
#error "BACT_MAX_BACKOFF_MS must be at least BACT_DEFAULT_BACKOFF_MS"
#endif

#endif /* BACT_CONFIG_DEFAULTS_H */
