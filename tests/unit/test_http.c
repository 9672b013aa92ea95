/*
 * test_http.c - the incremental response parser (src/http.c), the request
 * writer helpers, the HTTP-date parser and the small number helpers.
 *
 * Every response goes through resp_expect(), which feeds it whole, one byte
 * at a time and split in two at every point, each piece from a heap copy of
 * exactly its size (so ASan sees any read past a piece), and checks that all
 * ways agree on the result code, status, body bytes, bytes consumed,
 * keep-alive and Retry-After, and that every slice and "used" count obeys
 * the feed contract.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "internal.h"

#define DEF_BYTES 8192u
#define DEF_COUNT 64u
#define BODY_MAX 8192u
#define NO_STATUS (-1)

/* ------------------------------------------------------------------ */
/* Feeding helper                                                       */
/* ------------------------------------------------------------------ */

typedef struct r_out {
    int rc;            /* BACT__DONE, BACT__NEED or an error */
    unsigned heads;    /* BACT__HEAD results seen */
    unsigned status;
    size_t consumed;   /* sum of *used */
    size_t body_len;
    int keep;
    int close_delim;
    int32_t ra;
    unsigned anomalies;
    char anomaly[160];
    unsigned char body[BODY_MAX];
} r_out;

static void r_anomaly(r_out *o, const char *what, size_t at)
{
    if (o->anomalies++ == 0)
        snprintf(o->anomaly, sizeof o->anomaly, "%s (input offset %lu)", what,
                 (unsigned long)at);
}

/* Feed one piece; returns 1 when the response ended (done or error). */
static int r_piece(bact_http_parser *p, const char *d, size_t n, size_t base,
                   r_out *o)
{
    uint8_t *copy;
    size_t off = 0;
    int fin = 0;
    unsigned spins = 0;

    if (n == 0)
        return 0;
    copy = (uint8_t *)malloc(n);
    if (copy == NULL)
        abort();
    memcpy(copy, d, n);
    while (off < n && !fin) {
        size_t used = (size_t)-1, blen = (size_t)-1;
        const uint8_t *body = copy; /* must be overwritten */
        int rc = bact__resp_feed(p, copy + off, n - off, &used, &body, &blen);
        if (used > n - off) {
            r_anomaly(o, "used > n", base + off);
            fin = 1;
            o->rc = -1000;
            break;
        }
        if (rc == BACT__BODY) {
            if (blen == 0 || body == NULL)
                r_anomaly(o, "empty BODY slice", base + off);
            else if (body < copy + off || body + blen != copy + off + used)
                r_anomaly(o, "BODY slice not the consumed tail", base + off);
            else {
                size_t k;
                for (k = 0; k < blen; k++) {
                    if (o->body_len < BODY_MAX)
                        o->body[o->body_len] = body[k];
                    o->body_len++;
                }
            }
        } else if (body != NULL || blen != 0) {
            r_anomaly(o, "no BODY but a slice", base + off);
        }
        if (rc == BACT__NEED && used != n - off)
            r_anomaly(o, "NEED without using all input", base + off);
        if (rc == BACT__DONE && !bact__resp_done(p))
            r_anomaly(o, "DONE but not resp_done", base + off);
        if (used == 0 && rc != BACT__DONE && ++spins > 2)
            r_anomaly(o, "no progress", base + off);
        o->consumed += used;
        off += used;
        if (rc < 0) {
            o->rc = rc;
            fin = 1;
        } else if (rc == BACT__HEAD) {
            o->heads++;
        } else if (rc != BACT__DONE && rc != BACT__NEED && rc != BACT__BODY) {
            r_anomaly(o, "unknown result", base + off);
            o->rc = rc;
            fin = 1;
        }
        if (!fin && (rc == BACT__DONE || bact__resp_done(p))) {
            o->rc = BACT__DONE;
            fin = 1;
        }
        if (o->anomalies > 0 && spins > 2)
            fin = 1;
    }
    free(copy);
    return fin;
}

/* mode 0: whole; 1: one byte at a time; 2: two pieces split at k */
static void r_run(const char *raw, size_t len, int mode, size_t k, int eof,
                  uint32_t maxb, uint32_t maxh, r_out *o)
{
    bact_http_parser p;
    int fin = 0;
    memset(o, 0, offsetof(r_out, body));
    o->rc = BACT__NEED;
    bact__resp_init(&p, maxb, maxh);
    if (mode == 0) {
        fin = r_piece(&p, raw, len, 0, o);
    } else if (mode == 1) {
        size_t i;
        for (i = 0; i < len && !fin; i++)
            fin = r_piece(&p, raw + i, 1, i, o);
    } else {
        fin = r_piece(&p, raw, k, 0, o);
        if (!fin)
            fin = r_piece(&p, raw + k, len - k, k, o);
    }
    if (!fin) {
        /* an empty feed changes nothing */
        size_t used = 7;
        const uint8_t *b = (const uint8_t *)raw;
        size_t bl = 7;
        int rc = bact__resp_feed(&p, (const uint8_t *)raw, 0, &used, &b, &bl);
        if (rc != BACT__NEED || used != 0 || b != NULL || bl != 0)
            r_anomaly(o, "empty feed", len);
        o->rc = eof ? bact__resp_eof(&p) : BACT__NEED;
    }
    o->status = p.status;
    o->keep = bact__resp_keepalive(&p);
    o->close_delim = bact__resp_close_delimited(&p);
    o->ra = bact__resp_retry_after(&p);
}

static void r_fail(int line, const char *fmt_what, const char *mode, size_t k,
                   long long a, long long b)
{
    char msg[400];
    snprintf(msg, sizeof msg, "%s [%s split %lu] (%lld != %lld)", fmt_what,
             mode, (unsigned long)k, a, b);
    t_fail(__FILE__, line, msg);
}

static int r_same(int line, const r_out *w, const r_out *o, const char *mode,
                  size_t k)
{
    if (o->anomalies) {
        char msg[300];
        snprintf(msg, sizeof msg, "feed contract: %s [%s split %lu]",
                 o->anomaly, mode, (unsigned long)k);
        t_fail(__FILE__, line, msg);
        return 0;
    }
    if (o->rc != w->rc) {
        r_fail(line, "rc differs from whole", mode, k, o->rc, w->rc);
        return 0;
    }
    if (o->status != w->status || o->heads != w->heads ||
        o->consumed != w->consumed || o->keep != w->keep ||
        o->close_delim != w->close_delim || o->ra != w->ra) {
        r_fail(line, "status/heads/consumed/keep/ra differ", mode, k,
               (long long)o->consumed, (long long)w->consumed);
        return 0;
    }
    if (o->body_len != w->body_len ||
        memcmp(o->body, w->body,
               w->body_len < BODY_MAX ? w->body_len : BODY_MAX) != 0) {
        r_fail(line, "body differs", mode, k, (long long)o->body_len,
               (long long)w->body_len);
        return 0;
    }
    return 1;
}

static r_out r_whole, r_other;

/*
 * Feed raw every way and check the result. want_status NO_STATUS: not
 * checked; want_body NULL: not checked. Returns the whole-feed result.
 */
static const r_out *resp_expect(int line, const char *raw, size_t len,
                                int eof, uint32_t maxb, uint32_t maxh,
                                int want_rc, int want_status,
                                const char *want_body, size_t want_body_len)
{
    size_t k, stride;

    r_run(raw, len, 0, 0, eof, maxb, maxh, &r_whole);
    if (r_whole.anomalies) {
        char msg[300];
        snprintf(msg, sizeof msg, "feed contract: %s [whole]",
                 r_whole.anomaly);
        t_fail(__FILE__, line, msg);
        return &r_whole;
    }
    if (r_whole.rc != want_rc) {
        r_fail(line, "result code", "whole", 0, r_whole.rc, want_rc);
        return &r_whole;
    }
    if (want_status != NO_STATUS && (int)r_whole.status != want_status)
        r_fail(line, "status", "whole", 0, r_whole.status, want_status);
    if (want_body != NULL &&
        (r_whole.body_len != want_body_len ||
         memcmp(r_whole.body, want_body, want_body_len) != 0)) {
        char msg[BODY_MAX + 200];
        snprintf(msg, sizeof msg, "body \"%.*s\" (len %lu) != \"%.*s\"",
                 (int)(r_whole.body_len < 200 ? r_whole.body_len : 200),
                 (const char *)r_whole.body, (unsigned long)r_whole.body_len,
                 (int)(want_body_len < 200 ? want_body_len : 200), want_body);
        t_fail(__FILE__, line, msg);
    }
    r_run(raw, len, 1, 0, eof, maxb, maxh, &r_other);
    if (!r_same(line, &r_whole, &r_other, "bytes", 0))
        return &r_whole;
    /* every split point for short inputs, a spread of them for long ones */
    stride = len > 700u ? len / 97u + 1u : 1u;
    for (k = 1; k < len; k += stride) {
        r_run(raw, len, 2, k, eof, maxb, maxh, &r_other);
        if (!r_same(line, &r_whole, &r_other, "two pieces", k))
            return &r_whole;
    }
    if (len > 2) { /* the edges, when strided */
        r_run(raw, len, 2, len - 1, eof, maxb, maxh, &r_other);
        (void)r_same(line, &r_whole, &r_other, "two pieces", len - 1);
    }
    return &r_whole;
}

/* raw and body are string literals */
#define RESP(raw, eof, rc, st, body)                                         \
    resp_expect(__LINE__, raw, sizeof(raw) - 1u, eof, DEF_BYTES, DEF_COUNT, \
                rc, st, body, sizeof(body) - 1u)
/* no body check */
#define RESPX(raw, eof, rc, st)                                              \
    resp_expect(__LINE__, raw, sizeof(raw) - 1u, eof, DEF_BYTES, DEF_COUNT, \
                rc, st, NULL, 0)
/* an error, fed without and with EOF after it */
#define RESP_ERR(raw, rc)                                                    \
    do {                                                                     \
        RESPX(raw, 0, rc, NO_STATUS);                                        \
        RESPX(raw, 1, rc, NO_STATUS);                                        \
    } while (0)

#define OK_HEAD "HTTP/1.1 200 OK\r\n"

/* ------------------------------------------------------------------ */
/* Status line                                                          */
/* ------------------------------------------------------------------ */

static void status_200_with_reason(void)
{
    const r_out *o = RESP(OK_HEAD "Content-Length: 2\r\n\r\nhi", 0,
                          BACT__DONE, 200, "hi");
    CHECK_INT(o->heads, 1);
    CHECK_INT(o->keep, 1);
    CHECK_INT(o->consumed, sizeof(OK_HEAD "Content-Length: 2\r\n\r\nhi") - 1u);
}

static void status_200_without_reason(void)
{
    RESP("HTTP/1.1 200\r\nContent-Length: 1\r\n\r\nx", 0, BACT__DONE, 200, "x");
    /* "SP reason" with an empty reason */
    RESP("HTTP/1.1 200 \r\nContent-Length: 1\r\n\r\nx", 0, BACT__DONE, 200,
         "x");
}

static void status_http10(void)
{
    const r_out *o = RESP("HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nabc", 0,
                          BACT__DONE, 200, "abc");
    CHECK_INT(o->keep, 0);
}

static void status_odd_reasons(void)
{
    RESP("HTTP/1.1 200 Very  OK\t!! 123 ??\r\nContent-Length: 0\r\n\r\n", 0,
         BACT__DONE, 200, "");
    /* obs-text in the reason is allowed */
    RESP("HTTP/1.1 200 D\xc3\xa9j\xc3\xa0 vu \xff\r\nContent-Length: 0\r\n\r\n",
         0, BACT__DONE, 200, "");
    RESP("HTTP/1.1 404 Not Found\r\nContent-Length: 4\r\n\r\nnope", 0,
         BACT__DONE, 404, "nope");
    RESP("HTTP/1.1 599 X\r\nContent-Length: 0\r\n\r\n", 0, BACT__DONE, 599, "");
    /* control bytes in the reason are not */
    RESP_ERR("HTTP/1.1 200 O\x7fK\r\n\r\n", BACT_E_HTTP);
    RESP_ERR("HTTP/1.1 200 O\x01K\r\n\r\n", BACT_E_HTTP);
    RESPX("HTTP/1.1 200 O\0K\r\n\r\n", 0, BACT_E_HTTP, NO_STATUS);
    RESP_ERR("HTTP/1.1 200 OK\n\r\n", BACT_E_HTTP);   /* bare LF */
    RESP_ERR("HTTP/1.1 200 OK\rX\n\r\n", BACT_E_HTTP); /* bare CR */
}

/* A header value that reads like a status line is a value, wherever the
 * input is split (after the colon too: no second status line is looked
 * for there) */
static void status_line_as_value(void)
{
    const r_out *o = RESP("HTTP/1.1 404 Not Found\r\nX-Echo: HTTP/1.1 200 OK"
                          "\r\nContent-Length: 0\r\n\r\n",
                          0, BACT__DONE, 404, "");
    CHECK_INT(o->heads, 1);
}

