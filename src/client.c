/*
 * client.c - the one loop that moves bytes between the transport and the
 * HTTP parser, plus connection reuse, deadlines and retries.
 *
 * Deadlines: every transport call gets the smaller of what is left of the
 * inactivity limit (reset by each byte moved) and of the whole-attempt
 * limit, so a server that trickles one byte at a time still cannot hold an
 * attempt past attempt_ms.
 *
 * Retries: a request that may be repeated is retried on a failed
 * connection, a timeout, an early close and on 429/502/503/504. One that
 * creates something (run-task) is retried only when the server certainly
 * did not take it: nothing was sent, or it answered 429/503.
 */
#include <string.h>

#include "internal.h"

/* c->sent: 1 once the attempt's send began; SENT_BEFORE when an earlier
 * attempt of the call sent a request the server may have taken (it did
 * not answer 429 or 503) */
#define SENT_BEFORE 4u
/* c->sent: SENT_FAILED when the transport failed under a send (an answer
 * that came before may still be read) */
#define SENT_FAILED 8u

static BACT__INLINE uint32_t now(const bact_client *c)
{
    return c->pf.now_ms(c->pf.ctx);
}

/* what is left of a limit of lim ms after used ms; 0: over */
static uint32_t rest(uint32_t lim, uint32_t used)
{
    return used >= lim ? 0 : lim - used;
}

/* What is left of the whole call at clock reading t (UINT32_MAX: no
 * limit); 0: over. */
static uint32_t call_left_at(const bact_client *c, uint32_t t)
{
    uint32_t ms = c->call_ms;
    return ms == 0 ? 0xFFFFFFFFu : rest(ms, t - c->call_start);
}

/* ... now (no limit: no clock reading) */
uint32_t bact__call_left(const bact_client *c)
{
    uint32_t ms = c->call_ms;
    return ms == 0 ? 0xFFFFFFFFu : rest(ms, now(c) - c->call_start);
}

/* What is left at clock reading t before the nearest deadline: inactivity
 * (since c->t_last), attempt (since c->t_sent), whole call; 0 when one has
 * passed. The send loop reads the clock as each send returns; the receive
 * loop only before a next recv (after "nothing yet", or after the bytes of
 * an unfinished answer were taken): one reading dates the bytes and bounds
 * the next call. */
static uint32_t left_at(const bact_client *c, uint32_t t)
{
    uint32_t idle = t - c->t_last, used = t - c->t_sent;
    uint32_t a, b, w;
    if (idle >= c->timeout_ms || used >= c->attempt_ms)
        return 0;
    a = c->timeout_ms - idle;
    b = c->attempt_ms - used;
    w = call_left_at(c, t);
    a = a < b ? a : b;
    return a < w ? a : w;
}

/* a trace callback is set (never when BACT_CONFIG_TRACE is 0: then the
 * trace code is left out) */
#define TRACING(c) (BACT_CONFIG_TRACE && (c)->trace != NULL)

/* (its callers test TRACING() first) */
static void trace(const bact_client *c, int ev, const char *s, size_t n)
{
    c->trace(c->trace_user, ev, s, n);
}

static void close_conn(bact_client *c)
{
    if (c->conn_open && c->tr.close != NULL)
        c->tr.close(c->tr.io);
    c->conn_open = 0;
}

/* ------------------------------------------------------------------ */
/* Setup                                                                */
/* ------------------------------------------------------------------ */

/* The length of s plus one (1: empty), 0 when s holds a byte outside
 * lo..0x7E or is longer than max. lo: NO_SPACE or SPACE_OK. */
#define NO_SPACE 0x21u
#define SPACE_OK 0x20u
static size_t printable(const char *s, unsigned lo, size_t max)
{
    size_t i;
    for (i = 0; s[i] != '\0'; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch > 0x7Eu || ch < lo)
            return 0;
        if (i >= max)
            return 0;
    }
    return i + 1u;
}

