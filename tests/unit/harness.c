/* harness.c - see harness.h */
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"

static int case_failed;
static const char *case_name;
static const char *suite_name;

void t_fail(const char *file, int line, const char *what)
{
    if (!case_failed)
        printf("not ok - %s.%s: %s:%d: %s\n", suite_name, case_name, file,
               line, what);
    else
        printf("#   also %s:%d: %s\n", file, line, what);
    case_failed = 1;
}

void t_fail_int(const char *file, int line, const char *what, long long a,
                long long b)
{
    char msg[512];
    snprintf(msg, sizeof msg, "%s (%lld != %lld)", what, a, b);
    t_fail(file, line, msg);
}

void t_fail_str(const char *file, int line, const char *what, const char *a,
                const char *b)
{
    char msg[1024];
    snprintf(msg, sizeof msg, "%s (\"%.300s\" != \"%.300s\")", what,
             a ? a : "(null)", b ? b : "(null)");
    t_fail(file, line, msg);
}

int t_main(const char *suite, const t_case *cases, size_t n)
{
    size_t i;
    unsigned pass = 0, fail = 0;
    suite_name = suite;
    for (i = 0; i < n; i++) {
        case_failed = 0;
        case_name = cases[i].name;
        cases[i].fn();
        if (case_failed) {
            fail++;
        } else {
            pass++;
            printf("ok - %s.%s\n", suite, cases[i].name);
        }
    }
    printf("# %s: %u passed, %u failed\n", suite, pass, fail);
    return fail ? 1 : 0;
}

/* ---- scripted transport ---- */

void t_io_init(t_io *io, int mode)
{
    memset(io, 0, sizeof *io);
    io->mode = mode;
    io->now = 1000u;
}

void t_io_add(t_io *io, int kind, const char *data, size_t len)
{
    if (io->nsteps >= T_STEPS_MAX) {
        fprintf(stderr, "t_io_add: too many steps\n");
        abort();
    }
    io->steps[io->nsteps].kind = kind;
    io->steps[io->nsteps].data = data;
    io->steps[io->nsteps].len = len;
    io->nsteps++;
}

void t_io_data(t_io *io, const char *s)
{
    t_io_add(io, T_DATA, s, strlen(s));
}

static int t_open(void *p, const char *host, size_t host_len, uint16_t port,
                  uint32_t timeout_ms)
{
    t_io *io = (t_io *)p;
    (void)host;
    (void)host_len;
    (void)port;
    (void)timeout_ms;
    io->opens++;
    if (io->open_rc != 0)
        return io->open_rc;
    io->is_open = 1;
    return BACT_OK;
}

static int32_t t_send(void *p, const uint8_t *d, size_t n, uint32_t timeout_ms)
{
    t_io *io = (t_io *)p;
    (void)timeout_ms;
    io->sends++;
    if (io->send_rc != 0)
        return io->send_rc;
    if (io->send_max && n > io->send_max)
        n = io->send_max;
    if (n > sizeof io->sent - io->sent_len)
        n = sizeof io->sent - io->sent_len;
    memcpy(io->sent + io->sent_len, d, n);
    io->sent_len += n;
    return (int32_t)n;
}

static int32_t t_recv(void *p, uint8_t *buf, size_t n, uint32_t timeout_ms)
{
    t_io *io = (t_io *)p;
    const t_step *s;
    size_t k;
    io->recvs++;
    if (timeout_ms == 0 && io->idx < io->nsteps &&
        io->steps[io->idx].kind != T_CLOSE && io->steps[io->idx].kind != T_ERROR &&
        io->steps[io->idx].kind != T_FAIL &&
        io->off == 0 && io->sent_len == 0)
        return 0; /* keep-alive probe before anything was sent */
    while (io->idx < io->nsteps) {
        s = &io->steps[io->idx];
        if (s->kind == T_LATE) {
            io->now += (uint32_t)s->len;
            io->idx++;
            continue;
        }
        if (s->kind == T_DATA && io->off >= s->len) {
            io->idx++;
            io->off = 0;
            continue;
        }
        break;
    }
    if (io->idx >= io->nsteps) {
        io->now += timeout_ms; /* a stall: the wait times out */
        return 0;
    }
    s = &io->steps[io->idx];
    switch (s->kind) {
    case T_NOTHING:
        io->idx++;
        io->now += 1;
        return 0;
    case T_CLOSE:
        return BACT_E_CLOSED;
    case T_ERROR:
        return (int32_t)(int)s->len;
    case T_FAIL:
        io->idx++;
        return (int32_t)(int)s->len;
    case T_END:
        io->now += timeout_ms;
        return 0;
    default:
        break;
    }
    if (io->mode == T_GAPS) {
        io->gap = !io->gap;
        if (io->gap) {
            io->now += 1;
            return 0;
        }
    }
    k = s->len - io->off;
    if (io->mode != T_WHOLE)
        k = 1;
    if (k > n)
        k = n;
    memcpy(buf, s->data + io->off, k);
    io->off += k;
    return (int32_t)k;
}

static void t_close(void *p)
{
    t_io *io = (t_io *)p;
    io->closes++;
    io->is_open = 0;
}

void t_io_transport(t_io *io, bact_transport *t)
{
    t->io = io;
    t->open = t_open;
    t->send = t_send;
    t->recv = t_recv;
    t->close = t_close;
}

static uint32_t t_now(void *p)
{
    ((t_io *)p)->clock_reads++;
    return ((t_io *)p)->now;
}

static void t_sleep(void *p, uint32_t ms)
{
    t_io *io = (t_io *)p;
    io->now += ms;
    io->slept += ms;
    io->sleeps++;
}

static uint32_t t_random(void *p)
{
    (void)p;
    return 12345u;
}

void t_io_platform(t_io *io, bact_platform *p)
{
    p->ctx = io;
    p->now_ms = t_now;
    p->sleep_ms = t_sleep;
    p->random = t_random;
}

bact_client *t_client(t_io *io, size_t buf_len, unsigned ntok,
                      const char *base_url, uint8_t retries)
{
    static bact_client c;
    static uint8_t buf[1u << 16];
    static jsmntok_t tok[4096];
    static bact_transport tr;
    static bact_platform pf;
    bact_config cfg;
    if (buf_len > sizeof buf || ntok > 4096u) {
        fprintf(stderr, "t_client: too big\n");
        abort();
    }
    t_io_transport(io, &tr);
    t_io_platform(io, &pf);
    memset(&cfg, 0, sizeof cfg);
    cfg.base_url = base_url;
    cfg.api_key = "test-key";
    cfg.buf = buf;
    cfg.buf_len = buf_len;
    cfg.tokens = tok;
    cfg.n_tokens = ntok;
    cfg.transport = &tr;
    cfg.platform = &pf;
    cfg.retries = retries;
    cfg.timeout_ms = 1000;
    if (bact_init(&c, &cfg) != BACT_OK) {
        fprintf(stderr, "t_client: bact_init failed\n");
        abort();
    }
    return &c;
}
