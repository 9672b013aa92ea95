/*
 * test_client.c - the driver (src/client.c) through bact_request() and
 * bact_get_task_status(): request bytes, framing in every delivery mode,
 * keep-alive, deadlines, retries, buffer limits, streaming and bact_init.
 *
 * The harness transport is wrapped (static helpers below) so that a new
 * connection starts at the next scripted step: a T_CLOSE / T_ERROR / T_END
 * step, or the unread rest of a data step, belongs to the connection that
 * saw it. The work buffer and token array are heap blocks of exactly the
 * configured size, so the sanitizer build catches any write past them.
 */
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"
#include "internal.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                              */
/* ------------------------------------------------------------------ */

static t_io IO;

typedef struct wrap {
    bact_transport base;  /* the harness transport */
    unsigned fail_opens;  /* this many opens fail with fail_rc ... */
    unsigned fail_after;  /* ... once this many opens were made */
    int fail_rc;
    char host[80];        /* what the last open was given */
    size_t host_len;
    uint32_t open_timeout;
    uint16_t port;
} wrap;

static wrap W;

/* A new connection: drop what the previous one left unread. */
static void next_connection(t_io *io)
{
    if (io->idx < io->nsteps && io->steps[io->idx].kind == T_DATA &&
        io->off > 0) {
        io->idx++;
        io->off = 0;
    }
    if (io->idx < io->nsteps) {
        int k = io->steps[io->idx].kind;
        if (k == T_CLOSE || k == T_ERROR || k == T_END)
            io->idx++;
    }
}

static int w_open(void *p, const char *host, size_t host_len, uint16_t port,
                  uint32_t timeout_ms)
{
    t_io *io = (t_io *)p;
    W.host_len = host_len < sizeof W.host ? host_len : sizeof W.host - 1u;
    memcpy(W.host, host, W.host_len);
    W.host[W.host_len] = '\0';
    W.port = port;
    W.open_timeout = timeout_ms;
    if (W.fail_opens > 0 && io->opens >= W.fail_after) {
        W.fail_opens--;
        io->opens++;
        return W.fail_rc;
    }
    if (io->opens > 0)
        next_connection(io);
    return W.base.open(p, host, host_len, port, timeout_ms);
}

static bact_client CL;
static uint8_t *cbuf;    /* reachable from statics: not leaks for LSan */
static jsmntok_t *ctok;
static bact_transport CTR;
static bact_platform CPF;

/* responses are built into a pool that lives as long as the test */
static char pool[16][12288];
static unsigned npool;

static void begin(int mode)
{
    t_io_init(&IO, mode);
    memset(&W, 0, sizeof W);
    t_io_transport(&IO, &W.base);
    CTR = W.base;
    CTR.open = w_open;
    t_io_platform(&IO, &CPF);
    npool = 0;
}

static void cfg_init(bact_config *cfg, size_t buf_len, const char *url,
                     uint8_t retries)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->base_url = url;
    cfg->api_key = "test-key";
    cfg->buf_len = buf_len;
    cfg->n_tokens = 64;
    cfg->transport = &CTR;
    cfg->platform = &CPF;
    cfg->timeout_ms = 1000;
    cfg->retries = retries;
}

/* run-task requests that went out */
static int count_runs(void)
{
    static const char needle[] = "POST /v2/workflow/run-task ";
    size_t i, k = sizeof needle - 1u;
    int n = 0;
    for (i = 0; i + k <= IO.sent_len; i++)
        n += memcmp(IO.sent + i, needle, k) == 0;
    return n;
}

static bact_client *mk_cfg(bact_config *cfg)
{
    free(cbuf);
    free(ctok);
    cbuf = (uint8_t *)malloc(cfg->buf_len);
    ctok = (jsmntok_t *)malloc(sizeof(jsmntok_t) * cfg->n_tokens);
    if (cbuf == NULL || ctok == NULL) {
        fprintf(stderr, "out of memory\n");
        abort();
    }
    cfg->buf = cbuf;
    cfg->tokens = ctok;
    if (bact_init(&CL, cfg) != BACT_OK) {
        fprintf(stderr, "bact_init failed\n");
        abort();
    }
    return &CL;
}

static bact_client *mk(size_t buf_len, const char *url, uint8_t retries)
{
    bact_config cfg;
    cfg_init(&cfg, buf_len, url, retries);
    return mk_cfg(&cfg);
}

static const char *resp(const char *status, const char *headers,
                        const char *body)
{
    char *p = pool[npool++ % 16u];
    snprintf(p, sizeof pool[0],
             "HTTP/1.1 %s\r\nContent-Length: %u\r\n%s\r\n%s", status,
             (unsigned)strlen(body), headers, body);
    return p;
}

static const char *sent(void)
{
    if (IO.sent_len >= sizeof IO.sent)
        IO.sent_len = sizeof IO.sent - 1u;
    IO.sent[IO.sent_len] = '\0';
    return IO.sent;
}

static const char *body_str(const bact_client *c)
{
    static char b[8192];
    size_t n;
    const uint8_t *p = bact_body(c, &n);
    if (n >= sizeof b)
        n = sizeof b - 1u;
    memcpy(b, p, n);
    b[n] = '\0';
    return b;
}

static const bact_http_req GET = { "GET", "/v1/x", NULL, 0, NULL, 0, NULL, 1 };

/* a sink that keeps what it is given */
typedef struct sink_rec {
    char data[8192];
    size_t len;
    unsigned calls;
    size_t biggest;
    unsigned stop_after; /* 0: never */
} sink_rec;

static sink_rec SINK;

static int sink(void *user, const uint8_t *d, size_t n)
{
    sink_rec *s = (sink_rec *)user;
    if (s->len + n <= sizeof s->data)
        memcpy(s->data + s->len, d, n);
    s->len += n;
    s->calls++;
    if (n > s->biggest)
        s->biggest = n;
    return (s->stop_after && s->calls >= s->stop_after) ? 1 : 0;
}

#define CHECK_MODE(cond, mode)                                             \
    do {                                                                   \
        if (!(cond)) {                                                     \
            char m_[256];                                                  \
            snprintf(m_, sizeof m_, "%s [mode %d]", #cond, (int)(mode));   \
            t_fail(__FILE__, __LINE__, m_);                                \
        }                                                                  \
    } while (0)

/* A GET over a script of one data step, in one delivery mode. */
typedef struct outcome {
    int rc, status;
    char body[8192];
    size_t len;
    unsigned opens, closes;
    size_t needed;
} outcome;

static void get_once(int mode, const char *script, size_t buf_len,
                     outcome *o)
{
    size_t n;
    const uint8_t *b;
    bact_client *c;
    begin(mode);
    t_io_data(&IO, script);
    c = mk(buf_len, "http://api.example.com", 0);
    o->rc = bact_request(c, &GET, NULL, NULL, &o->status);
    b = bact_body(c, &n);
    o->len = n;
    memcpy(o->body, b, n < sizeof o->body ? n : sizeof o->body);
    o->opens = IO.opens;
    o->closes = IO.closes;
    o->needed = bact_needed(c);
}

/* The same script in all three modes: every mode gives the wanted result. */
static void all_modes(const char *file, int line, const char *script,
                      size_t buf_len, int rc, int status, const char *body)
{
    int mode;
    outcome o[3];
    for (mode = T_WHOLE; mode <= T_GAPS; mode++) {
        outcome *x = &o[mode];
        get_once(mode, script, buf_len, x);
        if (x->rc != rc || x->status != status ||
            (body != NULL &&
             (x->len != strlen(body) || memcmp(x->body, body, x->len) != 0))) {
            char msg[512];
            snprintf(msg, sizeof msg,
                     "mode %d: rc %d status %d body \"%.*s\" (want %d %d \"%s\")",
                     mode, x->rc, x->status, (int)(x->len > 100 ? 100 : x->len),
                     x->body, rc, status, body ? body : "-");
            t_fail(file, line, msg);
        }
    }
    if (o[0].len != o[1].len || o[1].len != o[2].len ||
        memcmp(o[0].body, o[1].body, o[0].len) != 0 ||
        memcmp(o[1].body, o[2].body, o[1].len) != 0 ||
        /* after a chunked body overflowed, needed is only a lower bound
         * that depends on how the bytes arrived */
        (rc != BACT_E_BODY_SIZE &&
         (o[0].needed != o[1].needed || o[1].needed != o[2].needed)))
    {
        char msg[160];
        snprintf(msg, sizeof msg, "the modes disagree: len %u %u %u needed %u %u %u",
                 (unsigned)o[0].len, (unsigned)o[1].len, (unsigned)o[2].len,
                 (unsigned)o[0].needed, (unsigned)o[1].needed, (unsigned)o[2].needed);
        t_fail(file, line, msg);
    }
}

/* ------------------------------------------------------------------ */
/* bact_init                                                            */
/* ------------------------------------------------------------------ */

static void init_argument_checks(void)
{
    static uint8_t buf[512];
    static jsmntok_t tok[8];
    bact_config cfg;
    bact_client c;
    bact_transport tr;
    bact_platform pf;
    size_t i;
    static const char *const bad_keys[] = {
        "", "a b", "a\rb", "a\nb", "key\r\n", "a\tb", "\x7f", "k\xC3\xA9"
    };
    static const char *const bad_urls[] = {
        "", "ftp://api.example.com", "http://", "http:/x", "api.example.com",
        "http://a b", "http://x/path", "http://x/?q", "http://x:0",
        "http://x:65536", "http://x:abc", "http://[::1", "http://[::1]x",
        "http://[zz::1]", "http://x:8080/v2", "http://x//", "http://us@x",
    };
    static const char *const good_urls[] = {
        "http://api.example.com", "http://api.example.com/",
        "HTTP://API.EXAMPLE.COM", "https://api.browseract.com",
        "http://127.0.0.1:8080", "http://[::1]:8080", "http://x:65535",
    };

    begin(T_WHOLE);
    tr = CTR;
    pf = CPF;
#define RESET()                                                \
    do {                                                       \
        memset(&cfg, 0, sizeof cfg);                           \
        cfg.base_url = "http://api.example.com";               \
        cfg.api_key = "k";                                     \
        cfg.buf = buf;                                         \
        cfg.buf_len = 256;                                     \
        cfg.tokens = tok;                                      \
        cfg.n_tokens = 4;                                      \
        cfg.transport = &tr;                                   \
        cfg.platform = &pf;                                    \
    } while (0)
    RESET();
    CHECK_INT(bact_init(&c, &cfg), BACT_OK);
    CHECK_INT(bact_init(NULL, &cfg), BACT_E_ARG);
    CHECK_INT(bact_init(&c, NULL), BACT_E_ARG);
    cfg.api_key = NULL;
    CHECK_INT(bact_init(&c, &cfg), BACT_E_ARG);
    for (i = 0; i < sizeof bad_keys / sizeof bad_keys[0]; i++) {
        RESET();
        cfg.api_key = bad_keys[i];
        CHECK_INT(bact_init(&c, &cfg), BACT_E_ARG);
    }
    RESET();
    cfg.buf = NULL;
    CHECK_INT(bact_init(&c, &cfg), BACT_E_ARG);
    RESET();
    cfg.buf_len = 255;
    CHECK_INT(bact_init(&c, &cfg), BACT_E_ARG);
    cfg.buf_len = 0;
    CHECK_INT(bact_init(&c, &cfg), BACT_E_ARG);
    RESET();
    cfg.tokens = NULL;
    CHECK_INT(bact_init(&c, &cfg), BACT_E_ARG);
    RESET();
    cfg.n_tokens = 3;
    CHECK_INT(bact_init(&c, &cfg), BACT_E_ARG);
    RESET();
    cfg.transport = NULL;
    CHECK_INT(bact_init(&c, &cfg), BACT_E_ARG);
    RESET();
    cfg.platform = NULL;
    CHECK_INT(bact_init(&c, &cfg), BACT_E_ARG);
    RESET();
    tr.send = NULL;
    CHECK_INT(bact_init(&c, &cfg), BACT_E_ARG);
    tr = CTR;
    tr.recv = NULL;
    CHECK_INT(bact_init(&c, &cfg), BACT_E_ARG);
    tr = CTR;
    pf.now_ms = NULL;
    CHECK_INT(bact_init(&c, &cfg), BACT_E_ARG);
    pf = CPF;
    pf.sleep_ms = NULL;
    CHECK_INT(bact_init(&c, &cfg), BACT_E_ARG);
    pf = CPF;
    pf.random = NULL; /* optional */
    CHECK_INT(bact_init(&c, &cfg), BACT_OK);
    pf = CPF;
    RESET();
    cfg.base_url = NULL;
    CHECK_INT(bact_init(&c, &cfg), BACT_E_ARG);
    for (i = 0; i < sizeof bad_urls / sizeof bad_urls[0]; i++) {
        RESET();
        cfg.base_url = bad_urls[i];
        if (bact_init(&c, &cfg) != BACT_E_ARG) {
            char msg[128];
            snprintf(msg, sizeof msg, "base URL \"%s\" accepted", bad_urls[i]);
            t_fail(__FILE__, __LINE__, msg);
        }
    }
    for (i = 0; i < sizeof good_urls / sizeof good_urls[0]; i++) {
        RESET();
        cfg.base_url = good_urls[i];
        if (bact_init(&c, &cfg) != BACT_OK) {
            char msg[128];
            snprintf(msg, sizeof msg, "base URL \"%s\" refused", good_urls[i]);
            t_fail(__FILE__, __LINE__, msg);
        }
    }
    RESET();
    cfg.user_agent = "";
    CHECK_INT(bact_init(&c, &cfg), BACT_E_ARG);
    cfg.user_agent = "ua\r\nX-Evil: 1";
    CHECK_INT(bact_init(&c, &cfg), BACT_E_ARG);
    cfg.user_agent = "my-app/2.0 (test)";
    CHECK_INT(bact_init(&c, &cfg), BACT_OK);
    {
        /* an API key or user agent of 4096 characters, not 4097 */
        static char long_str[4098];
        memset(long_str, 'k', 4097);
        long_str[4097] = '\0';
        RESET();
        cfg.api_key = long_str;
        CHECK_INT(bact_init(&c, &cfg), BACT_E_ARG);
        cfg.api_key = "k";
        cfg.user_agent = long_str;
        CHECK_INT(bact_init(&c, &cfg), BACT_E_ARG);
        long_str[4096] = '\0';
        CHECK_INT(bact_init(&c, &cfg), BACT_OK);
        cfg.user_agent = NULL;
        cfg.api_key = long_str;
        CHECK_INT(bact_init(&c, &cfg), BACT_OK);
    }
    /* a transport the application connected itself (no open/close) */
    RESET();
    tr.open = NULL;
    tr.close = NULL;
    CHECK_INT(bact_init(&c, &cfg), BACT_OK);
#undef RESET
    /* bact_init did no I/O */
    CHECK_INT(IO.opens, 0);
    CHECK_INT(IO.sends, 0);
    CHECK_INT(IO.recvs, 0);
}

/* A transport the application connected itself (open and close NULL):
 * the core never reconnects; once the stream is done with, every call
 * ends with BACT_E_CLOSED instead of calling a NULL open. */
static bact_client *app_stream(void) /* after the script is queued */
{
    bact_config cfg;
    CTR.open = NULL;
    CTR.close = NULL;
    cfg_init(&cfg, 1024, "http://h", 2);
    return mk_cfg(&cfg);
}

static void app_connected_transport(void)
{
    bact_client *c;
    int st = 0;

    begin(T_WHOLE);
    t_io_data(&IO, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}");
    t_io_data(&IO, "HTTP/1.1 200 OK\r\nConnection: close\r\n"
                   "Content-Length: 2\r\n\r\n{}");
    c = app_stream();
    CHECK_INT(bact_request(c, &GET, NULL, NULL, &st), BACT_OK);
    CHECK_INT(st, 200);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, &st), BACT_OK);
    CHECK_INT(IO.sends, 2);
    /* the server closed it: nothing is sent, nothing retried */
    CHECK_INT(bact_request(c, &GET, NULL, NULL, &st), BACT_E_CLOSED);
    CHECK_INT(IO.sends, 2);
    CHECK_INT(IO.opens, 0);
    CHECK_INT(IO.closes, 0);
    bact_close(c);
    CHECK_INT(IO.closes, 0);

    /* an error ends the stream too */
    begin(T_WHOLE);
    t_io_add(&IO, T_ERROR, NULL, (size_t)(long)BACT_E_NET);
    c = app_stream();
    CHECK_INT(bact_request(c, &GET, NULL, NULL, &st), BACT_E_NET);
    CHECK_INT(IO.sends, 1);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, &st), BACT_E_CLOSED);
    CHECK_INT(IO.sends, 1);
    CHECK_INT(IO.opens, 0);
    CHECK_INT(IO.sleeps, 0); /* no retry waits for a stream that is gone */

    /* while the stream lives, a busy answer is retried on it */
    begin(T_WHOLE);
    t_io_data(&IO, "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\n"
                   "Content-Length: 2\r\n\r\n{}");
    t_io_data(&IO, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}");
    c = app_stream();
    CHECK_INT(bact_request(c, &GET, NULL, NULL, &st), BACT_OK);
    CHECK_INT(st, 200);
    CHECK_INT(IO.sends, 2);
    CHECK_INT(IO.slept, 1000);
    CHECK_INT(bact_retries_used(c), 1);
}

/* The accessors take a NULL client without touching memory. */
static void null_client_accessors(void)
{
    size_t n = 99;
    CHECK(bact_body(NULL, &n) == NULL);
    CHECK_INT(n, 0);
    CHECK(bact_body(NULL, NULL) == NULL);
    CHECK_INT(bact_needed(NULL), 0);
    CHECK(bact_last_error(NULL) == NULL);
    CHECK_INT(bact_retries_used(NULL), 0);
    bact_set_raw(NULL, 1);
    bact_close(NULL);
}