int bact_init(bact_client *c, const bact_config *cfg)
{
    bact_url u;
    /* BACT_USER_AGENT is a string literal (pasting "" checks it) */
    size_t key_len, agent_len = sizeof("" BACT_USER_AGENT);
    const char *agent = BACT_USER_AGENT;
    bact_http_parser *p;

    if (c == NULL || cfg == NULL)
        return BACT_E_ARG;
    memset(c, 0, sizeof *c);
    /* lengths plus one: at most BACT__STR_MAX */
    if (cfg->api_key == NULL ||
        (key_len = printable(cfg->api_key, NO_SPACE,
                             BACT__STR_MAX - 1u)) <= 1u ||
        cfg->buf == NULL ||
        cfg->buf_len < 256u || cfg->tokens == NULL || cfg->n_tokens < 4u ||
        cfg->n_tokens > 0x7FFFFFFFu || cfg->transport == NULL ||
        cfg->platform == NULL || cfg->transport->send == NULL ||
        cfg->transport->recv == NULL || cfg->platform->now_ms == NULL ||
        cfg->platform->sleep_ms == NULL)
        return BACT_E_ARG;
    if (cfg->user_agent != NULL) {
        agent = cfg->user_agent;
        if ((agent_len = printable(agent, SPACE_OK, BACT__STR_MAX - 1u)) <= 1u)
            return BACT_E_ARG;
    }
    if (bact_parse_url(cfg->base_url, &u) != BACT_OK)
        return BACT_E_ARG;
    if (cfg->trace != NULL && !BACT_CONFIG_TRACE)
        return BACT_E_UNSUPPORTED; /* a trace asked of a build without it */

    c->tr = *cfg->transport;
    c->pf = *cfg->platform;
    c->host = u.host;
    c->host_len = (uint16_t)u.host_len;
    c->port = u.port;
    c->tls = u.tls;
    c->ipv6 = u.ipv6;
    /* the Host header is the base URL's host[:port] text as written, the
     * port left out when it is the scheme's */
    c->host_hdr_len = (uint16_t)(u.host_len + 2u * u.ipv6);
    if (!u.default_port) { /* the port ends the authority, and the URL but
                              for one '/' */
        const char *a = u.host - u.ipv6;
        size_t k = bact__strnlen(a, BACT__STR_MAX);
        c->host_hdr_len = (uint16_t)(k - (a[k - 1u] == '/'));
    }
    c->api_key = cfg->api_key;
    c->user_agent = agent;
    c->key_len = (uint16_t)(key_len - 1u);
    c->agent_len = (uint16_t)(agent_len - 1u);
    c->buf = cfg->buf;
    c->cap = cfg->buf_len;
    c->tok = cfg->tokens;
    c->ntok = cfg->n_tokens;
    c->timeout_ms = cfg->timeout_ms ? cfg->timeout_ms : BACT_DEFAULT_TIMEOUT_MS;
    if (cfg->attempt_ms)
        c->attempt_ms = cfg->attempt_ms;
    else
        c->attempt_ms = c->timeout_ms > 0x3FFFFFFFu ? 0xFFFFFFFFu
                                                    : 4u * c->timeout_ms;
    c->connect_ms = cfg->connect_ms ? cfg->connect_ms : c->timeout_ms;
    c->call_ms = cfg->call_ms;
    c->backoff_ms = cfg->backoff_ms ? cfg->backoff_ms : BACT_DEFAULT_BACKOFF_MS;
    if (c->backoff_ms > BACT_MAX_BACKOFF_MS)
        c->backoff_ms = BACT_MAX_BACKOFF_MS;
    c->retries = cfg->retries;
    c->flags = (uint8_t)cfg->flags;
    c->trace = cfg->trace;
    c->trace_user = cfg->trace_user;
    p = &c->resp;
    p->max_header_bytes = cfg->max_header_bytes
                              ? cfg->max_header_bytes
                              : BACT_DEFAULT_MAX_HEADER_BYTES;
    p->max_headers = cfg->max_headers ? cfg->max_headers
                                      : BACT_DEFAULT_MAX_HEADERS;
    /* a transport the application connected itself is open from now on */
    c->conn_open = (uint8_t)((c->tr.open == NULL) << 1);
    return BACT_OK;
}

void bact_close(bact_client *c)
{
    if (c != NULL && c->tr.open != NULL)
        close_conn(c);
}

void bact_set_raw(bact_client *c, int on)
{
    if (c != NULL)
        c->raw = (uint8_t)(on != 0);
}

size_t bact_needed(const bact_client *c)
{
    return c ? c->needed : 0u;
}

int bact_request_sent(const bact_client *c)
{
    return c ? c->sent != 0 : 0;
}

const bact_api_error *bact_last_error(const bact_client *c)
{
    return c ? &c->err : NULL;
}

const uint8_t *bact_body(const bact_client *c, size_t *len)
{
    if (c == NULL) {
        if (len)
            *len = 0;
        return NULL;
    }
    if (len)
        *len = c->body_len;
    return c->buf;
}

unsigned bact_retries_used(const bact_client *c)
{
    return c ? c->retries_used : 0u;
}

/* ------------------------------------------------------------------ */
/* Writing the request                                                  */
/* ------------------------------------------------------------------ */

static void put_dec(bact__buf *b, uint32_t v)
{
    char num[12];
    bact__put(b, num, bact__u32_to_dec(v, num));
}

