/*
 * poll_bench.c - N sequential get-task-status polls through the library,
 * the way an application would make them: one client, one kept-alive
 * connection, the POSIX port, and for https the mbedTLS transport over it.
 *
 *   poll_bench URL N [--ca-file F] [--no-resume] [--key K] [--task ID]
 *
 * URL is the API origin (http://127.0.0.1:PORT or https://...). One warm-up
 * poll opens the connection (and does the handshake); the N polls after it
 * are timed. Prints a human line on stderr and one line of key=value pairs
 * on stdout for tests/bench/run.py:
 *
 *   polls, elapsed_s, polls_per_s     the timed loop
 *   tx, rx, conns                     bytes sent/received on the wire and
 *                                     TCP connections, all polls (warm-up
 *                                     included), counted by a wrapper
 *                                     around the POSIX transport: for https
 *                                     TLS records are counted
 *   handshakes, resumed               TLS counters (bact_tls_*)
 *   tls_version, tls_suite, tls_lib   https: what was negotiated, and the
 *                                     mbedTLS it was compiled against
 *   rss_kb                            peak resident set (VmHWM; not
 *                                     getrusage, whose ru_maxrss keeps the
 *                                     forking parent's peak across exec)
 *   heap_*                            the process heap, seen through
 *                                     malloc/calloc/realloc/free defined
 *                                     here (they take precedence over the C
 *                                     library's, for mbedTLS too) and
 *                                     forwarded to glibc's __libc_* ones
 *
 * --no-resume forgets the TLS session before every connection, so each one
 * makes a full handshake (for the "handshakes per 100 polls" figure against
 * a server that closes after each answer).
 *
 * --no-count leaves the counting transport out (tx, rx and conns print 0):
 * the instruction counts are then those of an application, without the
 * bench's own bookkeeping between the TLS (or HTTP) layer and the socket.
 */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "bact.h"
#include "bact_posix.h"
#ifdef BACT_HAVE_TLS
#include "bact_mbedtls.h"
#include <mbedtls/version.h>
#endif

/* ------------------------------------------------------------------ */
/* Heap accounting (glibc)                                              */
/* ------------------------------------------------------------------ */

void *__libc_malloc(size_t n);
void *__libc_calloc(size_t n, size_t m);
void *__libc_realloc(void *p, size_t n);
void __libc_free(void *p);

static struct {
    size_t live, peak;
    unsigned long calls; /* malloc + calloc + realloc */
} heap;

static void heap_add(void *p)
{
    if (p != NULL) {
        heap.live += malloc_usable_size(p);
        if (heap.live > heap.peak)
            heap.peak = heap.live;
    }
}

static void heap_sub(void *p)
{
    if (p != NULL) {
        size_t n = malloc_usable_size(p);
        heap.live = n > heap.live ? 0 : heap.live - n;
    }
}

void *malloc(size_t n)
{
    void *p = __libc_malloc(n);
    heap.calls++;
    heap_add(p);
    return p;
}

void *calloc(size_t n, size_t m)
{
    void *p = __libc_calloc(n, m);
    heap.calls++;
    heap_add(p);
    return p;
}

void *realloc(void *old, size_t n)
{
    void *p;
    heap_sub(old);
    p = __libc_realloc(old, n);
    heap.calls++;
    heap_add(p != NULL ? p : (n != 0 ? old : NULL));
    return p;
}

void free(void *p)
{
    heap_sub(p);
    __libc_free(p);
}

/* ------------------------------------------------------------------ */
/* A transport that counts what crosses the wire                        */
/* ------------------------------------------------------------------ */

typedef struct counting {
    bact_transport inner;
    unsigned long long tx, rx;
    unsigned long opens;
} counting;

static int cnt_open(void *io, const char *host, size_t host_len,
                    uint16_t port, uint32_t timeout_ms)
{
    counting *k = (counting *)io;
    k->opens++;
    return k->inner.open(k->inner.io, host, host_len, port, timeout_ms);
}

static int32_t cnt_send(void *io, const uint8_t *data, size_t len,
                        uint32_t timeout_ms)
{
    counting *k = (counting *)io;
    int32_t r = k->inner.send(k->inner.io, data, len, timeout_ms);
    if (r > 0)
        k->tx += (unsigned long long)r;
    return r;
}

static int32_t cnt_recv(void *io, uint8_t *buf, size_t len,
                        uint32_t timeout_ms)
{
    counting *k = (counting *)io;
    int32_t r = k->inner.recv(k->inner.io, buf, len, timeout_ms);
    if (r > 0)
        k->rx += (unsigned long long)r;
    return r;
}

static void cnt_close(void *io)
{
    counting *k = (counting *)io;
    k->inner.close(k->inner.io);
}