/* ------------------------------------------------------------------ */
/* Request bytes                                                        */
/* ------------------------------------------------------------------ */

static void request_get_default_port(void)
{
    bact_client *c;
    bact_task_state st;
    begin(T_WHOLE);
    t_io_data(&IO, resp("200 OK", "", "{\"status\":\"running\"}"));
    c = mk(1024, "http://api.example.com", 0);
    CHECK_INT(bact_get_task_status(c, "16429034742537847", &st), BACT_OK);
    CHECK_STR(sent(), "GET /v2/workflow/get-task-status?task_id=16429034742537847"
                      " HTTP/1.1\r\n"
                      "Host: api.example.com\r\n"
                      "User-Agent: " BACT_USER_AGENT "\r\n"
                      "Authorization: Bearer test-key\r\n"
                      "\r\n");
    CHECK_INT(st.status, BACT_STATUS_RUNNING);
    CHECK_STR(W.host, "api.example.com");
    CHECK_INT(W.port, 80);

    /* an explicit default port is not repeated in Host */
    begin(T_WHOLE);
    t_io_data(&IO, resp("200 OK", "", "{}"));
    c = mk(1024, "http://api.example.com:80/", 0);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_OK);
    CHECK(strstr(sent(), "\r\nHost: api.example.com\r\n") != NULL);
    CHECK_INT(W.port, 80);
}

/* The Host value sent for a GET on a client set up with url. */
static const char *host_of(const char *url)
{
    static char v[64];
    const char *h, *e;
    bact_client *c;
    begin(T_WHOLE);
    t_io_data(&IO, resp("200 OK", "", "{}"));
    c = mk(1024, url, 0);
    if (bact_request(c, &GET, NULL, NULL, NULL) != BACT_OK)
        return "(call failed)";
    h = strstr(sent(), "\r\nHost: ");
    e = h ? strstr(h + 8, "\r\n") : NULL;
    if (e == NULL || (size_t)(e - h - 8) >= sizeof v)
        return "(no Host line)";
    memcpy(v, h + 8, (size_t)(e - h - 8));
    v[e - h - 8] = '\0';
    return v;
}

static void request_nondefault_port(void)
{
    bact_client *c;
    begin(T_WHOLE);
    t_io_data(&IO, resp("200 OK", "", "{}"));
    c = mk(1024, "http://api.example.com:8080", 0);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_OK);
    CHECK_STR(sent(), "GET /v1/x HTTP/1.1\r\n"
                      "Host: api.example.com:8080\r\n"
                      "User-Agent: " BACT_USER_AGENT "\r\n"
                      "Authorization: Bearer test-key\r\n"
                      "\r\n");
    CHECK_INT(W.port, 8080);

    /* https on 443 is default too; on 80 it is not */
    CHECK_STR(host_of("https://api.example.com:443"), "api.example.com");
    CHECK_INT(W.port, 443);
    CHECK_STR(host_of("https://api.example.com:80"), "api.example.com:80");
    /* the port as the base URL writes it, without the trailing slash; a
     * default one left out however it is written */
    CHECK_STR(host_of("http://api.example.com:08080/"), "api.example.com:08080");
    CHECK_INT(W.port, 8080);
    CHECK_STR(host_of("https://api.example.com:000443/"), "api.example.com");
    CHECK_STR(host_of("http://[::1]:65535/"), "[::1]:65535");
}

static void request_ipv6_host(void)
{
    CHECK_STR(host_of("http://[::1]:8080"), "[::1]:8080");
    CHECK_STR(W.host, "::1"); /* open() gets it without brackets */
    CHECK_INT(W.port, 8080);
    CHECK_STR(host_of("http://[2001:db8::1]"), "[2001:db8::1]");
    CHECK_STR(W.host, "2001:db8::1");
}

static void request_post_and_put(void)
{
    static const char body[] = "{\"a\":\"b\"}";
    bact_http_req rq = { "POST", "/v2/p", NULL, 0, (const uint8_t *)body,
                         sizeof body - 1u, NULL, 0 };
    bact_client *c;
    begin(T_WHOLE);
    t_io_data(&IO, resp("200 OK", "", "{}"));
    c = mk(1024, "http://api.example.com", 0);
    CHECK_INT(bact_request(c, &rq, NULL, NULL, NULL), BACT_OK);
    CHECK_STR(sent(), "POST /v2/p HTTP/1.1\r\n"
                      "Host: api.example.com\r\n"
                      "User-Agent: " BACT_USER_AGENT "\r\n"
                      "Authorization: Bearer test-key\r\n"
                      "Content-Type: application/json\r\n"
                      "Content-Length: 9\r\n"
                      "\r\n"
                      "{\"a\":\"b\"}");

    /* own content type; an empty body still has both headers */
    begin(T_WHOLE);
    t_io_data(&IO, resp("200 OK", "", "{}"));
    c = mk(1024, "http://api.example.com", 0);
    rq.content_type = "text/plain; charset=utf-8";
    rq.body_len = 0;
    CHECK_INT(bact_request(c, &rq, NULL, NULL, NULL), BACT_OK);
    CHECK_STR(sent(), "POST /v2/p HTTP/1.1\r\n"
                      "Host: api.example.com\r\n"
                      "User-Agent: " BACT_USER_AGENT "\r\n"
                      "Authorization: Bearer test-key\r\n"
                      "Content-Type: text/plain; charset=utf-8\r\n"
                      "Content-Length: 0\r\n"
                      "\r\n");

    /* PUT without a body: neither header */
    begin(T_WHOLE);
    t_io_data(&IO, resp("200 OK", "", ""));
    c = mk(1024, "http://api.example.com", 0);
    {
        bact_http_req put = { "PUT", "/v2/q", NULL, 0, NULL, 0, NULL, 1 };
        CHECK_INT(bact_request(c, &put, NULL, NULL, NULL), BACT_OK);
    }
    CHECK(strstr(sent(), "Content-") == NULL);
    CHECK(strncmp(sent(), "PUT /v2/q HTTP/1.1\r\n", 20) == 0);
    CHECK_INT(bact_body(c, NULL) != NULL, 1);
}

/* The answer to a HEAD has no body, whatever its Content-Length says
 * (RFC 9112 6.3), also after an interim answer; the connection stays
 * usable. */
static void request_head(void)
{
    static const bact_http_req HEAD = { "HEAD", "/v1/x", NULL, 0, NULL, 0,
                                        NULL, 1 };
    static const bact_http_req HEADX = { "HEADX", "/v1/x", NULL, 0, NULL, 0,
                                         NULL, 1 };
    bact_client *c;
    int st = 0;
    begin(T_WHOLE);
    t_io_data(&IO, "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n");
    t_io_add(&IO, T_NOTHING, NULL, 0); /* nothing unasked when reused */
    t_io_data(&IO, "HTTP/1.1 100 Continue\r\n\r\n"
                   "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n");
    t_io_add(&IO, T_NOTHING, NULL, 0);
    t_io_data(&IO, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    t_io_add(&IO, T_NOTHING, NULL, 0);
    t_io_data(&IO, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi");
    c = mk(1024, "http://h", 0);
    CHECK_INT(bact_request(c, &HEAD, NULL, NULL, &st), BACT_OK);
    CHECK_INT(st, 200);
    CHECK_INT(bact_request(c, &HEAD, NULL, NULL, &st), BACT_OK);
    CHECK_INT(st, 200);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, &st), BACT_OK);
    CHECK_STR(body_str(c), "ok");
    /* a method that only starts like HEAD is another: its answer's body
     * is read */
    CHECK_INT(bact_request(c, &HEADX, NULL, NULL, &st), BACT_OK);
    CHECK_STR(body_str(c), "hi");
    CHECK_INT(IO.opens, 1);
}

static void request_user_agent(void)
{
    bact_config cfg;
    bact_client *c;
    begin(T_WHOLE);
    t_io_data(&IO, resp("200 OK", "", "{}"));
    cfg_init(&cfg, 1024, "http://h", 0);
    cfg.user_agent = "my-app/2.0 (test)";
    cfg.api_key = "app-abc.DEF_123~";
    c = mk_cfg(&cfg);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_OK);
    CHECK_STR(sent(), "GET /v1/x HTTP/1.1\r\n"
                      "Host: h\r\n"
                      "User-Agent: my-app/2.0 (test)\r\n"
                      "Authorization: Bearer app-abc.DEF_123~\r\n"
                      "\r\n");
}

static void request_query_encoding(void)
{
    bact_param q[] = {
        { "skip", NULL },
        { "a b", "x/y?z&=#+%\xC3\xA9~-._AZaz09" },
        { "empty", "" },
        { "n", NULL },
        { "k", "\r\n\t\"'<>[]{}|\\^`" },
    };
    bact_http_req rq = { "GET", "/v2/q", q, 5, NULL, 0, NULL, 1 };
    bact_client *c;
    begin(T_WHOLE);
    t_io_data(&IO, resp("200 OK", "", "{}"));
    c = mk(1024, "http://h", 0);
    CHECK_INT(bact_request(c, &rq, NULL, NULL, NULL), BACT_OK);
    CHECK(strncmp(sent(),
                  "GET /v2/q?a%20b=x%2Fy%3Fz%26%3D%23%2B%25%C3%A9~-._AZaz09"
                  "&empty=&k=%0D%0A%09%22%27%3C%3E%5B%5D%7B%7D%7C%5C%5E%60"
                  " HTTP/1.1\r\n",
                  strlen("GET /v2/q?a%20b=x%2Fy%3Fz%26%3D%23%2B%25%C3%A9~-._AZaz09"
                         "&empty=&k=%0D%0A%09%22%27%3C%3E%5B%5D%7B%7D%7C%5C%5E%60"
                         " HTTP/1.1\r\n")) == 0);

    /* all values NULL: no '?' at all */
    begin(T_WHOLE);
    t_io_data(&IO, resp("200 OK", "", "{}"));
    c = mk(1024, "http://h", 0);
    rq.n_query = 1;
    CHECK_INT(bact_request(c, &rq, NULL, NULL, NULL), BACT_OK);
    CHECK(strncmp(sent(), "GET /v2/q HTTP/1.1\r\n", 20) == 0);
}

/* A path with a query of its own: the parameters join that query with
 * '&'; a second '?' would make them part of its last value. */
static void request_query_after_path_query(void)
{
    bact_param q[2] = { { "b", "2" }, { "c", "3" } };
    bact_http_req rq = { "GET", "/v2/q?a=1", q, 2, NULL, 0, NULL, 1 };
    bact_client *c;
    begin(T_WHOLE);
    t_io_data(&IO, resp("200 OK", "", "{}"));
    c = mk(1024, "http://h", 0);
    CHECK_INT(bact_request(c, &rq, NULL, NULL, NULL), BACT_OK);
    CHECK(strncmp(sent(), "GET /v2/q?a=1&b=2&c=3 HTTP/1.1\r\n",
                  strlen("GET /v2/q?a=1&b=2&c=3 HTTP/1.1\r\n")) == 0);
}

static void request_argument_checks(void)
{
    static const uint8_t b[1] = { 'x' };
    bact_param noname = { "", "v" };
    bact_param nullname = { NULL, "v" };
    static const bact_http_req bad[] = {
        { NULL, "/p", NULL, 0, NULL, 0, NULL, 1 },
        { "", "/p", NULL, 0, NULL, 0, NULL, 1 },
        { "get", "/p", NULL, 0, NULL, 0, NULL, 1 },
        { "G T", "/p", NULL, 0, NULL, 0, NULL, 1 },
        { "GET\r\n", "/p", NULL, 0, NULL, 0, NULL, 1 },
        { "GET", NULL, NULL, 0, NULL, 0, NULL, 1 },
        { "GET", "", NULL, 0, NULL, 0, NULL, 1 },
        { "GET", "p", NULL, 0, NULL, 0, NULL, 1 },
        { "GET", "/a b", NULL, 0, NULL, 0, NULL, 1 },
        { "GET", "/a\r\nX: y", NULL, 0, NULL, 0, NULL, 1 },
        { "GET", "/\xC3\xA9", NULL, 0, NULL, 0, NULL, 1 },
        { "GET", "/p", NULL, 1, NULL, 0, NULL, 1 },
        { "POST", "/p", NULL, 0, NULL, 5, NULL, 0 },
        { "POST", "/p", NULL, 0, b, 1, "a\r\nb", 0 },
    };
    bact_http_req rq;
    bact_client *c;
    int st = 99;
    size_t i;
    begin(T_WHOLE);
    c = mk(1024, "http://h", 2);
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        st = 99;
        if (bact_request(c, &bad[i], NULL, NULL, &st) != BACT_E_ARG || st != 0) {
            char msg[64];
            snprintf(msg, sizeof msg, "request #%u not refused", (unsigned)i);
            t_fail(__FILE__, __LINE__, msg);
        }
    }
    rq = bad[0];
    rq.method = "GET";
    rq.query = &noname;
    rq.n_query = 1;
    CHECK_INT(bact_request(c, &rq, NULL, NULL, NULL), BACT_E_ARG);
    rq.query = &nullname;
    CHECK_INT(bact_request(c, &rq, NULL, NULL, NULL), BACT_E_ARG);
    CHECK_INT(bact_request(c, NULL, NULL, NULL, &st), BACT_E_ARG);
    CHECK_INT(bact_request(NULL, &GET, NULL, NULL, &st), BACT_E_ARG);
    CHECK_INT(IO.opens, 0);
    CHECK_INT(IO.sends, 0);
}

/* The method: capital letters and '-', 17 at most; the path: 2049 bytes
 * at most. Each limit exactly is sent, one more is refused unsent. */
static void request_method_and_path_limits(void)
{
    static char path[2052];
    static const char *const methods[] = { "M-SEARCH", "ABCDEFGHIJKLMNOPQ",
                                           "ABCDEFGHIJKLMNOPQR" };
    bact_http_req rq = { "GET", "/p", NULL, 0, NULL, 0, NULL, 1 };
    size_t i;
    for (i = 0; i < 3u; i++) {
        bact_client *c;
        begin(T_WHOLE);
        t_io_data(&IO, resp("200 OK", "", "{}"));
        c = mk(1024, "http://h", 0);
        rq.method = methods[i];
        CHECK_INT(bact_request(c, &rq, NULL, NULL, NULL),
                  i < 2u ? BACT_OK : BACT_E_ARG);
        CHECK_INT(IO.sends > 0, i < 2u);
    }
    rq.method = "GET";
    path[0] = '/';
    for (i = 0; i < 2u; i++) {
        bact_client *c;
        memset(path + 1, 'a', 2048u + i);
        path[2049u + i] = '\0';
        begin(T_WHOLE);
        t_io_data(&IO, resp("200 OK", "", "{}"));
        c = mk(4096, "http://h", 0);
        rq.path = path;
        CHECK_INT(strlen(path), 2049u + i);
        CHECK_INT(bact_request(c, &rq, NULL, NULL, NULL),
                  i ? BACT_E_ARG : BACT_OK);
        CHECK_INT(IO.sends > 0, !i);
    }
}

static void request_partial_sends(void)
{
    static const char body[] = "{\"long\":\"0123456789abcdefghijklmnopqrstuvwxyz\"}";
    bact_http_req rq = { "POST", "/v2/p", NULL, 0, (const uint8_t *)body,
                         sizeof body - 1u, NULL, 0 };
    char whole[2048];
    bact_client *c;
    begin(T_WHOLE);
    t_io_data(&IO, resp("200 OK", "", "{}"));
    c = mk(1024, "http://h", 0);
    CHECK_INT(bact_request(c, &rq, NULL, NULL, NULL), BACT_OK);
    CHECK(IO.sent_len < sizeof whole);
    memcpy(whole, sent(), IO.sent_len + 1u);
    begin(T_WHOLE);
    IO.send_max = 3;
    t_io_data(&IO, resp("200 OK", "", "{}"));
    c = mk(1024, "http://h", 0);
    CHECK_INT(bact_request(c, &rq, NULL, NULL, NULL), BACT_OK);
    CHECK_STR(sent(), whole);
    CHECK(IO.sends >= strlen(whole) / 3u);
}

/* ------------------------------------------------------------------ */
/* Framing in all three delivery modes                                  */
/* ------------------------------------------------------------------ */

static void modes_content_length(void)
{
    all_modes(__FILE__, __LINE__,
              "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
              "Content-Length: 20\r\nX-Other: a, b\r\n\r\n"
              "{\"status\":\"running\"}",
              1024, BACT_OK, 200, "{\"status\":\"running\"}");
    all_modes(__FILE__, __LINE__,
              "HTTP/1.1 201 Created\r\ncontent-length:  2 \r\n\r\n{}", 1024,
              BACT_OK, 201, "{}");
    all_modes(__FILE__, __LINE__, "HTTP/1.1 204 No Content\r\n\r\n", 1024,
              BACT_OK, 204, "");
    all_modes(__FILE__, __LINE__,
              "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 1024, BACT_OK,
              200, "");
}

static void modes_chunked(void)
{
    all_modes(__FILE__, __LINE__,
              "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
              "5\r\n{\"sta\r\n"
              "C;name=value\r\ntus\":\"runnin\r\n"
              "00003\r\ng\"}\r\n"
              "0\r\nX-Trailer: 1\r\n\r\n",
              1024, BACT_OK, 200, "{\"status\":\"running\"}");
    all_modes(__FILE__, __LINE__,
              "HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n"
              "0\r\n\r\n",
              1024, BACT_OK, 200, "");
    /* get-task-status through the same framing in every mode */
    {
        int mode;
        for (mode = T_WHOLE; mode <= T_GAPS; mode++) {
            bact_task_state st;
            bact_client *c;
            begin(mode);
            t_io_data(&IO, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
                           "\r\n7\r\n{\"statu\r\n"
                           "c\r\ns\":\"finished\r\n2\r\n\"}\r\n0\r\n\r\n");
            c = mk(512, "http://h", 0);
            CHECK_MODE(bact_get_task_status(c, "1", &st) == BACT_OK, mode);
            CHECK_MODE(st.status == BACT_STATUS_FINISHED, mode);
            CHECK_MODE(strcmp(st.text, "finished") == 0, mode);
        }
    }
}