/* one byte, in the buffer if it fits (b->len counts on) */
BACT__NOINLINE static void put_ch(bact__buf *b, char ch)
{
    if (b->len < b->cap)
        b->p[b->len] = ch;
    b->len++;
}

/* The constant parts of a request run together, one address for all (a
 * part's place and length come from this layout, as the paths' do in
 * api.c); the default content type last, with its NUL. trace_status()
 * takes "HTTP/1." from the http part too. */
#define REQ_TEXTS(X)                                                        \
    X(http, " HTTP/1.1\r\nHost: ") X(agent, "\r\nUser-Agent: ")            \
    X(auth, "\r\nAuthorization: Bearer ")                                   \
    X(ctype, "\r\nContent-Type: ") X(clen, "\r\nContent-Length: ")         \
    X(end, "\r\n\r\n") X(prefix, "/v2/workflow/")                          \
    X(methods, "GET PUT POST ")
#define REQ_MEMBER(m, text) char m[sizeof text - 1u];
#define REQ_TEXT(m, text) text
struct req_texts {
    REQ_TEXTS(REQ_MEMBER)
    char json[sizeof "application/json"];
};
static const char req_texts[] = REQ_TEXTS(REQ_TEXT) "application/json";
#undef REQ_MEMBER
#undef REQ_TEXT
typedef char req_texts_fit[sizeof req_texts == sizeof(struct req_texts)
                               ? 1 : -1];
#define REQ_AT(m) (req_texts + offsetof(struct req_texts, m))
/* (not inlined: a place is a small number, where an address would take
 * a word of its own at each call) */
BACT__NOINLINE static void put_text(bact__buf *b, size_t at, size_t n)
{
    bact__put(b, req_texts + at, n);
}
#define PUT_TEXT(b, m)                                                      \
    put_text((b), offsetof(struct req_texts, m),                            \
             sizeof(((struct req_texts *)0)->m))

/* The request line and headers (and a raw body) into the buffer; *len is
 * the size of the JSON body to announce on the way in, the request's size
 * so far on the way out (it may pass the buffer's end). A body's size
 * fits in 32 bits: begin_attempt() and send_request() saw to it. */
BACT__NOINLINE static void write_request(bact_client *c, const bact__call *call,
                                        size_t *len)
{
    const bact__ep *ep = call->ep;
    const bact_http_req *rq = NULL;
    const char *type = REQ_AT(json);
    bact__buf b;
    size_t i, nq = BACT__EP_NQ(ep), body_len = *len;
    int has_body = (ep->flags & BACT__C_BODY) != 0;
    char sep = '?'; /* then '&' */

    if (ep->flags & BACT__C_RAW) {
        rq = ((const bact__raw *)call->arg.in)->rq;
        nq = rq->n_query;
        has_body = rq->body != NULL;
        body_len = rq->body_len;
        if (rq->content_type != NULL)
            type = rq->content_type;
    }
    b.p = (char *)c->buf;
    b.cap = c->cap;
    b.len = 0;
    if (rq == NULL) { /* the endpoints all live under one prefix */
        unsigned m = (ep->flags >> 5) & 3u; /* BACT__C_GET, _PUT, _POST */
        put_text(&b, offsetof(struct req_texts, methods) + 4u * m,
                 4u + (m >> 1));
        PUT_TEXT(&b, prefix);
        bact__put(&b, (const char *)&bact__paths + ep->path, ep->path_len);
    } else {
        const char *s = rq->path; /* (its length checked by bact_request) */
        bact__puts(&b, rq->method);
        put_ch(&b, ' ');
        bact__puts(&b, s);
        for (; *s != '\0'; s++) /* a path with a query of its own: the */
            if (*s == '?')       /* parameters join it */
                sep = '&';
    }
    for (i = 0; i < nq; i++) {
        const char *v = rq ? rq->query[i].value : call->values[i];
        if (v == NULL)
            continue;
        put_ch(&b, sep);
        if (rq != NULL) {
            bact__put_pct(&b, rq->query[i].name);
        } else { /* the library's own names, from the key pool: no
                    escaping, the length known */
            unsigned q = bact__qnames[BACT__EP_Q(ep) + i];
            bact__put(&b, BACT__KEY_AT(BACT__QNAME_AT(q)), BACT__QNAME_LEN(q));
        }
        put_ch(&b, '=');
        sep = '&';
        bact__put_pct(&b, v);
    }
    PUT_TEXT(&b, http);
    bact__put(&b, c->host - c->ipv6, c->host_hdr_len);
    PUT_TEXT(&b, agent);
    bact__put(&b, c->user_agent, c->agent_len);
    PUT_TEXT(&b, auth);
    bact__put(&b, c->api_key, c->key_len);
    /* a body's headers; a PUT (stop, resume) has no body and says so, as
     * fetch() and most clients do (RFC 9110 8.6; some front ends answer
     * 411 without it) */
    if (has_body || (ep->flags & BACT__C_PUT)) {
        if (has_body) {
            PUT_TEXT(&b, ctype);
            bact__puts(&b, type);
        }
        PUT_TEXT(&b, clen);
        put_dec(&b, (uint32_t)body_len); /* (0 for a PUT) */
    }
    PUT_TEXT(&b, end); /* the end of the head */
    if (rq != NULL && rq->body != NULL) /* a raw request's body follows */
        bact__put(&b, (const char *)rq->body, rq->body_len);
    *len = b.len;
}

