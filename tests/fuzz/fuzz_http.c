/*
 * fuzz_http.c - the incremental HTTP response parser (src/http.c).
 *
 * The response is pushed into bact__resp_feed() in pieces whose sizes the
 * input chooses, exactly the way client.c's receive loop does it, and the
 * outcome must match feeding it in one piece: the same result at the same
 * byte, the same de-framed body, the same header values. Along the way:
 * nothing consumed beyond what was given, body slices inside the piece,
 * HEAD once and before any body, DONE final, no body past Content-Length,
 * none for 204/304, progress on every call; then bact__resp_eof(),
 * bact__resp_keepalive() and bact__resp_retry_after() against the flags.
 * Every piece is copied into a buffer of its exact size, so reading one
 * byte past it is an ASan report. In lean mode (BACT__F2_LEAN, which the
 * client sets when it does not need Date or Retry-After) the outcome must
 * be the same but for those two, which a 2xx answer must then not have.
 *
 * The rest of the input also goes to bact__http_date() and
 * bact__iso_time(); a date either accepts must come back to the same value
 * when printed (IMF-fixdate, asctime, RFC 850 for years before 2070; RFC
 * 3339 with "Z", "+00:00" and a fraction) and parsed again, and an
 * RFC 3339 time with an offset must equal the same time in UTC.
 *
 * Input layout:
 *   byte 0   bits 0-2: k, the number of piece-size bytes that follow
 *            (0: one piece); bit 3: lean mode; bits 4-5: header byte
 *            limit (8192, 64, 300, 1 MiB); bits 6-7: header count limit
 *            (64, 1, 3, 100000)
 *   1..k     piece sizes minus one, used in turn
 *   rest     the response
 */
#include <string.h>
#include <time.h>

#include "internal.h"
#include "fuzz.h"

typedef struct outcome {
    int rc;            /* BACT__DONE, BACT__NEED (input ran out), or < 0 */
    size_t pos;        /* input bytes consumed when it ended */
    uint8_t *body;     /* the de-framed body */
    size_t body_len;
    int heads;         /* BACT__HEAD results */
    bact_http_parser p;
} outcome;

static const uint32_t header_bytes_limits[4] = {8192u, 64u, 300u, 1u << 20};
static const uint32_t header_count_limits[4] = {64u, 1u, 3u, 100000u};

static int known_error(int r)
{
    return r == BACT_E_HTTP || r == BACT_E_HEADER_SIZE ||
           r == BACT_E_HEADER_COUNT || r == BACT_E_BODY_SIZE;
}

/* After DONE the parser takes nothing more: every later feed is DONE
 * with nothing used and no body. */
static void check_final(bact_http_parser *p, const uint8_t *in, size_t n)
{
    size_t used = 12345;
    const uint8_t *b = in;
    size_t bl = 7;
    int r = bact__resp_feed(p, in, n, &used, &b, &bl);
    FZ_CHECK(r == BACT__DONE);
    FZ_CHECK(used == 0);
    FZ_CHECK(b == NULL && bl == 0);
    FZ_CHECK(bact__resp_done(p));
}

/* Feed d[0..n) in pieces of splits[i] + 1 bytes (one piece when
 * nsplits == 0), the way client.c does. */
static void feed(const uint8_t *d, size_t n, const uint8_t *splits,
                 size_t nsplits, uint32_t max_hb, uint32_t max_hc, int lean,
                 outcome *o)
{
    bact_http_parser *p = &o->p;
    size_t pos = 0, k = 0;

    memset(o, 0, sizeof *o);
    o->body = malloc(n + 1u);
    FZ_CHECK(o->body != NULL);
    bact__resp_init(p, max_hb, max_hc);
    if (lean)
        p->flags2 |= BACT__F2_LEAN;
    while (pos < n) {
        size_t piece = nsplits ? (size_t)splits[k++ % nsplits] + 1u : n - pos;
        size_t off = 0;
        uint8_t *in;

        if (piece > n - pos)
            piece = n - pos;
        in = malloc(piece);
        FZ_CHECK(in != NULL);
        memcpy(in, d + pos, piece);
        for (;;) {
            size_t used = (size_t)-1, bl = (size_t)-1, left = piece - off;
            const uint8_t *b = (const uint8_t *)1;
            int r;

            if (off == piece && !bact__resp_done(p))
                break;
            r = bact__resp_feed(p, in + off, left, &used, &b, &bl);
            FZ_CHECK(used <= left);
            if (r == BACT__BODY) {
                FZ_CHECK(o->heads == 1);
                FZ_CHECK(b != NULL && bl > 0);
                FZ_CHECK(b >= in + off && b + bl == in + off + used);
                memcpy(o->body + o->body_len, b, bl);
                o->body_len += bl;
            } else {
                FZ_CHECK(b == NULL && bl == 0);
            }
            if (r == BACT__NEED)
                FZ_CHECK(used == left);
            if (r == BACT__HEAD) {
                o->heads++;
                FZ_CHECK(o->heads == 1);
                FZ_CHECK(p->status >= 200 && p->status <= 999);
                FZ_CHECK(used > 0);
                /* framing was settled: never both, never a CL with TE */
                FZ_CHECK(!((p->flags & BACT__F_CHUNKED) &&
                           (p->flags & BACT__F_HAS_CL)));
            }
            off += used;
            if (r < 0) {
                FZ_CHECK(known_error(r));
                FZ_CHECK(used > 0); /* the byte at fault was consumed */
                o->rc = r;
                o->pos = pos + off;
                free(in);
                return;
            }
            if (r == BACT__DONE) {
                FZ_CHECK(o->heads == 1);
                check_final(p, in + off, piece - off);
                check_final(p, in + off, 0);
                o->rc = BACT__DONE;
                o->pos = pos + off;
                free(in);
                return;
            }
            FZ_CHECK(r == BACT__NEED || r == BACT__HEAD || r == BACT__BODY);
        }
        pos += piece;
        free(in);
    }
    o->rc = bact__resp_done(p) ? BACT__DONE : BACT__NEED;
    o->pos = n;
    if (o->rc == BACT__DONE) {
        FZ_CHECK(o->heads == 1);
        check_final(p, d, 0);
    }
}