static void modes_close_delimited(void)
{
    int mode;
    for (mode = T_WHOLE; mode <= T_GAPS; mode++) {
        bact_client *c;
        int status = 0;
        begin(mode);
        t_io_data(&IO, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                       "\r\n{\"status\":\"paused\"}");
        t_io_add(&IO, T_CLOSE, NULL, 0);
        c = mk(512, "http://h", 0);
        CHECK_MODE(bact_request(c, &GET, NULL, NULL, &status) == BACT_OK, mode);
        CHECK_MODE(status == 200, mode);
        CHECK_MODE(strcmp(body_str(c), "{\"status\":\"paused\"}") == 0, mode);
        CHECK_MODE(IO.closes == 1, mode); /* never reused */
    }
    /* HTTP/1.0 with no length: the same */
    for (mode = T_WHOLE; mode <= T_GAPS; mode++) {
        bact_client *c;
        begin(mode);
        t_io_data(&IO, "HTTP/1.0 200 OK\r\n\r\nabc");
        t_io_add(&IO, T_CLOSE, NULL, 0);
        c = mk(512, "http://h", 0);
        CHECK_MODE(bact_request(c, &GET, NULL, NULL, NULL) == BACT_OK, mode);
        CHECK_MODE(strcmp(body_str(c), "abc") == 0, mode);
    }
}

static void modes_interim_response(void)
{
    all_modes(__FILE__, __LINE__,
              "HTTP/1.1 100 Continue\r\n\r\n"
              "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
              "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
              1024, BACT_OK, 200, "ok");
}

static void modes_malformed(void)
{
    /* both framings at once, a list Content-Length, junk status */
    all_modes(__FILE__, __LINE__,
              "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n"
              "Transfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
              1024, BACT_E_HTTP, 200, NULL);
    all_modes(__FILE__, __LINE__,
              "HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nok", 1024,
              BACT_E_HTTP, 200, NULL);
    all_modes(__FILE__, __LINE__, "HTTP/2 200 OK\r\n\r\n", 1024, BACT_E_HTTP,
              0, NULL);
    /* no status is reported from a code that was refused or cut short
     * (not its first digits: 2, 20, 99) */
    all_modes(__FILE__, __LINE__, "HTTP/1.1 2O0 OK\r\n\r\n", 1024,
              BACT_E_HTTP, 0, NULL);
    all_modes(__FILE__, __LINE__, "HTTP/1.1 099 OK\r\n\r\n", 1024,
              BACT_E_HTTP, 0, NULL);
    all_modes(__FILE__, __LINE__, "HTTP/1.1 20", 1024, BACT_E_TIMEOUT, 0,
              NULL);
    all_modes(__FILE__, __LINE__,
              "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 5", 1024,
              BACT_E_TIMEOUT, 0, NULL);
    all_modes(__FILE__, __LINE__,
              "HTTP/1.1 200 OK\r\nBad Header: x\r\nContent-Length: 0\r\n\r\n",
              1024, BACT_E_HTTP, 200, NULL);
}

static void header_limits(void)
{
    bact_config cfg;
    bact_client *c;
    begin(T_BYTES);
    t_io_data(&IO, resp("200 OK", "X-Pad: 0123456789012345678901234567890123456789\r\n",
                        "{}"));
    cfg_init(&cfg, 1024, "http://h", 0);
    cfg.max_header_bytes = 64;
    c = mk_cfg(&cfg);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_E_HEADER_SIZE);
    CHECK_INT(IO.closes, 1);

    begin(T_WHOLE);
    t_io_data(&IO, resp("200 OK", "A: 1\r\nB: 2\r\n", "{}"));
    cfg_init(&cfg, 1024, "http://h", 0);
    cfg.max_headers = 2;
    c = mk_cfg(&cfg);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_E_HEADER_COUNT);
    begin(T_WHOLE);
    t_io_data(&IO, resp("200 OK", "A: 1\r\n", "{}"));
    cfg_init(&cfg, 1024, "http://h", 0);
    cfg.max_headers = 2;
    c = mk_cfg(&cfg);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_OK);
}

/* ------------------------------------------------------------------ */
/* Connections                                                          */
/* ------------------------------------------------------------------ */

static void keepalive_reuse(void)
{
    int mode;
    for (mode = T_WHOLE; mode <= T_GAPS; mode++) {
        bact_client *c;
        bact_task_state st;
        begin(mode);
        t_io_data(&IO, resp("200 OK", "Connection: keep-alive\r\n",
                            "{\"status\":\"running\"}"));
        t_io_add(&IO, T_NOTHING, NULL, 0); /* the probe finds nothing */
        t_io_data(&IO, resp("200 OK", "", "{\"status\":\"finished\"}"));
        c = mk(1024, "http://h", 0);
        CHECK_MODE(bact_get_task_status(c, "1", &st) == BACT_OK, mode);
        CHECK_MODE(st.status == BACT_STATUS_RUNNING, mode);
        CHECK_MODE(bact_get_task_status(c, "1", &st) == BACT_OK, mode);
        CHECK_MODE(st.status == BACT_STATUS_FINISHED, mode);
        CHECK_MODE(IO.opens == 1, mode);
        CHECK_MODE(IO.closes == 0, mode);
        bact_close(c);
        CHECK_MODE(IO.closes == 1, mode);
        bact_close(c); /* twice is harmless */
        CHECK_MODE(IO.closes == 1, mode);
    }
}

/* The clock is read where a deadline needs it: as an attempt starts and
 * as the request went out; again only when an answer takes more than one
 * read, and at the start for a whole-call limit. */
static void clock_reads_per_call(void)
{
    bact_config cfg;
    bact_client *c;
    bact_task_state st;
    unsigned before, lim;
    for (lim = 0; lim < 2; lim++) {
        begin(T_WHOLE);
        t_io_data(&IO, resp("200 OK", "", "{\"status\":\"running\"}"));
        t_io_add(&IO, T_NOTHING, NULL, 0); /* the probe finds nothing */
        t_io_data(&IO, resp("200 OK", "", "{\"status\":\"running\"}"));
        cfg_init(&cfg, 1024, "http://h", 0);
        cfg.call_ms = lim ? 60000u : 0u;
        c = mk_cfg(&cfg);
        CHECK_INT(bact_get_task_status(c, "1", &st), BACT_OK);
        before = IO.clock_reads;
        CHECK_INT(bact_get_task_status(c, "1", &st), BACT_OK);
        /* attempt start, request sent; and the call's start for a limit */
        CHECK_INT(IO.clock_reads - before, 2u + lim);
        CHECK_INT(IO.opens, 1);
    }

    begin(T_GAPS); /* "nothing yet" before every piece: a reading each */
    t_io_data(&IO, resp("200 OK", "", "{\"status\":\"running\"}"));
    c = mk(1024, "http://h", 0);
    before = IO.clock_reads;
    CHECK_INT(bact_get_task_status(c, "1", &st), BACT_OK);
    CHECK(IO.clock_reads - before >= IO.recvs);
}

static void connection_close_reopens(void)
{
    static const char *const closing[] = {
        "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}",
        "HTTP/1.1 200 OK\r\nConnection: Keep-Alive, Close\r\nContent-Length: 2\r\n\r\n{}",
        "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n{}",
    };
    size_t i;
    for (i = 0; i < sizeof closing / sizeof closing[0]; i++) {
        bact_client *c;
        begin(T_WHOLE);
        t_io_data(&IO, closing[i]);
        t_io_data(&IO, resp("200 OK", "", "{\"b\":2}"));
        c = mk(1024, "http://h", 0);
        CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_OK);
        CHECK_INT(IO.closes, 1);
        CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_OK);
        CHECK_STR(body_str(c), "{\"b\":2}");
        CHECK_INT(IO.opens, 2);
    }
    /* HTTP/1.0 with keep-alive is kept */
    {
        bact_client *c;
        begin(T_WHOLE);
        t_io_data(&IO, "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n"
                       "Content-Length: 2\r\n\r\n{}");
        t_io_add(&IO, T_NOTHING, NULL, 0);
        t_io_data(&IO, resp("200 OK", "", "{}"));
        c = mk(1024, "http://h", 0);
        CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_OK);
        CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_OK);
        CHECK_INT(IO.opens, 1);
    }
    /* bytes after the response: the connection is not trusted again */
    {
        bact_client *c;
        begin(T_WHOLE);
        t_io_data(&IO, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}junk");
        t_io_data(&IO, resp("200 OK", "", "{}"));
        c = mk(1024, "http://h", 0);
        CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_OK);
        CHECK_STR(body_str(c), "{}");
        CHECK_INT(IO.closes, 1);
        CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_OK);
        CHECK_INT(IO.opens, 2);
    }
}

/* The server closed the idle kept-alive connection: the probe sees the
 * close before anything is sent, and the call reconnects transparently
 * (for a POST too, since nothing had been sent). */
static void stale_connection_probe(void)
{
    int mode;
    for (mode = T_WHOLE; mode <= T_GAPS; mode++) {
        static const uint8_t body[] = "{}";
        bact_http_req post = { "POST", "/p", NULL, 0, body, 2, NULL, 0 };
        bact_client *c;
        bact_task_state st;
        begin(mode);
        t_io_data(&IO, resp("200 OK", "", "{\"status\":\"running\"}"));
        t_io_add(&IO, T_CLOSE, NULL, 0);
        t_io_data(&IO, resp("200 OK", "", "{\"status\":\"failed\"}"));
        t_io_add(&IO, T_CLOSE, NULL, 0);
        t_io_data(&IO, resp("200 OK", "", "{\"id\":\"7\"}"));
        c = mk(1024, "http://h", 0);
        CHECK_MODE(bact_get_task_status(c, "1", &st) == BACT_OK, mode);
        CHECK_MODE(bact_get_task_status(c, "1", &st) == BACT_OK, mode);
        CHECK_MODE(st.status == BACT_STATUS_FAILED, mode);
        CHECK_MODE(IO.opens == 2, mode);
        CHECK_MODE(IO.closes == 1, mode);
        CHECK_MODE(bact_retries_used(c) == 0, mode);
        CHECK_MODE(bact_request(c, &post, NULL, NULL, NULL) == BACT_OK, mode);
        CHECK_MODE(strcmp(body_str(c), "{\"id\":\"7\"}") == 0, mode);
        CHECK_MODE(IO.opens == 3, mode);
        CHECK_MODE(IO.sleeps == 0, mode);
    }
}

/* Bytes nobody asked for wait on a kept-alive connection (here a whole,
 * well-formed answer): the probe sees them and the connection is dropped,
 * so they are never read as the next call's answer. */
static void stale_connection_unasked_bytes(void)
{
    bact_client *c;
    bact_task_state st;
    begin(T_WHOLE);
    t_io_data(&IO, resp("200 OK", "", "{\"status\":\"running\"}"));
    t_io_data(&IO, resp("200 OK", "", "{\"status\":\"finished\"}"));
    t_io_data(&IO, resp("200 OK", "", "{\"status\":\"failed\"}"));
    c = mk(1024, "http://h", 0);
    CHECK_INT(bact_get_task_status(c, "1", &st), BACT_OK);
    CHECK_INT(st.status, BACT_STATUS_RUNNING);
    CHECK_INT(bact_get_task_status(c, "1", &st), BACT_OK);
    CHECK_INT(st.status, BACT_STATUS_FAILED);
    CHECK_INT(IO.opens, 2);
}

/* The probe found nothing, but the connection dies as the request goes
 * out, before any answer: an idempotent call reconnects once; a POST
 * cannot know whether the server took it. */
static void stale_connection_after_send(void)
{
    int mode;
    for (mode = T_WHOLE; mode <= T_GAPS; mode++) {
        bact_client *c;
        begin(mode);
        t_io_data(&IO, resp("200 OK", "", "{}"));
        t_io_add(&IO, T_NOTHING, NULL, 0);
        t_io_add(&IO, T_CLOSE, NULL, 0);
        t_io_data(&IO, resp("200 OK", "", "{\"n\":2}"));
        c = mk(1024, "http://h", 0);
        CHECK_MODE(bact_request(c, &GET, NULL, NULL, NULL) == BACT_OK, mode);
        CHECK_MODE(bact_request(c, &GET, NULL, NULL, NULL) == BACT_OK, mode);
        CHECK_MODE(strcmp(body_str(c), "{\"n\":2}") == 0, mode);
        CHECK_MODE(IO.opens == 2, mode);
        CHECK_MODE(bact_retries_used(c) == 0, mode);
        CHECK_MODE(IO.sleeps == 0, mode);
    }
    /* the same with a reset */
    {
        bact_client *c;
        begin(T_WHOLE);
        t_io_data(&IO, resp("200 OK", "", "{}"));
        t_io_add(&IO, T_NOTHING, NULL, 0);
        t_io_add(&IO, T_ERROR, NULL, (size_t)(long)BACT_E_NET);
        t_io_data(&IO, resp("200 OK", "", "{\"n\":3}"));
        c = mk(1024, "http://h", 0);
        CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_OK);
        CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_OK);
        CHECK_STR(body_str(c), "{\"n\":3}");
        CHECK_INT(IO.opens, 2);
    }
    /* a POST is not resent, whatever the retry budget */
    {
        static const uint8_t body[] = "{}";
        bact_http_req post = { "POST", "/p", NULL, 0, body, 2, NULL, 0 };
        bact_task_created t;
        bact_run_req rr;
        bact_client *c;
        begin(T_WHOLE);
        t_io_data(&IO, resp("200 OK", "", "{}"));
        t_io_add(&IO, T_NOTHING, NULL, 0);
        t_io_add(&IO, T_CLOSE, NULL, 0);
        t_io_data(&IO, resp("200 OK", "", "{}"));
        t_io_add(&IO, T_NOTHING, NULL, 0);
        t_io_add(&IO, T_CLOSE, NULL, 0);
        t_io_data(&IO, resp("200 OK", "", "{\"id\":\"1\"}"));
        c = mk(1024, "http://h", 3);
        CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_OK);
        CHECK_INT(bact_request(c, &post, NULL, NULL, NULL), BACT_E_CLOSED);
        CHECK_INT(IO.opens, 1);
        CHECK_INT(bact_retries_used(c), 0);
        /* the next call starts on a fresh connection */
        CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_OK);
        CHECK_INT(IO.opens, 2);
        memset(&rr, 0, sizeof rr);
        rr.workflow_id = "1";
        CHECK_INT(bact_run_task(c, &rr, &t), BACT_E_CLOSED);
        /* reconciliation may look (list-tasks), but never resends */
        CHECK_INT(count_runs(), 1);
        CHECK_INT(IO.sleeps, 0);
    }
    /* a POST whose reused connection is reset: reported as the close it
     * is, not as a network error */
    {
        static const uint8_t body[] = "{}";
        bact_http_req post = { "POST", "/p", NULL, 0, body, 2, NULL, 0 };
        bact_client *c;
        begin(T_WHOLE);
        t_io_data(&IO, resp("200 OK", "", "{}"));
        t_io_add(&IO, T_NOTHING, NULL, 0);
        t_io_add(&IO, T_ERROR, NULL, (size_t)(long)BACT_E_NET);
        t_io_data(&IO, resp("200 OK", "", "{\"id\":\"1\"}"));
        c = mk(1024, "http://h", 3);
        CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_OK);
        CHECK_INT(bact_request(c, &post, NULL, NULL, NULL), BACT_E_CLOSED);
        CHECK_INT(IO.opens, 1);
    }
    /* part of an answer came before the close: the server did see the
     * request, so it is no stale connection and not sent again */
    {
        bact_client *c;
        begin(T_WHOLE);
        t_io_data(&IO, resp("200 OK", "", "{}"));
        t_io_add(&IO, T_NOTHING, NULL, 0);
        t_io_data(&IO, "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n{");
        t_io_add(&IO, T_CLOSE, NULL, 0);
        t_io_data(&IO, resp("200 OK", "", "{\"n\":4}"));
        c = mk(1024, "http://h", 0);
        CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_OK);
        CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_E_CLOSED);
        CHECK_INT(IO.opens, 1);
    }
    /* the same when the answer is streamed to a sink: its head came, so
     * the server saw the request (no body byte reached the sink) */
    {
        bact_client *c;
        begin(T_WHOLE);
        t_io_data(&IO, resp("200 OK", "", "{}"));
        t_io_add(&IO, T_NOTHING, NULL, 0);
        t_io_data(&IO, "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n");
        t_io_add(&IO, T_CLOSE, NULL, 0);
        t_io_data(&IO, resp("200 OK", "", "{\"n\":4}"));
        c = mk(1024, "http://h", 0);
        CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_OK);
        memset(&SINK, 0, sizeof SINK);
        CHECK_INT(bact_request(c, &GET, sink, &SINK, NULL), BACT_E_CLOSED);
        CHECK_INT(IO.opens, 1);
        CHECK_INT(SINK.calls, 0);
    }
}

/* A 408 on a kept-alive connection: the server timed the idle connection
 * out as the request went out, and says it did not take the request (RFC
 * 9110 15.5.9). It goes out once more on a new connection, a POST too; a
 * 408 on a new connection, or a second one, is the answer. */