/* ------------------------------------------------------------------ */
/* Moving bytes                                                         */
/* ------------------------------------------------------------------ */

static int send_all(bact_client *c, size_t len)
{
    size_t off = 0;
    unsigned long calls = 0;
    uint32_t t = c->t_last; /* as the attempt began */
    while (off < len) {
        uint32_t w = left_at(c, t);
        int32_t r;
        if (w == 0 || ++calls > BACT_MAX_IO_CALLS)
            return BACT_E_TIMEOUT;
        /* from the first send call on, bytes may have gone out (not
         * before it: a call whose time ran out in the connect sent none) */
        c->sent |= 1u;
        r = c->tr.send(c->tr.io, c->buf + off, len - off, w);
        t = now(c);
        if (r > 0) {
            if ((size_t)r > len - off)
                return BACT_E_NET; /* a transport that lies */
            off += (size_t)r;
            c->t_last = t;
        } else if (r < 0) {
            c->sent |= SENT_FAILED;
            return r;
        }
    }
    return BACT_OK;
}

/* the request line: up to its CR, the first one (a method, a path and a
 * query hold none: begin_attempt() and the percent-encoding see to it) */
static void trace_request(const bact_client *c, size_t len)
{
    size_t n;
    for (n = 0; n < len && c->buf[n] != '\r'; n++)
        ;
    trace(c, BACT_TRACE_REQUEST, (const char *)c->buf, n);
}

BACT__NOINLINE static void trace_status(const bact_client *c)
{
    const bact_http_parser *p = &c->resp;
    char line[16]; /* a uint16_t status: five digits and a NUL fit */
    memcpy(line, REQ_AT(http) + 1, 7); /* "HTTP/1." */
    line[7] = (char)('0' + p->minor);
    line[8] = ' ';
    (void)bact__u32_to_dec(p->status, line + 9);
    trace(c, BACT_TRACE_STATUS, line, 12);
}

/* Move n body bytes from src down to dst (dst <= src, both in the work
 * buffer) in pieces that do not overlap, so that memcpy, which the core
 * needs anyway, does the work of memmove. */
BACT__NOINLINE static void compact(uint8_t *dst, const uint8_t *src,
                                    size_t n)
{
    size_t d = (size_t)(src - dst), k;
    if (d == 0)
        return;
    for (; n > 0; dst += k, n -= k) { /* (the source: d bytes on) */
        k = n < d ? n : d;
        memcpy(dst, dst + d, k);
    }
}

/* What an attempt saw, in c->got. */
#define GOT_ANSWER 1u /* answer bytes arrived */
#define GOT_SINK 2u   /* body bytes went to the sink: never repeated */
#define GOT_REUSE 4u  /* the connection may carry the next request */
#define GOT_STREAM 8u /* a 2xx answer: its body goes to the sink */

/*
 * Read one response. The window is the free part of the buffer: the body
 * is compacted to the buffer's start as it is de-framed (the write point
 * never passes the read point), or handed to the sink.
 *
 * This loop is the deepest point of every call (the parser runs under
 * it), so it keeps few locals: what it learns goes to c->got, and once
 * the buffer is full the little framing that may still come is read into
 * the token array, which is free until the body is parsed (bact_init()
 * guarantees four tokens, 64 bytes or more).
 */
#define TAIL_LEN 16u