static void counting_transport(bact_transport *out, counting *k,
                               const bact_transport *inner)
{
    memset(k, 0, sizeof *k);
    k->inner = *inner;
    out->io = k;
    out->open = cnt_open;
    out->send = cnt_send;
    out->recv = cnt_recv;
    out->close = cnt_close;
}

#ifdef BACT_HAVE_TLS
/* --no-resume: the TLS transport with its kept session dropped before
 * every open (the port has no switch for it; bact_tls is the
 * application's own struct, documented field by field). */
typedef struct fresh_tls {
    bact_transport tls;
    bact_tls *t;
} fresh_tls;

static int fresh_open(void *io, const char *host, size_t host_len,
                      uint16_t port, uint32_t timeout_ms)
{
    fresh_tls *f = (fresh_tls *)io;
    if (f->t->has_session) {
        mbedtls_ssl_session_free(&f->t->session);
        mbedtls_ssl_session_init(&f->t->session);
        f->t->has_session = 0;
    }
    return f->tls.open(f->tls.io, host, host_len, port, timeout_ms);
}

static int32_t fresh_send(void *io, const uint8_t *data, size_t len,
                          uint32_t timeout_ms)
{
    fresh_tls *f = (fresh_tls *)io;
    return f->tls.send(f->tls.io, data, len, timeout_ms);
}

static int32_t fresh_recv(void *io, uint8_t *buf, size_t len,
                          uint32_t timeout_ms)
{
    fresh_tls *f = (fresh_tls *)io;
    return f->tls.recv(f->tls.io, buf, len, timeout_ms);
}

static void fresh_close(void *io)
{
    fresh_tls *f = (fresh_tls *)io;
    f->tls.close(f->tls.io);
}
#endif

/* ------------------------------------------------------------------ */

/* Peak RSS in KiB from /proc/self/status, else getrusage(). */
static long peak_rss_kb(void)
{
    char line[128];
    long kb = -1;
    FILE *f = fopen("/proc/self/status", "r");
    if (f != NULL) {
        while (fgets(line, sizeof line, f) != NULL) {
            if (strncmp(line, "VmHWM:", 6) == 0) {
                kb = strtol(line + 6, NULL, 10);
                break;
            }
        }
        fclose(f);
    }
    if (kb < 0) {
        struct rusage ru;
        if (getrusage(RUSAGE_SELF, &ru) == 0)
            kb = ru.ru_maxrss;
    }
    return kb;
}