static void status_three_digits(void)
{
    RESP_ERR("HTTP/1.1 20 OK\r\n\r\n", BACT_E_HTTP);
    RESP_ERR("HTTP/1.1 2000 OK\r\n\r\n", BACT_E_HTTP);
    RESP_ERR("HTTP/1.1 2x0 OK\r\n\r\n", BACT_E_HTTP);
    RESP_ERR("HTTP/1.1 20\r\n\r\n", BACT_E_HTTP);
    RESP_ERR("HTTP/1.1 +20 OK\r\n\r\n", BACT_E_HTTP);
    RESP_ERR("HTTP/1.1 -200 OK\r\n\r\n", BACT_E_HTTP);
    RESP_ERR("HTTP/1.1 200OK\r\n\r\n", BACT_E_HTTP); /* no SP after code */
    /* a fourth digit, then the line's end: no reason phrase to stop at */
    RESP_ERR("HTTP/1.1 2000\r\n\r\n", BACT_E_HTTP);
}

static void status_below_100(void)
{
    RESP_ERR("HTTP/1.1 099 Low\r\n\r\n", BACT_E_HTTP);
    RESP_ERR("HTTP/1.1 000 Zero\r\n\r\n", BACT_E_HTTP);
    RESP_ERR("HTTP/1.1 001\r\n\r\n", BACT_E_HTTP);
}

static void status_bad_version(void)
{
    RESP_ERR("HTTP/2 200\r\n\r\n", BACT_E_HTTP);
    RESP_ERR("HTTP/2.0 200 OK\r\n\r\n", BACT_E_HTTP);
    RESP_ERR("HTTP/1.2 200 OK\r\n\r\n", BACT_E_HTTP);
    RESP_ERR("HTTP/1.10 200 OK\r\n\r\n", BACT_E_HTTP);
    RESP_ERR("http/1.1 200 OK\r\n\r\n", BACT_E_HTTP);
    /* one bit off the template, outside the minor version: refused read
     * byte by byte as well as whole */
    RESP_ERR("HTTP/0.1 200 OK\r\n\r\n", BACT_E_HTTP);
    RESP_ERR("ITTP/1.1 200 OK\r\n\r\n", BACT_E_HTTP);
    /* no byte of "HTTP/1." where it belongs, the rest a status line */
    RESP_ERR("xxxxxxx1 200 OK\r\n\r\n", BACT_E_HTTP);
    /* a status line after a stray first byte (split after it too: the
     * rest is no new status line) */
    RESP_ERR("HHTTP/1.1 200 OK\r\n\r\n", BACT_E_HTTP);
    RESP_ERR("HTTP/1/1 200 OK\r\n\r\n", BACT_E_HTTP);
    RESP_ERR("HTTP/1.1!200 OK\r\n\r\n", BACT_E_HTTP);
    RESP_ERR("HTTP/1.1200 OK\r\n\r\n", BACT_E_HTTP);   /* missing space */
    RESP_ERR("HTTP/1.1  200 OK\r\n\r\n", BACT_E_HTTP); /* two spaces */
    RESP_ERR("HTTP/1.1\t200 OK\r\n\r\n", BACT_E_HTTP);
    RESP_ERR("garbage\r\n\r\n", BACT_E_HTTP);
    RESP_ERR("ICY 200 OK\r\n\r\n", BACT_E_HTTP);
    RESP_ERR("\r\nHTTP/1.1 200 OK\r\n\r\n", BACT_E_HTTP);
    RESP_ERR(" HTTP/1.1 200 OK\r\n\r\n", BACT_E_HTTP);
    RESP_ERR("<html>", BACT_E_HTTP);
}

static void status_incomplete(void)
{
    /* a prefix that is fine so far needs more, or is CLOSED at EOF */
    RESPX("HTTP/1.", 0, BACT__NEED, NO_STATUS);
    RESPX("HTTP/1.", 1, BACT_E_CLOSED, NO_STATUS);
    RESPX("HTTP/1.1 200 OK\r\n", 0, BACT__NEED, 200);
    RESPX("HTTP/1.1 200 OK\r\n", 1, BACT_E_CLOSED, 200);
    RESPX("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n", 1, BACT_E_CLOSED, 200);
    RESPX("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r", 1, BACT_E_CLOSED,
          200);
}

static void eof_with_nothing(void)
{
    bact_http_parser p;
    bact__resp_init(&p, DEF_BYTES, DEF_COUNT);
    CHECK_INT(bact__resp_eof(&p), BACT_E_CLOSED);
    CHECK_INT(bact__resp_done(&p), 0);
    CHECK_INT(bact__resp_keepalive(&p), 0);
    CHECK_INT(bact__resp_retry_after(&p), -1);
}

/* ------------------------------------------------------------------ */
/* Interim responses and bodiless statuses                              */
/* ------------------------------------------------------------------ */

static void interim_100_skipped(void)
{
    const r_out *o = RESP("HTTP/1.1 100 Continue\r\n\r\n"
                          OK_HEAD "Content-Length: 3\r\n\r\nabc",
                          0, BACT__DONE, 200, "abc");
    CHECK_INT(o->heads, 1);
    CHECK_INT(o->keep, 1);
}

static void interim_several_with_headers(void)
{
    /* headers of an interim response do not leak into the final one */
    const r_out *o = RESP("HTTP/1.1 100 Continue\r\nContent-Length: 9\r\n"
                          "Connection: close\r\nRetry-After: 5\r\n\r\n"
                          "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                          "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\n"
                          "okEXTRA",
                          0, BACT__DONE, 201, "ok");
    CHECK_INT(o->heads, 1);
    CHECK_INT(o->keep, 1);
    CHECK_INT(o->ra, -1);
    CHECK_INT(o->consumed, sizeof("HTTP/1.1 100 Continue\r\nContent-Length: 9\r\n"
                                  "Connection: close\r\nRetry-After: 5\r\n\r\n"
                                  "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                                  "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\n"
                                  "ok") - 1u);
}

static void interim_then_incomplete(void)
{
    RESPX("HTTP/1.1 100 Continue\r\n\r\n", 0, BACT__NEED, NO_STATUS);
    RESPX("HTTP/1.1 100 Continue\r\n\r\n", 1, BACT_E_CLOSED, NO_STATUS);
    RESP_ERR("HTTP/1.1 100 Continue\r\n\r\nHTTP/2 200\r\n", BACT_E_HTTP);
}

static void status_101_is_error(void)
{
    RESP_ERR("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
             "Connection: Upgrade\r\n\r\n",
             BACT_E_HTTP);
}

static void nobody_204_304(void)
{
    const r_out *o;
    o = RESP("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nhello", 0,
             BACT__DONE, 204, "");
    CHECK_INT(o->consumed,
              sizeof("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n") - 1u);
    CHECK_INT(o->keep, 1);
    o = RESP("HTTP/1.1 304 Not Modified\r\nContent-Length: 100\r\n\r\n", 0,
             BACT__DONE, 304, "");
    CHECK_INT(o->keep, 1);
    /* with no framing at all it is still not close-delimited */
    o = RESP("HTTP/1.1 204 No Content\r\n\r\n", 0, BACT__DONE, 204, "");
    CHECK_INT(o->keep, 1);
    CHECK_INT(o->close_delim, 0);
    o = RESP("HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n",
             0, BACT__DONE, 304, "");
    CHECK_INT(o->heads, 1);
    /* 205 is not in the no-body set */
    RESP("HTTP/1.1 205 Reset\r\nContent-Length: 1\r\n\r\nz", 0, BACT__DONE,
         205, "z");
}

static void done_then_more_input(void)
{
    bact_http_parser p;
    static const char raw[] = OK_HEAD "Content-Length: 1\r\n\r\nzHTTP/1.1";
    size_t used, bl, off = 0;
    const uint8_t *b;
    int rc;
    bact__resp_init(&p, DEF_BYTES, DEF_COUNT);
    rc = bact__resp_feed(&p, (const uint8_t *)raw, sizeof raw - 1u, &used,
                         &b, &bl);
    CHECK_INT(rc, BACT__HEAD);
    off += used;
    rc = bact__resp_feed(&p, (const uint8_t *)raw + off, sizeof raw - 1u - off,
                         &used, &b, &bl);
    CHECK_INT(rc, BACT__BODY);
    CHECK_INT(bl, 1);
    CHECK_INT(used, 1);
    off += used;
    /* done: the next bytes belong to someone else and are not eaten */
    rc = bact__resp_feed(&p, (const uint8_t *)raw + off, sizeof raw - 1u - off,
                         &used, &b, &bl);
    CHECK_INT(rc, BACT__DONE);
    CHECK_INT(used, 0);
    CHECK(b == NULL);
    CHECK_INT(bl, 0);
    CHECK_INT(bact__resp_eof(&p), BACT__DONE);
    CHECK_INT(bact__resp_keepalive(&p), 1);
}

/* ------------------------------------------------------------------ */
/* Content-Length                                                       */
/* ------------------------------------------------------------------ */

static void cl_exact_body(void)
{
    const r_out *o = RESP(OK_HEAD "Content-Length: 5\r\n\r\nhelloXYZ", 0,
                          BACT__DONE, 200, "hello");
    CHECK_INT(o->consumed, sizeof(OK_HEAD "Content-Length: 5\r\n\r\nhello") - 1u);
    /* a body holding NUL and CRLF bytes is data */
    resp_expect(__LINE__, OK_HEAD "Content-Length: 6\r\n\r\n\0\r\n\r\n\xff", sizeof(OK_HEAD "Content-Length: 6\r\n\r\n\0\r\n\r\n\xff") - 1u,
                0, DEF_BYTES, DEF_COUNT, BACT__DONE, 200, "\0\r\n\r\n\xff", 6);
}

static void cl_zero(void)
{
    const r_out *o = RESP(OK_HEAD "Content-Length: 0\r\n\r\nNEXT", 0,
                          BACT__DONE, 200, "");
    CHECK_INT(o->consumed, sizeof(OK_HEAD "Content-Length: 0\r\n\r\n") - 1u);
    CHECK_INT(o->keep, 1);
}

static void cl_leading_zeros_and_ows(void)
{
    RESP(OK_HEAD "Content-Length: 007\r\n\r\n1234567", 0, BACT__DONE, 200,
         "1234567");
    RESP(OK_HEAD "Content-Length:3\r\n\r\nabc", 0, BACT__DONE, 200, "abc");
    RESP(OK_HEAD "Content-Length: \t 3 \t \r\n\r\nabc", 0, BACT__DONE, 200,
         "abc");
    RESP(OK_HEAD "Content-Length: 00000000000000000000000000000000\r\n\r\n", 0,
         BACT__DONE, 200, "");
}

static void cl_case_insensitive_name(void)
{
    RESP(OK_HEAD "CONTENT-LENGTH: 2\r\n\r\nab", 0, BACT__DONE, 200, "ab");
    RESP(OK_HEAD "content-length: 2\r\n\r\nab", 0, BACT__DONE, 200, "ab");
    RESP(OK_HEAD "CoNtEnT-LeNgTh: 2\r\n\r\nab", 0, BACT__DONE, 200, "ab");
}

static void cl_similar_names_are_other_headers(void)
{
    const r_out *o;
    /* not Content-Length: the body is close-delimited */
    o = RESP(OK_HEAD "Content-Lengt: 2\r\n\r\nabcdef", 1, BACT__DONE, 200,
             "abcdef");
    CHECK_INT(o->keep, 0);
    o = RESP(OK_HEAD "Content-Lengths: 2\r\n\r\nabcdef", 1, BACT__DONE, 200,
             "abcdef");
    CHECK_INT(o->keep, 0);
    RESP(OK_HEAD "X-Content-Length: 2\r\n\r\nabcdef", 1, BACT__DONE, 200,
         "abcdef");
    /* a bad value in an unknown header is not looked at */
    RESP(OK_HEAD "X-Content-Length: -1, zz\r\nContent-Length: 1\r\n\r\na", 0,
         BACT__DONE, 200, "a");
}

static void cl_duplicates(void)
{
    RESP(OK_HEAD "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello", 0,
         BACT__DONE, 200, "hello");
    RESP(OK_HEAD "Content-Length: 5\r\nContent-Length: 005\r\n\r\nhello", 0,
         BACT__DONE, 200, "hello");
    RESP_ERR(OK_HEAD "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
             BACT_E_HTTP);
    RESP_ERR(OK_HEAD "Content-Length: 0\r\nContent-Length: 1\r\n\r\n",
             BACT_E_HTTP);
    RESP_ERR(OK_HEAD "Content-Length: 5, 5\r\n\r\nhello", BACT_E_HTTP);
    RESP_ERR(OK_HEAD "Content-Length: 5,5\r\n\r\nhello", BACT_E_HTTP);
    RESP_ERR(OK_HEAD "Content-Length: ,5\r\n\r\nhello", BACT_E_HTTP);
}