static void stale_connection_408(void)
{
    static const uint8_t body[] = "{}";
    bact_http_req post = { "POST", "/p", NULL, 0, body, 2, NULL, 0 };
    int mode;
    for (mode = T_WHOLE; mode <= T_GAPS; mode++) {
        bact_client *c;
        int status = 0;
        begin(mode);
        t_io_data(&IO, resp("200 OK", "", "{}"));
        t_io_add(&IO, T_NOTHING, NULL, 0);
        t_io_data(&IO, resp("408 Request Timeout", "Connection: close\r\n", ""));
        t_io_add(&IO, T_CLOSE, NULL, 0);
        t_io_data(&IO, resp("200 OK", "", "{\"n\":2}"));
        t_io_add(&IO, T_NOTHING, NULL, 0);
        t_io_data(&IO, resp("408 Request Timeout", "", "")); /* kept alive */
        t_io_data(&IO, resp("200 OK", "", "{\"id\":\"7\"}"));
        c = mk(1024, "http://h", 0);
        CHECK_MODE(bact_request(c, &GET, NULL, NULL, NULL) == BACT_OK, mode);
        CHECK_MODE(bact_request(c, &GET, NULL, NULL, &status) == BACT_OK, mode);
        CHECK_MODE(status == 200, mode);
        CHECK_MODE(strcmp(body_str(c), "{\"n\":2}") == 0, mode);
        CHECK_MODE(IO.opens == 2, mode);
        /* the 408 allowed reuse; the new attempt does not take it */
        CHECK_MODE(bact_request(c, &post, NULL, NULL, &status) == BACT_OK, mode);
        CHECK_MODE(status == 200, mode);
        CHECK_MODE(strcmp(body_str(c), "{\"id\":\"7\"}") == 0, mode);
        CHECK_MODE(IO.opens == 3, mode);
        CHECK_MODE(IO.closes == 2, mode);
        CHECK_MODE(IO.sleeps == 0 && bact_retries_used(c) == 0, mode);
    }
    /* on a new connection a 408 is the answer, retries or not */
    {
        bact_client *c;
        int status = 0;
        begin(T_WHOLE);
        t_io_data(&IO, resp("408 Request Timeout", "", "{}"));
        t_io_data(&IO, resp("200 OK", "", "{}"));
        c = mk(1024, "http://h", 3);
        CHECK_INT(bact_request(c, &GET, NULL, NULL, &status), BACT_E_API);
        CHECK_INT(status, 408);
        CHECK_INT(IO.opens, 1);
        CHECK_INT(bact_retries_used(c), 0);
    }
    /* a second 408, on the new connection: the answer */
    {
        bact_client *c;
        int status = 0;
        begin(T_WHOLE);
        t_io_data(&IO, resp("200 OK", "", "{}"));
        t_io_add(&IO, T_NOTHING, NULL, 0);
        t_io_data(&IO, resp("408 Request Timeout", "Connection: close\r\n", ""));
        t_io_add(&IO, T_CLOSE, NULL, 0);
        t_io_data(&IO, resp("408 Request Timeout", "", ""));
        t_io_data(&IO, resp("200 OK", "", "{}"));
        c = mk(1024, "http://h", 0);
        CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_OK);
        CHECK_INT(bact_request(c, &post, NULL, NULL, &status), BACT_E_API);
        CHECK_INT(status, 408);
        CHECK_INT(IO.opens, 2);
    }
    /* a run: sent again, one task, reported as the server's answer */
    {
        bact_task_created t;
        bact_run_req rr;
        bact_client *c;
        begin(T_WHOLE);
        t_io_data(&IO, resp("200 OK", "", "{}"));
        t_io_add(&IO, T_NOTHING, NULL, 0);
        t_io_data(&IO, resp("408 Request Timeout", "Connection: close\r\n", ""));
        t_io_add(&IO, T_CLOSE, NULL, 0);
        t_io_data(&IO, resp("200 OK", "", "{\"id\":\"9\"}"));
        c = mk(1024, "http://h", 0);
        CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_OK);
        memset(&rr, 0, sizeof rr);
        rr.workflow_id = "1";
        CHECK_INT(bact_run_task(c, &rr, &t), BACT_OK);
        CHECK_STR(t.id, "9");
        CHECK_INT(t.outcome, BACT_RUN_CREATED);
        CHECK_INT(count_runs(), 2);
        CHECK_INT(IO.opens, 2);
    }
}

/* ------------------------------------------------------------------ */
/* Deadlines and failures                                               */
/* ------------------------------------------------------------------ */

static void timeout_no_answer(void)
{
    bact_client *c;
    uint32_t t0;
    begin(T_WHOLE);
    t_io_add(&IO, T_END, NULL, 0);
    c = mk(1024, "http://h", 0);
    t0 = IO.now;
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_E_TIMEOUT);
    CHECK_INT(IO.now - t0, 1000); /* the inactivity limit, no more */
    CHECK_INT(IO.closes, 1);
    CHECK_INT(IO.opens, 1);

    /* stalled half way through the headers, in every mode */
    {
        int mode;
        for (mode = T_WHOLE; mode <= T_GAPS; mode++) {
            begin(mode);
            t_io_data(&IO, "HTTP/1.1 200 OK\r\nContent-Len");
            t_io_add(&IO, T_END, NULL, 0);
            c = mk(1024, "http://h", 0);
            CHECK_MODE(bact_request(c, &GET, NULL, NULL, NULL) == BACT_E_TIMEOUT,
                       mode);
        }
    }
    /* a few "nothing yet" answers are not a timeout */
    begin(T_GAPS);
    t_io_add(&IO, T_NOTHING, NULL, 0);
    t_io_add(&IO, T_NOTHING, NULL, 0);
    t_io_data(&IO, resp("200 OK", "", "{}"));
    t_io_add(&IO, T_NOTHING, NULL, 0);
    c = mk(1024, "http://h", 0);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_OK);
}

/* now_ms may wrap at 2^32: deadlines and back-off still work */
static void clock_wrap(void)
{
    bact_client *c;
    uint32_t t0;
    begin(T_WHOLE);
    t_io_add(&IO, T_END, NULL, 0);
    c = mk(1024, "http://h", 0);
    IO.now = 0xFFFFFFFFu - 300u;
    t0 = IO.now;
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_E_TIMEOUT);
    CHECK_INT((uint32_t)(IO.now - t0), 1000);

    begin(T_GAPS);
    t_io_data(&IO, resp("503 Service Unavailable", "Retry-After: 2\r\n", ""));
    t_io_add(&IO, T_NOTHING, NULL, 0);
    t_io_data(&IO, resp("200 OK", "", "{\"w\":1}"));
    c = mk(1024, "http://h", 1);
    IO.now = 0xFFFFFFFFu - 100u;
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_OK);
    CHECK_INT(IO.slept, 2000);
    CHECK_STR(body_str(c), "{\"w\":1}");
}

/* A server that sends one byte at a time, each within the inactivity
 * limit, is still cut off at the whole-attempt limit. */
static void attempt_deadline_trickle(void)
{
    static char big[1400];
    bact_config cfg;
    bact_client *c;
    uint32_t t0;
    memset(big, 'x', sizeof big - 1u);
    big[sizeof big - 1u] = '\0';

    begin(T_GAPS); /* every byte comes after a 1 ms "nothing yet" */
    t_io_data(&IO, resp("200 OK", "", big));
    cfg_init(&cfg, 4096, "http://h", 0);
    cfg.timeout_ms = 100; /* attempt limit: 4 x 100 ms */
    c = mk_cfg(&cfg);
    t0 = IO.now;
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_E_TIMEOUT);
    CHECK(IO.now - t0 >= 400u);
    CHECK(IO.now - t0 <= 402u);
    CHECK_INT(IO.closes, 1);

    /* an explicit attempt limit */
    begin(T_GAPS);
    t_io_data(&IO, resp("200 OK", "", big));
    cfg_init(&cfg, 4096, "http://h", 0);
    cfg.timeout_ms = 100;
    cfg.attempt_ms = 250;
    c = mk_cfg(&cfg);
    t0 = IO.now;
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_E_TIMEOUT);
    CHECK(IO.now - t0 >= 250u && IO.now - t0 <= 252u);

    /* the same body, delivered byte by byte without gaps, is fine */
    begin(T_BYTES);
    t_io_data(&IO, resp("200 OK", "", big));
    cfg_init(&cfg, 4096, "http://h", 0);
    cfg.timeout_ms = 100;
    c = mk_cfg(&cfg);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_OK);
    CHECK_INT(strlen(body_str(c)), sizeof big - 1u);
}

static void early_close(void)
{
    static const char *const cut[] = {
        "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"status\":",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n{\"st",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n",
        "HTTP/1.1 200 OK\r\nContent-Len",
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r",
        "",
    };
    size_t i;
    int mode;
    for (i = 0; i < sizeof cut / sizeof cut[0]; i++) {
        for (mode = T_WHOLE; mode <= T_GAPS; mode++) {
            bact_client *c;
            int rc;
            begin(mode);
            if (cut[i][0] != '\0')
                t_io_data(&IO, cut[i]);
            t_io_add(&IO, T_CLOSE, NULL, 0);
            c = mk(1024, "http://h", 0);
            rc = bact_request(c, &GET, NULL, NULL, NULL);
            if (rc != BACT_E_CLOSED) {
                char msg[128];
                snprintf(msg, sizeof msg, "cut #%u mode %d: rc %d", (unsigned)i,
                         mode, rc);
                t_fail(__FILE__, __LINE__, msg);
            }
            CHECK_MODE(IO.closes == 1, mode);
        }
    }
}

static void network_error(void)
{
    int mode;
    for (mode = T_WHOLE; mode <= T_GAPS; mode++) {
        bact_client *c;
        begin(mode);
        t_io_data(&IO, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{\"a\"");
        t_io_add(&IO, T_ERROR, NULL, (size_t)(long)BACT_E_NET);
        c = mk(1024, "http://h", 0);
        CHECK_MODE(bact_request(c, &GET, NULL, NULL, NULL) == BACT_E_NET, mode);
        CHECK_MODE(IO.closes == 1, mode);
    }
    /* a TLS-layer error comes through as it is */
    {
        bact_client *c;
        begin(T_WHOLE);
        t_io_add(&IO, T_ERROR, NULL, (size_t)(long)BACT_E_TLS);
        c = mk(1024, "http://h", 0);
        CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_E_TLS);
    }
    /* send fails */
    {
        bact_client *c;
        begin(T_WHOLE);
        IO.send_rc = BACT_E_NET;
        c = mk(1024, "http://h", 0);
        CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_E_NET);
        CHECK_INT(IO.closes, 1);
    }
}

/* A transport that claims to have moved more than it was given, or that
 * never moves a byte: the client must not trust the count, nor spin. */
static int32_t over_send(void *p, const uint8_t *d, size_t n, uint32_t t)
{
    int32_t r = W.base.send(p, d, n, t);
    return r > 0 ? (int32_t)n + 1 : r;
}
static int32_t over_recv(void *p, uint8_t *b, size_t n, uint32_t t)
{
    int32_t r = W.base.recv(p, b, n, t);
    return r > 0 ? (int32_t)n + 1 : r;
}
static int32_t stuck_send(void *p, const uint8_t *d, size_t n, uint32_t t)
{
    (void)d; (void)n; (void)t;
    ((t_io *)p)->sends++;
    return 0;
}
static int32_t slow_stuck_send(void *p, const uint8_t *d, size_t n, uint32_t t)
{
    ((t_io *)p)->now += 100;
    return stuck_send(p, d, n, t);
}

static int32_t stuck_recv(void *p, uint8_t *b, size_t n, uint32_t t)
{
    (void)b; (void)n; (void)t;
    ((t_io *)p)->recvs++;
    return 0;
}

static void transport_misbehaves(void)
{
    static const struct {
        int32_t (*send)(void *, const uint8_t *, size_t, uint32_t);
        int32_t (*recv)(void *, uint8_t *, size_t, uint32_t);
        int rc;
        unsigned long sends;
    } k[] = {
        { over_send, NULL, BACT_E_NET, 1 },
        { NULL, over_recv, BACT_E_NET, 1 },
        /* "nothing yet" forever on a clock that stands still: the call
         * count ends it; on a clock that runs: the deadline (1000 ms) */
        { stuck_send, NULL, BACT_E_TIMEOUT, BACT_MAX_IO_CALLS },
        { slow_stuck_send, NULL, BACT_E_TIMEOUT, 10 }
    };
    size_t i;
    for (i = 0; i < sizeof k / sizeof k[0]; i++) {
        bact_client *c;
        begin(T_WHOLE);
        t_io_data(&IO, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}");
        if (k[i].send != NULL)
            CTR.send = k[i].send;
        if (k[i].recv != NULL)
            CTR.recv = k[i].recv;
        c = mk(1024, "http://h", 0);
        CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), k[i].rc);
        CHECK_INT(IO.sends, k[i].sends);
        CHECK_INT(IO.closes, 1);
    }
    /* the receive side likewise: exactly BACT_MAX_IO_CALLS calls */
    begin(T_WHOLE);
    CTR.recv = stuck_recv;
    {
        bact_client *c = mk(1024, "http://h", 0);
        CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_E_TIMEOUT);
        CHECK_INT(IO.recvs, BACT_MAX_IO_CALLS);
        CHECK_INT(IO.closes, 1);
    }
}

/* ------------------------------------------------------------------ */
/* Retries                                                              */
/* ------------------------------------------------------------------ */

static void connect_and_call_deadlines(void)
{
    bact_config cfg;
    bact_client *c;
    bact_task_state st;
    /* the connect limit is its own; 0 means the inactivity limit */
    begin(T_WHOLE);
    t_io_data(&IO, resp("200 OK", "", "{\"status\":\"running\"}"));
    cfg_init(&cfg, 1024, "http://h", 0);
    cfg.connect_ms = 250;
    c = mk_cfg(&cfg);
    CHECK_INT(bact_get_task_status(c, "1", &st), BACT_OK);
    CHECK_INT(W.open_timeout, 250);
    begin(T_WHOLE);
    t_io_data(&IO, resp("200 OK", "", "{\"status\":\"running\"}"));
    c = mk(1024, "http://h", 0);
    CHECK_INT(bact_get_task_status(c, "1", &st), BACT_OK);
    CHECK_INT(W.open_timeout, 1000);
    /* and no longer than what is left of the whole call */
    begin(T_WHOLE);
    t_io_data(&IO, resp("200 OK", "", "{\"status\":\"running\"}"));
    cfg_init(&cfg, 1024, "http://h", 0);
    cfg.connect_ms = 5000;
    cfg.call_ms = 1200;
    c = mk_cfg(&cfg);
    CHECK_INT(bact_get_task_status(c, "1", &st), BACT_OK);
    CHECK_INT(W.open_timeout, 1200);
    /* the whole-call limit stops retries whose wait would pass it: 503s
     * with Retry-After: 2 and a 3 s budget allow one retry, not five */
    begin(T_WHOLE);
    t_io_data(&IO, resp("503 Service Unavailable", "Retry-After: 2\r\n", ""));
    t_io_add(&IO, T_NOTHING, NULL, 0);
    t_io_data(&IO, resp("503 Service Unavailable", "Retry-After: 2\r\n", ""));
    t_io_add(&IO, T_NOTHING, NULL, 0);
    t_io_data(&IO, resp("503 Service Unavailable", "Retry-After: 2\r\n", ""));
    cfg_init(&cfg, 1024, "http://h", 5);
    cfg.call_ms = 3000;
    c = mk_cfg(&cfg);
    CHECK_INT(bact_get_task_status(c, "1", &st), BACT_E_API);
    CHECK_INT(bact_retries_used(c), 1);
    CHECK(IO.slept <= 3000u);
    /* and a stalled server cannot hold the call past it either */
    begin(T_WHOLE);
    t_io_data(&IO, "HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n{");
    t_io_add(&IO, T_END, NULL, 0);
    cfg_init(&cfg, 1024, "http://h", 0);
    cfg.timeout_ms = 10000;
    cfg.call_ms = 700;
    c = mk_cfg(&cfg);
    {
        uint32_t t0 = IO.now;
        CHECK_INT(bact_get_task_status(c, "1", &st), BACT_E_TIMEOUT);
        CHECK(IO.now - t0 <= 700u + 1u);
    }
}

/* one open, once `after` opens were made, fails with BACT_E_CONNECT */
static void connect_fails_after(unsigned after)
{
    W.fail_opens = 1;
    W.fail_after = after;
    W.fail_rc = BACT_E_CONNECT;
}

/* bact_request_sent() is 1 once a send call was made, not before: a
 * call whose whole-call time ran out in the connect sent nothing (its
 * connection, clean, is kept for the next call), and says so. */
static int open_slow(void *p, const char *h, size_t n, uint16_t port,
                     uint32_t t)
{
    ((t_io *)p)->now += t; /* the connect takes all the time it may */
    return w_open(p, h, n, port, t);
}

static void sent_only_from_the_first_send(void)
{
    static const uint8_t body[] = "{}";
    bact_http_req post = { "POST", "/p", NULL, 0, body, 2, NULL, 0 };
    bact_config cfg;
    bact_client *c;
    begin(T_WHOLE);
    t_io_data(&IO, resp("200 OK", "", "{}"));
    cfg_init(&cfg, 1024, "http://h", 2);
    cfg.call_ms = 500;
    CTR.open = open_slow;
    c = mk_cfg(&cfg);
    CHECK_INT(bact_request(c, &post, NULL, NULL, NULL), BACT_E_TIMEOUT);
    CHECK_INT(bact_request_sent(c), 0);
    CHECK_INT(IO.sends, 0);
    CHECK_INT(IO.closes, 0);
    CHECK_INT(bact_retries_used(c), 0); /* no time for one */
    /* the next call reuses that connection */
    c->tr.open = w_open;
    CHECK_INT(bact_request(c, &post, NULL, NULL, NULL), BACT_OK);
    CHECK_INT(bact_request_sent(c), 1);
    CHECK_INT(IO.opens, 1);
    CHECK_STR(body_str(c), "{}");
}

/* ... and stays 1 for the call when an earlier attempt went out and the
 * server may have taken it, whatever the last attempt did (here: it could
 * not connect); after a 429 or 503, or a kept-alive connection the server
 * had closed (not taken), it is the last attempt's. */