static double now_s(void)
{
    struct timespec ts;
    (void)clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int usage(void)
{
    fputs("usage: poll_bench URL N [--ca-file F] [--no-resume] [--no-count] "
          "[--key K] [--task ID]\n", stderr);
    return 2;
}

static uint8_t work_buf[1024];
static jsmntok_t tokens[32];

/* The timed polls, in a function of their own (never inlined, external so
 * it keeps its name) that tests/bench/run.py gives callgrind as
 * --dump-before/--dump-after: the instructions of the polls are then
 * counted apart from start-up, connect and handshake, whose cost varies
 * from run to run (ECDSA verification, modular reductions). Returns the
 * polls made; *rc is the first error, or BACT_OK. */
unsigned long poll_loop(bact_client *c, const char *task, unsigned long n,
                        int *rc);
#if defined(__GNUC__)
__attribute__((noinline))
#endif
unsigned long poll_loop(bact_client *c, const char *task, unsigned long n,
                        int *rc)
{
    bact_task_state st;
    unsigned long i;
    int r = *rc;

    for (i = 0; i < n && r == BACT_OK; i++) {
        r = bact_get_task_status(c, task, &st);
        if (r == BACT_OK && st.status != BACT_STATUS_RUNNING)
            r = BACT_E_SHAPE;
    }
    *rc = r;
    return i;
}

int main(int argc, char **argv)
{
    const char *url, *ca_file = NULL, *key = "bact-bench-key-0123456789abcdef";
    const char *task = "16217357109956214";
    unsigned long n, i;
    int no_resume = 0, no_count = 0, a, rc = BACT_OK, status = 0;
    char *end;
    bact_posix_conn conn;
    bact_transport tcp, wire, tr;
    bact_platform pf;
    bact_config cfg;
    bact_client c;
    bact_task_state st;
    counting cnt;
    double t0, el;
    long rss_kb;
    size_t heap_peak, heap_live;
    size_t heap_setup, heap_open;
    unsigned long calls_loop;
    unsigned hs = 0, resumed = 0;
#ifdef BACT_HAVE_TLS
    static bact_tls tls;
    static fresh_tls fresh;
    bact_tls_config tc;
    int tls_on = 0;
#endif

    if (argc < 3)
        return usage();
    url = argv[1];
    errno = 0;
    n = strtoul(argv[2], &end, 10);
    if (errno != 0 || *end != '\0' || n == 0 || n > 100000000ul)
        return usage();
    for (a = 3; a < argc; a++) {
        if (strcmp(argv[a], "--ca-file") == 0 && a + 1 < argc)
            ca_file = argv[++a];
        else if (strcmp(argv[a], "--key") == 0 && a + 1 < argc)
            key = argv[++a];
        else if (strcmp(argv[a], "--task") == 0 && a + 1 < argc)
            task = argv[++a];
        else if (strcmp(argv[a], "--no-resume") == 0)
            no_resume = 1;
        else if (strcmp(argv[a], "--no-count") == 0)
            no_count = 1;
        else
            return usage();
    }

    bact_posix_transport(&tcp, &conn);
    bact_posix_platform(&pf);
    counting_transport(&wire, &cnt, &tcp);
    if (no_count)
        wire = tcp;
    tr = wire;
    if (strncmp(url, "https:", 6) == 0) {
#ifdef BACT_HAVE_TLS
        memset(&tc, 0, sizeof tc);
        tc.ca_file = ca_file != NULL ? ca_file : "/etc/ssl/certs/ca-certificates.crt";
        tc.platform = &pf;
        if (bact_tls_init(&tls, &wire, &tc) != BACT_OK) {
            fprintf(stderr, "poll_bench: TLS setup failed (%s)\n",
                    bact_tls_reason_text(bact_tls_last_reason(&tls)));
            bact_tls_free(&tls);
            return 1;
        }
        tls_on = 1;
        bact_tls_transport(&tr, &tls);
        if (no_resume) {
            fresh.tls = tr;
            fresh.t = &tls;
            tr.io = &fresh;
            tr.open = fresh_open;
            tr.send = fresh_send;
            tr.recv = fresh_recv;
            tr.close = fresh_close;
        }
#else
        fputs("poll_bench: built without TLS\n", stderr);
        return 1;
#endif
    }
    (void)no_resume;

    memset(&cfg, 0, sizeof cfg);
    cfg.base_url = url;
    cfg.api_key = key;
    cfg.buf = work_buf;
    cfg.buf_len = sizeof work_buf;
    cfg.tokens = tokens;
    cfg.n_tokens = sizeof tokens / sizeof tokens[0];
    cfg.transport = &tr;
    cfg.platform = &pf;
    if (bact_init(&c, &cfg) != BACT_OK) {
        fputs("poll_bench: bad URL or configuration\n", stderr);
        return 2;
    }
    heap_setup = heap.peak;

    /* warm-up: connect (and handshake) */
    rc = bact_get_task_status(&c, task, &st);
    heap_open = heap.peak;
    calls_loop = heap.calls;
    t0 = now_s();
    i = poll_loop(&c, task, n, &rc);
    el = now_s() - t0;
    calls_loop = heap.calls - calls_loop;
    heap_peak = heap.peak; /* before stdio's own buffers */
    heap_live = heap.live;
    if (rc != BACT_OK) {
        status = bact_last_error(&c)->http_status;
        fprintf(stderr, "poll_bench: poll %lu failed: %s (HTTP %d)\n", i,
                bact_strerror(rc), status);
    }
#ifdef BACT_HAVE_TLS
    if (tls_on) {
        hs = bact_tls_handshakes(&tls);
        resumed = bact_tls_resumptions(&tls);
        if (tls.open)
            printf("tls_version=%s tls_suite=%s tls_lib=mbedTLS/%s\n",
                   mbedtls_ssl_get_version(&tls.ssl),
                   mbedtls_ssl_get_ciphersuite(&tls.ssl),
                   MBEDTLS_VERSION_STRING);
    }
#endif
    bact_close(&c);
    rss_kb = peak_rss_kb();
    fprintf(stderr, "poll_bench: %lu polls in %.3f s: %.0f polls/s\n", i, el,
            el > 0 ? (double)i / el : 0.0);
    printf("polls=%lu ok=%d elapsed_s=%.6f polls_per_s=%.1f tx=%llu rx=%llu "
           "conns=%lu handshakes=%u resumed=%u rss_kb=%ld heap_peak=%zu "
           "heap_setup_peak=%zu heap_open_peak=%zu heap_live_end=%zu "
           "heap_calls_in_loop=%lu\n",
           i, rc == BACT_OK, el, el > 0 ? (double)i / el : 0.0, cnt.tx,
           cnt.rx, cnt.opens, hs, resumed, rss_kb, heap_peak,
           heap_setup, heap_open, heap_live, calls_loop);
#ifdef BACT_HAVE_TLS
    if (tls_on)
        bact_tls_free(&tls);
#endif
    return rc == BACT_OK ? 0 : 1;
}