static void cl_malformed(void)
{
    RESP_ERR(OK_HEAD "Content-Length: +5\r\n\r\nhello", BACT_E_HTTP);
    RESP_ERR(OK_HEAD "Content-Length: -5\r\n\r\nhello", BACT_E_HTTP);
    RESP_ERR(OK_HEAD "Content-Length: 5a\r\n\r\nhello", BACT_E_HTTP);
    RESP_ERR(OK_HEAD "Content-Length: 0x5\r\n\r\nhello", BACT_E_HTTP);
    RESP_ERR(OK_HEAD "Content-Length: 5 5\r\n\r\nhello", BACT_E_HTTP);
    RESP_ERR(OK_HEAD "Content-Length: 5.0\r\n\r\nhello", BACT_E_HTTP);
    RESP_ERR(OK_HEAD "Content-Length: five\r\n\r\nhello", BACT_E_HTTP);
    RESP_ERR(OK_HEAD "Content-Length:\r\n\r\nhello", BACT_E_HTTP);
    RESP_ERR(OK_HEAD "Content-Length:   \r\n\r\nhello", BACT_E_HTTP);
    RESP_ERR(OK_HEAD "Content-Length: \"5\"\r\n\r\nhello", BACT_E_HTTP);
    /* the bytes just past '0' and '9' are no digits */
    RESP_ERR(OK_HEAD "Content-Length: 0:\r\n\r\nhello", BACT_E_HTTP);
    RESP_ERR(OK_HEAD "Content-Length: /5\r\n\r\nhello", BACT_E_HTTP);
}

static void cl_overflow(void)
{
    /* the largest value is fine (the body just is not all here); a larger
     * one is a body too large, as a chunk size past the limit is, not a
     * malformed answer */
    RESPX(OK_HEAD "Content-Length: 4294967295\r\n\r\nabc", 0, BACT__NEED, 200);
    RESP_ERR(OK_HEAD "Content-Length: 4294967296\r\n\r\n", BACT_E_BODY_SIZE);
    RESP_ERR(OK_HEAD "Content-Length: 4294967300\r\n\r\n", BACT_E_BODY_SIZE);
    RESP_ERR(OK_HEAD "Content-Length: 10000000000\r\n\r\n", BACT_E_BODY_SIZE);
    RESP_ERR(OK_HEAD "Content-Length: 99999999999999999999\r\n\r\n",
             BACT_E_BODY_SIZE);
    /* 2^64 + 5 must not wrap to 5 */
    RESP_ERR(OK_HEAD "Content-Length: 18446744073709551621\r\n\r\nhello",
             BACT_E_BODY_SIZE);
    /* a number still: junk after the digits is malformed, however many */
    RESP_ERR(OK_HEAD "Content-Length: 99999999999999999999x\r\n\r\n",
             BACT_E_HTTP);
}

static void cl_and_te_refused(void)
{
    RESP_ERR(OK_HEAD "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
             "5\r\nhello\r\n0\r\n\r\n", BACT_E_HTTP);
    RESP_ERR(OK_HEAD "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n"
             "5\r\nhello\r\n0\r\n\r\n", BACT_E_HTTP);
    RESP_ERR(OK_HEAD "transfer-encoding: chunked\r\ncontent-length: 0\r\n\r\n",
             BACT_E_HTTP);
}

static void cl_short_body_eof(void)
{
    RESPX(OK_HEAD "Content-Length: 5\r\n\r\nhel", 0, BACT__NEED, 200);
    RESP(OK_HEAD "Content-Length: 5\r\n\r\nhel", 1, BACT_E_CLOSED, 200, "hel");
    RESP(OK_HEAD "Content-Length: 5\r\n\r\n", 1, BACT_E_CLOSED, 200, "");
    /* complete, then EOF: fine */
    RESP(OK_HEAD "Content-Length: 3\r\n\r\nhel", 1, BACT__DONE, 200, "hel");
}

/* ------------------------------------------------------------------ */
/* Chunked                                                              */
/* ------------------------------------------------------------------ */

#define CH_HEAD OK_HEAD "Transfer-Encoding: chunked\r\n\r\n"

static void chunked_multiple(void)
{
    const r_out *o = RESP(CH_HEAD "5\r\nhello\r\n6\r\n world\r\n1\r\n!\r\n"
                                  "0\r\n\r\nNEXT",
                          0, BACT__DONE, 200, "hello world!");
    CHECK_INT(o->keep, 1);
    CHECK_INT(o->consumed, sizeof(CH_HEAD "5\r\nhello\r\n6\r\n world\r\n1\r\n!\r\n"
                                          "0\r\n\r\n") - 1u);
    RESP(CH_HEAD "0\r\n\r\n", 0, BACT__DONE, 200, "");
    /* chunk data may hold CRLF and what looks like chunk framing */
    RESP(CH_HEAD "7\r\n\r\n0\r\n\r\n\r\n0\r\n\r\n", 0, BACT__DONE, 200,
         "\r\n0\r\n\r\n");
}

static void chunked_hex_case(void)
{
    RESP(CH_HEAD "A\r\n0123456789\r\na\r\nabcdefghij\r\n0\r\n\r\n", 0,
         BACT__DONE, 200, "0123456789abcdefghij");
    RESP(CH_HEAD "1F\r\n0123456789abcdef0123456789abcde\r\n0\r\n\r\n", 0,
         BACT__DONE, 200, "0123456789abcdef0123456789abcde");
    RESP(CH_HEAD "1f\r\n0123456789abcdef0123456789abcde\r\n0\r\n\r\n", 0,
         BACT__DONE, 200, "0123456789abcdef0123456789abcde");
    RESP(CH_HEAD "0003\r\nabc\r\n000\r\n\r\n", 0, BACT__DONE, 200, "abc");
}

static void chunked_bad_hex(void)
{
    RESP_ERR(CH_HEAD "g\r\nabc\r\n0\r\n\r\n", BACT_E_HTTP);
    RESP_ERR(CH_HEAD "0x3\r\nabc\r\n0\r\n\r\n", BACT_E_HTTP);
    RESP_ERR(CH_HEAD "-3\r\nabc\r\n0\r\n\r\n", BACT_E_HTTP);
    RESP_ERR(CH_HEAD "+3\r\nabc\r\n0\r\n\r\n", BACT_E_HTTP);
}

static void chunked_extensions(void)
{
    RESP(CH_HEAD "5;name=value\r\nhello\r\n0\r\n\r\n", 0, BACT__DONE, 200,
         "hello");
    RESP(CH_HEAD "5 ; a=\"q;x\"\r\nhello\r\n0;last\r\n\r\n", 0, BACT__DONE,
         200, "hello");
    RESP(CH_HEAD "5\t;x\r\nhello\r\n0\r\n\r\n", 0, BACT__DONE, 200, "hello");
    /* control bytes in an extension are not */
    RESP_ERR(CH_HEAD "5;a\x01\r\nhello\r\n0\r\n\r\n", BACT_E_HTTP);
    RESP_ERR(CH_HEAD "5;a\nhello\r\n0\r\n\r\n", BACT_E_HTTP);
}

static void chunked_trailers(void)
{
    const r_out *o = RESP(CH_HEAD "3\r\nabc\r\n0\r\nX-Trailer: yes\r\n"
                                  "Y: z\r\n\r\nNEXT",
                          0, BACT__DONE, 200, "abc");
    CHECK_INT(o->keep, 1);
    CHECK_INT(o->consumed, sizeof(CH_HEAD "3\r\nabc\r\n0\r\nX-Trailer: yes\r\n"
                                          "Y: z\r\n\r\n") - 1u);
    /* trailer fields named like the headers acted on are dropped, not
     * acted on: no close, no second length, no coding, no Retry-After */
    o = RESP(CH_HEAD "3\r\nabc\r\n0\r\nConnection: close\r\n"
                     "Content-Length: 99\r\nTransfer-Encoding: gzip\r\n"
                     "Content-Encoding: br\r\nRetry-After: 5\r\n\r\n",
             0, BACT__DONE, 200, "abc");
    CHECK_INT(o->keep, 1);
    CHECK_INT(o->ra, -1);
    /* folding, control bytes and bare LF in trailers are refused */
    RESP_ERR(CH_HEAD "0\r\n folded: x\r\n\r\n", BACT_E_HTTP);
    RESP_ERR(CH_HEAD "0\r\nX: a\x00b\r\n\r\n", BACT_E_HTTP);
    RESP_ERR(CH_HEAD "0\r\nX: a\r\r\n\r\n", BACT_E_HTTP);
    RESP_ERR(CH_HEAD "0\r\nX: a\n\r\n", BACT_E_HTTP);
    RESP_ERR(CH_HEAD "0\r\n\rX", BACT_E_HTTP);
    RESP_ERR(CH_HEAD "0\r\n\n", BACT_E_HTTP);
    /* EOF before the end of the trailer section */
    RESP(CH_HEAD "0\r\nX: y\r\n", 1, BACT_E_CLOSED, 200, "");
    RESP(CH_HEAD "0\r\n", 1, BACT_E_CLOSED, 200, "");
    RESP(CH_HEAD "0\r\n\r", 1, BACT_E_CLOSED, 200, "");
}

/* The Retry-After of an answer read as the client reads one that wants no
 * Date (BACT__F2_LEAN): dropped on a 2xx only. */
static int32_t lean_retry_after(const char *raw)
{
    bact_http_parser p;
    size_t used = 0, bl = 0;
    const uint8_t *b = NULL;
    int rc;
    bact__resp_init(&p, DEF_BYTES, DEF_COUNT);
    p.flags2 = BACT__F2_LEAN;
    rc = bact__resp_feed(&p, (const uint8_t *)raw, strlen(raw), &used, &b,
                         &bl);
    CHECK(rc == BACT__HEAD || rc == BACT__DONE);
    return bact__resp_retry_after(&p);
}

static void lean_keeps_retry_after_off_2xx(void)
{
    CHECK_INT(lean_retry_after("HTTP/1.1 200 OK\r\nRetry-After: 7\r\n"
                               "Content-Length: 0\r\n\r\n"), -1);
    CHECK_INT(lean_retry_after("HTTP/1.1 299 X\r\nRetry-After: 7\r\n"
                               "Content-Length: 0\r\n\r\n"), -1);
    CHECK_INT(lean_retry_after("HTTP/1.1 300 X\r\nRetry-After: 7\r\n"
                               "Content-Length: 0\r\n\r\n"), 7);
    CHECK_INT(lean_retry_after("HTTP/1.1 199 X\r\nRetry-After: 7\r\n\r\n"
                               "HTTP/1.1 503 X\r\nRetry-After: 8\r\n"
                               "Content-Length: 0\r\n\r\n"), 8);
    /* the 2xx after an interim answer is read the same way */
    CHECK_INT(lean_retry_after("HTTP/1.1 100 Continue\r\n\r\n"
                               "HTTP/1.1 200 OK\r\nRetry-After: 7\r\n"
                               "Content-Length: 0\r\n\r\n"), -1);
}

static void chunked_missing_crlf_after_data(void)
{
    RESP_ERR(CH_HEAD "5\r\nhelloX\r\n0\r\n\r\n", BACT_E_HTTP);
    RESP_ERR(CH_HEAD "5\r\nhello0\r\n\r\n", BACT_E_HTTP);
    RESP_ERR(CH_HEAD "5\r\nhello\n0\r\n\r\n", BACT_E_HTTP);
    RESP_ERR(CH_HEAD "5\r\nhello\rX0\r\n\r\n", BACT_E_HTTP);
    /* a chunk longer than its size */
    RESP_ERR(CH_HEAD "3\r\nhello\r\n0\r\n\r\n", BACT_E_HTTP);
}

static void chunked_size_line_endings(void)
{
    RESP_ERR(CH_HEAD "5\nhello\r\n0\r\n\r\n", BACT_E_HTTP);
    RESP_ERR(CH_HEAD "5\rhello\r\n0\r\n\r\n", BACT_E_HTTP);
    RESP_ERR(CH_HEAD "0\n\r\n", BACT_E_HTTP);
}

static void chunked_size_overflow(void)
{
    RESP_ERR(CH_HEAD "1000000000\r\n", BACT_E_BODY_SIZE);
    RESP_ERR(CH_HEAD "FFFFFFFFFF\r\n", BACT_E_BODY_SIZE);
    RESP_ERR(CH_HEAD "10000000000000005\r\nhello\r\n0\r\n\r\n",
             BACT_E_BODY_SIZE);
    /* leading zeros are not an overflow */
    RESP(CH_HEAD "000000000000000000005\r\nhello\r\n0\r\n\r\n", 0, BACT__DONE,
         200, "hello");
}

static void chunked_no_digits(void)
{
    RESP_ERR(CH_HEAD "\r\nhello\r\n0\r\n\r\n", BACT_E_HTTP);
    RESP_ERR(CH_HEAD ";ext\r\nhello\r\n0\r\n\r\n", BACT_E_HTTP);
    RESP_ERR(CH_HEAD " 5\r\nhello\r\n0\r\n\r\n", BACT_E_HTTP);
    RESP_ERR(CH_HEAD "5\r\nhello\r\n\r\n", BACT_E_HTTP);
    RESP_ERR(CH_HEAD "5\r\nhello\r\n;x\r\n\r\n", BACT_E_HTTP);
}

static char big[20000];
static size_t big_n;

static void big_reset(void)
{
    big_n = 0;
}

static void big_add(const char *s)
{
    size_t n = strlen(s);
    if (big_n + n > sizeof big)
        abort();
    memcpy(big + big_n, s, n);
    big_n += n;
}

static void big_rep(char c, size_t k)
{
    if (big_n + k > sizeof big)
        abort();
    memset(big + big_n, c, k);
    big_n += k;
}