static void sent_across_attempts(void)
{
    static const uint8_t body[] = "{}";
    bact_http_req post = { "POST", "/p", NULL, 0, body, 2, NULL, 0 };
    bact_client *c;
    /* a GET that timed out, then no connection */
    begin(T_WHOLE);
    t_io_add(&IO, T_END, NULL, 0);
    connect_fails_after(1);
    c = mk(1024, "http://h", 1);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_E_CONNECT);
    CHECK_INT(bact_retries_used(c), 1);
    CHECK_INT(bact_request_sent(c), 1);
    /* a GET answered 503, then no connection */
    begin(T_WHOLE);
    t_io_data(&IO, resp("503 Service Unavailable", "Connection: close\r\n",
                        ""));
    connect_fails_after(1);
    c = mk(1024, "http://h", 1);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_E_CONNECT);
    CHECK_INT(bact_request_sent(c), 0);
    /* a POST answered 429, then no connection */
    begin(T_WHOLE);
    t_io_data(&IO, resp("429 Too Many Requests", "Connection: close\r\n",
                        ""));
    connect_fails_after(1);
    c = mk(1024, "http://h", 1);
    CHECK_INT(bact_request(c, &post, NULL, NULL, NULL), BACT_E_CONNECT);
    CHECK_INT(bact_request_sent(c), 0);
    /* a GET whose kept-alive connection was dropped under it (the server
     * closed it idle and took nothing), sent once more and unable to
     * connect: nothing taken */
    begin(T_WHOLE);
    t_io_data(&IO, resp("200 OK", "", "{}"));
    t_io_add(&IO, T_NOTHING, NULL, 0); /* the probe before reuse */
    t_io_add(&IO, T_FAIL, NULL, (size_t)(long)BACT_E_NET);
    connect_fails_after(1);
    c = mk(1024, "http://h", 0);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_OK);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_E_CONNECT);
    CHECK_INT(bact_request_sent(c), 0);
    /* a call starts from nothing: a GET that timed out and could not
     * connect again, then a call that never connects */
    begin(T_WHOLE);
    t_io_add(&IO, T_END, NULL, 0);
    connect_fails_after(1);
    c = mk(1024, "http://h", 1);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_E_CONNECT);
    CHECK_INT(bact_request_sent(c), 1);
    W.fail_opens = 2;
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_E_CONNECT);
    CHECK_INT(bact_request_sent(c), 0);
    /* a retry after a timeout, then after a 503: what the first took may
     * stand, so still sent */
    begin(T_WHOLE);
    t_io_add(&IO, T_END, NULL, 0);
    t_io_data(&IO, resp("503 Service Unavailable", "Connection: close\r\n",
                        ""));
    connect_fails_after(2);
    c = mk(1024, "http://h", 2);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_E_CONNECT);
    CHECK_INT(bact_retries_used(c), 2);
    CHECK_INT(bact_request_sent(c), 1);
}

static void retry_503_then_200(void)
{
    bact_client *c;
    bact_task_state st;
    int status = 0;
    begin(T_WHOLE);
    t_io_data(&IO, resp("503 Service Unavailable", "", "busy"));
    t_io_add(&IO, T_NOTHING, NULL, 0);
    t_io_data(&IO, resp("200 OK", "", "{\"status\":\"running\"}"));
    c = mk(1024, "http://h", 2);
    CHECK_INT(bact_get_task_status(c, "1", &st), BACT_OK);
    CHECK_INT(st.status, BACT_STATUS_RUNNING);
    CHECK_INT(bact_retries_used(c), 1);
    CHECK_INT(IO.sleeps, 1);
    /* back-off: the first step with equal jitter, [b/2, b] */
    CHECK(IO.slept >= BACT_DEFAULT_BACKOFF_MS / 2u);
    CHECK(IO.slept <= BACT_DEFAULT_BACKOFF_MS);
    /* the same through bact_request, with the status reported */
    begin(T_WHOLE);
    t_io_data(&IO, resp("503 Service Unavailable", "", "busy"));
    t_io_add(&IO, T_NOTHING, NULL, 0);
    t_io_data(&IO, resp("200 OK", "", "{}"));
    c = mk(1024, "http://h", 2);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, &status), BACT_OK);
    CHECK_INT(status, 200);
    CHECK_INT(bact_retries_used(c), 1);
    CHECK_INT(bact_last_error(c)->http_status, 0);
    /* every retryable status of an idempotent call */
    {
        static const char *const st5[] = { "429 Too Many", "502 Bad Gateway",
                                           "504 Gateway Timeout" };
        size_t i;
        for (i = 0; i < 3; i++) {
            begin(T_WHOLE);
            t_io_data(&IO, resp(st5[i], "", ""));
            t_io_add(&IO, T_NOTHING, NULL, 0);
            t_io_data(&IO, resp("200 OK", "", "{}"));
            c = mk(1024, "http://h", 1);
            CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_OK);
            CHECK_INT(bact_retries_used(c), 1);
        }
    }
}

/* sleep_ms may return early (bact_port.h): the core reads the clock again
 * and sleeps the rest, so a Retry-After of 2 s is waited whole */
static void short_sleep(void *p, uint32_t ms)
{
    t_io *io = (t_io *)p;
    uint32_t d = ms < 300u ? ms : 300u;
    io->now += d;
    io->slept += d;
    io->sleeps++;
}

static void sleep_may_return_early(void)
{
    bact_client *c;
    uint32_t t0;
    begin(T_WHOLE);
    t_io_data(&IO, resp("429 Too Many Requests", "Retry-After: 2\r\n", ""));
    t_io_add(&IO, T_NOTHING, NULL, 0);
    t_io_data(&IO, resp("200 OK", "", "{}"));
    c = mk(1024, "http://h", 1);
    c->pf.sleep_ms = short_sleep;
    t0 = IO.now;
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_OK);
    CHECK_INT(bact_retries_used(c), 1);
    CHECK_INT(IO.slept, 2000);
    CHECK_INT(IO.sleeps, 7);
    CHECK(IO.now - t0 >= 2000u);
}

static void retry_after_seconds(void)
{
    bact_client *c;
    begin(T_WHOLE);
    t_io_data(&IO, resp("429 Too Many Requests", "Retry-After: 2\r\n", ""));
    t_io_add(&IO, T_NOTHING, NULL, 0);
    t_io_data(&IO, resp("200 OK", "", "{}"));
    c = mk(1024, "http://h", 1);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_OK);
    CHECK(IO.slept >= 2000u);
    CHECK(IO.slept <= 2000u + BACT_DEFAULT_BACKOFF_MS);

    /* far too long a wait is capped */
    begin(T_WHOLE);
    t_io_data(&IO, resp("503 Service Unavailable", "Retry-After: 999\r\n", ""));
    t_io_add(&IO, T_NOTHING, NULL, 0);
    t_io_data(&IO, resp("200 OK", "", "{}"));
    c = mk(1024, "http://h", 1);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_OK);
    CHECK_INT(IO.slept, BACT_MAX_BACKOFF_MS);

    begin(T_WHOLE);
    t_io_data(&IO, resp("503 Service Unavailable",
                        "Retry-After: 99999999999999999999\r\n", ""));
    t_io_add(&IO, T_NOTHING, NULL, 0);
    t_io_data(&IO, resp("200 OK", "", "{}"));
    c = mk(1024, "http://h", 1);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_OK);
    CHECK_INT(IO.slept, BACT_MAX_BACKOFF_MS);

    /* Retry-After: 0 retries at once */
    begin(T_WHOLE);
    t_io_data(&IO, resp("503 Service Unavailable", "Retry-After: 0\r\n", ""));
    t_io_add(&IO, T_NOTHING, NULL, 0);
    t_io_data(&IO, resp("200 OK", "", "{}"));
    c = mk(1024, "http://h", 1);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_OK);
    CHECK_INT(IO.slept, 0);
}

/* A Retry-After past the whole-call limit ends the call at once with the
 * busy answer, also when it is longer than the 60 s cap on a wait (the
 * cap shortens a wait; it does not make a server's "not before" earlier):
 * bact.h, bact_wait(). Within the limit, the capped wait as before. */
static void retry_after_past_call_deadline(void)
{
    static const char *const ra[] = {
        "Retry-After: 3600\r\n",
        "Retry-After: 600\r\n", /* exactly at the limit: past it */
        "Retry-After: 99999999999999999999\r\n",
        /* seconds whose milliseconds pass 2^32 (by 704 ms): still past */
        "Retry-After: 4294968\r\n",
        ("Date: Wed, 21 Oct 2015 07:28:00 GMT\r\n"
         "Retry-After: Wed, 21 Oct 2015 08:28:00 GMT\r\n"),
    };
    bact_config cfg;
    bact_client *c;
    bact_task_state st;
    size_t i;
    uint32_t t0;
    for (i = 0; i < sizeof ra / sizeof ra[0]; i++) {
        begin(T_WHOLE);
        t_io_data(&IO, resp("503 Service Unavailable", ra[i], ""));
        t_io_add(&IO, T_NOTHING, NULL, 0);
        t_io_data(&IO, resp("200 OK", "", "{}"));
        cfg_init(&cfg, 1024, "http://h", 3);
        cfg.call_ms = 600000;
        c = mk_cfg(&cfg);
        CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_E_API);
        CHECK_INT(bact_last_error(c)->http_status, 503);
        CHECK_INT(bact_retries_used(c), 0);
        CHECK_INT(IO.slept, 0);
        CHECK_INT(IO.opens, 1);
    }
    /* one second inside the limit: the capped wait, then the retry */
    begin(T_WHOLE);
    t_io_data(&IO, resp("503 Service Unavailable", "Retry-After: 599\r\n", ""));
    t_io_add(&IO, T_NOTHING, NULL, 0);
    t_io_data(&IO, resp("200 OK", "", "{}"));
    cfg_init(&cfg, 1024, "http://h", 3);
    cfg.call_ms = 600000;
    c = mk_cfg(&cfg);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_OK);
    CHECK_INT(bact_retries_used(c), 1);
    CHECK_INT(IO.slept, BACT_MAX_BACKOFF_MS);
    /* bact_wait: a busy answer whose Retry-After lies past the deadline
     * ends the wait at once with it */
    begin(T_WHOLE);
    t_io_data(&IO, resp("503 Service Unavailable", "Retry-After: 3600\r\n",
                        ""));
    t_io_add(&IO, T_NOTHING, NULL, 0);
    t_io_data(&IO, resp("200 OK", "", "{\"status\":\"finished\"}"));
    c = mk(1024, "http://h", 3);
    t0 = IO.now;
    CHECK_INT(bact_wait(c, "1", 1000, 600000, NULL, NULL, &st), BACT_E_API);
    CHECK_INT(bact_last_error(c)->http_status, 503);
    CHECK_INT(IO.slept, 0);
    CHECK(IO.now - t0 < 1000u);
    CHECK_INT(c->call_ms, 0);
}

static void retry_after_date(void)
{
    bact_client *c;
    begin(T_WHOLE);
    t_io_data(&IO, resp("503 Service Unavailable",
                        "Date: Wed, 21 Oct 2015 07:27:55 GMT\r\n"
                        "Retry-After: Wed, 21 Oct 2015 07:28:00 GMT\r\n",
                        ""));
    t_io_add(&IO, T_NOTHING, NULL, 0);
    t_io_data(&IO, resp("200 OK", "", "{}"));
    c = mk(1024, "http://h", 1);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_OK);
    CHECK_INT(IO.slept, 5000);
}

/* a random source at the top of the jitter range, and one past it */
static uint32_t random_250(void *p)
{
    (void)p;
    return 250u;
}

static uint32_t random_251(void *p)
{
    (void)p;
    return 251u;
}

/* n answers 503 (no Retry-After), then a 200 */
static void busy_then_ok(unsigned n)
{
    unsigned i;
    for (i = 0; i < n; i++) {
        t_io_data(&IO, resp("503 Service Unavailable", "", ""));
        t_io_add(&IO, T_NOTHING, NULL, 0);
    }
    t_io_data(&IO, resp("200 OK", "", "{}"));
}

static void backoff_grows(void)
{
    bact_client *c;
    begin(T_WHOLE);
    busy_then_ok(3);
    c = mk(1024, "http://h", 3);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_OK);
    CHECK_INT(bact_retries_used(c), 3);
    CHECK_INT(IO.sleeps, 3);
    /* 500, 1000, 2000 ms steps, each in [b/2, b] */
    CHECK(IO.slept >= 250u + 500u + 1000u);
    CHECK(IO.slept <= 500u + 1000u + 2000u);

    /* a platform without random: the whole steps, no jitter */
    begin(T_WHOLE);
    busy_then_ok(2);
    c = mk(1024, "http://h", 2);
    c->pf.random = NULL;
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_OK);
    CHECK_INT(IO.sleeps, 2);
    CHECK_INT(IO.slept, 500u + 1000u);

    /* the jitter spans [b/2, b], both ends: of a 500 ms step, a random
     * 250 waits 500 ms, a random 251 wraps to 250 ms */
    begin(T_WHOLE);
    busy_then_ok(1);
    c = mk(1024, "http://h", 1);
    c->pf.random = random_250;
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_OK);
    CHECK_INT(IO.slept, 500);
    begin(T_WHOLE);
    busy_then_ok(1);
    c = mk(1024, "http://h", 1);
    c->pf.random = random_251;
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_OK);
    CHECK_INT(IO.slept, 250);
}

static void retries_exhausted(void)
{
    bact_client *c;
    int status = 0;
    begin(T_WHOLE);
    t_io_data(&IO, resp("503 Service Unavailable", "", "{\"code\":1,\"msg\":\"a\"}"));
    t_io_add(&IO, T_NOTHING, NULL, 0);
    t_io_data(&IO, resp("503 Service Unavailable", "", "{\"code\":2,\"msg\":\"b\"}"));
    t_io_add(&IO, T_NOTHING, NULL, 0);
    t_io_data(&IO, resp("503 Service Unavailable", "", "{\"code\":3,\"msg\":\"c\"}"));
    t_io_add(&IO, T_NOTHING, NULL, 0);
    t_io_data(&IO, resp("200 OK", "", "{}"));
    c = mk(1024, "http://h", 2);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, &status), BACT_E_API);
    CHECK_INT(status, 503);
    CHECK_INT(bact_retries_used(c), 2);
    CHECK_INT(IO.sleeps, 2);
    /* the last answer's detail */
    CHECK_INT(bact_last_error(c)->http_status, 503);
    CHECK_INT(bact_last_error(c)->code, 3);
    CHECK_STR(bact_last_error(c)->msg, "c");
}

/* A busy answer, then a retry that gets none: the body of the first is
 * gone (the buffer holds the retry's request, API key and all), so
 * bact_body() offers nothing rather than those bytes. */
static void no_stale_body_after_failed_retry(void)
{
    bact_client *c;
    size_t n = 99;
    begin(T_WHOLE);
    t_io_data(&IO, resp("503 Service Unavailable", "Connection: close\r\n",
                        "{\"code\":1,\"msg\":\"busy, and a longer message\"}"));
    t_io_add(&IO, T_END, NULL, 0);
    c = mk(1024, "http://h", 1);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_E_TIMEOUT);
    CHECK_INT(bact_retries_used(c), 1);
    (void)bact_body(c, &n);
    CHECK_INT(n, 0);
}

/* A busy answer whose body does not fit the buffer (a gateway's page) is
 * retried like any busy answer, after its Retry-After. */
static void retry_busy_answer_too_big(void)
{
    static char big[2600];
    bact_client *c;
    int status = 0;
    begin(T_WHOLE);
    snprintf(big, sizeof big, "HTTP/1.1 503 Service Unavailable\r\n"
             "Retry-After: 2\r\nContent-Length: 2000\r\n\r\n%2000s",
             "<html>");
    t_io_data(&IO, big);
    t_io_data(&IO, resp("200 OK", "", "{}"));
    c = mk(1024, "http://h", 2);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, &status), BACT_OK);
    CHECK_INT(status, 200);
    CHECK_INT(bact_retries_used(c), 1);
    CHECK_INT(IO.slept, 2000);
    /* retries used up: the size error, with the size needed */
    begin(T_WHOLE);
    t_io_data(&IO, big);
    t_io_data(&IO, big);
    c = mk(1024, "http://h", 1);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, &status), BACT_E_BODY_SIZE);
    CHECK_INT(bact_needed(c), 2000);
    CHECK_INT(bact_retries_used(c), 1);
}

static void no_retry_for_400(void)
{
    static const char *const final[] = { "400 Bad Request", "401 Unauthorized",
                                         "404 Not Found", "500 Internal",
                                         "302 Found", "300 Multiple Choices" };
    size_t i;
    for (i = 0; i < sizeof final / sizeof final[0]; i++) {
        bact_client *c;
        int status = 0;
        begin(T_WHOLE);
        t_io_data(&IO, resp(final[i], "", ""));
        t_io_add(&IO, T_NOTHING, NULL, 0);
        t_io_data(&IO, resp("200 OK", "", "{}"));
        c = mk(1024, "http://h", 2);
        CHECK_INT(bact_request(c, &GET, NULL, NULL, &status), BACT_E_API);
        CHECK_INT(status, atoi(final[i]));
        CHECK_INT(bact_retries_used(c), 0);
        CHECK_INT(IO.sleeps, 0);
        CHECK_INT(IO.opens, 1);
    }
}