BACT__NOINLINE static int receive(bact_client *c, const bact__call *call)
{
    /* (ep's flags, not the call's copy: with the copy, an optimizing
     * compiler passes the call's parts in one by one, which costs each
     * poll more than the load saves) */
    const bact__raw *raw = (call->ep->flags & BACT__C_RAW)
                               ? (const bact__raw *)call->arg.in : NULL;
    size_t blen = 0;
    unsigned long calls = 0;
    uint32_t t = c->t_last; /* as the request's last bytes went out */
    bact_http_parser *const p = &c->resp;

    for (;;) {
        const uint8_t *in;
        uint8_t *win;
        size_t wlen, rem;
        uint32_t w = left_at(c, t);
        int32_t r;

        if (w == 0 || ++calls > BACT_MAX_IO_CALLS)
            return BACT_E_TIMEOUT;
        /* (a streamed body goes to the sink: blen stays 0, the window
         * is the whole buffer) */
        if (blen < c->cap) {
            win = c->buf + blen;
            wlen = c->cap - blen;
        } else {
            /* buffer full: only framing may still come (any body byte is
             * one too many, as bl > c->cap - blen below tells) */
            win = (uint8_t *)c->tok;
            wlen = TAIL_LEN;
        }
        r = c->tr.recv(c->tr.io, win, wlen, w);
        if (r == 0) {
            t = now(c);
            continue;
        }
        if (r == BACT_E_CLOSED) {
            r = bact__resp_eof(p);
            if (r != BACT__DONE)
                return r; /* its BACT_E_CLOSED (a constant returned here
                             kept r across the call: a stack slot) */
            c->body_len = blen;
            return BACT_OK; /* close-delimited body */
        }
        if (r < 0)
            return r;
        if ((size_t)r > wlen)
            return BACT_E_NET;
        c->got |= GOT_ANSWER;
        in = win;
        rem = (size_t)r;
        for (;;) {
            size_t used;
            const uint8_t *b;
            size_t bl;
            int e;
            if (rem == 0 && !bact__resp_done(p))
                break;
            e = bact__resp_feed(p, in, rem, &used, &b, &bl);
            in += used;
            rem -= used;
            if (e < 0)
                return e;
            if (e == BACT__HEAD) {
                if (TRACING(c))
                    trace_status(c);
                if (raw != NULL && raw->sink != NULL && p->status >= 200 &&
                    p->status < 300)
                    c->got |= GOT_STREAM;
                else if ((p->flags & BACT__F_HAS_CL) &&
                         p->content_length > c->cap) {
                    c->needed = p->content_length;
                    return BACT_E_BODY_SIZE;
                }
            } else if (e == BACT__BODY) {
                if (c->got & GOT_STREAM) {
                    c->got |= GOT_SINK;
                    if (raw->sink(raw->user, b, bl) != 0)
                        return BACT_E_ABORTED;
                } else {
                    if (bl > c->cap - blen) {
                        c->needed = blen + bl;
                        return BACT_E_BODY_SIZE;
                    }
                    compact(c->buf + blen, b, bl);
                    blen += bl;
                }
                if (bact__resp_done(p))
                    e = BACT__DONE; /* its last bytes: no further call */
            }
            if (e == BACT__DONE) {
                c->body_len = blen;
                /* (the parser is done: bact__resp_keepalive() is the
                 * close flag alone here) */
                if (!(p->flags & BACT__F_CLOSE) && rem == 0)
                    c->got |= GOT_REUSE;
                return BACT_OK;
            }
        }
        /* more to come: the bytes were taken, inactivity counts from now
         * (an answer complete in one read costs no clock reading) */
        t = c->t_last = now(c);
    }
}

/*
 * Write the request, open a connection unless a kept-alive one is still
 * up, and send. c->sent tells whether request bytes went out (from then
 * on the connection is closed unless the answer allows reuse);
 * c->conn_reused whether the connection was a kept-alive one.
 */
BACT__NOINLINE static int send_request(bact_client *c, const bact__call *call)
{
    size_t len = 0;
    uint32_t t;
    uint8_t f2 = 0;
    bact_http_parser *const p = &c->resp;
    int rc, body = (call->flags & BACT__C_BODY) != 0;

    /* the body is measured first: its size goes in the headers (in 32
     * bits) */
    if (body && (rc = bact__body(c, call, &len, 0)) != BACT_OK)
        return rc;
    if (len > 0xFFFFFFFFu)
        return BACT_E_ARG;
    write_request(c, call, &len);
    if (body)
        (void)bact__body(c, call, &len, 1);
    if (len > c->cap) {
        c->needed = len;
        return BACT_E_BUF;
    }
    if (TRACING(c))
        trace_request(c, len);

    /* a kept-alive connection: has the server closed it meanwhile, or
     * sent bytes nobody asked for? (the byte would go to the token array,
     * free until an answer is parsed) Asked before every call, idempotent
     * ones too: unasked bytes would otherwise be read as the next answer
     * (a well-formed one as its answer). */
    if (c->conn_open == 1 &&
        c->tr.recv(c->tr.io, (uint8_t *)c->tok, 1, 0) != 0)
        close_conn(c);
    c->conn_reused = c->conn_open == 1;
    if (!(call->flags & BACT__C_DATE))
        f2 = BACT__F2_LEAN;
    /* the request line, in the buffer still: the answer to a HEAD has no
     * body whatever its head says (only bact_request() sends one) */
    if (c->buf[0] == 'H' && bact__past((const char *)c->buf, "HEAD ", 5))
        f2 |= BACT__F2_HEAD;
    /* no answer yet in this attempt */
    p->header_bytes = 0;
    p->header_count = 0;
    bact__resp_next(p, f2);
    if (!c->conn_open) {
        uint32_t cl = bact__call_left(c), ct = c->connect_ms;
        if (c->tr.open == NULL)
            return BACT_E_CLOSED; /* the application's stream is gone */
        if (cl == 0)
            return BACT_E_TIMEOUT;
        if (TRACING(c))
            trace(c, BACT_TRACE_CONNECT, c->host, c->host_len);
        rc = c->tr.open(c->tr.io, c->host, c->host_len, c->port,
                        ct < cl ? ct : cl);
        if (rc != BACT_OK)
            return rc < 0 ? rc : BACT_E_CONNECT;
        c->conn_open = 1;
    }
    t = now(c);
    c->t_sent = c->t_last = t;
    return send_all(c, len);
}