#define BIG_EXPECT(maxb, maxh, rc, st, body, blen)                         \
    resp_expect(__LINE__, big, big_n, 0, maxb, maxh, rc, st, body, blen)

static void chunked_line_limit(void)
{
    size_t i;
    const r_out *o;
    /* an extension making the size line 1000 bytes: fine */
    big_reset();
    big_add(CH_HEAD "5;");
    big_rep('a', 998);
    big_add("\r\nhello\r\n0\r\n\r\n");
    BIG_EXPECT(DEF_BYTES, DEF_COUNT, BACT__DONE, 200, "hello", 5);
    /* the limit exactly (1024 bytes with the CR): fine; one more: not */
    big_reset();
    big_add(CH_HEAD "5;");
    big_rep('a', 1021);
    big_add("\r\nhello\r\n0\r\n\r\n");
    BIG_EXPECT(DEF_BYTES, DEF_COUNT, BACT__DONE, 200, "hello", 5);
    big_reset();
    big_add(CH_HEAD "5;");
    big_rep('a', 1022);
    big_add("\r\nhello\r\n0\r\n\r\n");
    BIG_EXPECT(DEF_BYTES, DEF_COUNT, BACT_E_HTTP, 200, NULL, 0);
    /* 1100 bytes: refused */
    big_reset();
    big_add(CH_HEAD "5;");
    big_rep('a', 1098);
    big_add("\r\nhello\r\n0\r\n\r\n");
    BIG_EXPECT(DEF_BYTES, DEF_COUNT, BACT_E_HTTP, 200, NULL, 0);
    /* 1100 zeros before the size: refused too (not a size overflow) */
    big_reset();
    big_add(CH_HEAD);
    big_rep('0', 1100);
    big_add("5\r\nhello\r\n0\r\n\r\n");
    BIG_EXPECT(DEF_BYTES, DEF_COUNT, BACT_E_HTTP, 200, NULL, 0);
    /* the limit is per line: many short lines are fine */
    big_reset();
    big_add(CH_HEAD);
    for (i = 0; i < 300u; i++)
        big_add("1;x\r\nz\r\n");
    big_add("0\r\n\r\n");
    o = BIG_EXPECT(DEF_BYTES, DEF_COUNT, BACT__DONE, 200, NULL, 0);
    CHECK_INT(o->body_len, 300);
}

static void te_only_lone_chunked(void)
{
    RESP_ERR(OK_HEAD "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
             BACT_E_HTTP);
    RESP_ERR(OK_HEAD "Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n",
             BACT_E_HTTP);
    RESP_ERR(OK_HEAD "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked"
             "\r\n\r\n0\r\n\r\n", BACT_E_HTTP);
    RESP_ERR(OK_HEAD "Transfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n",
             BACT_E_HTTP);
    RESP_ERR(OK_HEAD "Transfer-Encoding: gzip\r\n\r\nxyz", BACT_E_HTTP);
    RESP_ERR(OK_HEAD "Transfer-Encoding: identity\r\n\r\nxyz", BACT_E_HTTP);
    RESP_ERR(OK_HEAD "Transfer-Encoding: chunkedx\r\n\r\n0\r\n\r\n",
             BACT_E_HTTP);
    /* as long as "chunked", one byte off at either end or inside */
    RESP_ERR(OK_HEAD "Transfer-Encoding: chunkex\r\n\r\n0\r\n\r\n",
             BACT_E_HTTP);
    RESP_ERR(OK_HEAD "Transfer-Encoding: xhunked\r\n\r\n0\r\n\r\n",
             BACT_E_HTTP);
    RESP_ERR(OK_HEAD "Transfer-Encoding: chu-ked\r\n\r\n0\r\n\r\n",
             BACT_E_HTTP);
    RESP_ERR(OK_HEAD "Transfer-Encoding: \"chunked\"\r\n\r\n0\r\n\r\n",
             BACT_E_HTTP);
    /* a Transfer-Encoding field with no coding at all frames nothing */
    RESP_ERR(OK_HEAD "Transfer-Encoding:\r\n\r\nxyz", BACT_E_HTTP);
    /* a coding too long to keep is not taken for an empty element */
    RESP_ERR(OK_HEAD "Transfer-Encoding: x-a-coding-name-of-well-over-36-bytes,"
             " chunked\r\n\r\n0\r\n\r\n", BACT_E_HTTP);
    RESP_ERR(OK_HEAD "Transfer-Encoding: chunked, x-a-coding-name-of-well-ove"
             "r-36-bytes\r\n\r\n0\r\n\r\n", BACT_E_HTTP);
}

static void te_chunked_case_and_ows(void)
{
    RESP(OK_HEAD "Transfer-Encoding: CHUNKED\r\n\r\n2\r\nok\r\n0\r\n\r\n", 0,
         BACT__DONE, 200, "ok");
    RESP(OK_HEAD "TRANSFER-ENCODING:Chunked  \r\n\r\n2\r\nok\r\n0\r\n\r\n", 0,
         BACT__DONE, 200, "ok");
    RESP(OK_HEAD "Transfer-Encoding: \tchunked\t\r\n\r\n2\r\nok\r\n0\r\n\r\n",
         0, BACT__DONE, 200, "ok");
}

static void chunked_eof(void)
{
    RESP(CH_HEAD "5\r\nhel", 1, BACT_E_CLOSED, 200, "hel");
    RESP(CH_HEAD "5\r\nhello", 1, BACT_E_CLOSED, 200, "hello");
    RESP(CH_HEAD "5\r\nhello\r\n", 1, BACT_E_CLOSED, 200, "hello");
    RESP(CH_HEAD "5", 1, BACT_E_CLOSED, 200, "");
    RESP(CH_HEAD "5\r\nhello\r\n0\r\n\r\n", 1, BACT__DONE, 200, "hello");
}

/* ------------------------------------------------------------------ */
/* Close-delimited bodies and keep-alive                                */
/* ------------------------------------------------------------------ */

static void close_delimited_body(void)
{
    const r_out *o;
    o = RESP(OK_HEAD "Server: x\r\n\r\nabc\r\n\r\ndef", 1, BACT__DONE, 200,
             "abc\r\n\r\ndef");
    CHECK_INT(o->keep, 0);
    CHECK_INT(o->close_delim, 1);
    /* without the EOF it is not over */
    o = RESP(OK_HEAD "\r\nabc", 0, BACT__NEED, 200, "abc");
    CHECK_INT(o->close_delim, 1);
    CHECK_INT(o->keep, 0);
    /* an empty close-delimited body */
    RESP(OK_HEAD "\r\n", 1, BACT__DONE, 200, "");
    RESP("HTTP/1.0 200 OK\r\n\r\nold", 1, BACT__DONE, 200, "old");
    /* even "keep-alive" cannot keep a close-delimited connection */
    o = RESP(OK_HEAD "Connection: keep-alive\r\n\r\nab", 1, BACT__DONE, 200,
             "ab");
    CHECK_INT(o->keep, 0);
}

static void eof_mid_headers(void)
{
    RESPX(OK_HEAD "Content-Le", 1, BACT_E_CLOSED, 200);
    RESPX(OK_HEAD "Content-Length: 1", 1, BACT_E_CLOSED, 200);
    RESPX(OK_HEAD "Content-Length: 1\r", 1, BACT_E_CLOSED, 200);
    RESPX(OK_HEAD "\r", 1, BACT_E_CLOSED, 200);
    RESPX("HTTP/1.1 2", 1, BACT_E_CLOSED, NO_STATUS);
}

static void regress_hostile_findings(void)
{
    const r_out *o;
    /* a chunk of 256 MiB or more is refused at its size line */
    RESP(OK_HEAD "Transfer-Encoding: chunked\r\n\r\nFFFFFFFF\r\n", 0,
         BACT_E_BODY_SIZE, 200, NULL);
    RESP(OK_HEAD "Transfer-Encoding: chunked\r\n\r\n10000000\r\n", 0,
         BACT_E_BODY_SIZE, 200, NULL);
    RESP(OK_HEAD "Transfer-Encoding: chunked\r\n\r\n0FFFFFFF\r\n", 0,
         BACT__NEED, 200, NULL);
    /* a content coding nobody asked for is refused; identity is fine */
    RESP(OK_HEAD "Content-Encoding: gzip\r\nContent-Length: 0\r\n\r\n", 0,
         BACT_E_HTTP, 200, NULL);
    RESP(OK_HEAD "content-encoding: identity, br\r\nContent-Length: 0\r\n\r\n",
         0, BACT_E_HTTP, 200, NULL);
    RESP(OK_HEAD "Content-Encoding: identity\r\nContent-Length: 0\r\n\r\n", 0,
         BACT__DONE, 200, "");
    /* a list of empty elements names no coding: fine */
    RESP(OK_HEAD "Content-Encoding: ,\r\nContent-Length: 0\r\n\r\n", 0,
         BACT__DONE, 200, "");
    RESP(OK_HEAD "Content-Encoding: \t\r\nContent-Length: 0\r\n\r\n", 0,
         BACT__DONE, 200, "");
    RESP(OK_HEAD "Content-Encoding: x-a-coding-name-of-well-over-36-bytes\r\n"
         "Content-Length: 0\r\n\r\n", 0, BACT_E_HTTP, 200, NULL);
    /* HTTP/1.0 with Transfer-Encoding: the connection closes after it */
    o = RESP("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n"
             "Transfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n", 0,
             BACT__DONE, 200, "hi");
    CHECK_INT(o->keep, 0);
}

static void keepalive_rules(void)
{
    const r_out *o;
    o = RESP(OK_HEAD "Content-Length: 0\r\n\r\n", 0, BACT__DONE, 200, "");
    CHECK_INT(o->keep, 1);
    o = RESP(OK_HEAD "Connection: close\r\nContent-Length: 0\r\n\r\n", 0,
             BACT__DONE, 200, "");
    CHECK_INT(o->keep, 0);
    o = RESP(OK_HEAD "connection: CLOSE\r\nContent-Length: 0\r\n\r\n", 0,
             BACT__DONE, 200, "");
    CHECK_INT(o->keep, 0);
    o = RESP("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", 0, BACT__DONE, 200,
             "");
    CHECK_INT(o->keep, 0);
    o = RESP("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0"
             "\r\n\r\n", 0, BACT__DONE, 200, "");
    CHECK_INT(o->keep, 1);
    o = RESP("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0"
             "\r\n\r\n", 0, BACT__DONE, 200, "");
    CHECK_INT(o->keep, 1);
    /* token lists */
    o = RESP("HTTP/1.0 200 OK\r\nConnection: keep-alive, Upgrade\r\n"
             "Content-Length: 0\r\n\r\n", 0, BACT__DONE, 200, "");
    CHECK_INT(o->keep, 1);
    o = RESP("HTTP/1.0 200 OK\r\nConnection: Upgrade ,  keep-alive \r\n"
             "Content-Length: 0\r\n\r\n", 0, BACT__DONE, 200, "");
    CHECK_INT(o->keep, 1);
    o = RESP(OK_HEAD "Connection: keep-alive, Upgrade\r\nContent-Length: 0"
             "\r\n\r\n", 0, BACT__DONE, 200, "");
    CHECK_INT(o->keep, 1);
    o = RESP(OK_HEAD "Connection: Upgrade,close\r\nContent-Length: 0\r\n\r\n",
             0, BACT__DONE, 200, "");
    CHECK_INT(o->keep, 0);
    o = RESP(OK_HEAD "Connection: x\r\nConnection: close\r\n"
             "Content-Length: 0\r\n\r\n", 0, BACT__DONE, 200, "");
    CHECK_INT(o->keep, 0);
    /* close wins over keep-alive */
    o = RESP(OK_HEAD "Connection: keep-alive, close\r\nContent-Length: 0\r\n"
             "\r\n", 0, BACT__DONE, 200, "");
    CHECK_INT(o->keep, 0);
    /* words that merely contain "close" are not it */
    o = RESP(OK_HEAD "Connection: closed\r\nContent-Length: 0\r\n\r\n", 0,
             BACT__DONE, 200, "");
    CHECK_INT(o->keep, 1);
    o = RESP(OK_HEAD "Connection: close-ish, xclose\r\nContent-Length: 0\r\n"
             "\r\n", 0, BACT__DONE, 200, "");
    CHECK_INT(o->keep, 1);
    o = RESP(OK_HEAD "X-Connection: close\r\nContent-Length: 0\r\n\r\n", 0,
             BACT__DONE, 200, "");
    CHECK_INT(o->keep, 1);
    /* as long as "close", one byte off at the start or the end */
    o = RESP(OK_HEAD "Connection: closx\r\nContent-Length: 0\r\n\r\n", 0,
             BACT__DONE, 200, "");
    CHECK_INT(o->keep, 1);
    o = RESP(OK_HEAD "Connection: xlose\r\nContent-Length: 0\r\n\r\n", 0,
             BACT__DONE, 200, "");
    CHECK_INT(o->keep, 1);
    o = RESP("HTTP/1.0 200 OK\r\nConnection: keep-alives\r\n"
             "Content-Length: 0\r\n\r\n", 0, BACT__DONE, 200, "");
    CHECK_INT(o->keep, 0);
    /* a response that is not done yet is never reusable */
    o = RESP(OK_HEAD "Content-Length: 3\r\n\r\nab", 0, BACT__NEED, 200, "ab");
    CHECK_INT(o->keep, 0);
    /* a long token before "close" does not hide it */
    o = RESP(OK_HEAD "Connection: x-an-extension-token-well-over-32-bytes-long,"
             " close\r\nContent-Length: 0\r\n\r\n", 0, BACT__DONE, 200, "");
    CHECK_INT(o->keep, 0);
}