static void retries_zero(void)
{
    bact_client *c;
    begin(T_WHOLE);
    t_io_data(&IO, resp("503 Service Unavailable", "", ""));
    t_io_add(&IO, T_NOTHING, NULL, 0);
    t_io_data(&IO, resp("200 OK", "", "{}"));
    c = mk(1024, "http://h", 0);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_E_API);
    CHECK_INT(IO.sleeps, 0);

    begin(T_WHOLE);
    t_io_add(&IO, T_ERROR, NULL, (size_t)(long)BACT_E_NET);
    t_io_data(&IO, resp("200 OK", "", "{}"));
    c = mk(1024, "http://h", 0);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_E_NET);
    CHECK_INT(IO.opens, 1);

    begin(T_WHOLE);
    W.fail_opens = 1;
    W.fail_rc = BACT_E_CONNECT;
    t_io_data(&IO, resp("200 OK", "", "{}"));
    c = mk(1024, "http://h", 0);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_E_CONNECT);
    CHECK_INT(IO.opens, 1);
}

static void get_retried_after_failures(void)
{
    bact_client *c;
    /* reset, early close, timeout: an idempotent call tries again */
    begin(T_WHOLE);
    t_io_add(&IO, T_ERROR, NULL, (size_t)(long)BACT_E_NET);
    t_io_data(&IO, "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n{");
    t_io_add(&IO, T_CLOSE, NULL, 0);
    t_io_data(&IO, "HTTP/1.1 200 OK\r\n");
    t_io_add(&IO, T_END, NULL, 0);
    t_io_data(&IO, resp("200 OK", "", "{\"ok\":1}"));
    c = mk(1024, "http://h", 3);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_OK);
    CHECK_STR(body_str(c), "{\"ok\":1}");
    CHECK_INT(bact_retries_used(c), 3);
    CHECK_INT(IO.opens, 4);
    CHECK_INT(IO.closes, 3);
    /* DNS failures too */
    begin(T_WHOLE);
    W.fail_opens = 2;
    W.fail_rc = BACT_E_DNS;
    t_io_data(&IO, resp("200 OK", "", "{}"));
    c = mk(1024, "http://h", 2);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_OK);
    CHECK_INT(bact_retries_used(c), 2);
}

static void post_not_retried_once_sent(void)
{
    bact_run_req rr;
    bact_task_created t;
    bact_client *c;
    static const uint8_t body[] = "{}";
    bact_http_req post = { "POST", "/p", NULL, 0, body, 2, NULL, 0 };

    memset(&rr, 0, sizeof rr);
    rr.workflow_id = "16217357109956214";
    begin(T_WHOLE);
    t_io_add(&IO, T_ERROR, NULL, (size_t)(long)BACT_E_NET);
    t_io_data(&IO, resp("200 OK", "", "{\"id\":\"1\"}"));
    c = mk(1024, "http://h", 2);
    CHECK_INT(bact_run_task(c, &rr, &t), BACT_E_NET);
    CHECK_INT(count_runs(), 1);
    CHECK_INT(IO.sleeps, 0);
    CHECK_INT(bact_retries_used(c), 0);

    /* timeout and early close likewise */
    begin(T_WHOLE);
    t_io_add(&IO, T_END, NULL, 0);
    t_io_data(&IO, resp("200 OK", "", "{\"id\":\"1\"}"));
    c = mk(1024, "http://h", 2);
    CHECK_INT(bact_request(c, &post, NULL, NULL, NULL), BACT_E_TIMEOUT);
    CHECK_INT(IO.opens, 1);
    begin(T_WHOLE);
    t_io_data(&IO, "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n{");
    t_io_add(&IO, T_CLOSE, NULL, 0);
    t_io_data(&IO, resp("200 OK", "", "{\"id\":\"1\"}"));
    c = mk(1024, "http://h", 2);
    CHECK_INT(bact_request(c, &post, NULL, NULL, NULL), BACT_E_CLOSED);
    CHECK_INT(IO.opens, 1);
    /* 502 / 504 may have reached the backend: not retried for a POST */
    begin(T_WHOLE);
    t_io_data(&IO, resp("502 Bad Gateway", "", ""));
    t_io_add(&IO, T_NOTHING, NULL, 0);
    t_io_data(&IO, resp("200 OK", "", "{\"id\":\"1\"}"));
    c = mk(1024, "http://h", 2);
    CHECK_INT(bact_run_task(c, &rr, &t), BACT_E_API);
    CHECK_INT(bact_last_error(c)->http_status, 502);
    CHECK_INT(bact_retries_used(c), 0);
}

/* A transport that reports a failure after the request went out with a
 * code that, from open(), means nothing reached the server (DNS,
 * CONNECT): the request may have been taken all the same, so a run is
 * not sent again (a GET still is). */
static void post_not_retried_on_connect_code_after_send(void)
{
    static const int codes[] = { BACT_E_CONNECT, BACT_E_DNS };
    bact_run_req rr;
    bact_task_created t;
    bact_client *c;
    size_t i;

    memset(&rr, 0, sizeof rr);
    rr.workflow_id = "16217357109956214";
    for (i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        begin(T_WHOLE);
        t_io_add(&IO, T_FAIL, NULL, (size_t)(long)codes[i]);
        t_io_data(&IO, resp("200 OK", "", "{\"id\":\"1\"}"));
        c = mk(1024, "http://h", 2);
        CHECK_INT(bact_run_task(c, &rr, &t), codes[i]);
        CHECK_INT(count_runs(), 1);
        CHECK_STR(t.id, "");
        CHECK_INT(bact_request_sent(c), 1);
        /* a GET is retried */
        begin(T_WHOLE);
        t_io_add(&IO, T_FAIL, NULL, (size_t)(long)codes[i]);
        t_io_data(&IO, resp("200 OK", "", "{}"));
        c = mk(1024, "http://h", 2);
        CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_OK);
        CHECK_INT(bact_retries_used(c), 1);
    }
}

/* A send that fails once 64 bytes went out (the server reset the
 * stream): the answer the server sent before that is still read. */
static int32_t reset_send(void *p, const uint8_t *d, size_t n, uint32_t t)
{
    t_io *io = (t_io *)p;
    if (io->sent_len >= 64u) {
        io->sends++;
        return BACT_E_NET;
    }
    return W.base.send(p, d, n < 64u - io->sent_len ? n : 64u - io->sent_len,
                       t);
}

static void early_answer_read_after_send_fails(void)
{
    bact_run_req rr;
    bact_task_created t;
    bact_client *c;

    memset(&rr, 0, sizeof rr);
    rr.workflow_id = "16217357109956214";
    /* a 401 sent before the server reset the stream: reported as the
     * server's answer, not as a network error, and not retried */
    begin(T_WHOLE);
    CTR.send = reset_send;
    t_io_data(&IO, resp("401 Unauthorized", "",
                        "{\"code\":401,\"msg\":\"bad key\",\"data\":null}"));
    t_io_add(&IO, T_ERROR, NULL, (size_t)(long)BACT_E_NET);
    c = mk(1024, "http://h", 2);
    CHECK_INT(bact_run_task(c, &rr, &t), BACT_E_API);
    CHECK_INT(bact_last_error(c)->http_status, 401);
    CHECK_INT(bact_last_error(c)->code, 401);
    CHECK_STR(bact_last_error(c)->msg, "bad key");
    CHECK_INT(IO.sent_len, 64);
    CHECK_INT(IO.sends, 2);
    CHECK_INT(IO.opens, 1);
    CHECK_INT(IO.closes, 1);
    CHECK_INT(bact_request_sent(c), 1);
    CHECK_INT(bact_retries_used(c), 0);
    /* a 413 likewise, in every delivery mode */
    {
        int mode;
        for (mode = T_WHOLE; mode <= T_GAPS; mode++) {
            begin(mode);
            CTR.send = reset_send;
            t_io_data(&IO, resp("413 Content Too Large", "", ""));
            t_io_add(&IO, T_ERROR, NULL, (size_t)(long)BACT_E_NET);
            c = mk(1024, "http://h", 0);
            CHECK_MODE(bact_run_task(c, &rr, &t) == BACT_E_API, mode);
            CHECK_MODE(bact_last_error(c)->http_status == 413, mode);
        }
    }
    /* only part of an answer before the reset: the send's error stands */
    begin(T_WHOLE);
    CTR.send = reset_send;
    t_io_data(&IO, "HTTP/1.1 401 Unauthorized\r\nContent-Len");
    t_io_add(&IO, T_ERROR, NULL, (size_t)(long)BACT_E_NET);
    c = mk(1024, "http://h", 0);
    CHECK_INT(bact_run_task(c, &rr, &t), BACT_E_NET);
    CHECK_INT(bact_last_error(c)->http_status, 0);
    /* nothing before the reset: the send's error, at once */
    begin(T_WHOLE);
    CTR.send = reset_send;
    t_io_add(&IO, T_ERROR, NULL, (size_t)(long)BACT_E_NET);
    c = mk(1024, "http://h", 0);
    CHECK_INT(bact_run_task(c, &rr, &t), BACT_E_NET);
    CHECK_INT(IO.recvs, 2); /* the keep-alive probe's, then the read */
    CHECK_INT(IO.slept, 0);
}

static void post_retried_when_not_taken(void)
{
    bact_run_req rr;
    bact_task_created t;
    bact_client *c;
    char first[1024];

    memset(&rr, 0, sizeof rr);
    rr.workflow_id = "16217357109956214";
    /* 503: the server refused it */
    begin(T_WHOLE);
    t_io_data(&IO, resp("503 Service Unavailable", "", ""));
    t_io_add(&IO, T_NOTHING, NULL, 0);
    t_io_data(&IO, resp("200 OK", "", "{\"id\":\"16429034742537847\"}"));
    c = mk(1024, "http://h", 2);
    CHECK_INT(bact_run_task(c, &rr, &t), BACT_OK);
    CHECK_STR(t.id, "16429034742537847");
    CHECK_INT(bact_retries_used(c), 1);
    /* the request was sent twice, identical */
    {
        const char *s = sent();
        size_t half = IO.sent_len / 2u;
        CHECK(IO.sent_len % 2u == 0);
        memcpy(first, s, half < sizeof first ? half : sizeof first);
        CHECK(half < sizeof first && memcmp(first, s + half, half) == 0);
    }
    /* 429 too */
    begin(T_WHOLE);
    t_io_data(&IO, resp("429 Too Many Requests", "Retry-After: 1\r\n", ""));
    t_io_add(&IO, T_NOTHING, NULL, 0);
    t_io_data(&IO, resp("200 OK", "", "{\"id\":\"2\"}"));
    c = mk(1024, "http://h", 2);
    CHECK_INT(bact_run_task(c, &rr, &t), BACT_OK);
    CHECK_STR(t.id, "2");
    CHECK_INT(IO.slept, 1000);
    /* the connection could not be opened: nothing was sent */
    begin(T_WHOLE);
    W.fail_opens = 1;
    W.fail_rc = BACT_E_CONNECT;
    t_io_data(&IO, resp("200 OK", "", "{\"id\":\"3\"}"));
    c = mk(1024, "http://h", 2);
    CHECK_INT(bact_run_task(c, &rr, &t), BACT_OK);
    CHECK_STR(t.id, "3");
    CHECK_INT(IO.opens, 2);
    CHECK_INT(bact_retries_used(c), 1);
    CHECK_INT(IO.sleeps, 1);
    /* nor when opening it failed with a network error or timed out */
    {
        static const int open_rc[] = { BACT_E_NET, BACT_E_TIMEOUT };
        size_t i;
        for (i = 0; i < 2u; i++) {
            begin(T_WHOLE);
            W.fail_opens = 1;
            W.fail_rc = open_rc[i];
            t_io_data(&IO, resp("200 OK", "", "{\"id\":\"4\"}"));
            c = mk(1024, "http://h", 2);
            CHECK_INT(bact_run_task(c, &rr, &t), BACT_OK);
            CHECK_STR(t.id, "4");
            CHECK_INT(IO.opens, 2);
            CHECK_INT(count_runs(), 1);
        }
    }
}

/* A TLS failure is no passing network fault: not retried, even for a GET
 * that nothing was sent of. */
static void tls_error_not_retried(void)
{
    bact_client *c;
    begin(T_WHOLE);
    W.fail_opens = 1;
    W.fail_rc = BACT_E_TLS;
    t_io_data(&IO, resp("200 OK", "", "{}"));
    c = mk(1024, "http://h", 2);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_E_TLS);
    CHECK_INT(IO.opens, 1);
    CHECK_INT(bact_retries_used(c), 0);
    CHECK_INT(IO.sleeps, 0);
}

static void open_failure_exhausts(void)
{
    bact_client *c;
    int status = 7;
    begin(T_WHOLE);
    IO.open_rc = BACT_E_CONNECT;
    c = mk(1024, "http://h", 2);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, &status), BACT_E_CONNECT);
    CHECK_INT(IO.opens, 3);
    CHECK_INT(IO.sends, 0);
    CHECK_INT(IO.sleeps, 2);
    CHECK_INT(bact_retries_used(c), 2);
    CHECK_INT(status, 0);
    /* an open() that returns something odd is a connect failure */
    begin(T_WHOLE);
    IO.open_rc = 5;
    c = mk(1024, "http://h", 0);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_E_CONNECT);
    begin(T_WHOLE);
    IO.open_rc = BACT_E_TLS;
    c = mk(1024, "http://h", 0);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_E_TLS);
}

/* After a 503 the retry cannot connect: that attempt got no answer, so
 * the status reported must not be the earlier 503. */
static void status_not_stale_after_retry(void)
{
    bact_client *c;
    int status = 0;
    begin(T_WHOLE);
    t_io_data(&IO, resp("503 Service Unavailable", "Connection: close\r\n", ""));
    W.fail_after = 1; /* the second open fails */
    W.fail_opens = 1;
    W.fail_rc = BACT_E_CONNECT;
    c = mk(1024, "http://h", 1);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, &status), BACT_E_CONNECT);
    CHECK_INT(IO.opens, 2);
    CHECK_INT(bact_last_error(c)->http_status, 0);
    CHECK_INT(status, 0);
}

/* ------------------------------------------------------------------ */
/* Buffer limits                                                        */
/* ------------------------------------------------------------------ */

static char body300[301];
static char body256[257];
static char body5000[5001];
static char script[12288];

static void fill(char *b, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        b[i] = (char)('a' + (char)(i % 26u));
    b[n] = '\0';
}

/* hex chunked encoding of body in chunks of step bytes */
static const char *chunked(const char *headers, const char *body, size_t step)
{
    size_t o = 0, i, n = strlen(body);
    o += (size_t)snprintf(script + o, sizeof script - o,
                          "HTTP/1.1 200 OK\r\n%sTransfer-Encoding: chunked\r\n\r\n",
                          headers);
    for (i = 0; i < n; i += step) {
        size_t k = n - i < step ? n - i : step;
        o += (size_t)snprintf(script + o, sizeof script - o, "%x\r\n%.*s\r\n",
                              (unsigned)k, (int)k, body + i);
    }
    snprintf(script + o, sizeof script - o, "0\r\n\r\n");
    return script;
}

static void body_larger_than_buffer(void)
{
    char cl[512];
    fill(body300, 300);
    /* known in advance: refused at the headers */
    snprintf(cl, sizeof cl, "HTTP/1.1 200 OK\r\nContent-Length: 300\r\n\r\n%s",
             body300);
    all_modes(__FILE__, __LINE__, cl, 256, BACT_E_BODY_SIZE, 200, NULL);
    {
        outcome o;
        get_once(T_BYTES, cl, 256, &o);
        CHECK_INT(o.needed, 300);
        CHECK_INT(o.closes, 1);
    }
    /* chunked, no length: found out while reading */
    all_modes(__FILE__, __LINE__, chunked("", body300, 100), 256,
              BACT_E_BODY_SIZE, 200, NULL);
    {
        int mode;
        for (mode = T_WHOLE; mode <= T_GAPS; mode++) {
            outcome o;
            get_once(mode, chunked("", body300, 100), 256, &o);
            CHECK_MODE(o.needed > 256u && o.needed <= 300u, mode);
            CHECK_MODE(o.len == 0, mode); /* nothing half-read is offered */
        }
    }
    all_modes(__FILE__, __LINE__, chunked("", body300, 300), 256,
              BACT_E_BODY_SIZE, 200, NULL);
    all_modes(__FILE__, __LINE__, chunked("", body300, 7), 256,
              BACT_E_BODY_SIZE, 200, NULL);
    /* close-delimited */
    {
        int mode;
        snprintf(cl, sizeof cl, "HTTP/1.1 200 OK\r\n\r\n%s", body300);
        for (mode = T_WHOLE; mode <= T_GAPS; mode++) {
            bact_client *c;
            begin(mode);
            t_io_data(&IO, cl);
            t_io_add(&IO, T_CLOSE, NULL, 0);
            c = mk(256, "http://h", 0);
            CHECK_MODE(bact_request(c, &GET, NULL, NULL, NULL) == BACT_E_BODY_SIZE,
                       mode);
            /* no length: what had come when it no longer fit (bact.h) */
            CHECK_MODE(bact_needed(c) > 256u && bact_needed(c) <= 300u, mode);
        }
    }
    /* an error body too large is refused as well (not a truncated error) */
    snprintf(cl, sizeof cl, "HTTP/1.1 400 Bad\r\nContent-Length: 300\r\n\r\n%s",
             body300);
    all_modes(__FILE__, __LINE__, cl, 256, BACT_E_BODY_SIZE, 400, NULL);
}