/* ------------------------------------------------------------------ */
/* Retries                                                              */
/* ------------------------------------------------------------------ */

/* retryable() takes the transport errors by their order */
typedef char bact__net_codes[BACT_E_CONNECT == BACT_E_DNS - 1 &&
                             BACT_E_NET == BACT_E_DNS - 2 &&
                             BACT_E_TIMEOUT == BACT_E_DNS - 3 &&
                             BACT_E_CLOSED == BACT_E_DNS - 4 ? 1 : -1];

/* 0: rc ends the call; 1: another attempt may follow; 2: it may, and the
 * server said it did not take the request (429, 503) */
static int retryable(const bact_client *c, const bact__call *call, int rc,
                     int sent)
{
    if ((sent & 2) || (!c->conn_open && c->tr.open == NULL))
        return 0; /* part of the body was delivered; no stream to try on */
    /* an error answer, or one whose body did not fit the buffer (a
     * gateway's busy page, say): by its status */
    if (rc == BACT_E_API || rc == BACT_E_BODY_SIZE) {
        unsigned s = c->resp.status, g = s - 502u; /* 502 503 504: 0 1 2 */
        if (s == 429 || g == 1u)
            return 2; /* the server did not take the request */
        return (call->flags & BACT__C_IDEMPOTENT) && (g & ~2u) == 0;
    }
    { /* DNS, CONNECT, NET, TIMEOUT, CLOSED (the codes in that order):
         any request when nothing was sent yet (DNS and CONNECT, from a
         transport that gives them after a send began, are as NET), and
         after a send only an idempotent one (a request an earlier attempt
         sent, SENT_BEFORE, is always one: retry_wait() sets it for no
         other) */
        unsigned k = (unsigned)(BACT_E_DNS - rc);
        return k < 5u && (!sent || (call->flags & BACT__C_IDEMPOTENT));
    }
}

/* The wait before the next attempt, in ms: what the server asked for
 * (not capped yet: the call's limit is checked against it), or back-off */
static uint32_t delay_ms(const bact_client *c, unsigned attempt_no)
{
    /* the attempt's answer head, if it came; a 2xx one is never retried */
    int32_t ra = bact__resp_retry_after(&c->resp);
    uint32_t d;
    if (ra >= 0) /* the server said when, in seconds (saturated below
                    UINT32_MAX, "no limit") */
        return ((uint32_t)ra < 4294966u ? (uint32_t)ra : 4294966u) * 1000u;
    d = c->backoff_ms;
    while (attempt_no-- > 0u && d < BACT_MAX_BACKOFF_MS)
        d *= 2u;
    if (d > BACT_MAX_BACKOFF_MS)
        d = BACT_MAX_BACKOFF_MS;
    if (c->pf.random != NULL) /* "equal jitter": half fixed, half random */
        d = d / 2u + c->pf.random(c->pf.ctx) % (d / 2u + 1u);
    return d;
}

void bact__sleep(const bact_client *c, uint32_t ms)
{
    uint32_t t0 = now(c), el;
    unsigned i;
    for (i = 0; i < 1000u && (el = now(c) - t0) < ms; i++)
        c->pf.sleep_ms(c->pf.ctx, ms - el);
}

/* The line is written at the end of the work buffer: the failed answer in
 * it is not needed any more once a retry is decided, and the stack of a
 * small device is dearer than its buffer. */