/* What a parser that did not fail must satisfy. */
static void check_state(const outcome *o)
{
    const bact_http_parser *p = &o->p;
    int done = bact__resp_done(p), eof = bact__resp_eof(p);
    int cd = bact__resp_close_delimited(p);
    int32_t ra = bact__resp_retry_after(p);

    FZ_CHECK(eof == BACT__DONE || eof == BACT_E_CLOSED);
    FZ_CHECK((eof == BACT__DONE) == (done || cd));
    FZ_CHECK(!(done && cd));
    if (bact__resp_keepalive(p))
        FZ_CHECK(done && !(p->flags & BACT__F_CLOSE));
    if (cd) {
        FZ_CHECK(o->heads == 1);
        FZ_CHECK(!(p->flags & (BACT__F_CHUNKED | BACT__F_HAS_CL)));
        FZ_CHECK(p->flags & BACT__F_CLOSE);
        FZ_CHECK(!bact__resp_keepalive(p));
    }
    if (o->heads == 0)
        FZ_CHECK(o->body_len == 0 && !done);
    if (p->flags & BACT__F_NOBODY)
        FZ_CHECK(o->body_len == 0 && done);
    if (o->heads && (p->flags & BACT__F_HAS_CL) &&
        !(p->flags & BACT__F_NOBODY)) {
        FZ_CHECK(o->body_len <= p->content_length);
        if (done)
            FZ_CHECK(o->body_len == p->content_length);
    }
    FZ_CHECK(ra >= -1);
    if (!(p->flags & BACT__F_HAS_RA))
        FZ_CHECK(ra == -1);
    else if (!(p->flags & BACT__F_RA_DATE))
        FZ_CHECK(ra == (p->retry_after > 0x7FFFFFFFu ? 0x7FFFFFFF
                                                      : (int32_t)p->retry_after));
    else if (!(p->flags & BACT__F_HAS_DATE))
        FZ_CHECK(ra == -1);
    FZ_CHECK(p->header_bytes <= p->max_header_bytes);
    FZ_CHECK(p->header_count <= p->max_headers);
}

#define DATE_FLAGS (BACT__F_HAS_DATE | BACT__F_HAS_RA | BACT__F_RA_DATE)

/* a equals b; flags in `loose` may differ */
static void same(const outcome *a, const outcome *b, unsigned loose)
{
    FZ_CHECK(a->rc == b->rc);
    FZ_CHECK(a->pos == b->pos);
    FZ_CHECK(a->heads == b->heads);
    FZ_CHECK(a->body_len == b->body_len);
    FZ_CHECK(memcmp(a->body, b->body, a->body_len) == 0);
    if (a->rc < 0)
        return; /* the rest of the state is not meaningful */
    FZ_CHECK(a->p.status == b->p.status);
    FZ_CHECK((a->p.flags & ~loose) == (b->p.flags & ~loose));
    FZ_CHECK(a->p.minor == b->p.minor);
    FZ_CHECK(a->p.content_length == b->p.content_length);
    if (loose)
        return;
    FZ_CHECK(a->p.retry_after == b->p.retry_after);
    FZ_CHECK(a->p.date == b->p.date);
    FZ_CHECK(a->p.header_bytes == b->p.header_bytes);
    FZ_CHECK(a->p.header_count == b->p.header_count);
    FZ_CHECK(bact__resp_retry_after(&a->p) == bact__resp_retry_after(&b->p));
    FZ_CHECK(bact__resp_keepalive(&a->p) == bact__resp_keepalive(&b->p));
    FZ_CHECK(bact__resp_eof(&a->p) == bact__resp_eof(&b->p));
}