static void body_exact_fit(void)
{
    char cl[512];
    int mode;
    fill(body256, 256);
    snprintf(cl, sizeof cl, "HTTP/1.1 200 OK\r\nContent-Length: 256\r\n\r\n%s",
             body256);
    all_modes(__FILE__, __LINE__, cl, 256, BACT_OK, 200, body256);
    all_modes(__FILE__, __LINE__, chunked("", body256, 100), 256, BACT_OK, 200,
              body256);
    all_modes(__FILE__, __LINE__, chunked("X-A: b\r\n", body256, 1), 256,
              BACT_OK, 200, body256);
    all_modes(__FILE__, __LINE__, chunked("", body256, 256), 256, BACT_OK, 200,
              body256);
    snprintf(cl, sizeof cl, "HTTP/1.1 200 OK\r\n\r\n%s", body256);
    for (mode = T_WHOLE; mode <= T_GAPS; mode++) {
        bact_client *c;
        size_t n;
        begin(mode);
        t_io_data(&IO, cl);
        t_io_add(&IO, T_CLOSE, NULL, 0);
        c = mk(256, "http://h", 0);
        CHECK_MODE(bact_request(c, &GET, NULL, NULL, NULL) == BACT_OK, mode);
        CHECK_MODE(bact_body(c, &n) != NULL && n == 256, mode);
    }
    /* one byte more does not fit */
    fill(body300, 257);
    all_modes(__FILE__, __LINE__, chunked("", body300, 100), 256,
              BACT_E_BODY_SIZE, 200, NULL);
    /* a Content-Length one byte over is refused by the head alone: no
     * wait for a body that cannot fit */
    begin(T_WHOLE);
    t_io_data(&IO, "HTTP/1.1 200 OK\r\nContent-Length: 257\r\n\r\n");
    t_io_add(&IO, T_END, NULL, 0);
    {
        bact_client *c = mk(256, "http://h", 0);
        uint32_t t0 = IO.now;
        CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_E_BODY_SIZE);
        CHECK_INT(bact_needed(c), 257);
        CHECK_INT(IO.now - t0, 0);
    }
}

static void streaming_sink(void)
{
    static char cl[6000];
    int mode, framing;
    fill(body5000, 5000);
    snprintf(cl, sizeof cl, "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n%s",
             body5000);
    for (framing = 0; framing < 2; framing++) {
        for (mode = T_WHOLE; mode <= T_GAPS; mode++) {
            bact_config cfg;
            bact_client *c;
            int status = 0;
            begin(mode);
            t_io_data(&IO, framing == 0 ? cl : chunked("", body5000, 700));
            cfg_init(&cfg, 256, "http://h", 0);
            cfg.attempt_ms = 100000; /* T_GAPS spends 1 ms per byte */
            c = mk_cfg(&cfg);
            memset(&SINK, 0, sizeof SINK);
            CHECK_MODE(bact_request(c, &GET, sink, &SINK, &status) == BACT_OK,
                       mode);
            CHECK_MODE(status == 200, mode);
            CHECK_MODE(SINK.len == 5000, mode);
            CHECK_MODE(memcmp(SINK.data, body5000, 5000) == 0, mode);
            CHECK_MODE(SINK.calls >= 5000u / 256u, mode);
            CHECK_MODE(SINK.biggest <= 256, mode);
        }
    }
    /* a non-2xx answer is not streamed: it is buffered for the error */
    begin(T_WHOLE);
    t_io_data(&IO, resp("400 Bad Request", "", "{\"code\":5,\"msg\":\"no\"}"));
    {
        bact_client *c = mk(256, "http://h", 0);
        memset(&SINK, 0, sizeof SINK);
        CHECK_INT(bact_request(c, &GET, sink, &SINK, NULL), BACT_E_API);
        CHECK_INT(SINK.calls, 0);
        CHECK_INT(bact_last_error(c)->code, 5);
    }
    /* nor is a 300 (the first status past the 2xx ones) */
    begin(T_WHOLE);
    t_io_data(&IO, resp("300 Multiple Choices", "", "{\"code\":6}"));
    {
        bact_client *c = mk(256, "http://h", 0);
        int status = 0;
        memset(&SINK, 0, sizeof SINK);
        CHECK_INT(bact_request(c, &GET, sink, &SINK, &status), BACT_E_API);
        CHECK_INT(status, 300);
        CHECK_INT(SINK.calls, 0);
        CHECK_INT(bact_last_error(c)->code, 6);
    }
}

/* the sink is given body bytes only: never an empty piece, at the end
 * of the body or for an answer with none */
static void streaming_sink_calls(void)
{
    int mode;
    for (mode = T_WHOLE; mode <= T_GAPS; mode++) {
        bact_client *c;
        begin(mode);
        t_io_data(&IO, resp("200 OK", "Connection: keep-alive\r\n", "abc"));
        t_io_add(&IO, T_NOTHING, NULL, 0);
        t_io_data(&IO, resp("200 OK", "", ""));
        t_io_add(&IO, T_NOTHING, NULL, 0);
        t_io_data(&IO, "HTTP/1.1 204 No Content\r\n\r\n");
        c = mk(256, "http://h", 0);
        memset(&SINK, 0, sizeof SINK);
        CHECK_MODE(bact_request(c, &GET, sink, &SINK, NULL) == BACT_OK, mode);
        CHECK_MODE(SINK.len == 3 && memcmp(SINK.data, "abc", 3) == 0, mode);
        /* one piece whole, one per byte in the other modes */
        CHECK_MODE(SINK.calls == (mode == T_WHOLE ? 1u : 3u), mode);
        memset(&SINK, 0, sizeof SINK);
        CHECK_MODE(bact_request(c, &GET, sink, &SINK, NULL) == BACT_OK, mode);
        CHECK_MODE(SINK.calls == 0, mode);
        CHECK_MODE(bact_request(c, &GET, sink, &SINK, NULL) == BACT_OK, mode);
        CHECK_MODE(SINK.calls == 0, mode);
        CHECK_MODE(IO.opens == 1, mode);
    }
}

/* the most a read into the token array asked for (once the buffer is
 * full, the framing that may still come is read there) */
static size_t tail_ask;
static unsigned tail_reads;

static int32_t tail_recv(void *io, uint8_t *buf, size_t len, uint32_t ms)
{
    if (buf == (uint8_t *)ctok) {
        tail_reads++;
        if (len > tail_ask)
            tail_ask = len;
    }
    return W.base.recv(io, buf, len, ms);
}

static void body_full_tail_reads(void)
{
    static char tail[512];
    bact_config cfg;
    bact_client *c;
    char pad[201];
    memset(pad, 'p', 200);
    pad[200] = '\0';
    fill(body256, 256);
    /* the head, a body that fills the buffer in one read (the window was
     * the whole buffer), then framing and a long trailer */
    snprintf(tail, sizeof tail, "\r\n0\r\nX-Pad: %s\r\n\r\n", pad);
    begin(T_WHOLE);
    CTR.recv = tail_recv;
    t_io_data(&IO, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                   "100\r\n");
    t_io_data(&IO, body256);
    t_io_data(&IO, tail);
    cfg_init(&cfg, 256, "http://h", 0);
    cfg.n_tokens = 4; /* the fewest: 64 bytes at least */
    c = mk_cfg(&cfg);
    tail_ask = 0;
    tail_reads = 0;
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_OK);
    CHECK_STR(body_str(c), body256);
    /* the token array's room, never more: the trailer takes many reads */
    CHECK(tail_ask > 0 && tail_ask <= 4u * sizeof(jsmntok_t));
    CHECK(tail_reads >= (strlen(tail) + tail_ask - 1u) / tail_ask);
}

static void streaming_sink_abort(void)
{
    static char cl[6000];
    bact_client *c;
    fill(body5000, 5000);
    snprintf(cl, sizeof cl, "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n%s",
             body5000);
    begin(T_WHOLE);
    t_io_data(&IO, cl);
    t_io_data(&IO, resp("200 OK", "", "{}"));
    c = mk(256, "http://h", 2);
    memset(&SINK, 0, sizeof SINK);
    SINK.stop_after = 2;
    CHECK_INT(bact_request(c, &GET, sink, &SINK, NULL), BACT_E_ABORTED);
    CHECK_INT(SINK.calls, 2);
    CHECK_INT(IO.closes, 1); /* the rest of the body is never read */
    CHECK_INT(bact_retries_used(c), 0);
    CHECK_INT(IO.opens, 1);
    /* the next call starts over on a new connection */
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_OK);
    CHECK_INT(IO.opens, 2);
    CHECK_STR(body_str(c), "{}");
}

/* A retry after part of the body already went to the sink would hand the
 * sink the start of the body a second time: the application could not
 * tell the two copies apart. Either the call fails, or the sink got the
 * body exactly once. */
static void streaming_sink_no_duplicate_on_retry(void)
{
    static char cl[6000], cut[2000];
    bact_config cfg;
    bact_client *c;
    int rc;
    fill(body5000, 5000);
    snprintf(cl, sizeof cl, "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n%s",
             body5000);
    snprintf(cut, sizeof cut, "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n%.1000s",
             body5000);
    begin(T_WHOLE);
    t_io_data(&IO, cut);
    t_io_add(&IO, T_CLOSE, NULL, 0);
    t_io_data(&IO, cl);
    cfg_init(&cfg, 256, "http://h", 2);
    c = mk_cfg(&cfg);
    memset(&SINK, 0, sizeof SINK);
    rc = bact_request(c, &GET, sink, &SINK, NULL);
    if (rc == BACT_OK) {
        CHECK_INT(SINK.len, 5000);
        CHECK(memcmp(SINK.data, body5000, 5000) == 0);
    } else {
        CHECK_INT(rc, BACT_E_CLOSED);
    }
}

static void request_larger_than_buffer(void)
{
    static char body[400];
    bact_http_req rq;
    bact_client *c;
    size_t need;
    memset(body, 'q', sizeof body);
    rq.method = "POST";
    rq.path = "/v2/workflow/run-task";
    rq.query = NULL;
    rq.n_query = 0;
    rq.body = (const uint8_t *)body;
    rq.body_len = 300;
    rq.content_type = NULL;
    rq.idempotent = 0;

    /* measure with room to spare */
    begin(T_WHOLE);
    t_io_data(&IO, resp("200 OK", "", "{}"));
    c = mk(2048, "http://api.example.com", 0);
    CHECK_INT(bact_request(c, &rq, NULL, NULL, NULL), BACT_OK);
    need = IO.sent_len;
    CHECK(need > 300u + 100u);

    /* exact fit */
    begin(T_WHOLE);
    t_io_data(&IO, resp("200 OK", "", "{}"));
    c = mk(need, "http://api.example.com", 0);
    CHECK_INT(bact_request(c, &rq, NULL, NULL, NULL), BACT_OK);
    CHECK_INT(IO.sent_len, need);

    /* one byte short: refused before anything is sent */
    begin(T_WHOLE);
    t_io_data(&IO, resp("200 OK", "", "{}"));
    c = mk(need - 1u, "http://api.example.com", 2);
    CHECK_INT(bact_request(c, &rq, NULL, NULL, NULL), BACT_E_BUF);
    CHECK_INT(bact_needed(c), need);
    CHECK_INT(IO.opens, 0);
    CHECK_INT(IO.sends, 0);
    CHECK_INT(IO.sleeps, 0);

    /* a much smaller buffer reports the same size */
    begin(T_WHOLE);
    c = mk(256, "http://api.example.com", 0);
    CHECK_INT(bact_request(c, &rq, NULL, NULL, NULL), BACT_E_BUF);
    CHECK_INT(bact_needed(c), need);

#if SIZE_MAX > 0xFFFFFFFFu
    /* a body of 2^32 - 1 bytes is measured (the buffer is too small for
     * it); one of 2^32 cannot be announced in 32 bits and is refused.
     * Neither is read */
    begin(T_WHOLE);
    c = mk(256, "http://api.example.com", 0);
    rq.body_len = 0xFFFFFFFFu;
    CHECK_INT(bact_request(c, &rq, NULL, NULL, NULL), BACT_E_BUF);
    CHECK(bact_needed(c) > 0xFFFFFFFFu);
    rq.body_len = (size_t)0xFFFFFFFFu + 1u;
    CHECK_INT(bact_request(c, &rq, NULL, NULL, NULL), BACT_E_ARG);
    CHECK_INT(IO.sends, 0);
    rq.body_len = 300;
#endif

    /* the JSON writer's size is exact as well (run-task) */
    {
        bact_run_req rr;
        bact_param p = { "query", body300 };
        bact_task_created t;
        fill(body300, 300);
        memset(&rr, 0, sizeof rr);
        rr.workflow_id = "16217357109956214";
        rr.params = &p;
        rr.n_params = 1;
        begin(T_WHOLE);
        t_io_data(&IO, resp("200 OK", "", "{\"id\":\"1\"}"));
        c = mk(4096, "http://api.example.com", 0);
        CHECK_INT(bact_run_task(c, &rr, &t), BACT_OK);
        need = IO.sent_len;
        begin(T_WHOLE);
        t_io_data(&IO, resp("200 OK", "", "{\"id\":\"1\"}"));
        c = mk(need, "http://api.example.com", 0);
        CHECK_INT(bact_run_task(c, &rr, &t), BACT_OK);
        CHECK_STR(t.id, "1");
        begin(T_WHOLE);
        c = mk(need - 1u, "http://api.example.com", 0);
        CHECK_INT(bact_run_task(c, &rr, &t), BACT_E_BUF);
        CHECK_INT(bact_needed(c), need);
        CHECK_INT(IO.sends, 0);
    }
}

/* ------------------------------------------------------------------ */
/* After an error                                                       */
/* ------------------------------------------------------------------ */

static void fresh_connection_after_error(void)
{
    static char cl[512];
    bact_client *c;
    fill(body300, 300);
    snprintf(cl, sizeof cl, "HTTP/1.1 200 OK\r\nContent-Length: 300\r\n\r\n%s",
             body300);
    begin(T_WHOLE);
    /* 1: fine, kept alive */
    t_io_data(&IO, resp("200 OK", "", "{}"));
    t_io_add(&IO, T_NOTHING, NULL, 0);
    /* 2: stalls -> timeout */
    t_io_data(&IO, "HTTP/1.1 200 OK\r\n");
    t_io_add(&IO, T_END, NULL, 0);
    /* 3: too large -> body size */
    t_io_data(&IO, cl);
    /* 4: malformed -> http */
    t_io_data(&IO, "HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n");
    /* 5: cut -> closed */
    t_io_data(&IO, "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n{");
    t_io_add(&IO, T_CLOSE, NULL, 0);
    /* 6: a reset */
    t_io_add(&IO, T_ERROR, NULL, (size_t)(long)BACT_E_NET);
    /* 7: fine */
    t_io_data(&IO, resp("200 OK", "", "{\"last\":1}"));
    c = mk(256, "http://h", 0);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_OK);
    CHECK_INT(IO.opens, 1);
    CHECK_INT(IO.closes, 0);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_E_TIMEOUT);
    CHECK_INT(IO.closes, 1);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_E_BODY_SIZE);
    CHECK_INT(IO.opens, 2);
    CHECK_INT(IO.closes, 2);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_E_HTTP);
    CHECK_INT(IO.opens, 3);
    CHECK_INT(IO.closes, 3);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_E_CLOSED);
    CHECK_INT(IO.opens, 4);
    CHECK_INT(IO.closes, 4);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_E_NET);
    CHECK_INT(IO.opens, 5);
    CHECK_INT(IO.closes, 5);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_OK);
    CHECK_INT(IO.opens, 6);
    CHECK_STR(body_str(c), "{\"last\":1}");
    CHECK_INT(IO.is_open, 1);
}

/* ------------------------------------------------------------------ */
/* Trace                                                                */
/* ------------------------------------------------------------------ */

static char trace_log[2048];
static size_t trace_len;

static void tracer(void *user, int ev, const char *text, size_t len)
{
    (void)user;
    trace_len += (size_t)snprintf(trace_log + trace_len,
                                  sizeof trace_log - trace_len, "%d:%.*s|", ev,
                                  (int)len, text);
}

static void trace_events(void)
{
    bact_config cfg;
    bact_client *c;
    begin(T_WHOLE);
    t_io_data(&IO, resp("503 Service Unavailable", "Retry-After: 3\r\n", ""));
    t_io_add(&IO, T_NOTHING, NULL, 0);
    t_io_data(&IO, resp("200 OK", "", "{}"));
    cfg_init(&cfg, 1024, "http://api.example.com:81", 2);
    cfg.trace = tracer;
    trace_len = 0;
    trace_log[0] = '\0';
#if !BACT_CONFIG_TRACE
    { /* a build without trace refuses the callback, and works without */
        bact_client nc;
        cfg.trace = NULL;
        c = mk_cfg(&cfg);
        cfg.trace = tracer;
        CHECK_INT(bact_init(&nc, &cfg), BACT_E_UNSUPPORTED);
        CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_OK);
        CHECK_INT(bact_retries_used(c), 1);
        return;
    }
#endif
    c = mk_cfg(&cfg);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_OK);
    CHECK_STR(trace_log, "1:GET /v1/x HTTP/1.1|4:api.example.com|2:HTTP/1.1 503|"
                         "3:retry 1/2 in 3000 ms after HTTP 503|"
                         "1:GET /v1/x HTTP/1.1|2:HTTP/1.1 200|");
}

/* each byte sent counts as activity: a slow sender that keeps making
 * progress is not cut off by the inactivity limit */
static int32_t slow_send(void *io, const uint8_t *b, size_t n,
                         uint32_t timeout_ms)
{
    IO.now += 600u;
    return W.base.send(io, b, n, timeout_ms);
}

static void slow_send_is_activity(void)
{
    bact_client *c;
    begin(T_WHOLE);
    CTR.send = slow_send;
    IO.send_max = 30;
    t_io_data(&IO, resp("200 OK", "", "{}"));
    c = mk(1024, "http://api.example.com", 0);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_OK);
    CHECK(IO.sends >= 3u);
}

static void *trace_user_seen;
static void tracer_user(void *user, int ev, const char *text, size_t len)
{
    trace_user_seen = user;
    tracer(NULL, ev, text, len);
}

/* the trace callback gets the configured user pointer; a retry after an
 * error that is no HTTP status names the error */