static void trace_retry(const bact_client *c, unsigned n, uint32_t ms,
                        int rc)
{
    /* "retry n/retries in ms ms after HTTP status", a number at each '#';
     * the error's text from the 'H' on when the answer did not fail by its
     * status */
    static const char text[] = "retry #/# in # ms after HTTP #";
    const char *s;
    uint32_t v[4];
    unsigned k = 0;
    bact__buf b;
    if (!TRACING(c))
        return;
    b.cap = 96; /* bact_init() guarantees a buffer of 256 bytes or more */
    b.p = (char *)c->buf + c->cap - b.cap;
    b.len = 0;
    v[0] = n;
    v[1] = c->retries;
    v[2] = ms;
    v[3] = (uint32_t)c->err.http_status;
    for (s = text; *s != '\0'; s++) {
        if (*s == 'H' && rc != BACT_E_API) {
            bact__puts(&b, bact_strerror(rc));
            break;
        }
        if (*s == '#')
            put_dec(&b, v[k++]);
        else
            put_ch(&b, *s);
    }
    trace(c, BACT_TRACE_RETRY, b.p, b.len < b.cap ? b.len : b.cap);
}

int bact__params_ok(const bact_param *p, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        if (p == NULL || p[i].name == NULL || p[i].name[0] == '\0')
            return 0;
    }
    return 1;
}

/* An attempt begins: nothing of an earlier one's answer is left (the
 * buffer holds the next request from now on). Then non-zero when the call
 * is one that may be sent. (Not inlined: what it zeroes would take
 * registers, and frame, of bact__exec(), which is on every call's
 * chain.) */
BACT__NOINLINE static int begin_attempt(bact_client *c,
                                        const bact__call *call)
{
    const bact_http_req *rq =
        (call->flags & BACT__C_RAW) ? ((const bact__raw *)call->arg.in)->rq
                                    : NULL;
    size_t i;
    memset(&c->err, 0, sizeof c->err);
    c->body_len = 0;
    c->json = 0;
    c->ntok_used = 0;
    c->sent &= SENT_BEFORE; /* (retry_wait() may have set it) */
    c->got = 0;
    if (rq == NULL)
        return 1; /* one of the library's own endpoints */
    if (rq->method == NULL || rq->path == NULL || rq->path[0] != '/' ||
        rq->method[0] == '\0' || rq->body_len > 0xFFFFFFFFu)
        return 0;
    for (i = 0; rq->method[i] != '\0'; i++) {
        char ch = rq->method[i];
        if (!((ch >= 'A' && ch <= 'Z') || ch == '-') || i > 16u)
            return 0;
    }
    if (!printable(rq->path, NO_SPACE, 2049u)) /* 0x21..0x7E, 2049 at most */
        return 0;
    if (!bact__params_ok(rq->query, rq->n_query))
        return 0;
    /* (printable()'s length plus one, not 0, will do) */
    return rq->content_type == NULL
               ? 1
               : (int)printable(rq->content_type, SPACE_OK,
                                BACT__STR_MAX - 1u);
}

/* The error detail of an answer: its status, and its envelope when the
 * body is JSON. */
static void take_error(bact_client *c)
{
    c->err.http_status = c->resp.status;
    if (bact__json_parse(c) == BACT_OK) {
        bact__json_decode(c);
        (void)bact__json_envelope(c);
    }
}

/* A 2xx answer: BACT_OK, or to a JSON call, parse it and, out of raw
 * mode, decode it and read it into arg.out. An error envelope (a non-zero
 * code with a message) is BACT_E_API; in raw mode the body stays as
 * received unless it is one. With BACT__C_ANY a body that is not JSON is
 * no error. */
BACT__NOINLINE static int json_answer(bact_client *c, const bact__call *call)
{
    int rc;
    if (!(call->flags & BACT__C_JSON))
        return BACT_OK; /* any 2xx answer will do */
    rc = bact__json_parse(c);
    if (rc != BACT_OK && !c->raw && !(call->flags & BACT__C_ANY))
        return rc;
    if (rc == BACT_OK) {
        if (!c->raw)
            bact__json_decode(c);
        /* an envelope has a code and a message: two members at least */
        if (c->tok[0].size > 1 && bact__json_envelope(c)) {
            /* in raw mode too, its strings decoded (in place: what the
             * envelope points at stays where it is, and reads the same) */
            c->err.http_status = c->resp.status;
            bact__json_decode(c);
            return BACT_E_API;
        }
    }
    memset(&c->err, 0, sizeof c->err);
    return c->raw || BACT__EP_NF(call->ep) == 0
               ? BACT_OK
               : bact__json_fields(c, 0,
                                   bact__ep_fields + BACT__EP_F(call->ep),
                                   BACT__EP_NF(call->ep), call->arg.out);
}

/* After a failed attempt: 1 when another one is due (the wait for it is
 * over), 0 when rc is the call's answer. The retry count lives in
 * c->retries_used. */