/* ------------------------------------------------------------------ */
/* Header syntax                                                        */
/* ------------------------------------------------------------------ */

static void hdr_space_before_colon(void)
{
    RESP_ERR(OK_HEAD "Content-Length : 5\r\n\r\nhello", BACT_E_HTTP);
    RESP_ERR(OK_HEAD "X-Other\t: 5\r\n\r\n", BACT_E_HTTP);
    RESP_ERR(OK_HEAD "Transfer-Encoding : chunked\r\n\r\n", BACT_E_HTTP);
}

static void hdr_obs_fold(void)
{
    RESP_ERR(OK_HEAD "X-A: one\r\n two\r\nContent-Length: 0\r\n\r\n",
             BACT_E_HTTP);
    RESP_ERR(OK_HEAD "X-A: one\r\n\ttwo\r\nContent-Length: 0\r\n\r\n",
             BACT_E_HTTP);
    /* a folded Content-Length must not be half-read */
    RESP_ERR(OK_HEAD "Content-Length: 1\r\n 0\r\n\r\nx", BACT_E_HTTP);
    RESP_ERR(OK_HEAD " X: y\r\n\r\n", BACT_E_HTTP);
}

static void hdr_bare_lf_and_cr(void)
{
    RESP_ERR(OK_HEAD "X-A: one\nContent-Length: 0\r\n\r\n", BACT_E_HTTP);
    RESP_ERR(OK_HEAD "Content-Length: 0\n\n", BACT_E_HTTP);
    RESP_ERR(OK_HEAD "Content-Length: 0\r\n\n", BACT_E_HTTP);
    RESP_ERR("HTTP/1.1 200 OK\nContent-Length: 0\n\n", BACT_E_HTTP);
    RESP_ERR(OK_HEAD "X-A: a\rb\r\nContent-Length: 0\r\n\r\n", BACT_E_HTTP);
    RESP_ERR(OK_HEAD "X-A: ab\r\r\n\r\n", BACT_E_HTTP);
    RESP_ERR(OK_HEAD "Content-Length: 0\r\n\rX", BACT_E_HTTP);
    RESP_ERR(OK_HEAD "X-A\r\n\r\n", BACT_E_HTTP); /* no colon */
}

static void hdr_control_bytes(void)
{
    RESPX(OK_HEAD "X-A: a\0b\r\nContent-Length: 0\r\n\r\n", 0, BACT_E_HTTP,
          200);
    RESPX(OK_HEAD "Content-Length: 1\0\r\n\r\nx", 0, BACT_E_HTTP, 200);
    RESP_ERR(OK_HEAD "X-A: a\x01" "b\r\n\r\n", BACT_E_HTTP);
    RESP_ERR(OK_HEAD "X-A: a\x1f" "b\r\n\r\n", BACT_E_HTTP);
    RESP_ERR(OK_HEAD "X-A: a\x1b[0m\r\n\r\n", BACT_E_HTTP);
    RESP_ERR(OK_HEAD "X-A: a\x7f" "b\r\n\r\n", BACT_E_HTTP);
    RESP_ERR(OK_HEAD "Connection: clo\x7f" "se\r\n\r\n", BACT_E_HTTP);
    RESP_ERR(OK_HEAD "Retry-After: 1\x0b\r\n\r\n", BACT_E_HTTP);
    RESP_ERR(OK_HEAD "X\x01: a\r\n\r\n", BACT_E_HTTP);
    /* ... also right after the colon, with no whitespace before it */
    RESP_ERR(OK_HEAD "X-A:\x01" "b\r\n\r\n", BACT_E_HTTP);
    RESP_ERR(OK_HEAD "X-A:\x7f" "b\r\n\r\n", BACT_E_HTTP);
    /* HTAB and obs-text are field-value bytes */
    RESP(OK_HEAD "X-A: a\tb \x80\xff\xc3\xa9\r\nContent-Length: 0\r\n\r\n", 0,
         BACT__DONE, 200, "");
}

static void hdr_name_syntax(void)
{
    RESP_ERR(OK_HEAD ": value\r\n\r\n", BACT_E_HTTP);
    RESP_ERR(OK_HEAD "X(y): z\r\n\r\n", BACT_E_HTTP);
    RESP_ERR(OK_HEAD "X@y: z\r\n\r\n", BACT_E_HTTP);
    RESP_ERR(OK_HEAD "X\"y: z\r\n\r\n", BACT_E_HTTP);
    RESP_ERR(OK_HEAD "X/y: z\r\n\r\n", BACT_E_HTTP);
    RESP_ERR(OK_HEAD "X y: z\r\n\r\n", BACT_E_HTTP);
    RESP_ERR(OK_HEAD "\xc3\xa9: z\r\n\r\n", BACT_E_HTTP);
    RESP(OK_HEAD "X-Weird!#$%&'*+.^_`|~09: v\r\nContent-Length: 0\r\n\r\n", 0,
         BACT__DONE, 200, "");
    RESP(OK_HEAD "X-Empty:\r\nX-Spaces:   \r\nContent-Length: 0\r\n\r\n", 0,
         BACT__DONE, 200, "");
    /* a value holding colons */
    RESP(OK_HEAD "X-Time: 12:30:00\r\nContent-Length: 0\r\n\r\n", 0,
         BACT__DONE, 200, "");
}

/* OK_HEAD, head, p x fill, the byte ch (a NUL too), tail, then a
 * Content-Length: 2 field and its body: refused when bad, else read. */
static void byte_at(int line, const char *head, char fill, size_t p,
                    unsigned char ch, const char *tail, int bad)
{
    big_reset();
    big_add(OK_HEAD);
    big_add(head);
    big_rep(fill, p);
    big_rep((char)ch, 1);
    big_add(tail);
    big_add("\r\nContent-Length: 2\r\n\r\nok");
    if (bad)
        resp_expect(line, big, big_n, 0, DEF_BYTES, DEF_COUNT, BACT_E_HTTP,
                    200, NULL, 0);
    else
        resp_expect(line, big, big_n, 0, DEF_BYTES, DEF_COUNT, BACT__DONE,
                    200, "ok", 2);
}

/* The header scans go a machine word at a time: a byte that ends or
 * spoils a name or a value, at every offset in the first two or three
 * words of it, is found exactly where the byte-by-byte path finds it
 * (resp_expect() feeds every way). */
static void hdr_word_positions(void)
{
    static const unsigned char bad_value[] = {0x00, 0x01, 0x0a, 0x1f, 0x7f};
    static const unsigned char good_value[] = {'\t', ' ', '~', ':', ',',
                                               0x80, 0xc3, 0xff};
    static const unsigned char bad_name[] = {'(', ' ', '"', '/', '@', '[',
                                             '{', 0x01, 0x7f, 0x80, 0xc1,
                                             0xad, 0xe1, 0xff};
    static const unsigned char good_name[] = {'-', 'Z', 'a', '0', '9', '_',
                                              '~', '!', '|', '.'};
    size_t p, k;

    for (p = 0; p < 20u; p++) {
        for (k = 0; k < sizeof bad_value; k++)
            byte_at(__LINE__, "X-Val: ", 'v', p, bad_value[k], "wwwww", 1);
        for (k = 0; k < sizeof good_value; k++)
            byte_at(__LINE__, "X-Val: ", 'v', p, good_value[k], "wwwww", 0);
        for (k = 0; k < sizeof bad_name; k++)
            byte_at(__LINE__, "X", 'n', p, bad_name[k], "y: v", 1);
        for (k = 0; k < sizeof good_name; k++)
            byte_at(__LINE__, "X", 'n', p, good_name[k], "y: v", 0);
        /* a wanted name in any case, after a line of p bytes: found */
        big_reset();
        big_add(OK_HEAD "X:");
        big_rep('p', p);
        big_add("\r\ncOnTeNt-LeNgTh: 2\r\nConnection:close\r\n\r\nok");
        CHECK_INT(BIG_EXPECT(DEF_BYTES, DEF_COUNT, BACT__DONE, 200, "ok", 2)
                      ->keep, 0);
        /* a name that is one letter off is not it */
        big_reset();
        big_add(OK_HEAD "X:");
        big_rep('p', p);
        big_add("\r\nContent-Lengtx: 9\r\nContent-Length: 2\r\n\r\nok");
        BIG_EXPECT(DEF_BYTES, DEF_COUNT, BACT__DONE, 200, "ok", 2);
    }
    /* names are compared a word at a time, the last word overlapping the
     * one before: one letter off anywhere in each wanted name is another
     * header (a Content-Length of 9 would disagree with the real one) */
    {
        static const char *const names[] = {
            "Content-Length", "Transfer-Encoding", "Connection",
            "Retry-After", "Date", "Content-Encoding"};
        char name[24];
        size_t i;
        for (i = 0; i < sizeof names / sizeof names[0]; i++) {
            size_t len = strlen(names[i]);
            for (k = 0; k < len; k++) {
                memcpy(name, names[i], len + 1u);
                name[k] = name[k] == 'q' ? 'z' : 'q';
                big_reset();
                big_add(OK_HEAD);
                big_add(name);
                big_add(": 9\r\nContent-Length: 2\r\n\r\nok");
                BIG_EXPECT(DEF_BYTES, DEF_COUNT, BACT__DONE, 200, "ok", 2);
            }
        }
    }
}

static void hdr_long_name(void)
{
    const r_out *o;
    size_t i;
    big_reset();
    big_add(OK_HEAD);
    for (i = 0; i < 300u; i++)
        big_rep((char)('a' + (char)(i % 26u)), 1);
    big_add(": v\r\nContent-Length: 2\r\n\r\nok");
    o = BIG_EXPECT(DEF_BYTES, DEF_COUNT, BACT__DONE, 200, "ok", 2);
    CHECK_INT(o->keep, 1);
    /* a 300-byte name that starts like Content-Length is not it */
    big_reset();
    big_add(OK_HEAD "Content-Length");
    big_rep('x', 286);
    big_add(": 99\r\nContent-Length: 2\r\n\r\nok");
    BIG_EXPECT(DEF_BYTES, DEF_COUNT, BACT__DONE, 200, "ok", 2);
    /* one byte longer than the longest name looked for, which it starts
     * with: not that header (read byte by byte too) */
    RESP(OK_HEAD "Transfer-Encodingx: chunked\r\nContent-Length: 2\r\n\r\nok",
         0, BACT__DONE, 200, "ok");
    RESP(OK_HEAD "Content-Lengthxyz: 5\r\nContent-Length: 2\r\n\r\nok", 0,
         BACT__DONE, 200, "ok");
    /* 256 bytes then a known name: the name position must not wrap back
     * into a match */
    big_reset();
    big_add(OK_HEAD);
    big_rep('y', 256);
    big_add("Content-Length: 99\r\nContent-Length: 2\r\n\r\nok");
    BIG_EXPECT(DEF_BYTES, DEF_COUNT, BACT__DONE, 200, "ok", 2);
    /* names of 30 to 40 bytes, each line read whole: no word looked for
     * is that long (nor is one of 32, a shift's width) */
    for (i = 30; i <= 40u; i++) {
        big_reset();
        big_add(OK_HEAD);
        big_rep('n', i);
        big_add(": 9\r\nContent-Length: 2\r\n\r\nok");
        BIG_EXPECT(DEF_BYTES, DEF_COUNT, BACT__DONE, 200, "ok", 2);
    }
}

static void hdr_long_values(void)
{
    size_t i;
    /* a long value of an ignored header is fine */
    big_reset();
    big_add(OK_HEAD "X-Long: ");
    for (i = 0; i < 5000u; i++)
        big_rep((char)('!' + (char)(i % 90u)), 1);
    big_add("\r\nContent-Length: 1\r\n\r\n!");
    BIG_EXPECT(DEF_BYTES, DEF_COUNT, BACT__DONE, 200, "!", 1);
    /* a value as long as the parser keeps (36 bytes) is read; one byte
     * more is too long to keep */
    big_reset();
    big_add(OK_HEAD "Content-Length: ");
    big_rep('0', 35);
    big_add("2\r\n\r\nok");
    BIG_EXPECT(DEF_BYTES, DEF_COUNT, BACT__DONE, 200, "ok", 2);
    big_reset();
    big_add(OK_HEAD "Content-Length: ");
    big_rep('0', 36);
    big_add("2\r\n\r\nok");
    BIG_EXPECT(DEF_BYTES, DEF_COUNT, BACT_E_HTTP, 200, NULL, 0);
    /* a Content-Length too long to keep is refused, not truncated */
    big_reset();
    big_add(OK_HEAD "Content-Length: ");
    big_rep('1', 40);
    big_add("\r\n\r\n");
    BIG_EXPECT(DEF_BYTES, DEF_COUNT, BACT_E_HTTP, 200, NULL, 0);
    /* whitespace inside a value is held back as a count that stops at
     * 255: 256 spaces do not wrap it to none, joining "1" and "0" into a
     * length of 10 */
    big_reset();
    big_add(OK_HEAD "Content-Length: 1");
    big_rep(' ', 256);
    big_add("0\r\n\r\n0123456789");
    BIG_EXPECT(DEF_BYTES, DEF_COUNT, BACT_E_HTTP, 200, NULL, 0);
}