static void trace_retry_after_error(void)
{
    static int marker;
    bact_config cfg;
    bact_client *c;
    const char *r;
    begin(T_WHOLE);
    t_io_add(&IO, T_END, NULL, 0);
    t_io_data(&IO, resp("200 OK", "", "{}"));
    cfg_init(&cfg, 1024, "http://h", 1);
    cfg.trace = tracer_user;
    cfg.trace_user = &marker;
    trace_len = 0;
    trace_log[0] = '\0';
    trace_user_seen = NULL;
#if !BACT_CONFIG_TRACE
    return;
#endif
    c = mk_cfg(&cfg);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_OK);
    CHECK(trace_user_seen == (void *)&marker);
    r = strstr(trace_log, "|3:retry 1/1 in ");
    CHECK(r != NULL);
    if (r != NULL) {
        r = strchr(r + 1, '|');
        CHECK(r != NULL && r - 19 > trace_log &&
              strncmp(r - 19, " ms after timed out", 19) == 0);
    }
}

static void error_texts(void)
{
    int e;
#if !BACT_CONFIG_ERROR_STRINGS
    for (e = 1; e >= BACT_E_UNSUPPORTED - 1; e--)
        CHECK_STR(bact_strerror(e), "");
    CHECK_STR(bact_strerror(-1000000), "");
    return;
#endif
    CHECK_STR(bact_strerror(BACT_OK), "success");
    CHECK_STR(bact_strerror(BACT_E_ARG), "invalid argument");
    CHECK_STR(bact_strerror(BACT_E_TIMEOUT), "timed out");
    CHECK_STR(bact_strerror(BACT_E_API), "API error");
    CHECK_STR(bact_strerror(BACT_E_UNSUPPORTED), "not supported");
    CHECK_STR(bact_strerror(1), "unknown error");
    CHECK_STR(bact_strerror(BACT_E_UNSUPPORTED - 1), "unknown error");
    CHECK_STR(bact_strerror(-1000000), "unknown error");
    for (e = BACT_OK; e >= BACT_E_UNSUPPORTED; e--) {
        const char *s = bact_strerror(e);
        CHECK(s != NULL && s[0] != '\0' && strcmp(s, "unknown error") != 0);
        if (e < BACT_OK)
            CHECK(strcmp(s, bact_strerror(e + 1)) != 0);
    }
}

/* ------------------------------------------------------------------ */
/* Edges of the driver                                                  */
/* ------------------------------------------------------------------ */

/* each call has the whole retry budget, whatever the one before used */
static void retry_budget_per_call(void)
{
    bact_client *c;
    begin(T_WHOLE);
    t_io_data(&IO, resp("503 Service Unavailable", "", ""));
    t_io_add(&IO, T_NOTHING, NULL, 0);
    t_io_data(&IO, resp("200 OK", "", "{}"));
    t_io_add(&IO, T_NOTHING, NULL, 0);
    t_io_data(&IO, resp("503 Service Unavailable", "", ""));
    t_io_add(&IO, T_NOTHING, NULL, 0);
    t_io_data(&IO, resp("200 OK", "", "{\"n\":2}"));
    c = mk(1024, "http://h", 1);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_OK);
    CHECK_INT(bact_retries_used(c), 1);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_OK);
    CHECK_INT(bact_retries_used(c), 1);
    CHECK_STR(body_str(c), "{\"n\":2}");
}

/* 505 is no gateway's busy answer: not retried, an idempotent call
 * either */
static void no_retry_on_505(void)
{
    bact_client *c;
    int status = 0;
    begin(T_WHOLE);
    t_io_data(&IO, resp("505 HTTP Version Not Supported", "", ""));
    t_io_add(&IO, T_NOTHING, NULL, 0);
    t_io_data(&IO, resp("200 OK", "", "{}"));
    c = mk(1024, "http://h", 2);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, &status), BACT_E_API);
    CHECK_INT(status, 505);
    CHECK_INT(bact_retries_used(c), 0);
    CHECK_INT(IO.opens, 1);
}

static size_t sunk;
static int count_sink(void *user, const uint8_t *b, size_t n)
{
    (void)user;
    (void)b;
    sunk += n;
    return 0;
}

/* any 2xx status is success, 299 too: its body goes to the sink */
static void status_299_is_success(void)
{
    bact_client *c;
    int status = 0;
    begin(T_WHOLE);
    t_io_data(&IO, resp("299 Odd", "", "abc"));
    t_io_add(&IO, T_NOTHING, NULL, 0);
    t_io_data(&IO, resp("299 Odd", "", "abcd"));
    c = mk(1024, "http://h", 0);
    sunk = 0;
    CHECK_INT(bact_request(c, &GET, count_sink, NULL, &status), BACT_OK);
    CHECK_INT(status, 299);
    CHECK_INT(sunk, 3);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, &status), BACT_OK);
    CHECK_STR(body_str(c), "abcd");
    CHECK_INT(sunk, 3);
}

/* the status and bact_needed() are the call's own: a call refused before
 * anything was sent reports no status; a call after one whose answer did
 * not fit needs nothing */
static void status_and_needed_per_call(void)
{
    bact_http_req bad = { "get", "/v1/x", NULL, 0, NULL, 0, NULL, 1 };
    bact_client *c;
    int status = -1;
    begin(T_WHOLE);
    t_io_data(&IO, resp("200 OK", "", "{}"));
    t_io_add(&IO, T_NOTHING, NULL, 0);
    t_io_data(&IO, "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n");
    t_io_data(&IO, resp("200 OK", "", "{}"));
    c = mk(1024, "http://h", 0);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, &status), BACT_OK);
    CHECK_INT(status, 200);
    CHECK_INT(bact_request(c, &bad, NULL, NULL, &status), BACT_E_ARG);
    CHECK_INT(status, 0);
    CHECK_INT(bact_request_sent(c), 0);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, &status), BACT_E_BODY_SIZE);
    CHECK_INT(bact_needed(c), 5000);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, &status), BACT_OK);
    CHECK_INT(bact_needed(c), 0);
}

/* bact_request() argument checks: a missing body must be empty; a
 * method is upper-case letters and '-', its first byte too */
static void request_argument_edges(void)
{
    static const char *const bad[] = { "gET", "1ET", "G T", "" };
    static const char *const good[] = { "BAZ", "Z", "M-SEARCH" };
    bact_http_req rq = { "POST", "/v1/x", NULL, 0, NULL, 1, NULL, 0 };
    bact_client *c;
    size_t i;
    begin(T_WHOLE);
    c = mk(1024, "http://h", 0);
    CHECK_INT(bact_request(c, &rq, NULL, NULL, NULL), BACT_E_ARG);
    CHECK_INT(IO.opens, 0);
    rq.body_len = 0;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        rq.method = bad[i];
        CHECK_INT(bact_request(c, &rq, NULL, NULL, NULL), BACT_E_ARG);
    }
    CHECK_INT(IO.opens, 0);
    for (i = 0; i < sizeof good / sizeof good[0]; i++) {
        begin(T_WHOLE);
        t_io_data(&IO, resp("200 OK", "", "{}"));
        c = mk(1024, "http://h", 0);
        rq.method = good[i];
        CHECK_INT(bact_request(c, &rq, NULL, NULL, NULL), BACT_OK);
        CHECK(strncmp(sent(), good[i], strlen(good[i])) == 0);
    }
}

/* a content type of BACT__STR_MAX - 1 bytes is the longest taken */
static void content_type_length(void)
{
    static char type[BACT__STR_MAX + 1u];
    static const uint8_t body[] = "x";
    bact_http_req rq = { "POST", "/v1/x", NULL, 0, body, 1, type, 0 };
    bact_client *c;
    memset(type, 'a', sizeof type - 1u);
    type[BACT__STR_MAX] = '\0';
    begin(T_WHOLE);
    c = mk(1024, "http://h", 0);
    CHECK_INT(bact_request(c, &rq, NULL, NULL, NULL), BACT_E_ARG);
    type[BACT__STR_MAX - 1u] = '\0';
    CHECK_INT(bact_request(c, &rq, NULL, NULL, NULL), BACT_E_BUF);
    CHECK_INT(IO.opens, 0);
}

/* bact_init() edges: a one-byte User-Agent; the largest token count */
static void init_edges(void)
{
    bact_config cfg;
    bact_client c2;
    begin(T_WHOLE);
    t_io_data(&IO, resp("200 OK", "", "{}"));
    cfg_init(&cfg, 1024, "http://h", 0);
    cfg.user_agent = "u";
    (void)mk_cfg(&cfg);
    CHECK_INT(bact_request(&CL, &GET, NULL, NULL, NULL), BACT_OK);
    CHECK(strstr(sent(), "\r\nUser-Agent: u\r\n") != NULL);
    cfg.n_tokens = 0x7FFFFFFFu;
    CHECK_INT(bact_init(&c2, &cfg), BACT_OK);
    cfg.n_tokens = 0x80000000u;
    CHECK_INT(bact_init(&c2, &cfg), BACT_E_ARG);
    /* an inactivity limit of 2^30 ms, the least whose four times does not
     * fit 32 bits: the attempt's limit, four times it when not given,
     * saturates at the largest rather than wrapping to 0, and a call is
     * not cut short by it */
    cfg.n_tokens = 64;
    cfg.timeout_ms = 0x40000000u;
    (void)mk_cfg(&cfg);
    t_io_data(&IO, resp("200 OK", "", "{}"));
    CHECK_INT(bact_request(&CL, &GET, NULL, NULL, NULL), BACT_OK);
}

/* a transport that takes one byte per send call: all of it goes out
 * once, in order */
static void send_one_byte_at_a_time(void)
{
    bact_client *c;
    begin(T_WHOLE);
    t_io_data(&IO, resp("200 OK", "", "{}"));
    IO.send_max = 1;
    c = mk(1024, "http://api.example.com", 0);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_OK);
    CHECK_STR(sent(), "GET /v1/x HTTP/1.1\r\n"
                      "Host: api.example.com\r\n"
                      "User-Agent: " BACT_USER_AGENT "\r\n"
                      "Authorization: Bearer test-key\r\n"
                      "\r\n");
}

/* bact_decode_task() reads the last answer, not one parsed before it */
static void decode_reads_the_last_answer(void)
{
    bact_task t;
    bact_task_state st;
    bact_client *c;
    begin(T_WHOLE);
    t_io_data(&IO, resp("200 OK", "",
                        "{\"id\":\"1\",\"status\":\"running\","
                        "\"created_at\":\"c\",\"workflow_id\":\"2\","
                        "\"steps\":[]}"));
    t_io_add(&IO, T_NOTHING, NULL, 0);
    /* the same bytes but the closing brace: no JSON */
    t_io_data(&IO, resp("200 OK", "",
                        "{\"id\":\"1\",\"status\":\"running\","
                        "\"created_at\":\"c\",\"workflow_id\":\"2\","
                        "\"steps\":[] "));
    c = mk(1024, "http://h", 0);
    CHECK_INT(bact_get_task_status(c, "1", &st), BACT_OK);
    CHECK_INT(bact_decode_task(c, &t), BACT_OK);
    CHECK_STR(t.id, "1");
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_OK);
    CHECK_INT(bact_decode_task(c, &t), BACT_E_JSON);
    CHECK_STR(t.id, "");
}

/* a recv that returns later than it was asked to (a blocking one that
 * overran): the inactivity limit still ends the attempt when it has
 * passed, not the whole-attempt limit */
static int32_t late_recv(void *io, uint8_t *b, size_t n, uint32_t timeout_ms)
{
    int32_t r = W.base.recv(io, b, n, timeout_ms);
    if (r == 0)
        IO.now += 700u;
    return r;
}

static void inactivity_limit_overrun(void)
{
    bact_client *c;
    uint32_t t0;
    begin(T_WHOLE);
    CTR.recv = late_recv;
    t_io_add(&IO, T_END, NULL, 0);
    c = mk(1024, "http://h", 0);
    t0 = IO.now;
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_E_TIMEOUT);
    CHECK(IO.now - t0 < 2000u);
}

/* a back-off step that doubles past the cap is capped before the jitter
 * is drawn: the wait is in [cap/2, cap], not the cap itself */
static uint32_t jitter(uint32_t d)
{
    return d / 2u + 12345u % (d / 2u + 1u); /* the harness's random */
}

static void backoff_capped_before_jitter(void)
{
    bact_config cfg;
    bact_client *c;
    uint32_t b = BACT_MAX_BACKOFF_MS / 6u * 5u;
    begin(T_WHOLE);
    t_io_data(&IO, resp("503 Service Unavailable", "", ""));
    t_io_add(&IO, T_NOTHING, NULL, 0);
    t_io_data(&IO, resp("503 Service Unavailable", "", ""));
    t_io_add(&IO, T_NOTHING, NULL, 0);
    t_io_data(&IO, resp("200 OK", "", "{}"));
    cfg_init(&cfg, 1024, "http://h", 2);
    cfg.backoff_ms = b;
    c = mk_cfg(&cfg);
    CHECK_INT(bact_request(c, &GET, NULL, NULL, NULL), BACT_OK);
    CHECK_INT(bact_retries_used(c), 2);
    CHECK_INT(IO.sleeps, 2);
    CHECK_INT(IO.slept, jitter(b) + jitter(BACT_MAX_BACKOFF_MS));
}

/* a request that runs past the buffer in its path and query: nothing is
 * written past the buffer's end (the sanitizer build checks it), and
 * bact_needed() is the request's whole size */
static void query_past_buffer_end(void)
{
    static char path[320];
    static const bact_param q[] = { { "a", "1" }, { "b", "2" } };
    bact_http_req rq = { "GET", path, q, 2, NULL, 0, NULL, 1 };
    size_t n;
    /* paths that put each byte of the query at the buffer's end in turn */
    for (n = 240; n < sizeof path; n++) {
        bact_client *c;
        size_t need;
        path[0] = '/';
        memset(path + 1, 'p', n - 1u);
        path[n] = '\0';
        begin(T_WHOLE);
        t_io_data(&IO, resp("200 OK", "", "{}"));
        c = mk(2048, "http://api.example.com", 0);
        CHECK_INT(bact_request(c, &rq, NULL, NULL, NULL), BACT_OK);
        need = IO.sent_len;
        begin(T_WHOLE);
        c = mk(256, "http://api.example.com", 0);
        CHECK_INT(bact_request(c, &rq, NULL, NULL, NULL), BACT_E_BUF);
        CHECK_INT(bact_needed(c), need);
        CHECK_INT(IO.opens, 0);
    }
}

static const t_case cases[] = {
    T_CASE(error_texts),
    T_CASE(init_argument_checks),
    T_CASE(null_client_accessors),
    T_CASE(app_connected_transport),
    T_CASE(request_get_default_port),
    T_CASE(request_nondefault_port),
    T_CASE(request_ipv6_host),
    T_CASE(request_post_and_put),
    T_CASE(request_head),
    T_CASE(request_user_agent),
    T_CASE(request_query_encoding),
    T_CASE(request_query_after_path_query),
    T_CASE(request_argument_checks),
    T_CASE(request_method_and_path_limits),
    T_CASE(request_partial_sends),
    T_CASE(modes_content_length),
    T_CASE(modes_chunked),
    T_CASE(modes_close_delimited),
    T_CASE(modes_interim_response),
    T_CASE(modes_malformed),
    T_CASE(header_limits),
    T_CASE(keepalive_reuse),
    T_CASE(connection_close_reopens),
    T_CASE(stale_connection_probe),
    T_CASE(stale_connection_unasked_bytes),
    T_CASE(stale_connection_after_send),
    T_CASE(stale_connection_408),
    T_CASE(timeout_no_answer),
    T_CASE(clock_wrap),
    T_CASE(clock_reads_per_call),
    T_CASE(attempt_deadline_trickle),
    T_CASE(early_close),
    T_CASE(network_error),
    T_CASE(transport_misbehaves),
    T_CASE(early_answer_read_after_send_fails),
    T_CASE(retry_503_then_200),
    T_CASE(sent_only_from_the_first_send),
    T_CASE(sent_across_attempts),
    T_CASE(connect_and_call_deadlines),
    T_CASE(retry_after_seconds),
    T_CASE(sleep_may_return_early),
    T_CASE(retry_after_date),
    T_CASE(retry_after_past_call_deadline),
    T_CASE(backoff_grows),
    T_CASE(retries_exhausted),
    T_CASE(no_stale_body_after_failed_retry),
    T_CASE(retry_busy_answer_too_big),
    T_CASE(no_retry_for_400),
    T_CASE(retries_zero),
    T_CASE(get_retried_after_failures),
    T_CASE(post_not_retried_once_sent),
    T_CASE(post_not_retried_on_connect_code_after_send),
    T_CASE(post_retried_when_not_taken),
    T_CASE(tls_error_not_retried),
    T_CASE(open_failure_exhausts),
    T_CASE(status_not_stale_after_retry),
    T_CASE(body_larger_than_buffer),
    T_CASE(body_exact_fit),
    T_CASE(streaming_sink),
    T_CASE(streaming_sink_calls),
    T_CASE(body_full_tail_reads),
    T_CASE(streaming_sink_abort),
    T_CASE(streaming_sink_no_duplicate_on_retry),
    T_CASE(request_larger_than_buffer),
    T_CASE(fresh_connection_after_error),
    T_CASE(retry_budget_per_call),
    T_CASE(no_retry_on_505),
    T_CASE(status_299_is_success),
    T_CASE(status_and_needed_per_call),
    T_CASE(request_argument_edges),
    T_CASE(content_type_length),
    T_CASE(init_edges),
    T_CASE(send_one_byte_at_a_time),
    T_CASE(decode_reads_the_last_answer),
    T_CASE(inactivity_limit_overrun),
    T_CASE(backoff_capped_before_jitter),
    T_CASE(query_past_buffer_end),
    T_CASE(trace_events),
    T_CASE(slow_send_is_activity),
    T_CASE(trace_retry_after_error),
};

int main(void) { return t_main("client", cases, sizeof cases / sizeof cases[0]); }
