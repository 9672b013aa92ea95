/*
 * harness.h - a small test harness and a scripted transport.
 *
 * Each test binary lists its cases in a table and calls t_main(); every
 * case prints "ok - suite.case" or "not ok - suite.case: file:line: what",
 * and tests/run.sh adds the lines of all binaries up.
 *
 * The scripted transport replays a list of steps (bytes, "nothing yet",
 * a clean close, an error) in one of three delivery modes, records what
 * the client sent, and drives a fake clock so timeouts run instantly.
 */
#ifndef BACT_TEST_HARNESS_H
#define BACT_TEST_HARNESS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bact.h"

typedef struct t_case {
    const char *name;
    void (*fn)(void);
} t_case;

void t_fail(const char *file, int line, const char *what);
int t_main(const char *suite, const t_case *cases, size_t n);

#define T_CASE(f) { #f, f }
#define CHECK(cond)                                   \
    do {                                              \
        if (!(cond))                                  \
            t_fail(__FILE__, __LINE__, #cond);        \
    } while (0)
#define CHECK_INT(a, b)                                                  \
    do {                                                                 \
        long long t_a_ = (long long)(a), t_b_ = (long long)(b);          \
        if (t_a_ != t_b_)                                                \
            t_fail_int(__FILE__, __LINE__, #a " == " #b, t_a_, t_b_);    \
    } while (0)
#define CHECK_STR(a, b)                                                  \
    do {                                                                 \
        const char *t_a_ = (a), *t_b_ = (b);                             \
        if (t_a_ == NULL || t_b_ == NULL || strcmp(t_a_, t_b_) != 0)     \
            t_fail_str(__FILE__, __LINE__, #a " == " #b, t_a_, t_b_);    \
    } while (0)
void t_fail_int(const char *file, int line, const char *what, long long a,
                long long b);
void t_fail_str(const char *file, int line, const char *what, const char *a,
                const char *b);

/* ---- scripted transport ---- */

enum {
    T_DATA = 1,    /* deliver bytes */
    T_NOTHING,     /* one call returns 0 ("nothing yet") */
    T_CLOSE,       /* recv returns BACT_E_CLOSED (stays closed) */
    T_ERROR,       /* recv returns the error in len */
    T_END,         /* end of script: recv returns 0 forever (a stall) */
    T_FAIL,        /* recv returns the error in len once (a reset), then
                      the script goes on (on a new connection) */
    T_LATE         /* the clock moves by len ms within the recv, which
                      then goes on to the next step (bytes that come as
                      the recv's wait ends) */
};

enum {
    T_WHOLE = 0,   /* each T_DATA step in one recv (as far as room allows) */
    T_BYTES,       /* one byte per recv */
    T_GAPS         /* one byte per recv with a "nothing yet" between */
};

typedef struct t_step {
    int kind;
    const char *data;
    size_t len;
} t_step;

#define T_STEPS_MAX 64

typedef struct t_io {
    t_step steps[T_STEPS_MAX];
    size_t nsteps, idx, off;
    int mode;
    int gap;            /* T_GAPS: next call returns 0 */
    int open_rc;        /* what open() returns */
    int send_rc;        /* 0: accept everything; else returned by send() */
    size_t send_max;    /* bytes accepted per send call (0: all) */
    unsigned opens, closes, recvs, sends;
    int is_open;
    char sent[16384];
    size_t sent_len;
    uint32_t now;       /* the fake clock, ms */
    unsigned clock_reads; /* now_ms calls */
    uint32_t slept;     /* total ms slept */
    unsigned sleeps;
} t_io;

void t_io_init(t_io *io, int mode);
/* add a step; data is copied by pointer (string literals) */
void t_io_add(t_io *io, int kind, const char *data, size_t len);
void t_io_data(t_io *io, const char *s); /* T_DATA of a C string */
void t_io_transport(t_io *io, bact_transport *t);
void t_io_platform(t_io *io, bact_platform *p);

/* A client over a scripted transport with a buffer of buf_len bytes and
 * ntok tokens (both from static storage inside the harness). */
bact_client *t_client(t_io *io, size_t buf_len, unsigned ntok,
                      const char *base_url, uint8_t retries);

#endif