/* ------------------------------------------------------------------ */
/* Limits                                                               */
/* ------------------------------------------------------------------ */

static void limit_header_bytes(void)
{
    static const char raw[] = OK_HEAD "Content-Length: 2\r\nX-A: b\r\n\r\nok";
    const uint32_t head = (uint32_t)(sizeof raw - 1u - 2u);
    const r_out *o;
    resp_expect(__LINE__, raw, sizeof raw - 1u, 0, head, DEF_COUNT,
                BACT__DONE, 200, "ok", 2);
    resp_expect(__LINE__, raw, sizeof raw - 1u, 0, head - 1u, DEF_COUNT,
                BACT_E_HEADER_SIZE, NO_STATUS, NULL, 0);
    /* the limit bites in the status line too */
    resp_expect(__LINE__, raw, sizeof raw - 1u, 0, 10u, DEF_COUNT,
                BACT_E_HEADER_SIZE, NO_STATUS, NULL, 0);
    /* body bytes do not count */
    big_reset();
    big_add(OK_HEAD "Content-Length: 5000\r\n\r\n");
    big_rep('b', 5000);
    o = BIG_EXPECT((uint32_t)(big_n - 5000u), DEF_COUNT, BACT__DONE, 200,
                   NULL, 0);
    CHECK_INT(o->body_len, 5000);
}

static void limit_header_bytes_large(void)
{
    /* a header section of exactly the default limit */
    static const char tail[] = "\r\nContent-Length: 1\r\n\r\n";
    big_reset();
    big_add(OK_HEAD "X-Pad: ");
    big_rep('p', DEF_BYTES - big_n - (sizeof tail - 1u));
    big_add(tail);
    CHECK_INT(big_n, DEF_BYTES);
    big_add("Z");
    BIG_EXPECT(DEF_BYTES, DEF_COUNT, BACT__DONE, 200, "Z", 1);
    BIG_EXPECT(DEF_BYTES - 1u, DEF_COUNT, BACT_E_HEADER_SIZE, 200, NULL, 0);
}

static void limit_header_bytes_interim(void)
{
    /* interim responses count against the same budget */
    static const char raw[] = "HTTP/1.1 100 Continue\r\n\r\n"
                              OK_HEAD "Content-Length: 1\r\n\r\nZ";
    const uint32_t head = (uint32_t)(sizeof raw - 1u - 1u);
    size_t i;
    resp_expect(__LINE__, raw, sizeof raw - 1u, 0, head, DEF_COUNT,
                BACT__DONE, 200, "Z", 1);
    resp_expect(__LINE__, raw, sizeof raw - 1u, 0, head - 1u, DEF_COUNT,
                BACT_E_HEADER_SIZE, NO_STATUS, NULL, 0);
    /* an endless stream of 100s is stopped */
    big_reset();
    for (i = 0; i < 400u; i++)
        big_add("HTTP/1.1 100 Continue\r\n\r\n");
    BIG_EXPECT(DEF_BYTES, DEF_COUNT, BACT_E_HEADER_SIZE, NO_STATUS, NULL, 0);
}

static void limit_header_count(void)
{
    static const char raw[] = OK_HEAD "A: 1\r\nB: 2\r\nC: 3\r\n"
                              "Content-Length: 1\r\n\r\nZ";
    resp_expect(__LINE__, raw, sizeof raw - 1u, 0, DEF_BYTES, 4u, BACT__DONE,
                200, "Z", 1);
    resp_expect(__LINE__, raw, sizeof raw - 1u, 0, DEF_BYTES, 3u,
                BACT_E_HEADER_COUNT, 200, NULL, 0);
    resp_expect(__LINE__, raw, sizeof raw - 1u, 0, DEF_BYTES, 1u,
                BACT_E_HEADER_COUNT, 200, NULL, 0);
    /* no header at all with a limit of 0 is fine */
    resp_expect(__LINE__, OK_HEAD "\r\nab", sizeof(OK_HEAD "\r\nab") - 1u, 1,
                DEF_BYTES, 0u, BACT__DONE, 200, "ab", 2);
    /* interim headers count too */
    {
        static const char r2[] = "HTTP/1.1 100 Continue\r\nA: 1\r\n\r\n"
                                 OK_HEAD "Content-Length: 0\r\n\r\n";
        resp_expect(__LINE__, r2, sizeof r2 - 1u, 0, DEF_BYTES, 2u,
                    BACT__DONE, 200, "", 0);
        resp_expect(__LINE__, r2, sizeof r2 - 1u, 0, DEF_BYTES, 1u,
                    BACT_E_HEADER_COUNT, 200, NULL, 0);
    }
}

static void limit_header_count_default(void)
{
    /* 64 fields pass the default limit, 65 do not */
    size_t i;
    big_reset();
    big_add(OK_HEAD);
    for (i = 0; i < 63u; i++)
        big_add("X-H: v\r\n");
    big_add("Content-Length: 1\r\n\r\nZ");
    BIG_EXPECT(DEF_BYTES, DEF_COUNT, BACT__DONE, 200, "Z", 1);
    big_reset();
    big_add(OK_HEAD);
    for (i = 0; i < 64u; i++)
        big_add("X-H: v\r\n");
    big_add("Content-Length: 1\r\n\r\nZ");
    BIG_EXPECT(DEF_BYTES, DEF_COUNT, BACT_E_HEADER_COUNT, 200, NULL, 0);
}

static void limit_trailers_counted(void)
{
    static const char trail[] = "T1: x\r\nT2: y\r\n\r\n";
    static const char raw[] = CH_HEAD "3\r\nabc\r\n0\r\nT1: x\r\nT2: y\r\n\r\n";
    const uint32_t hb = (uint32_t)(sizeof(CH_HEAD) - 1u);
    const uint32_t tb = (uint32_t)(sizeof trail - 1u);
    size_t i;
    /* one header field + two trailer fields */
    resp_expect(__LINE__, raw, sizeof raw - 1u, 0, DEF_BYTES, 3u, BACT__DONE,
                200, "abc", 3);
    resp_expect(__LINE__, raw, sizeof raw - 1u, 0, DEF_BYTES, 2u,
                BACT_E_HEADER_COUNT, 200, "abc", 3);
    /* header bytes + trailer bytes */
    resp_expect(__LINE__, raw, sizeof raw - 1u, 0, hb + tb, DEF_COUNT,
                BACT__DONE, 200, "abc", 3);
    resp_expect(__LINE__, raw, sizeof raw - 1u, 0, hb + tb - 1u, DEF_COUNT,
                BACT_E_HEADER_SIZE, 200, "abc", 3);
    /* an endless trailer section is stopped */
    big_reset();
    big_add(CH_HEAD "0\r\n");
    for (i = 0; i < 1500u; i++)
        big_add("T: zzzzzz\r\n");
    BIG_EXPECT(DEF_BYTES, 100000u, BACT_E_HEADER_SIZE, 200, NULL, 0);
    BIG_EXPECT(100000u, DEF_COUNT, BACT_E_HEADER_COUNT, 200, NULL, 0);
}

/* ------------------------------------------------------------------ */
/* Retry-After                                                          */
/* ------------------------------------------------------------------ */

#define H503 "HTTP/1.1 503 Busy\r\n"
#define RA_OF(hdrs)                                                         \
    (RESP(H503 hdrs "Content-Length: 0\r\n\r\n", 0, BACT__DONE, 503, "")->ra)

static void ra_seconds(void)
{
    CHECK_INT(RA_OF("Retry-After: 120\r\n"), 120);
    CHECK_INT(RA_OF("Retry-After: 0\r\n"), 0);
    CHECK_INT(RA_OF("retry-after:\t 7 \t\r\n"), 7);
    CHECK_INT(RA_OF("RETRY-AFTER: 0042\r\n"), 42);
    CHECK_INT(RA_OF("Retry-After: 2147483647\r\n"), 2147483647);
    /* the last one wins */
    CHECK_INT(RA_OF("Retry-After: 5\r\nRetry-After: 9\r\n"), 9);
}

static void ra_saturates(void)
{
    CHECK_INT(RA_OF("Retry-After: 2147483648\r\n"), 0x7FFFFFFF);
    CHECK_INT(RA_OF("Retry-After: 4294967295\r\n"), 0x7FFFFFFF);
    CHECK_INT(RA_OF("Retry-After: 4294967296\r\n"), 0x7FFFFFFF);
    CHECK_INT(RA_OF("Retry-After: 4294967301\r\n"), 0x7FFFFFFF);
    CHECK_INT(RA_OF("Retry-After: 99999999999999999999\r\n"), 0x7FFFFFFF);
}

static void ra_http_date(void)
{
    CHECK_INT(RA_OF("Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
                    "Retry-After: Sun, 06 Nov 1994 08:51:37 GMT\r\n"), 120);
    /* order does not matter */
    CHECK_INT(RA_OF("Retry-After: Sun, 06 Nov 1994 08:51:37 GMT\r\n"
                    "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"), 120);
    /* across a day and a year boundary */
    CHECK_INT(RA_OF("Date: Fri, 31 Dec 1999 23:59:59 GMT\r\n"
                    "Retry-After: Sat, 01 Jan 2000 00:00:09 GMT\r\n"), 10);
    /* a date in the past: retry now */
    CHECK_INT(RA_OF("Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
                    "Retry-After: Sun, 06 Nov 1994 08:00:00 GMT\r\n"), 0);
    CHECK_INT(RA_OF("Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
                    "Retry-After: Sun, 06 Nov 1994 08:49:37 GMT\r\n"), 0);
    /* the other two formats */
    CHECK_INT(RA_OF("Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
                    "Retry-After: Sunday, 06-Nov-94 08:50:37 GMT\r\n"), 60);
    CHECK_INT(RA_OF("Date: Sun Nov  6 08:49:37 1994\r\n"
                    "Retry-After: Sun Nov  6 08:49:47 1994\r\n"), 10);
}

static void ra_http_date_without_date(void)
{
    CHECK_INT(RA_OF("Retry-After: Sun, 06 Nov 1994 08:51:37 GMT\r\n"), -1);
    /* a Date that does not parse is no Date */
    CHECK_INT(RA_OF("Date: yesterday\r\n"
                    "Retry-After: Sun, 06 Nov 1994 08:51:37 GMT\r\n"), -1);
    CHECK_INT(RA_OF("Date: Sun, 06 Nov 1994 25:49:37 GMT\r\n"
                    "Retry-After: Sun, 06 Nov 1994 08:51:37 GMT\r\n"), -1);
}

static void ra_garbage_and_absent(void)
{
    CHECK_INT(RA_OF("Retry-After: soon\r\n"), -1);
    CHECK_INT(RA_OF("Retry-After: -5\r\n"), -1);
    CHECK_INT(RA_OF("Retry-After: +5\r\n"), -1);
    CHECK_INT(RA_OF("Retry-After: 1.5\r\n"), -1);
    CHECK_INT(RA_OF("Retry-After: 5s\r\n"), -1);
    CHECK_INT(RA_OF("Retry-After: 5 6\r\n"), -1);
    /* too large and then not a number: garbage, not the longest wait */
    CHECK_INT(RA_OF("Retry-After: 99999999999abc\r\n"), -1);
    CHECK_INT(RA_OF("Retry-After: 4294967296 \t5\r\n"), -1);
    CHECK_INT(RA_OF("Retry-After:\r\n"), -1);
    CHECK_INT(RA_OF("Retry-After:    \r\n"), -1);
    CHECK_INT(RA_OF("Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
                    "Retry-After: Sun, 06 Nov 1994 08:51:37\r\n"), -1);
    CHECK_INT(RA_OF(""), -1);
    CHECK_INT(RA_OF("X-Retry-After: 5\r\nRetry-After-Ms: 5\r\n"), -1);
    /* a garbage value does not undo an earlier good one */
    CHECK_INT(RA_OF("Retry-After: 30\r\nRetry-After: soon\r\n"), 30);
}

/* ------------------------------------------------------------------ */
/* HTTP-date                                                            */
/* ------------------------------------------------------------------ */

/* Parse from an exact-size heap copy; returns -2 on failure. */
static long long date_of(const char *s)
{
    size_t n = strlen(s);
    char *copy = (char *)malloc(n + 1u);
    uint32_t out = 0xDEADBEEFu;
    int rc;
    if (copy == NULL)
        abort();
    memcpy(copy, s, n);
    rc = bact__http_date(n ? copy : s, n, &out);
    free(copy);
    return rc == 0 ? (long long)out : -2;
}

