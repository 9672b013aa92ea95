/*
 * null_port.h - the transport and platform of the `make size` programs:
 * they do nothing, so that what links is the library and not a port.
 * Included by client.c and app.c only; size_init() sets a client up.
 */
#ifndef BACT_SIZE_NULL_PORT_H
#define BACT_SIZE_NULL_PORT_H

#include <stddef.h>
#include <stdint.h>

#include "bact.h"

static volatile uint32_t clock_ms;
static volatile int sink;

static int t_open(void *io, const char *h, size_t hl, uint16_t p, uint32_t t)
{
    (void)io; (void)h; (void)hl; (void)p; (void)t;
    return BACT_OK;
}
static int32_t t_send(void *io, const uint8_t *d, size_t n, uint32_t t)
{
    (void)io; (void)d; (void)t;
    return (int32_t)n;
}
static int32_t t_recv(void *io, uint8_t *b, size_t n, uint32_t t)
{
    (void)io; (void)b; (void)n; (void)t;
    return BACT_E_CLOSED;
}
static void t_close(void *io) { (void)io; }
static uint32_t p_now(void *ctx) { (void)ctx; return clock_ms; }
static void p_sleep(void *ctx, uint32_t ms) { (void)ctx; clock_ms += ms; }
static uint32_t p_rand(void *ctx) { (void)ctx; return clock_ms * 2654435761u; }

/* bact_init() on static buffers, the README's settings and the port above */
static int size_init(bact_client *c)
{
    static uint8_t buf[1024];
    static jsmntok_t tok[32];
    static bact_transport tr = {NULL, t_open, t_send, t_recv, t_close};
    static bact_platform pf = {NULL, p_now, p_sleep, p_rand};
    bact_config cfg = {0};

    cfg.base_url = "https://api.browseract.com";
    cfg.api_key = "app-key";
    cfg.buf = buf;
    cfg.buf_len = sizeof buf;
    cfg.tokens = tok;
    cfg.n_tokens = 32;
    cfg.transport = &tr;
    cfg.platform = &pf;
    cfg.retries = 3;
    return bact_init(c, &cfg);
}

#endif