typedef int (*date_parser)(const char *s, size_t n, uint32_t *out);

/* Print t with fmt and parse it again with parse: the same value must come
 * back. */
static void round_trip(date_parser parse, uint32_t t, const char *fmt)
{
    time_t tt = (time_t)t;
    struct tm tm;
    char s[64];
    size_t n;
    uint32_t back = 0;

    FZ_CHECK(gmtime_r(&tt, &tm) != NULL);
    if (tm.tm_year + 1900 > 2105)
        return; /* "31 Dec 2105 23:59:60" is 2106: outside the range */
    if (fmt[1] == 'A' && tm.tm_year + 1900 >= 2070)
        return; /* RFC 850's two-digit years stop at 2069 */
    n = strftime(s, sizeof s, fmt, &tm);
    FZ_CHECK(n > 0);
    FZ_CHECK(parse(s, n, &back) == 0);
    FZ_CHECK(back == t);
}

static void check_date(const uint8_t *d, size_t n)
{
    char *s = malloc(n ? n : 1u);
    uint32_t t = 0xDEADBEEFu;

    FZ_CHECK(s != NULL);
    if (n)
        memcpy(s, d, n);
    if (bact__http_date(s, n, &t) == 0) {
        /* 1970-01-01 .. 2106-01-01 00:00:00 (a leap second on the last
         * day of 2105 is the latest value) */
        FZ_CHECK(t <= 4291747200u);
        round_trip(bact__http_date, t, "%a, %d %b %Y %H:%M:%S GMT");
        round_trip(bact__http_date, t, "%a %b %e %H:%M:%S %Y");
        round_trip(bact__http_date, t, "%A, %d-%b-%y %H:%M:%S GMT");
    }
    free(s);
}

/* RFC 3339, printed in UTC and parsed again */
static void check_iso(const uint8_t *d, size_t n)
{
    char *s = malloc(n ? n : 1u);
    uint32_t t = 0xDEADBEEFu;

    FZ_CHECK(s != NULL);
    if (n)
        memcpy(s, d, n);
    if (bact__iso_time(s, n, &t) == 0) {
        /* the latest: 2105-12-31T23:59:60-23:59 */
        FZ_CHECK(t <= 4291747200u + 23u * 3600u + 59u * 60u);
        round_trip(bact__iso_time, t, "%Y-%m-%dT%H:%M:%SZ");
        round_trip(bact__iso_time, t, "%Y-%m-%dt%H:%M:%S+00:00");
        round_trip(bact__iso_time, t, "%Y-%m-%d %H:%M:%S.000123z");
        /* with an offset: the same instant as the UTC part minus it */
        if (n >= 25 && (s[n - 6] == '+' || s[n - 6] == '-') &&
            s[n - 3] == ':') {
            char *z = malloc(n);
            uint32_t u = 0, off;
            FZ_CHECK(z != NULL);
            memcpy(z, s, n - 6);
            z[n - 6] = 'Z';
            off = (uint32_t)((s[n - 5] - '0') * 36000 + (s[n - 4] - '0') * 3600 +
                             (s[n - 2] - '0') * 600 + (s[n - 1] - '0') * 60);
            if (bact__iso_time(z, n - 5, &u) == 0) {
                if (s[n - 6] == '+')
                    FZ_CHECK(u >= off && t == u - off);
                else
                    FZ_CHECK(t == u + off);
            }
            free(z);
        }
    }
    free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t nsplits;
    uint32_t hb, hc;
    const uint8_t *splits, *resp;
    size_t n;
    int lean;
    outcome a, b, c;

    if (size < 1)
        return 0;
    nsplits = data[0] & 7u;
    lean = (data[0] & 8u) != 0;
    hb = header_bytes_limits[(data[0] >> 4) & 3u];
    hc = header_count_limits[(data[0] >> 6) & 3u];
    if (size < 1u + nsplits)
        return 0;
    splits = data + 1;
    resp = data + 1 + nsplits;
    n = size - 1u - nsplits;

    feed(resp, n, splits, nsplits, hb, hc, lean, &a);
    if (a.rc >= 0)
        check_state(&a);
    if (a.rc >= 0 && lean && a.heads && a.p.status < 300)
        FZ_CHECK((a.p.flags & DATE_FLAGS) == 0);
    feed(resp, n, splits, 0, hb, hc, lean, &b);
    same(&a, &b, 0);
    feed(resp, n, splits, 0, hb, hc, !lean, &c);
    same(&a, &c, DATE_FLAGS);
    free(a.body);
    free(b.body);
    free(c.body);

    check_date(resp, n);
    check_iso(resp, n);
    return 0;
}