static void date_three_formats(void)
{
    CHECK_INT(date_of("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
    CHECK_INT(date_of("Sunday, 06-Nov-94 08:49:37 GMT"), 784111777);
    CHECK_INT(date_of("Sun Nov  6 08:49:37 1994"), 784111777);
    CHECK_INT(date_of("Sun Nov 16 08:49:37 1994"), 784111777 + 10 * 86400);
    /* month names are case-insensitive on input */
    CHECK_INT(date_of("Sun, 06 NOV 1994 08:49:37 GMT"), 784111777);
    /* the day name is not checked: the date says which day it was */
    CHECK_INT(date_of("Mon, 06 Nov 1994 08:49:37 GMT"), 784111777);
    CHECK_INT(date_of("Xyzday, 06-Nov-94 08:49:37 GMT"), 784111777);
    CHECK_INT(date_of("S1n, 06 Nov 1994 08:49:37 GMT"), -2);
}

static void date_epoch_edges(void)
{
    CHECK_INT(date_of("Thu, 01 Jan 1970 00:00:00 GMT"), 0);
    CHECK_INT(date_of("Thursday, 01-Jan-70 00:00:00 GMT"), 0);
    CHECK_INT(date_of("Thu Jan  1 00:00:00 1970"), 0);
    /* RFC 850 two-digit years: 69 is 2069 */
    CHECK_INT(date_of("Tuesday, 01-Jan-69 00:00:00 GMT"), 3124224000LL);
    /* the last second that fits 32 bits in the supported range */
    CHECK_INT(date_of("Mon, 31 Dec 2105 23:59:59 GMT"), 4291747199LL);
    CHECK_INT(date_of("Mon, 31 Dec 2105 23:59:60 GMT"), 4291747200LL);
}

static void date_leap_years(void)
{
    CHECK_INT(date_of("Thu, 29 Feb 2024 12:00:00 GMT"), 1709208000);
    CHECK_INT(date_of("Fri, 01 Mar 2024 00:00:00 GMT"), 1709251200);
    CHECK_INT(date_of("Tue, 29 Feb 2000 00:00:00 GMT"), 951782400);
    /* 2100 is not a leap year */
    CHECK_INT(date_of("Mon, 01 Mar 2100 00:00:00 GMT"), 4107542400LL);
    CHECK_INT(date_of("Thu, 02 Mar 2023 00:00:00 GMT"), 1677715200);
    CHECK_INT(date_of("Thu Feb 29 12:00:00 2024"), 1709208000);
}

static void date_invalid(void)
{
    CHECK_INT(date_of("Sun, 06 Foo 1994 08:49:37 GMT"), -2);
    CHECK_INT(date_of("Sun, 06 Nov 1994 24:00:00 GMT"), -2);
    CHECK_INT(date_of("Sun, 06 Nov 1994 23:60:00 GMT"), -2);
    CHECK_INT(date_of("Sun, 06 Nov 1994 23:00:61 GMT"), -2);
    CHECK_INT(date_of("Sun, 06 Nov 1994 08:49:37"), -2);
    CHECK_INT(date_of("Sun, 06 Nov 1994 08:49:37 UTC"), -2);
    CHECK_INT(date_of("Sun, 06 Nov 1994 08:49:37 gmt"), -2);
    CHECK_INT(date_of("Sun, 06 Nov 1994 08:49:37 GMT "), -2);
    CHECK_INT(date_of("Sun, 06 Nov 1994 08:49:37 GMTX"), -2);
    CHECK_INT(date_of("Sun, 06 Nov 1994 08:49:37 GMT, x"), -2);
    CHECK_INT(date_of("Wed, 31 Dec 1969 23:59:59 GMT"), -2);
    CHECK_INT(date_of("Wednesday, 31-Dec-69 23:59:59 GMT") == -2, 0); /* 2069 */
    CHECK_INT(date_of("Wed Dec 31 23:59:59 1969"), -2);
    CHECK_INT(date_of("Sun, 01 Jan 2106 00:00:00 GMT"), -2);
    CHECK_INT(date_of("Sun, 00 Nov 1994 08:49:37 GMT"), -2);
    CHECK_INT(date_of("Sun, 32 Nov 1994 08:49:37 GMT"), -2);
    CHECK_INT(date_of("Sun, 6 Nov 1994 08:49:37 GMT"), -2);
    /* a field takes its digits and no more: a third (or fifth) is junk */
    CHECK_INT(date_of("Sun, 006 Nov 1994 08:49:37 GMT"), -2);
    CHECK_INT(date_of("Sun, 06 Nov 1994 008:49:37 GMT"), -2);
    CHECK_INT(date_of("Sun, 06 Nov 1994 08:049:37 GMT"), -2);
    CHECK_INT(date_of("Sun, 06 Nov 1994 08:49:037 GMT"), -2);
    CHECK_INT(date_of("Sunday, 006-Nov-94 08:49:37 GMT"), -2);
    CHECK_INT(date_of("Sun Nov  006 08:49:37 1994"), -2);
    CHECK_INT(date_of("Sun Nov 006 08:49:37 1994"), -2);
    CHECK_INT(date_of("Sun, 06 Nov 94 08:49:37 GMT"), -2);
    CHECK_INT(date_of("Sun 06 Nov 1994 08:49:37 GMT"), -2);
    CHECK_INT(date_of("Sun,06 Nov 1994 08:49:37 GMT"), -2);
    CHECK_INT(date_of("Sun, 06-Nov 1994 08:49:37 GMT"), -2);
    CHECK_INT(date_of("Sun, 06 Nov-1994 08:49:37 GMT"), -2);
    CHECK_INT(date_of("Sun, 06 Nov 1994 8:49:37 GMT"), -2);
    CHECK_INT(date_of("Sun, 06 Nov 1994 08:49 GMT"), -2);
    CHECK_INT(date_of("Sun, 06 Nov 1994 08-49-37 GMT"), -2);
    CHECK_INT(date_of("Su, 06 Nov 1994 08:49:37 GMT"), -2);
    CHECK_INT(date_of(", 06 Nov 1994 08:49:37 GMT"), -2);
    CHECK_INT(date_of("1994-11-06T08:49:37Z"), -2);
    CHECK_INT(date_of("784111777"), -2);
    CHECK_INT(date_of(""), -2);
    CHECK_INT(date_of("Sunday, 06-Nov-1994 08:49:37 GMT"), -2);
    CHECK_INT(date_of("Sun Nov  6 08:49:37 1994 "), -2);
    CHECK_INT(date_of("Sun Nov  6 08:49:37 1994 GMT"), -2);
    CHECK_INT(date_of("Sun Nov  6 08:49:37 94"), -2);
    CHECK_INT(date_of("Sun Foo  6 08:49:37 1994"), -2);
    CHECK_INT(date_of("Sun Nov  6 24:49:37 1994"), -2);
    CHECK_INT(date_of("Sun Nov   6 08:49:37 1994"), -2);
}

static void date_prefixes_fail(void)
{
    /* every proper prefix of a valid date is malformed (and is read from
     * an exact-size buffer, so ASan sees any read past its end) */
    static const char *const dates[] = {
        "Sun, 06 Nov 1994 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994",
        "Thu Feb 29 12:00:00 2024",
    };
    size_t d, k;
    for (d = 0; d < sizeof dates / sizeof dates[0]; d++) {
        size_t n = strlen(dates[d]);
        for (k = 0; k < n; k++) {
            char *copy = (char *)malloc(k ? k : 1u);
            uint32_t out = 0;
            if (copy == NULL)
                abort();
            memcpy(copy, dates[d], k);
            if (bact__http_date(copy, k, &out) == 0) {
                char msg[160];
                snprintf(msg, sizeof msg, "prefix %lu of \"%s\" accepted",
                         (unsigned long)k, dates[d]);
                t_fail(__FILE__, __LINE__, msg);
            }
            free(copy);
        }
    }
}

/* ------------------------------------------------------------------ */
/* Request writer helpers                                               */
/* ------------------------------------------------------------------ */

#define GUARD 0x5A

static void put_exact_fit(void)
{
    char mem[9];
    bact__buf b;
    memset(mem, '.', sizeof mem);
    mem[8] = GUARD;
    b.p = mem;
    b.cap = 8;
    b.len = 0;
    bact__put(&b, "abc", 3);
    bact__put(&b, "defgh", 5);
    CHECK_INT(b.len, 8);
    CHECK(memcmp(mem, "abcdefgh", 8) == 0);
    CHECK_INT(mem[8], GUARD);
    /* nothing more fits; the count goes on */
    bact__put(&b, "i", 1);
    CHECK_INT(b.len, 9);
    CHECK_INT(mem[8], GUARD);
    /* zero bytes at a full buffer are fine */
    bact__put(&b, "", 0);
    CHECK_INT(b.len, 9);
}

static void put_one_short(void)
{
    char mem[8];
    bact__buf b;
    memset(mem, '.', sizeof mem);
    mem[7] = GUARD;
    b.p = mem;
    b.cap = 7;
    b.len = 0;
    bact__put(&b, "abc", 3);
    bact__put(&b, "defgh", 5);
    CHECK_INT(b.len, 8); /* the size that was needed */
    CHECK(memcmp(mem, "abc....", 7) == 0);
    CHECK_INT(mem[7], GUARD);
    /* a later piece that would fit in the gap must not be written either
     * (the output would have a hole) */
    bact__put(&b, "Z", 1);
    CHECK_INT(b.len, 9);
    CHECK(memcmp(mem, "abc....", 7) == 0);
    CHECK_INT(mem[7], GUARD);
}

static void put_measure_only(void)
{
    bact__buf b;
    b.p = NULL;
    b.cap = 0;
    b.len = 0;
    bact__put(&b, "hello", 5);
    bact__puts(&b, " world");
    bact__put_pct(&b, "a b");
    CHECK_INT(b.len, 16);
    /* cap 0 with a real pointer writes nothing */
    {
        char g = GUARD;
        b.p = &g;
        b.cap = 0;
        b.len = 0;
        bact__puts(&b, "x");
        CHECK_INT(b.len, 1);
        CHECK_INT(g, GUARD);
    }
}

static void puts_writes_string(void)
{
    char mem[32];
    bact__buf b;
    memset(mem, 0, sizeof mem);
    b.p = mem;
    b.cap = sizeof mem;
    b.len = 0;
    bact__puts(&b, "GET ");
    bact__puts(&b, "");
    bact__puts(&b, "/v2 HTTP/1.1");
    CHECK_INT(b.len, 16);
    CHECK_STR(mem, "GET /v2 HTTP/1.1");
}

/* put_pct of s into a fresh buffer; returns the NUL-terminated text */
static const char *pct(const char *s)
{
    static char mem[512];
    bact__buf b;
    memset(mem, 0, sizeof mem);
    b.p = mem;
    b.cap = sizeof mem - 1u;
    b.len = 0;
    bact__put_pct(&b, s);
    if (b.len != strlen(mem))
        t_fail(__FILE__, __LINE__, "put_pct len disagrees with text");
    return mem;
}

static void put_pct_sets(void)
{
    CHECK_STR(pct("AZaz09-._~"), "AZaz09-._~");
    CHECK_STR(pct(""), "");
    CHECK_STR(pct(" "), "%20");
    CHECK_STR(pct("a b+c"), "a%20b%2Bc");
    CHECK_STR(pct("!*'();:@&=+$,/?#[]"),
              "%21%2A%27%28%29%3B%3A%40%26%3D%2B%24%2C%2F%3F%23%5B%5D");
    CHECK_STR(pct("%"), "%25");
    CHECK_STR(pct("%41"), "%2541");
    CHECK_STR(pct("\"<>\\^`{|}"), "%22%3C%3E%5C%5E%60%7B%7C%7D");
    CHECK_STR(pct("\r\n\t\x01\x7f"), "%0D%0A%09%01%7F");
    /* UTF-8 byte by byte, upper-case hex */
    CHECK_STR(pct("caf\xc3\xa9"), "caf%C3%A9");
    CHECK_STR(pct("\xe2\x82\xac"), "%E2%82%AC");
    CHECK_STR(pct("\xf0\x9f\x98\x80"), "%F0%9F%98%80");
    CHECK_STR(pct("\xff\x80"), "%FF%80");
}

/* RFC 3986 by the book, a byte at a time: the reference for put_pct */
static void pct_ref(const char *s, char *out)
{
    static const char hex[] = "0123456789ABCDEF";
    for (; *s != '\0'; s++) {
        unsigned char ch = (unsigned char)*s;
        if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
            (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' ||
            ch == '_' || ch == '~') {
            *out++ = (char)ch;
        } else {
            *out++ = '%';
            *out++ = hex[ch >> 4];
            *out++ = hex[ch & 15u];
        }
    }
    *out = '\0';
}

/* Every byte value at every offset of ids of letters and digits of every
 * length up to 40 (digits take a shortcut), against the reference. */
static void put_pct_positions(void)
{
    static const char alnum[] = "0123456789AZaz19kK7QqMmz0A9a";
    char s[48], want[48 * 3 + 1];
    size_t len, at;
    unsigned v;
    unsigned bad = 0;
    for (len = 1; len <= 40; len++) {
        for (at = 0; at < len; at++) {
            for (v = 1; v < 256; v++) {
                size_t k;
                for (k = 0; k < len; k++)
                    s[k] = alnum[(k * 7u + len) % (sizeof alnum - 1u)];
                s[len] = '\0';
                s[at] = (char)v;
                pct_ref(s, want);
                if (strcmp(pct(s), want) != 0 && bad++ < 5)
                    t_fail(__FILE__, __LINE__, "put_pct disagrees with RFC 3986");
            }
        }
    }
    CHECK_INT(bad, 0);
    /* the bytes next to the digits and letters: '/', ':', '@', '[', '`', '{' */
    CHECK_STR(pct("0123456/89:abcdef@ABCDEFG[abcdefg`ABCDEFG{z"),
              "0123456%2F89%3Aabcdef%40ABCDEFG%5Babcdefg%60ABCDEFG%7Bz");
    CHECK_STR(pct("12345678901234567"), "12345678901234567");
}

static void put_pct_short(void)
{
    /* an escape that does not fit is not half-written */
    char mem[4];
    bact__buf b;
    memset(mem, '.', sizeof mem);
    mem[2] = GUARD;
    b.p = mem;
    b.cap = 2;
    b.len = 0;
    bact__put_pct(&b, "a\xc3\xa9");
    CHECK_INT(b.len, 7);
    CHECK_INT(mem[0], 'a');
    CHECK_INT(mem[1], '.');
    CHECK_INT(mem[2], GUARD);
    /* exact fit */
    memset(mem, '.', sizeof mem);
    mem[3] = GUARD;
    b.p = mem;
    b.cap = 3;
    b.len = 0;
    bact__put_pct(&b, "/");
    CHECK_INT(b.len, 3);
    CHECK(memcmp(mem, "%2F", 3) == 0);
    CHECK_INT(mem[3], GUARD);
}

/* ------------------------------------------------------------------ */
/* Numbers and words                                                    */
/* ------------------------------------------------------------------ */

static void u32_to_dec_values(void)
{
    char out[16];
    memset(out, 'G', sizeof out);
    CHECK_INT(bact__u32_to_dec(0u, out), 1);
    CHECK_STR(out, "0");
    CHECK_INT(out[2], 'G');
    CHECK_INT(bact__u32_to_dec(9u, out), 1);
    CHECK_STR(out, "9");
    CHECK_INT(bact__u32_to_dec(10u, out), 2);
    CHECK_STR(out, "10");
    CHECK_INT(bact__u32_to_dec(1000000000u, out), 10);
    CHECK_STR(out, "1000000000");
    memset(out, 'G', sizeof out);
    CHECK_INT(bact__u32_to_dec(4294967295u, out), 10);
    CHECK_STR(out, "4294967295");
    CHECK_INT(out[11], 'G'); /* 10 digits + NUL: 11 bytes */
}

static void i32_to_dec_values(void)
{
    char out[16];
    memset(out, 'G', sizeof out);
    CHECK_INT(bact__i32_to_dec(INT32_MIN, out), 11);
    CHECK_STR(out, "-2147483648");
    CHECK_INT(out[12], 'G'); /* '-' + 10 digits + NUL: 12 bytes */
    CHECK_INT(bact__i32_to_dec(INT32_MIN + 1, out), 11);
    CHECK_STR(out, "-2147483647");
    CHECK_INT(bact__i32_to_dec(-1, out), 2);
    CHECK_STR(out, "-1");
    CHECK_INT(bact__i32_to_dec(-10, out), 3);
    CHECK_STR(out, "-10");
    CHECK_INT(bact__i32_to_dec(0, out), 1);
    CHECK_STR(out, "0");
    CHECK_INT(bact__i32_to_dec(7, out), 1);
    CHECK_STR(out, "7");
    CHECK_INT(bact__i32_to_dec(INT32_MAX, out), 10);
    CHECK_STR(out, "2147483647");
}

static void strnlen_bounds(void)
{
    CHECK_INT(bact__strnlen("", 5), 0);
    CHECK_INT(bact__strnlen("abc", 5), 3);
    CHECK_INT(bact__strnlen("abcde", 5), 5);
    CHECK_INT(bact__strnlen("abcdef", 5), 6); /* max + 1: too long */
    CHECK_INT(bact__strnlen("abcdefgh", 5), 6);
}

/* ------------------------------------------------------------------ */
/* Found while testing                                                  */
/* ------------------------------------------------------------------ */

static void regress_rfc850_wednesday_date_ignored(void)
{
    /* "Wednesday, 09-Nov-94 08:49:37 GMT" is 33 bytes, one more than the
     * header scratch holds; the date parser accepts it, the header path
     * drops it. RFC 9110 5.6.7: recipients MUST accept all three formats. */
    CHECK_INT(date_of("Wednesday, 09-Nov-94 08:49:37 GMT"), 784370977);
    CHECK_INT(RA_OF("Date: Wed, 09 Nov 1994 08:49:37 GMT\r\n"
                    "Retry-After: Wednesday, 09-Nov-94 08:50:37 GMT\r\n"), 60);
    CHECK_INT(RA_OF("Date: Wednesday, 09-Nov-94 08:49:37 GMT\r\n"
                    "Retry-After: Wed, 09 Nov 1994 08:50:37 GMT\r\n"), 60);
}

static void regress_connection_close_after_long_ows(void)
{
    /* OWS is unbounded; 40 spaces before "close" must not hide it */
    const r_out *o =
        RESP(OK_HEAD "Connection: upgrade,                                   "
             "     close\r\nContent-Length: 0\r\n\r\n",
             0, BACT__DONE, 200, "");
    CHECK_INT(o->keep, 0);
    o = RESP(OK_HEAD "Connection: close                                       "
             "   \r\nContent-Length: 0\r\n\r\n",
             0, BACT__DONE, 200, "");
    CHECK_INT(o->keep, 0);
}

static void regress_date_day_beyond_month(void)
{
    /* a day the month does not have is a malformed date, not next month */
    CHECK_INT(date_of("Thu, 30 Feb 2023 00:00:00 GMT"), -2);
    CHECK_INT(date_of("Mon, 31 Apr 2023 00:00:00 GMT"), -2);
    CHECK_INT(date_of("Thu, 29 Feb 2023 00:00:00 GMT"), -2);
}

/* bact__iso_time() of s in a buffer of exactly its length: the time, or
 * -1 when refused with the output left alone (-3: refused but written). */
static long long iso_of(const char *s)
{
    size_t n = strlen(s);
    char *copy = (char *)malloc(n + 1u);
    uint32_t t = 7;
    int rc;
    if (copy == NULL)
        abort();
    memcpy(copy, s, n);
    rc = bact__iso_time(copy, n, &t);
    free(copy);
    if (rc != 0)
        return t == 7 ? -1 : -3;
    return (long long)t;
}

static void iso_time_forms(void)
{
    CHECK_INT(iso_of("1994-11-06T08:49:37Z"), 784111777);
    CHECK_INT(iso_of("1994-11-06t08:49:37.250z"), 784111777);
    CHECK_INT(iso_of("1994-11-06T10:49:37+02:00"), 784111777);
    CHECK_INT(iso_of("1994-11-06T03:19:37-05:30"), 784111777);
    CHECK_INT(iso_of("2024-02-29T00:00:00Z"), 1709164800);
    CHECK_INT(iso_of("2023-02-29T00:00:00Z"), -1);
    CHECK_INT(iso_of("1994-11-06T08:49:37"), -1);
    CHECK_INT(iso_of("1994-11-06T24:00:00Z"), -1);
    CHECK_INT(iso_of("1994-13-06T08:49:37Z"), -1);
    CHECK_INT(iso_of("1994-11-06T08:49:37.Z"), -1);
    CHECK_INT(iso_of("1970-01-01T00:00:00+01:00"), -1);
    CHECK_INT(iso_of("1994-11-06T08:49:37Zx"), -1);
}

/* the date-time separator and the offset, byte by byte */
static void iso_time_offsets(void)
{
    static const char *const good[] = {
        "1994-11-06 08:49:37Z", "1994-11-06t08:49:37Z",
        "1994-11-06T08:49:37+00:00", "1994-11-06T08:49:37.999999-00:00",
        "1994-11-06T09:48:37+00:59", "1994-11-05T09:49:37-23:00"
    };
    static const char *const bad[] = {
        "1994-11-06T08:49:37+2:00", "1994-11-06T08:49:37+02:0",
        "1994-11-06T08:49:37+02", "1994-11-06T08:49:37+", "1994-11-06T08:49:37-",
        "1994-11-06T08:49:37+a2:00", "1994-11-06T08:49:37+2a:00",
        "1994-11-06T08:49:37+02-00", "1994-11-06T08:49:37+02:a0",
        "1994-11-06T08:49:37+02:0a", "1994-11-06T08:49:37+/2:00",
        "1994-11-06T08:49:37+0/:00", "1994-11-06T08:49:37+00:/0",
        "1994-11-06T08:49:37+00:0/", "1994-11-06T08:49:37+24:00",
        "1994-11-06T08:49:37+00:60", "1994-11-06T08:49:37+02:00Z",
        "1994-11-06T08:49:37.5", "1994-11-06T08:49:37.",
        "1994-11-06T08:49:37z5", "1994-11-06X08:49:37Z", "1994-11-06",
        "1994-11-06T08:49:3", "1994-11-06\t08:49:37Z"
    };
    size_t i;
    for (i = 0; i < sizeof good / sizeof good[0]; i++) {
        if (iso_of(good[i]) != 784111777)
            t_fail(__FILE__, __LINE__, good[i]);
    }
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (iso_of(bad[i]) != -1)
            t_fail(__FILE__, __LINE__, bad[i]);
    }
}

static const t_case cases[] = {
    T_CASE(iso_time_forms),
    T_CASE(iso_time_offsets),
    T_CASE(status_200_with_reason),
    T_CASE(status_200_without_reason),
    T_CASE(status_http10),
    T_CASE(status_line_as_value),
    T_CASE(status_odd_reasons),
    T_CASE(status_three_digits),
    T_CASE(status_below_100),
    T_CASE(status_bad_version),
    T_CASE(status_incomplete),
    T_CASE(eof_with_nothing),
    T_CASE(interim_100_skipped),
    T_CASE(interim_several_with_headers),
    T_CASE(interim_then_incomplete),
    T_CASE(status_101_is_error),
    T_CASE(nobody_204_304),
    T_CASE(done_then_more_input),
    T_CASE(cl_exact_body),
    T_CASE(cl_zero),
    T_CASE(cl_leading_zeros_and_ows),
    T_CASE(cl_case_insensitive_name),
    T_CASE(cl_similar_names_are_other_headers),
    T_CASE(cl_duplicates),
    T_CASE(cl_malformed),
    T_CASE(cl_overflow),
    T_CASE(cl_and_te_refused),
    T_CASE(cl_short_body_eof),
    T_CASE(chunked_multiple),
    T_CASE(chunked_hex_case),
    T_CASE(chunked_bad_hex),
    T_CASE(chunked_extensions),
    T_CASE(chunked_trailers),
    T_CASE(lean_keeps_retry_after_off_2xx),
    T_CASE(chunked_missing_crlf_after_data),
    T_CASE(chunked_size_line_endings),
    T_CASE(chunked_size_overflow),
    T_CASE(chunked_no_digits),
    T_CASE(chunked_line_limit),
    T_CASE(te_only_lone_chunked),
    T_CASE(te_chunked_case_and_ows),
    T_CASE(chunked_eof),
    T_CASE(close_delimited_body),
    T_CASE(eof_mid_headers),
    T_CASE(keepalive_rules),
    T_CASE(regress_hostile_findings),
    T_CASE(hdr_space_before_colon),
    T_CASE(hdr_obs_fold),
    T_CASE(hdr_bare_lf_and_cr),
    T_CASE(hdr_control_bytes),
    T_CASE(hdr_name_syntax),
    T_CASE(hdr_word_positions),
    T_CASE(hdr_long_name),
    T_CASE(hdr_long_values),
    T_CASE(limit_header_bytes),
    T_CASE(limit_header_bytes_large),
    T_CASE(limit_header_bytes_interim),
    T_CASE(limit_header_count),
    T_CASE(limit_header_count_default),
    T_CASE(limit_trailers_counted),
    T_CASE(ra_seconds),
    T_CASE(ra_saturates),
    T_CASE(ra_http_date),
    T_CASE(ra_http_date_without_date),
    T_CASE(ra_garbage_and_absent),
    T_CASE(date_three_formats),
    T_CASE(date_epoch_edges),
    T_CASE(date_leap_years),
    T_CASE(date_invalid),
    T_CASE(date_prefixes_fail),
    T_CASE(put_exact_fit),
    T_CASE(put_one_short),
    T_CASE(put_measure_only),
    T_CASE(puts_writes_string),
    T_CASE(put_pct_sets),
    T_CASE(put_pct_short),
    T_CASE(put_pct_positions),
    T_CASE(u32_to_dec_values),
    T_CASE(i32_to_dec_values),
    T_CASE(strnlen_bounds),
    T_CASE(regress_rfc850_wednesday_date_ignored),
    T_CASE(regress_connection_close_after_long_ows),
    T_CASE(regress_date_day_beyond_month),
};

int main(void)
{
    return t_main("http", cases, sizeof cases / sizeof cases[0]);
}