BACT__NOINLINE static int retry_wait(bact_client *c, const bact__call *call,
                                     int rc)
{
    uint32_t d;
    int k;
    if (c->retries_used >= c->retries ||
        !(k = retryable(c, call, rc, c->sent | (c->got & GOT_SINK))))
        return 0;
    /* a request that went out and may have been taken stays sent for
     * bact_request_sent(), whatever the next attempts do */
    if (k == 1 && (c->sent & 1u))
        c->sent = SENT_BEFORE;
    d = delay_ms(c, c->retries_used);
    /* no limit: UINT32_MAX, no clock reading */
    if (bact__call_left(c) <= d)
        return 0; /* the wait (as asked: the cap shortens a wait, not what
                     the server said) would pass the call's deadline */
    if (d > BACT_MAX_BACKOFF_MS)
        d = BACT_MAX_BACKOFF_MS;
    trace_retry(c, c->retries_used + 1u, d, rc);
    bact__sleep(c, d);
    c->retries_used++;
    return 1;
}

int bact__exec(bact_client *c, unsigned ep_at, const char *const *values,
               const void *arg)
{
    const bact__ep *ep = &bact__eps[ep_at];
    bact__call call_;
    const bact__call *call = &call_;
    int stale_retry = 0;

    call_.ep = ep;
    call_.values = values;
    call_.arg.in = arg;
    call_.flags = ep->flags;

    c->needed = 0;
    c->retries_used = 0;
    c->resp.status = 0;
    c->sent = 0; /* nothing of this call yet */
    if (c->call_ms != 0 && !c->held) /* read only for a whole-call limit */
        c->call_start = now(c);
    for (;;) {
        int rc;
        /* the same answer each time (the first counts) */
        if (!begin_attempt(c, call))
            return BACT_E_ARG;
        rc = send_request(c, call);
        if (c->sent & 1u) {
            /* read after a failed send too: a server may answer (a 401,
             * a 413) and reset the stream before it read the whole
             * request; an answer that came whole is the one to report
             * (bact_port.h), the stream is closed after it */
            if (rc == BACT_OK || (c->sent & SENT_FAILED)) {
                int r = receive(c, call);
                if (rc == BACT_OK || r == BACT_OK)
                    rc = r;
            }
            if (rc != BACT_OK || !(c->got & GOT_REUSE) ||
                (c->sent & SENT_FAILED))
                close_conn(c);
            if (c->conn_reused && !stale_retry) {
                /* the server closed an idle connection as we reused it
                 * (once per call); with a 408 it said it did not take the
                 * request (RFC 9110 15.5.9), whatever the method: once
                 * more, on a new one */
                int k408 = rc == BACT_OK && c->resp.status == 408;
                if (k408 || (!(c->got & GOT_ANSWER) &&
                             (rc == BACT_E_CLOSED || rc == BACT_E_NET))) {
                    if (k408 || (call->flags & BACT__C_IDEMPOTENT)) {
                        close_conn(c);
                        stale_retry = 1;
                        continue;
                    }
                    rc = BACT_E_CLOSED;
                }
            }
        }
        if (rc == BACT_OK) {
            if (c->resp.status >= 200 && c->resp.status < 300)
                return json_answer(c, call);
            take_error(c);
            rc = BACT_E_API;
        }
        if (!retry_wait(c, call, rc))
            return rc;
    }
}

/* ------------------------------------------------------------------ */
/* Error text                                                           */
/* ------------------------------------------------------------------ */

const char *bact_strerror(int err)
{
#if BACT_CONFIG_ERROR_STRINGS
    /* one after the other, NUL-separated: no table of pointers */
    static const char text[] =
        "success\0"
        "invalid argument\0"
        "buffer too small\0"
        "JSON token array too small\0"
        "host name did not resolve\0"
        "connection refused or unreachable\0"
        "network error\0"
        "timed out\0"
        "connection closed early by the peer\0"
        "TLS error\0"
        "malformed HTTP response\0"
        "response header section too large\0"
        "too many response header fields\0"
        "response too large\0"
        "malformed JSON\0"
        "unexpected JSON shape\0"
        "API error\0"
        "wait deadline passed\0"
        "aborted by a callback\0"
        "not supported\0"
        "unknown error"; /* any other */
    const char *s = text;
    unsigned k = 0u - (unsigned)err; /* 0 for BACT_OK, 1 for -1, ... */
    if (k > 0u - (unsigned)BACT_E_UNSUPPORTED)
        k = 1u - (unsigned)BACT_E_UNSUPPORTED;
    while (k > 0u) /* past k NULs: the text's own (k is 20 at most) */
        k -= *s++ == '\0';
    return s;
#else
    (void)err;
    return "";
#endif
}
